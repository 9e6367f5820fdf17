"""Relationships between entities: lists with filters, reads with both ends, and writes."""

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from app.errors import InvalidRequestError, NotFoundError
from app.models import Entity, Relationship, RelationshipStatus, RelationshipType
from app.models.base import utcnow
from app.schemas.common import EntitySummary
from app.schemas.relationships import RelationshipCreate, RelationshipRead, RelationshipUpdate
from app.services.asof import AsOf, certainty_of, holds
from app.services.citations import (
    add_citations,
    apply_span,
    check_sources_exist,
    load_citations,
    replace_citations,
    span_read,
)
from app.services.entities import get_entity
from app.services.paging import page_of

RelationshipSort = Literal["id", "-id", "start", "-start", "type", "-type"]


def get_relationship(session: Session, relationship_id: int) -> Relationship:
    """The relationship with this id, or a 404."""
    relationship = session.get(Relationship, relationship_id)
    if relationship is None:
        raise NotFoundError(f"No relationship with id {relationship_id}.")
    return relationship


def list_relationships(
    session: Session,
    *,
    ids: Sequence[int] | None = None,
    types: Sequence[RelationshipType] = (),
    status: RelationshipStatus | None = None,
    subject: str | None = None,
    object_: str | None = None,
    entity: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    sort: RelationshipSort = "id",
    as_of: AsOf | None = None,
    limit: int,
    offset: int,
) -> tuple[list[RelationshipRead], int]:
    """One page of relationships matching the filters, with the total."""
    query: Select[Any] = select(Relationship)
    if ids is not None:
        query = query.where(Relationship.id.in_(ids))
    if types:
        query = query.where(Relationship.type.in_(types))
    if status is not None:
        query = query.where(Relationship.status == status)
    if subject is not None:
        query = query.where(Relationship.subject_id == get_entity(session, subject).id)
    if object_ is not None:
        query = query.where(Relationship.object_id == get_entity(session, object_).id)
    if entity is not None:
        either = get_entity(session, entity).id
        query = query.where(
            or_(Relationship.subject_id == either, Relationship.object_id == either)
        )
    # Kept when the relationship's bounds allow it to overlap the range.
    if date_from is not None:
        query = query.where(
            or_(Relationship.end_upper.is_(None), Relationship.end_upper >= date_from)
        )
    if date_to is not None:
        query = query.where(
            or_(Relationship.start_lower.is_(None), Relationship.start_lower <= date_to)
        )
    query = query.where(holds(Relationship, as_of))
    columns = {"id": Relationship.id, "start": Relationship.start_lower, "type": Relationship.type}
    relationships, total = page_of(
        session,
        query,
        sort=sort,
        columns=columns,
        tie_breaker=Relationship.id,
        limit=limit,
        offset=offset,
    )
    return read_relationships(session, relationships, as_of), total


def read_relationships(
    session: Session, relationships: Sequence[Relationship], as_of: AsOf | None = None
) -> list[RelationshipRead]:
    """Response bodies for relationships, both ends and citations loaded in two queries."""
    if not relationships:
        return []
    entity_ids = {r.subject_id for r in relationships} | {r.object_id for r in relationships}
    ends = {
        row.id: EntitySummary(id=row.id, kind=row.kind, slug=row.slug, name=row.name)
        for row in session.execute(
            select(Entity.id, Entity.kind, Entity.slug, Entity.name).where(
                Entity.id.in_(entity_ids)
            )
        )
    }
    cited = load_citations(session, {"relationship_id": [r.id for r in relationships]})
    return [
        RelationshipRead(
            id=r.id,
            subject=ends[r.subject_id],
            object=ends[r.object_id],
            type=r.type,
            status=r.status,
            role=r.role,
            note=r.note,
            period=span_read(r),
            certainty=certainty_of(r, as_of),
            citations=cited["relationship_id"].get(r.id, []),
            created_at=r.created_at,
            updated_at=r.updated_at,
            version=r.version,
        )
        for r in relationships
    ]


def create_relationship(session: Session, payload: RelationshipCreate) -> Relationship:
    """Create a relationship; both ends must exist and differ."""
    check_sources_exist(session, payload.citations)
    subject = _end(session, payload.subject, "subject")
    object_ = _end(session, payload.object, "object")
    if subject.id == object_.id:
        raise InvalidRequestError("An entity cannot be related to itself.", field="object")
    relationship = Relationship(
        subject_id=subject.id,
        object_id=object_.id,
        type=payload.type,
        status=payload.status,
        role=payload.role,
        note=payload.note,
    )
    apply_span(relationship, payload.period)
    session.add(relationship)
    session.flush()
    add_citations(session, "relationship_id", relationship.id, payload.citations)
    session.flush()
    return relationship


def update_relationship(
    session: Session, relationship_id: int, payload: RelationshipUpdate
) -> Relationship:
    """Apply a partial update to a relationship."""
    relationship = get_relationship(session, relationship_id)
    given = payload.model_fields_set
    for field in ("type", "status"):
        value = getattr(payload, field)
        if field in given and value is not None:
            setattr(relationship, field, value)
    for field in ("role", "note"):
        if field in given:
            setattr(relationship, field, getattr(payload, field))
    if "period" in given:
        apply_span(relationship, payload.period)
    if payload.citations is not None:
        replace_citations(session, "relationship_id", relationship.id, payload.citations)
    relationship.updated_at = utcnow()
    session.flush()
    return relationship


def delete_relationship(session: Session, relationship_id: int) -> None:
    """Delete a relationship and its citations (nothing depends on it, so nothing cascades)."""
    session.delete(get_relationship(session, relationship_id))
    session.flush()


def _end(session: Session, ref: int | str, field: str) -> Entity:
    try:
        return get_entity(session, ref)
    except NotFoundError as error:
        raise InvalidRequestError(error.detail, field=field) from error
