"""The lists' ``name=`` filter: the entities one of whose names contains a text, in any case.

Every display name is one of its entity's names (``create_entity`` and ``update_entity`` keep it
so; migration 0010 mended the entities an update had left without it), so the filter reads the
names alone, in one of two ways, by how many entities match:

- **Few** (at most ``NAMED_SCAN`` names of the kind's entities): their entities' ids are found
  through the trigram index of the names (migration 0010: FTS5 on SQLite, pg_trgm's GIN on
  PostgreSQL), and the list reads those entities alone. A rare text no longer walks every
  entity of the kind to find none.
- **Many**, or a text too short for a trigram: the list walks its own order and keeps each
  entity a name of which matches. The page is found within a few entities. If the names the
  index found belong to more entities than the list would count, it does not count them (the
  total is null, app/services/paging.py); otherwise the count stops at its bound.

Both read the same condition, ``lower(name) LIKE '%text%'``: the index only narrows the names
it is checked on. FTS5 folds the case of any letter and SQLite's ``lower`` only ASCII's, so the
index finds a superset of the names the condition keeps.

The sources' ``title`` and ``publisher`` filters are looked up so too (app/services/sources.py),
with the same ``contains`` and ``fts_phrase``.
"""

from typing import NamedTuple

from sqlalchemy import Integer, column, func, or_, select, table, text
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

from app.models import Entity, EntityKind, EntityName

NAMED_SCAN = 20_000  # names read through the index at most; past that, the list's own order
TRIGRAM = 3  # characters of the shortest text a trigram index can look up
NAME_FTS = table("entity_names_fts_name", column("rowid", Integer))  # migration 0010 (SQLite)


class Found(NamedTuple):
    """What the trigram index told of the entities a name filter keeps."""

    ids: set[int] | None  # every one, if the index found every name that matches
    many: bool  # more than the list would count (``more_than``): it need not count them


def look_up(session: Session, kind: EntityKind, name: str, *, more_than: int) -> Found:
    """The entities of ``kind`` with a name containing ``name``, in any case, as far as the
    trigram index finds them: all of them if it finds at most ``NAMED_SCAN`` such names;
    else whether more than ``more_than`` entities have them. Nothing for a text too short to
    look up (``named`` then checks the entities one by one)."""
    if len(name) < TRIGRAM:
        return Found(None, many=False)
    # The kind of each name's entity, looked up name by name: a join could start from the
    # kind's entities, which a database never analysed, or a small one, takes for few.
    of_kind = select(Entity.kind).where(Entity.id == EntityName.entity_id).scalar_subquery()
    found = select(EntityName.entity_id).where(of_kind == kind, contains(EntityName.name, name))
    if session.get_bind().dialect.name == "sqlite":  # PostgreSQL's LIKE reads its index
        indexed = text("entity_names_fts_name MATCH :phrase").bindparams(phrase=fts_phrase(name))
        found = found.where(EntityName.id.in_(select(NAME_FTS.c.rowid).where(indexed)))
    # Not DISTINCT: PostgreSQL's generic plan for a prepared DISTINCT … LIMIT walked the names
    # in entity order, and every name, to find a few (0.7 s at L).
    names = session.scalars(found.limit(NAMED_SCAN + 1)).all()
    ids = set(names)
    if len(names) <= NAMED_SCAN:
        return Found(ids, many=False)
    return Found(None, many=len(ids) > more_than)


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
