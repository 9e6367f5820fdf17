"""Relationships between entities: lists with filters, reads with both ends, and writes.

Reads are built as plain data in the JSON shape of ``RelationshipRead`` (see
app/services/citations.py); single reads and writes validate that into the model.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, aliased

from app.errors import InvalidRequestError, NotFoundError
from app.models import Entity, Relationship, RelationshipStatus, RelationshipType
from app.models.base import utcnow
from app.schemas.relationships import RelationshipCreate, RelationshipRead, RelationshipUpdate
from app.services.asof import AsOf, holds
from app.services.citations import (
    Body,
    Columns,
    Span,
    add_citations,
    apply_span,
    certainty,
    check_sources_exist,
    citation_bodies,
    cited,
    replace_citations,
    span_body,
    span_columns,
)
from app.services.entities import entity_summary, get_entity, get_entity_id, summary_columns
from app.services.id_lists import in_ids
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
) -> tuple[list[Body], int | None]:
    """One page of relationships matching the filters, as RelationshipRead bodies, with the total.

    The page is picked by id alone; one query then reads it with both ends, one its citations.
    """
    query: Select[Any] = select(Relationship.id)
    if ids is not None:
        query = query.where(Relationship.id.in_(ids))
    if types:
        query = query.where(Relationship.type.in_(types))
    if status is not None:
        query = query.where(Relationship.status == status)
    if subject is not None:
        query = query.where(Relationship.subject_id == get_entity_id(session, subject))
    if object_ is not None:
        query = query.where(Relationship.object_id == get_entity_id(session, object_))
    if entity is not None:
        either = get_entity_id(session, entity)
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
    page, total = page_of(
        session,
        query,
        sort=sort,
        columns=columns,
        tie_breaker=Relationship.id,
        limit=limit,
        offset=offset,
    )
    return relationship_bodies(session, page, as_of), total


def read_relationships(
    session: Session, relationships: Sequence[Relationship], as_of: AsOf | None = None
) -> list[RelationshipRead]:
    """Response models for relationships, for single reads, the write routes and history."""
    bodies = relationship_bodies(session, [r.id for r in relationships], as_of)
    return [RelationshipRead.model_validate(body, by_name=True) for body in bodies]


def relationship_bodies(
    session: Session, ids: Sequence[int], as_of: AsOf | None = None
) -> list[Body]:
    """Relationships as RelationshipRead writes them, in the order of ``ids``: with both ends in
    one query, their citations in another."""
    if not ids:
        return []
    rows = session.connection().execute(RELATIONSHIPS, {"ids": list(ids)}).all()
    cited_by = citation_bodies(session, {"relationship_id": ids})["relationship_id"]
    by_id = {row[0]: row for row in rows}
    return [
        cited(cited_by.get(relationship_id, []), _relationship_body(by_id[relationship_id], as_of))
        for relationship_id in ids
        if relationship_id in by_id  # unless deleted since the ids were read
    ]


SUBJECT_END = aliased(Entity, name="subject_end")
OBJECT_END = aliased(Entity, name="object_end")
# Built once, with the ids as the parameter ``ids``: making a statement and its cache key anew
# cost more than running it. ``_relationship_body`` reads its rows in this order.
RELATIONSHIPS = (
    select(
        Relationship.id,
        Relationship.created_at,
        Relationship.updated_at,
        Relationship.version,
        Relationship.type,
        Relationship.status,
        Relationship.role,
        Relationship.note,
        *summary_columns(SUBJECT_END),
        *summary_columns(OBJECT_END),
        *span_columns(Relationship),
    )
    .join(SUBJECT_END, SUBJECT_END.id == Relationship.subject_id)
    .join(OBJECT_END, OBJECT_END.id == Relationship.object_id)
    .where(in_ids(Relationship.id, "ids"))
)


def _relationship_body(row: Columns, as_of: AsOf | None) -> Body:
    """A relationship as RelationshipRead writes it, but for its citations."""
    relationship_id, created_at, updated_at, version, type_, status, role, note, *rest = row
    subject, object_, span = rest[:4], rest[4:8], Span(*rest[8:])
    return {
        "created_at": created_at,
        "updated_at": updated_at,
        "version": version,
        "id": relationship_id,
        "subject": entity_summary(*subject),
        "object": entity_summary(*object_),
        "type": type_,
        "status": status,
        "role": role,
        "note": note,
        "period": span_body(span),
        "certainty": certainty(span, as_of),
    }


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
