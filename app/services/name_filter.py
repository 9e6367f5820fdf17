"""The lists' ``name=`` filter: the entities one of whose names contains a text, in any case.

Every display name is one of its entity's names (``create_entity`` and ``update_entity`` keep it
so; migration 0010 mended the entities an update had left without it), so the filter reads the
names alone, in one of two ways, by how many entities match:

- **Few** (at most ``NAMED_SCAN`` names of the entities the list's other filters keep): one
  statement finds the names through the trigram index of the names (migration 0010: FTS5 on
  SQLite, pg_trgm's GIN on PostgreSQL), reads each one's entity, and sorts and counts the
  entities beside the page (``first_pass``). A rare text no longer walks every entity of the
  kind to find none.
- **Many**, or a text too short for a trigram: the list walks its own order and keeps each
  entity a name of which matches. The page is found within a few entities. If the first pass
  found more entities than the list would count, it does not count them (the total is null,
  app/services/paging.py); otherwise the count stops at its bound.

Both read the same condition, ``lower(name) LIKE '%text%'``: the index only narrows the names
it is checked on. FTS5 folds the case of any letter and SQLite's ``lower`` only ASCII's, so the
index finds a superset of the names the condition keeps.

The sources' ``title`` and ``publisher`` filters are looked up so too (app/services/sources.py),
with the same ``contains`` and ``fts_phrase``.
"""

from typing import Any, NamedTuple

from sqlalchemy import Integer, Select, column, func, literal, or_, select, table, text
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from app.models import Entity, EntityName
from app.services.paging import in_order

NAMED_SCAN = 20_000  # names read in the first pass at most; past that, the list's own order
TRIGRAM = 3  # characters of the shortest text a trigram index can look up
NAME_FTS = table("entity_names_fts_name", column("rowid", Integer))  # migration 0010 (SQLite)


class FirstPass(NamedTuple):
    """What one pass over the names that hold a text found of a list's page."""

    ids: list[int] | None  # the page's entities in the list's order; None: too many names
    matches: int  # the entities the list keeps: all of them, or (``ids`` None) at least these


def first_pass(
    session: Session,
    query: Select[Any],
    name: str,
    *,
    order: tuple[ColumnElement[Any], ColumnElement[int] | InstrumentedAttribute[int]],
    descending: bool,
    limit: int,
    offset: int,
) -> FirstPass | None:
    """The page of ``query`` (a list of entities with its other filters) whose entities have a
    name containing ``name``, in the ``order`` of a sort key and a tie-break, and how many
    entities it keeps: one statement through the trigram index of the names. None for a text
    too short to look up (``named`` then checks the entities one by one).

    The names found through the index are read once with their entities, which the list's
    filters keep or not, at most ``NAMED_SCAN`` + 1 such names (a materialised CTE); the
    entities are then told apart, sorted and counted beside the page (a window). If the names
    are more, the entities of those read are at least as many as the list keeps. Found first,
    then read again by id to be sorted, they crossed into Python and back: at L, 6,735 groups
    of 8,386 names took 66–110 ms on SQLite and 90–130 ms on PostgreSQL that way.
    """
    if len(name) < TRIGRAM:
        return None
    key, tie = order
    names = EntityName.__table__.c
    found = (
        query.with_only_columns(tie.label("id"), key.label("key"))
        # From the names to their entities, never the other way: the names' entity, not
        # indexed (``+ 0``), cannot be looked up from an entity. Else a database may start from
        # the kind's entities and look for their names (on PostgreSQL, planned for a small
        # table, or a generic plan) where the trigram index finds a few names.
        .join(EntityName.__table__, Entity.id == names.entity_id + 0)
        .where(contains(names.name, name))
    )
    if session.get_bind().dialect.name == "sqlite":  # PostgreSQL's LIKE reads its index
        indexed = text("entity_names_fts_name MATCH :phrase").bindparams(phrase=fts_phrase(name))
        found = found.where(names.id.in_(select(NAME_FTS.c.rowid).where(indexed)))
    # Names, not DISTINCT entities, under the LIMIT: PostgreSQL's generic plan for a prepared
    # DISTINCT … LIMIT walked the names in entity order, and every name, to find a few (0.7 s).
    named = found.limit(NAMED_SCAN + 1).cte("named").prefix_with("MATERIALIZED")
    read = select(func.count()).select_from(named).scalar_subquery()
    rows = session.execute(
        select(named.c.id, func.count().over().label("matches"), read.label("names"))
        .group_by(named.c.id, named.c.key)
        .order_by(*in_order((named.c.key, named.c.id), descending))
        .limit(limit)
        .offset(offset)
    ).all()
    if not rows:  # nothing matched, or past the last page, which cannot tell how many did
        if not offset:  # more names than it reads would belong to an entity it keeps
            return FirstPass([], 0)
        rows = session.execute(
            select(
                literal(None).label("id"), func.count().label("matches"), read.label("names")
            ).select_from(select(named.c.id).distinct().subquery())
        ).all()
    ids = [row.id for row in rows if row.id is not None]
    if rows[0].names > NAMED_SCAN:
        return FirstPass(None, rows[0].matches)
    return FirstPass(ids, rows[0].matches)


def fts_phrase(text_: str) -> str:
    """``text_`` as one FTS5 phrase: with the trigram tokenizer, the rows that contain it."""
    return '"' + text_.replace('"', '""') + '"'


def named(name: str, *, many: bool = False) -> ColumnElement[bool]:
    """An entity has a name containing ``name``, in any case: checked entity by entity.

    ``many``: the look-up found the text in more names than it reads, so the walk meets a
    match every few entities, and checks their names alone. With the display name's test
    beside it (``OR``), PostgreSQL's generic plan first hashed every name that holds the
    text: 1.3 s at L for one in half of all names, against 52 ms.
    """
    # Tables, not models: with the models, SQLAlchemy compiled the list's statement again on
    # the second request (the subquery's cache key changed once), and cached it from the third.
    names, entities = EntityName.__table__.c, Entity.__table__.c
    by_names = (
        select(names.id).where(names.entity_id == entities.id, contains(names.name, name)).exists()
    )
    if many:
        return by_names
    # Most entities match by their display name, read with the row: their names are not read.
    return or_(contains(entities.name, name), by_names)


def contains(
    column_: ColumnElement[str] | InstrumentedAttribute[str] | InstrumentedAttribute[str | None],
    text_: str,
) -> ColumnElement[bool]:
    """``column_`` contains ``text_``, in any case (only ASCII letters' on SQLite), as it is."""
    return func.lower(column_).like(f"%{_escape_like(text_.lower())}%", escape="\\")


def _escape_like(text_: str) -> str:
    """``text_`` matched as it is by a LIKE pattern that escapes with a backslash."""
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
