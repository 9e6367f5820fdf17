"""Search over every entity's names, however they are written.

Every name is stored with two derived keys (app/names.py): the folded ``key`` (case, diacritics,
hamza and ayn, Arabic vowels and letter variants, articles) and the transliteration
``skeleton`` (Bait = Beit = Bayt, doubled letters, ou = u, q = k). A query is folded the same way.

Ranking is done here, the same way for both databases:

1. ``exact``: the folded name is the query (``aknaf bait al-maqdis``, ``AKNAF BAIT AL MAQDIS``);
2. ``transliteration``: the skeletons agree (``Aknaf Beit el-Maqdis``, ``Aknaf Bayt al-Maqdiss``);
3. ``prefix``: the name starts with the query, as typed so far (``aknaf be``);
4. ``contains``: the query is a part of the name (``maqdis``);
5. ``similar``: enough trigrams in common (one or two typos: ``Aknaf Bait al-Madqis``).

Finding the candidates is bounded, so that a search costs about the same on a large database as
on a small one: a common word starts tens of thousands of names, and fetching and ranking them all
took hundreds of milliseconds. The tiers are asked for in turn, each for at most ``CANDIDATES``
names, and the search stops once a tier fills up or ``CANDIDATES`` entities are found
(``Results.complete`` is then false: the hits are the first names of that tier in index order,
ranked, at most ``CANDIDATES`` of them). Plain rows are read, no ORM objects.

- exact, transliteration and prefix: ranges of the B-tree indexes on ``key`` and ``skeleton``, in
  code point order (SQLite's own; C-collated indexes on PostgreSQL, migration 0005);
- contains: the trigram indexes of migration 0003. PostgreSQL: LIKE '%…%' on pg_trgm's GIN
  indexes. SQLite: FTS5 asked for four of the query's trigrams, spread over it (the whole phrase
  would read the postings of each of its trigrams: tens of milliseconds for a long name on a
  large index), at most ``FTS_SCAN`` names, which ``instr`` checks;
- similar, the same way on both databases: the names next to the query in key and skeleton order
  and around where it seems to have a typo (``_Finder._similar``). pg_trgm's ``%`` would find
  every similar name, but ranks them all: on a small table the planner scans it, computing the
  similarity of every name (tens of milliseconds), and a long query shares enough trigrams with
  thousands of names of a large one. A typo in the first letters of a short name, or two typos,
  can go unfound; a query that has exact or prefix matches gets its neighbours only.

A short query (one or two letters) matches the start of names only.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    CompoundSelect,
    FromClause,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    column,
    func,
    not_,
    or_,
    select,
    table,
    text,
    union,
)
from sqlalchemy.orm import Session

from app.models import Entity, EntityKind, EntityName, NameKind
from app.names import name_key, name_skeleton
from app.schemas.search import MAX_RANKED, Match

CANDIDATES = MAX_RANKED  # names fetched from each tier at most, and entities ranked at most
NEIGHBOURS = 10  # names either side of the query, in key and in skeleton order
MAX_PROBES = 4  # trigrams of a phrase the trigram index is asked for: each costs its postings
FTS_SCAN = 2000  # names read at most from the trigram index, for one tier
HEAD_SCAN = 5000  # keys read at most, of the names that start where the query's typo is
FILTER_SCAN = 500  # names of a range (or from the trigram index) read at most, with a kind filter
CLOSE_ENOUGH = 0.5  # without a name this similar next to the query or its typo...
RESCUE_CANDIDATES = 100  # ... at most these many names with its words and its rest are read
MIN_SIMILARITY = 0.3  # pg_trgm's default threshold, applied to both databases
SCORES: dict[Match, float] = {"exact": 1.0, "transliteration": 0.95, "prefix": 0.9, "contains": 0.8}
SIMILAR_WEIGHT = 0.75  # a similar name scores at most this much (its similarity times it)


class NameRow(NamedTuple):
    """One name and the entity it names, as plain values (no ORM objects are loaded); a tuple,
    as a search reads hundreds of them (a frozen dataclass took 0.8 ms of 5 for 200)."""

    name_id: int
    entity_id: int
    entity_kind: EntityKind
    slug: str
    entity_name: str
    name: str
    language: str | None
    script: str | None
    name_kind: NameKind
    key: str
    skeleton: str


class Hit(NamedTuple):
    """One entity found, by the name of it that matched best."""

    row: NameRow
    match: Match
    score: float


@dataclass(frozen=True)
class Results:
    """The hits, best first; ``complete`` is false when more names matched than were ranked."""

    hits: list[Hit]
    complete: bool


def trigrams(text_: str) -> set[str]:
    """The trigrams of each word, padded as pg_trgm pads them (two spaces before, one after)."""
    grams: set[str] = set()
    for word in text_.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(left: str, right: str) -> float:
    """Shared trigrams over all trigrams, as pg_trgm's ``similarity`` computes it."""
    return _similarity(trigrams(left), trigrams(right))


