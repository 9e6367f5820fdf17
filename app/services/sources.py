"""Sources: the works facts are cited to."""

from collections.abc import Sequence
from functools import cache
from typing import Literal, NamedTuple

from sqlalchemy import Integer, Select, bindparam, column, func, or_, select, table, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.errors import ConflictError, NotFoundError
from app.models import Citation, Source, SourceReference
from app.models.base import utcnow
from app.schemas.sources import ReferenceRead, SourceCreate, SourceRead, SourceUpdate
from app.services.entities import looked_up_by
from app.services.id_lists import read_by_id
from app.services.name_filter import TRIGRAM, contains, fts_phrase
from app.services.paging import counted_rows, in_order, page_of
from app.services.slugs import unique_slug

SourceSort = Literal["id", "-id", "title", "-title", "published", "-published"]


# Built once for each column, as the entities' look-up is; the value is the parameter ``ref``.
@cache
def _source_query(column: Literal["id", "slug"]) -> Select[Source]:
    return select(Source).where(getattr(Source, column) == bindparam("ref"))


def get_source(session: Session, ref: int | str) -> Source:
    """The source with this id or slug, or a 404."""
    column, value = looked_up_by(ref)
    source = session.scalars(_source_query(column), {"ref": value}).first()
    if source is None:
        raise NotFoundError(f"No source with id or slug {ref!r}.")
    return source


def list_sources(
    session: Session,
    *,
    ids: Sequence[int] | None = None,
    title: str | None = None,
    publisher: str | None = None,
    article: str | None = None,
    sort: SourceSort = "id",
    limit: int,
    offset: int,
) -> tuple[list[SourceRead], int | None]:
    """One page of sources, filtered by title, publisher or the article that references them.

    ``title`` (or the translated title) and ``publisher`` contain the text, in any case. A text
    of three letters or more is looked up in the trigram index of those columns (migration
    0011), as the lists' name filter does (app/services/name_filter.py): if at most
    ``TITLED_SCAN`` sources match, one pass over them gives the page and the total; if more do,
    the list walks its own order, where a match comes every few sources.
    """
    texts = _text_filters({"title": title, "publisher": publisher})
    conditions = [text_filter.condition for text_filter in texts]
    if ids is not None:
        conditions.append(Source.id.in_(ids))
    if article is not None:
        article_id = get_source(session, article).id
        conditions.append(
            Source.id.in_(
                select(SourceReference.source_id).where(SourceReference.article_id == article_id)
            )
        )
    indexed = [text_filter.match for text_filter in texts if text_filter.indexed]
    counted = counted_rows(limit, offset)
    many = False
    if indexed:
        found = _found(session, conditions, indexed, sort=sort, limit=limit, offset=offset)
        if found is not None:  # the total as the bounded count says it (app/services/paging.py)
            page, matches = found
            return read_sources(session, page), matches if matches <= counted else None
        many = counted <= TITLED_SCAN
    sources, total = page_of(
        session,
        select(Source).where(*conditions),
        sort=sort,
        columns=SORTED_BY,
        tie_breaker=Source.id,
        limit=limit,
        offset=offset,
        count=not many,  # more match than the page would count: null, as it would say
    )
    return read_sources(session, sources), total


SORTED_BY = {"id": Source.id, "title": Source.title, "published": Source.published_date}
TITLED_SCAN = 20_000  # sources read through the index at most; past that, the list's order
SOURCES_FTS = table("sources_fts", column("rowid", Integer))  # migration 0011 (SQLite)
# The filters of a text that columns contain, and the columns each one reads.
TEXT_COLUMNS = {"title": ("title", "translated_title"), "publisher": ("publisher",)}


class _TextFilter(NamedTuple):
    """A text one of some columns must contain, in any case."""

    condition: ColumnElement[bool]
    match: str  # FTS5's expression of the same: the text, as a phrase, in those columns
    indexed: bool  # long enough for the trigram index


def _text_filters(asked: dict[str, str | None]) -> list[_TextFilter]:
    return [
        _TextFilter(
            or_(*(contains(getattr(Source, column_), text_) for column_ in columns)),
            f"{{{' '.join(columns)}}} : {fts_phrase(text_)}",
            len(text_) >= TRIGRAM,
        )
        for name, columns in TEXT_COLUMNS.items()
        if (text_ := asked.get(name))
    ]


