"""Search over every entity's names, however they are written.

Every name is stored with two derived keys (app/names.py): the folded ``key`` (case, diacritics,
hamza and ayn, Arabic vowels and letter variants, articles) and the transliteration
``skeleton`` (Bait = Beit = Bayt, doubled letters, ou = u, q = k). A query is folded the same way.

Finding candidates is the database's work, with an index of trigrams of both keys: FTS5 with the
trigram tokenizer on SQLite, pg_trgm on PostgreSQL (migration 0003). Ranking them is done here,
the same way for both, so that both databases give the same answer:

1. ``exact``: the folded name is the query (``aknaf bait al-maqdis``, ``AKNAF BAIT AL MAQDIS``);
2. ``transliteration``: the skeletons agree (``Aknaf Beit el-Maqdis``, ``Aknaf Bayt al-Maqdiss``);
3. ``prefix``: the name starts with the query, as typed so far (``aknaf be``);
4. ``contains``: the query is a part of the name (``maqdis``);
5. ``similar``: enough trigrams in common (one or two typos: ``Aknaf Bait al-Madqis``).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Float,
    Integer,
    Select,
    String,
    bindparam,
    func,
    literal,
    literal_column,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from app.models import Entity, EntityKind, EntityName
from app.names import name_key, name_skeleton
from app.schemas.search import Match

CANDIDATES = 200  # names fetched from the index per query, before ranking
MIN_SIMILARITY = 0.3  # pg_trgm's default threshold, applied to both databases
SCORES: dict[Match, float] = {"exact": 1.0, "transliteration": 0.95, "prefix": 0.9, "contains": 0.8}
SIMILAR_WEIGHT = 0.75  # a similar name scores at most this much (its similarity times it)


@dataclass(frozen=True)
class Hit:
    """One entity found, by the name of it that matched best."""

    entity: Entity
    name: EntityName
    match: Match
    score: float


def trigrams(text_: str) -> set[str]:
    """The trigrams of each word, padded as pg_trgm pads them (two spaces before, one after)."""
    grams: set[str] = set()
    for word in text_.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(left: str, right: str) -> float:
    """Shared trigrams over all trigrams, as pg_trgm's ``similarity`` computes it."""
    a, b = trigrams(left), trigrams(right)
    return len(a & b) / len(a | b) if a and b else 0.0


def _rank(name: EntityName, key: str, skeleton: str) -> tuple[Match, float] | None:
    if name.key == key:
        return "exact", SCORES["exact"]
    if skeleton and name.skeleton == skeleton:
        return "transliteration", SCORES["transliteration"]
    if name.key.startswith(key) or (skeleton and name.skeleton.startswith(skeleton)):
        return "prefix", SCORES["prefix"]
    if len(key) < 3:
        return None  # a short query matches the start of a name or not at all
    if key in name.key or (skeleton and skeleton in name.skeleton):
        return "contains", SCORES["contains"]
    best = max(similarity(name.key, key), similarity(name.skeleton, skeleton))
    if best >= MIN_SIMILARITY:
        return "similar", round(best * SIMILAR_WEIGHT, 4)
    return None


def search(session: Session, query: str, *, kinds: Sequence[EntityKind] | None = None) -> list[Hit]:
    """Every entity with a name matching ``query``, best first (ties by name, then id)."""
    key, skeleton = name_key(query), name_skeleton(query)
    if not key:
        return []
    ids = _candidates(session, key, skeleton, kinds)
    if not ids:
        return []
    rows = session.execute(
        select(EntityName, Entity)
        .join(Entity, Entity.id == EntityName.entity_id)
        .where(EntityName.id.in_(ids))
    ).all()
    best: dict[int, Hit] = {}
    for name, entity in rows:
        ranked = _rank(name, key, skeleton)
        if ranked is None:
            continue
        hit = Hit(entity=entity, name=name, match=ranked[0], score=ranked[1])
        current = best.get(entity.id)
        if current is None or _better(hit, current):
            best[entity.id] = hit
    return sorted(best.values(), key=lambda h: (-h.score, h.entity.name.casefold(), h.entity.id))


def _better(hit: Hit, other: Hit) -> bool:
    """A higher score wins; between equal scores, the shorter name (the closer match)."""
    return (hit.score, -len(hit.name.key)) > (other.score, -len(other.name.key))


def _candidates(
    session: Session, key: str, skeleton: str, kinds: Sequence[EntityKind] | None
) -> list[int]:
    """Ids of the names most likely to match, found through the database's trigram index."""
    if len(key) < 3:  # too short for trigrams, on either database: names that start with it
        query = (
            select(EntityName.id)
            .where(or_(EntityName.key.startswith(key), EntityName.skeleton.startswith(key)))
            .order_by(func.length(EntityName.key), EntityName.id)
        )
    elif session.get_bind().dialect.name == "postgresql":
        query = _postgresql_candidates(key, skeleton)
    else:
        query = _sqlite_candidates(key, skeleton)
    if kinds:
        query = query.join(Entity, Entity.id == EntityName.entity_id).where(Entity.kind.in_(kinds))
    return list(session.scalars(query.limit(CANDIDATES)))


def _postgresql_candidates(key: str, skeleton: str) -> Select[int]:
    # `%` is pg_trgm's similarity operator (threshold 0.3); LIKE '%…%' uses the same GIN index.
    key_param = bindparam("key", key, type_=String)
    skeleton_param = bindparam("skeleton", skeleton or key, type_=String)
    closeness = func.greatest(
        func.similarity(EntityName.key, key_param),
        func.similarity(EntityName.skeleton, skeleton_param),
    )
    return (
        select(EntityName.id)
        .where(
            or_(
                EntityName.key.contains(key, autoescape=True),
                EntityName.skeleton.contains(skeleton or key, autoescape=True),
                EntityName.key.op("%")(key_param),
                EntityName.skeleton.op("%")(skeleton_param),
            )
        )
        .order_by(closeness.desc(), EntityName.id)
    )


def _sqlite_candidates(key: str, skeleton: str) -> Select[int]:
    # FTS5's trigram tokenizer: a quoted string matches as a substring; OR-ing the query's own
    # trigrams finds names with typos, bm25 (`rank`) putting those sharing the most first.
    phrases = {phrase for phrase in (key, skeleton) if len(phrase) >= 3}
    grams = {gram for phrase in phrases for gram in _plain_trigrams(phrase)}
    expression = " OR ".join(_quoted(term) for term in sorted(phrases | grams))
    substring = " OR ".join(_quoted(phrase) for phrase in sorted(phrases))
    fts: Any = text("entity_names_fts")
    exact_first = (
        select(ROWID.label("id"), literal(0).label("tier"), RANK.label("rank"))
        .select_from(fts)
        .where(text("entity_names_fts MATCH :substring").bindparams(substring=substring))
    )
    similar = (
        select(ROWID.label("id"), literal(1).label("tier"), RANK.label("rank"))
        .select_from(fts)
        .where(text("entity_names_fts MATCH :expression").bindparams(expression=expression))
    )
    both = exact_first.union_all(similar).subquery()
    return (
        select(EntityName.id)
        .join(both, both.c.id == EntityName.id)
        .group_by(EntityName.id)
        .order_by(func.min(both.c.tier), func.min(both.c.rank), EntityName.id)
    )


ROWID = literal_column("rowid", Integer)
RANK = literal_column("rank", Float)  # FTS5's bm25: lower is better


def _plain_trigrams(phrase: str) -> set[str]:
    """Trigrams as FTS5's tokenizer makes them: every three characters, spaces included."""
    return {phrase[i : i + 3] for i in range(len(phrase) - 2)}


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'