def _similarity(a: set[str], b: set[str]) -> float:
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared) if a and b else 0.0


class _Query:
    """The folded query, and the ranking of a name against it."""

    def __init__(self, key: str, skeleton: str) -> None:
        self.key = key
        self.skeleton = skeleton
        # What the indexes are asked for by skeleton: one of one or two letters would find every
        # name with these consonants (Saraya: sr, Syria), so the key stands in for it.
        self.probe = skeleton if len(skeleton) >= 3 else key
        self.key_grams = trigrams(key)
        self.skeleton_grams = trigrams(skeleton)
        self._closeness: dict[int, float] = {}

    def closeness(self, row: NameRow) -> float:
        """The name's similarity to the query: the better of its key's and its skeleton's."""
        known = self._closeness.get(row.name_id)
        if known is None:
            known = self._closeness[row.name_id] = max(
                _similarity(trigrams(row.key), self.key_grams),
                _similarity(trigrams(row.skeleton), self.skeleton_grams),
            )
        return known

    def contained(self, row: NameRow) -> bool:
        """True when the name matches at least as well as ``contains`` (exact … contains)."""
        return self.key in row.key or self.skeleton in row.skeleton

    def rank(self, row: NameRow) -> tuple[Match, float] | None:
        key, skeleton = self.key, self.skeleton
        if row.key == key:
            return "exact", SCORES["exact"]
        if row.skeleton == skeleton:
            return "transliteration", SCORES["transliteration"]
        if row.key.startswith(key) or row.skeleton.startswith(skeleton):
            return "prefix", SCORES["prefix"]
        if len(key) < 3:
            return None  # a short query matches the start of a name or not at all
        if key in row.key or skeleton in row.skeleton:
            return "contains", SCORES["contains"]
        best = self.closeness(row)
        if best >= MIN_SIMILARITY:
            return "similar", round(best * SIMILAR_WEIGHT, 4)
        return None


def search(session: Session, query: str, *, kinds: Sequence[EntityKind] | None = None) -> Results:
    """Entities with a name matching ``query``, best first (ties by name, then id)."""
    key, skeleton = name_key(query), name_skeleton(query)
    if not key:
        return Results([], complete=True)
    folded = _Query(key, skeleton or key)
    finder = _Finder(session, folded, kinds)
    rows = finder.find()
    best: dict[int, Hit] = {}
    for row in rows.values():
        ranked = folded.rank(row)
        if ranked is None:
            continue
        hit = Hit(row=row, match=ranked[0], score=ranked[1])
        current = best.get(row.entity_id)
        if current is None or better(hit, current):
            best[row.entity_id] = hit
    hits = sorted(
        best.values(), key=lambda h: (-h.score, h.row.entity_name.casefold(), h.row.entity_id)
    )
    return Results(hits if finder.complete else hits[:CANDIDATES], complete=finder.complete)


def better(hit: Hit, other: Hit) -> bool:
    """A higher score wins; between equal scores, the shorter name (the closer match)."""
    return (hit.score, -len(hit.row.key)) > (other.score, -len(other.row.key))


