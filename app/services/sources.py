"""Sources: the works facts are cited to."""

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.errors import ConflictError, NotFoundError
from app.models import Citation, Source, SourceReference
from app.models.base import utcnow
from app.schemas.sources import ReferenceRead, SourceCreate, SourceRead, SourceUpdate
from app.services.entities import as_id
from app.services.paging import page_of
from app.services.slugs import unique_slug

SourceSort = Literal["id", "-id", "title", "-title", "published", "-published"]


def get_source(session: Session, ref: int | str) -> Source:
    """The source with this id or slug, or a 404."""
    source_id = as_id(ref)
    condition = Source.id == source_id if source_id is not None else Source.slug == str(ref)
    source = session.scalars(select(Source).where(condition)).first()
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
    """One page of sources, filtered by title, publisher or the article that references them."""
    query: Select[Any] = select(Source)
    if ids is not None:
        query = query.where(Source.id.in_(ids))
    if title:
        query = query.where(
            or_(
                func.lower(Source.title).contains(title.lower(), autoescape=True),
                func.lower(Source.translated_title).contains(title.lower(), autoescape=True),
            )
        )
    if publisher:
        query = query.where(
            func.lower(Source.publisher).contains(publisher.lower(), autoescape=True)
        )
    if article is not None:
        article_id = get_source(session, article).id
        query = query.where(
            Source.id.in_(
                select(SourceReference.source_id).where(SourceReference.article_id == article_id)
            )
        )
    columns = {"id": Source.id, "title": Source.title, "published": Source.published_date}
    sources, total = page_of(
        session,
        query,
        sort=sort,
        columns=columns,
        tie_breaker=Source.id,
        limit=limit,
        offset=offset,
    )
    return read_sources(session, sources), total


def read_sources(session: Session, sources: Sequence[Source]) -> list[SourceRead]:
    """Response bodies for sources, with their references and citation counts in two queries."""
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
