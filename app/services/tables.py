"""Flat tables for spreadsheets: one CSV per resource, streamed, with the licence notice."""

import csv
import io
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from app.models import (
    Citation,
    Entity,
    Event,
    Organization,
    Place,
    Relationship,
    Source,
)
from app.services.export import BATCH, _plain, license_notices


class CsvResource(StrEnum):
    """The resources that export as CSV."""

    ORGANIZATIONS = "organizations"
    PEOPLE = "people"
    PLACES = "places"
    EVENTS = "events"
    RELATIONSHIPS = "relationships"
    SOURCES = "sources"
    CITATIONS = "citations"


ENTITY_COLUMNS = (Entity.id, Entity.slug, Entity.name, Entity.description)
SPAN = (
    "date_text",
    "start_edtf",
    "end_edtf",
    "start_lower",
    "start_upper",
    "end_lower",
    "end_upper",
)


def _query(resource: CsvResource) -> Select[*tuple[Any, ...]]:
    if resource is CsvResource.ORGANIZATIONS:
        table = Organization.__table__
        return select(*ENTITY_COLUMNS, table.c.organization_type).join(
            table, table.c.id == Entity.id
        )
    if resource is CsvResource.PEOPLE:
        return select(*ENTITY_COLUMNS).where(Entity.kind == "person")
    if resource is CsvResource.PLACES:
        table = Place.__table__
        return select(*ENTITY_COLUMNS, table.c.place_type).join(table, table.c.id == Entity.id)
    if resource is CsvResource.EVENTS:
        table = Event.__table__
        return select(
            *ENTITY_COLUMNS, table.c.event_type, table.c.place_id, *(table.c[c] for c in SPAN)
        ).join(table, table.c.id == Entity.id)
    if resource is CsvResource.RELATIONSHIPS:
        subject, object_ = aliased(Entity), aliased(Entity)
        return (
            select(
                Relationship.id,
                Relationship.subject_id,
                subject.name.label("subject_name"),
                Relationship.type,
                Relationship.object_id,
                object_.name.label("object_name"),
                Relationship.status,
                Relationship.role,
                Relationship.note,
                *(getattr(Relationship, c) for c in SPAN),
            )
            .join(subject, subject.id == Relationship.subject_id)
            .join(object_, object_.id == Relationship.object_id)
        )
    if resource is CsvResource.SOURCES:
        return select(*(column for column in Source.__table__.columns if column.key != "text"))
    return select(*Citation.__table__.columns)


def _order(resource: CsvResource) -> Sequence[Any]:
    if resource is CsvResource.RELATIONSHIPS:
        return [Relationship.id]
    if resource is CsvResource.SOURCES:
        return [Source.id]
    if resource is CsvResource.CITATIONS:
        return [Citation.id]
    return [Entity.id]


def iter_csv_lines(session: Session, resource: CsvResource) -> Iterator[str]:
    """The resource as CSV lines: a header row, the rows, then the licence notice as a last row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    query = _query(resource).order_by(*_order(resource)).execution_options(yield_per=BATCH)
    result = session.execute(query)
    writer.writerow(result.keys())
    yield flush()
    for row in result:
        writer.writerow(["" if value is None else _csv_value(value) for value in row])
        yield flush()
    for notice in license_notices(session):
        writer.writerow(
            [
                f"# Contains text of {notice['title']!r}: {notice['attribution']} "
                f"Licence: {notice['license']} {notice['license_url']}"
            ]
        )
    yield flush()


def _csv_value(value: Any) -> Any:
    if isinstance(value, list):
        return "; ".join(map(str, value))
    if isinstance(value, dict):
        return ""
    return _plain(value)