class _Finder:
    """Asks the database for each tier's candidates in turn, until one has more than enough."""

    def __init__(self, session: Session, query: _Query, kinds: Sequence[EntityKind] | None) -> None:
        self.connection = session.connection()
        self.query = query
        self.statements = _statements(
            self.connection.dialect.name == "postgresql", filtered=bool(kinds)
        )
        self.params: dict[str, Any] = {
            "key": query.key,
            "key_end": _after(query.key),
            "skeleton": query.probe,
            "skeleton_end": _after(query.probe),
        }
        if kinds:
            self.params["kinds"] = list(kinds)
        self.rows: dict[int, NameRow] = {}
        self.complete = True

    def find(self) -> dict[int, NameRow]:
        key = self.query.key
        # Names starting with the key, and those with the query's skeleton (transliterations);
        # then, unless the first range is full already, those starting with the skeleton.
        rows = self._rows(self.statements.prefixed)
        filled = sum(row.key.startswith(key) for row in rows) >= CANDIDATES
        if not filled:
            more = self._rows(self.statements.transliterated)
            filled = len(more) >= CANDIDATES
            rows += more
        self._keep(rows, filled=filled)
        if len(key) < 3:
            return self.rows
        if self._wants_more():
            rows = self._containing()
            self._keep(rows, filled=len(rows) >= CANDIDATES)
        if self._wants_more():
            self._similar()
        return self.rows

    def _containing(self) -> list[NameRow]:
        key, skeleton = self.query.key, self.query.probe
        if self.statements.postgresql:
            return self._rows(
                self.statements.containing,
                **_patterns("key", key),
                **_patterns("skeleton", skeleton),
            )
        terms = [_all_of(_probes(phrase)) for phrase in sorted({key, skeleton})]
        return self._rows(self.statements.containing, expression=" OR ".join(terms))

    def _similar(self) -> None:
        """The names next to the query, and those around where it seems to have a typo.

        A typo splits a name into an intact head and an intact rest. The neighbours in key order
        share the longest head with the query: the typo is right after it, or, when another name
        happens to go on with the wrong letter, at the start of its last word. The names that
        start with such a head and go on with the rest (a letter wrong, missing, added, or two
        swapped) are the closest. If none of them is close, the typo may be earlier: names
        starting with the head's whole words and containing the rest anywhere.
        """
        statements, key = self.statements, self.query.key
        rows = self._rows(statements.neighbours)
        self._keep(rows, filled=False)  # a few names either side: they never fill a tier
        if any(self.query.contained(row) for row in self.rows.values()):
            return  # better matches were found: the similar ones only fill the page
        typo = max((_common_prefix(key, row.key) for row in rows), default=0)
        word = key.rfind(" ", 0, typo) + 1  # where the word with the typo starts
        for start in sorted({typo, word} - {0}):
            rows += self._rows(
                statements.around_typo,
                head=key[:start],
                head_end=_after(key[:start]),
                rest=key[start + 2 :],
                after=start + 2,  # where the rest is in the name (from 1) if a letter is wrong
            )
        self._keep(rows, filled=False)
        rest = key[typo + 2 :]
        if len(rest) < 3 or any(self.query.closeness(row) >= CLOSE_ENOUGH for row in rows):
            return
        words = key[:word]
        rows = self._rows(
            statements.rescue,
            words=words,
            words_end=_after(words) if words else chr(0x10FFFF),  # no words: any key
            rest=rest,
            expression=_all_of(_probes(words, rest)),
            **_patterns("rest", rest),
        )
        self._keep(rows, filled=False)

    def _rows(self, statement: Select[Any] | CompoundSelect[Any], **params: Any) -> list[NameRow]:
        result = self.connection.execute(statement, {**self.params, **params})
        return list(map(NameRow._make, result.all()))

    def _keep(self, rows: list[NameRow], *, filled: bool) -> None:
        """Keep the rows; a tier that filled its limit means the search goes no further."""
        if filled:
            self.complete = False
        for row in rows:
            self.rows.setdefault(row.name_id, row)

    def _wants_more(self) -> bool:
        """False when a tier filled up, or the tiers so far found enough entities to rank."""
        if self.complete and len({row.entity_id for row in self.rows.values()}) >= CANDIDATES:
            self.complete = False  # the next tiers may have more, but those will not be ranked
        return self.complete


# -- the statements, built once for each database and with or without the kind filter

NAMES: FromClause = EntityName.__table__
ENTITIES: FromClause = Entity.__table__
FTS = table("entity_names_fts", column("rowid", Integer))  # migration 0003 (SQLite)
COLUMNS = (
    NAMES.c.id,
    NAMES.c.entity_id,
    ENTITIES.c.kind,
    ENTITIES.c.slug,
    ENTITIES.c.name,
    NAMES.c.name,
    NAMES.c.language,
    NAMES.c.script,
    NAMES.c.kind,
    NAMES.c.key,
    NAMES.c.skeleton,
)
NAMED = NAMES.join(ENTITIES, ENTITIES.c.id == NAMES.c.entity_id)


@dataclass(frozen=True)
class _Statements:
    postgresql: bool
    prefixed: Select[Any]  # names starting with the key, or with the query's skeleton
    transliterated: Select[Any]  # names starting with the skeleton
    containing: Select[Any]  # names containing the key or the skeleton
    neighbours: Select[Any]  # names next to the key and to the skeleton, either side
    around_typo: Select[Any]  # names starting with a head, the rest right after it
    rescue: Select[Any]  # names starting with some words and containing the rest