def _found(
    session: Session,
    conditions: list[ColumnElement[bool]],
    indexed: list[str],
    *,
    sort: SourceSort,
    limit: int,
    offset: int,
) -> tuple[list[Source], int] | None:
    """The page and the total of the sources that meet the conditions, in one pass over them
    through the trigram index, or None if more than ``TITLED_SCAN`` do.

    The matches' ids and sort keys are read once, through the index (PostgreSQL's LIKE reads
    its own; SQLite's FTS5 is asked for the ``indexed`` expressions, its rows then checked by
    the conditions, as it folds the case of every letter and SQLite's ``lower`` only ASCII's);
    the database sorts them and counts them beside the page. Looked up, then read again by id
    to be sorted, they were read twice: for 6,955 titles at L the request took 68 ms that way
    against 31 (SQLite, in-process).
    """
    matches = select(Source.id, SORTED_BY[sort.lstrip("-")].label("key")).where(*conditions)
    if session.get_bind().dialect.name == "sqlite":
        match = text("sources_fts MATCH :match").bindparams(match=" AND ".join(indexed))
        matches = matches.where(Source.id.in_(select(SOURCES_FTS.c.rowid).where(match)))
    found = matches.limit(TITLED_SCAN + 1).subquery()
    order = (found.c.key, found.c.id)
    page = session.execute(
        select(found.c.id, func.count().over())
        .order_by(*in_order(order, sort.startswith("-")))
        .limit(limit)
        .offset(offset)
    ).all()
    if not page:  # nothing matched, or past the last page, which cannot tell how many did
        total = (session.scalar(select(func.count()).select_from(found)) or 0) if offset else 0
        return None if total > TITLED_SCAN else ([], total)
    if page[0][1] > TITLED_SCAN:
        return None
    return read_by_id(session, Source, [row[0] for row in page]), page[0][1]


def read_sources(session: Session, sources: Sequence[Source]) -> list[SourceRead]:
    """Response bodies for sources, with their references and citation counts in two queries."""
    if not sources:  # an empty page: nothing to ask for
        return []
    ids = [source.id for source in sources]
    references: dict[int, list[ReferenceRead]] = {source_id: [] for source_id in ids}
    for reference in session.scalars(
        select(SourceReference)
        .where(SourceReference.source_id.in_(ids))
        .order_by(SourceReference.article_id, SourceReference.number)
    ):
        references[reference.source_id].append(
            ReferenceRead(
                article_id=reference.article_id,
                number=reference.number,
                locator=reference.locator,
                text=reference.text,
            )
        )
    counts: dict[int, int] = dict(
        session.execute(
            select(Citation.source_id, func.count())
            .where(Citation.source_id.in_(ids))
            .group_by(Citation.source_id)
        ).all()
    )
    return [
        SourceRead.model_validate(
            {
                **{column: getattr(source, column) for column in _SOURCE_FIELDS},
                "references": references[source.id],
                "citation_count": counts.get(source.id, 0),
            }
        )
        for source in sources
    ]


_SOURCE_FIELDS = (
    "id",
    "slug",
    "kind",
    "title",
    "translated_title",
    "language",
    "authors",
    "publisher",
    "published_text",
    "published_date",
    "archived_date",
    "retrieved_date",
    "url",
    "archive_url",
    "format",
    "license",
    "license_url",
    "attribution",
    "created_at",
    "updated_at",
    "version",
)


def create_source(session: Session, payload: SourceCreate) -> Source:
    """Create a source; a given slug must be free."""
    if payload.slug and session.scalar(select(Source.id).where(Source.slug == payload.slug)):
        raise ConflictError(f"The slug {payload.slug!r} is already taken.", field="slug")
    values = payload.model_dump(mode="json", exclude={"slug"})
    values.update(
        published_date=payload.published_date,
        archived_date=payload.archived_date,
        retrieved_date=payload.retrieved_date,
    )
    source = Source(slug=payload.slug or unique_slug(session, Source.slug, payload.title), **values)
    session.add(source)
    session.flush()
    return source


def update_source(session: Session, ref: int | str, payload: SourceUpdate) -> Source:
    """Apply a partial update to a source."""
    source = get_source(session, ref)
    values = payload.model_dump(mode="json", exclude_unset=True)
    for field, value in values.items():
        if field.endswith("_date"):
            value = getattr(payload, field)
        if value is None and field in {"kind", "title", "authors"}:
            continue  # required columns keep their value
        setattr(source, field, value)
    source.updated_at = utcnow()
    session.flush()
    return source