@cache
def _statements(postgresql: bool, *, filtered: bool) -> _Statements:
    """Each tier's statement; parameters: key, skeleton, their ``_after`` ends and kinds."""

    def ordered(column_: Any) -> Any:  # by code point, as the B-tree indexes order them
        return column_.collate("C") if postgresql else column_

    def position(column_: Any, part: Any) -> Any:  # from 1, 0 when the part is not there
        return func.strpos(column_, part) if postgresql else func.instr(column_, part)

    kinds: BindParameter[Any] = bindparam("kinds", expanding=True)

    def of_kinds(ids: Any, limit: int) -> Select[Any]:
        """The first ``limit`` of the names (a subquery of ids, and of entity ids if it has
        them) whose entity is of the kinds.

        A test for each name, in the subquery's order: its range is read from the index and
        stops early, instead of the names of every entity of the kinds being read and sorted
        (the planner's choice for a join, and slow for a common kind).
        """
        entity_of = select(ENTITIES.c.id).where(ENTITIES.c.kind.in_(kinds))
        if "entity_id" in ids.c:
            of_kind = entity_of.where(ENTITIES.c.id == ids.c.entity_id).exists()
        else:
            of_kind = (
                entity_of.join(NAMES, NAMES.c.entity_id == ENTITIES.c.id)
                .where(NAMES.c.id == ids.c.id)
                .exists()
            )
        return select(select(ids.c.id).where(of_kind).limit(limit).subquery().c.id)

    def within(column_: Any, start: str) -> ColumnElement[bool]:
        """The column starts with the parameter ``start`` (``start_end`` is its ``_after``)."""
        return and_(
            ordered(column_) >= bindparam(start, type_=String),
            ordered(column_) < bindparam(f"{start}_end", type_=String),
        )

    def first(
        condition: ColumnElement[bool], order: Any, limit: int, scan: int = FILTER_SCAN
    ) -> Select[Any]:
        """The ids of the first names meeting the condition in the index's order; with a kind
        filter, those of the kinds among the first ``scan`` (a rare kind may have none)."""
        query = select(NAMES.c.id).where(condition).order_by(order)
        if not filtered:
            return select(query.limit(limit).subquery().c.id)
        return of_kinds(query.add_columns(NAMES.c.entity_id).limit(scan).subquery(), limit)

    def rows_of(*ids: Select[Any]) -> Select[Any]:
        return (
            select(*COLUMNS)
            .select_from(NAMED)
            .where(NAMES.c.id.in_(union(*ids) if len(ids) > 1 else ids[0]))
        )

    key, skeleton = bindparam("key", type_=String), bindparam("skeleton", type_=String)
    by_key, by_skeleton = ordered(NAMES.c.key), ordered(NAMES.c.skeleton)
    prefixed = rows_of(
        first(within(NAMES.c.key, "key"), by_key, CANDIDATES),
        first(NAMES.c.skeleton == skeleton, NAMES.c.id, CANDIDATES),
    )
    transliterated = rows_of(first(within(NAMES.c.skeleton, "skeleton"), by_skeleton, CANDIDATES))
    not_prefixed = and_(
        not_(within(NAMES.c.key, "key")), not_(within(NAMES.c.skeleton, "skeleton"))
    )
    near = NEIGHBOURS * 20  # with a kind filter, the neighbours of the kinds among these
    neighbours = rows_of(
        first(by_key < key, by_key.desc(), NEIGHBOURS, near),
        first(by_key >= key, by_key, NEIGHBOURS, near),
        first(by_skeleton < skeleton, by_skeleton.desc(), NEIGHBOURS, near),
        first(by_skeleton >= skeleton, by_skeleton, NEIGHBOURS, near),
    )
    # The names starting with the head, at most HEAD_SCAN of them (their keys are in the index),
    # in which the rest comes right after it, or at most two letters further.
    head_range = (
        select(NAMES.c.id, NAMES.c.key)
        .where(within(NAMES.c.key, "head"))
        .order_by(by_key)
        .limit(HEAD_SCAN)
        .subquery()
    )
    rest = bindparam("rest", type_=String)
    after = func.substr(head_range.c.key, bindparam("after", type_=Integer))
    after_head = position(after, rest).between(1, 3)  # one letter more, wrong, or missing
    around = select(head_range.c.id).where(or_(rest == "", after_head))
    around_typo = rows_of(
        of_kinds(around.subquery(), NEIGHBOURS)
        if filtered
        else select(around.limit(NEIGHBOURS).subquery().c.id)
    )
    in_words = within(NAMES.c.key, "words")
    scan = FILTER_SCAN if filtered else FTS_SCAN

    def matched(found: Select[Any], *conditions: ColumnElement[bool], limit: int) -> Select[Any]:
        """The names the trigram index found (at most ``scan``) that meet the conditions."""
        ids = found.limit(scan).subquery()
        query = (
            select(*COLUMNS).select_from(ids.join(NAMED, NAMES.c.id == ids.c.id)).where(*conditions)
        )
        if filtered:
            query = query.where(ENTITIES.c.kind.in_(kinds))
        return query.limit(limit)

    if postgresql:  # LIKE '%…%' is answered by pg_trgm's GIN indexes: a few trigrams each

        def like_all(column_: Any, name: str) -> ColumnElement[bool]:
            return and_(
                *(
                    column_.like(bindparam(f"{name}_{i}", type_=String), escape="/")
                    for i in range(MAX_PROBES)
                )
            )

        containing_found = select(NAMES.c.id).where(
            or_(like_all(NAMES.c.key, "key"), like_all(NAMES.c.skeleton, "skeleton"))
        )
        rescue_found = select(NAMES.c.id).where(in_words, like_all(NAMES.c.key, "rest"))
    else:  # FTS5, in rowid order (ranking by bm25 would read every name it matches)
        containing_found = rescue_found = select(FTS.c.rowid.label("id")).where(
            text("entity_names_fts MATCH :expression")
        )
    containing = matched(
        containing_found,
        or_(position(NAMES.c.key, key) > 0, position(NAMES.c.skeleton, skeleton) > 0),
        not_prefixed,
        limit=CANDIDATES,
    )
    rescue = matched(
        rescue_found, in_words, position(NAMES.c.key, rest) > 0, limit=RESCUE_CANDIDATES
    )
    return _Statements(
        postgresql, prefixed, transliterated, containing, neighbours, around_typo, rescue
    )


# -- building the parameters


def _probes(*pieces: str) -> list[str]:
    """A few trigrams that every name containing all the pieces has, spread over them.

    FTS5 reads the postings of these few only (the whole phrase would read those of every one
    of its trigrams: tens of milliseconds for a long name on a large index), and trigrams from
    far apart narrow the names down to almost only those that contain the pieces. Those across
    two words (``t k`` of ``katibat karama``) come first: each pairs the end of a word with the
    start of the next, and has half the postings of one within a word.
    """
    grams = [piece[i : i + 3] for piece in pieces for i in range(len(piece) - 2)]
    across = [gram for gram in grams if gram[1] == " "]
    return _spread(across if len(across) >= 2 else grams, MAX_PROBES)


def _common_prefix(left: str, right: str) -> int:
    length = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        length += 1
    return length


def _spread(items: list[str], count: int) -> list[str]:
    """At most ``count`` of the items, the first and the last among them, evenly spaced."""
    unique = list(dict.fromkeys(items))
    if len(unique) <= count:
        return unique
    step = (len(unique) - 1) / (count - 1)
    return list(dict.fromkeys(unique[round(i * step)] for i in range(count)))


def _all_of(grams: list[str]) -> str:
    return "(" + " AND ".join('"' + gram.replace('"', '""') + '"' for gram in grams) + ")"


def _patterns(name: str, phrase: str) -> dict[str, str]:
    """PostgreSQL: LIKE patterns of a few trigrams within words of the phrase (pg_trgm's own
    trigrams stop at spaces), MAX_PROBES of them, the last repeated if there are fewer; the
    whole phrase when it has no word of three letters."""
    words = phrase.split()
    grams = [word[i : i + 3] for word in words for i in range(len(word) - 2)]
    parts = _spread(grams, MAX_PROBES) if grams else [phrase]
    escaped = [part.replace("/", "//").replace("%", "/%").replace("_", "/_") for part in parts]
    return {f"{name}_{i}": f"%{escaped[min(i, len(escaped) - 1)]}%" for i in range(MAX_PROBES)}


def _after(prefix: str) -> str:
    """The least string after every string that starts with ``prefix`` (by code point)."""
    code = ord(prefix[-1]) + 1
    if 0xD800 <= code <= 0xDFFF:  # surrogates cannot be stored: skip them
        code = 0xE000
    if code > 0x10FFFF:  # no greater character: the prefix and the greatest one will do
        return prefix + chr(0x10FFFF)
    return prefix[:-1] + chr(code)
