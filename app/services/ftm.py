"""The knowledge base as FollowTheMoney entities (JSON Lines), for Aleph, OpenSanctions tools and
the rest of the investigative-data ecosystem. Built without the followthemoney package (it is
heavy); the tests validate every entity against that package's own schema.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    Citation,
    Entity,
    EntityKind,
    EntityName,
    Event,
    Relationship,
    RelationshipType,
    Source,
    SourceKind,
)
from app.services.export import BATCH

SCHEMATA = {
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.PERSON: "Person",
    EntityKind.PLACE: "Address",
    EntityKind.EVENT: "Event",
}
MEMBERSHIP_TYPES = {RelationshipType.LEADER, RelationshipType.MEMBER}
_ISO_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _iso(edtf: str | None) -> str | None:
    """An EDTF date FtM can hold (a plain ISO prefix); uncertain ones stay in the text."""
    return edtf if edtf and _ISO_PREFIX.match(edtf) else None


def _entity_id(entity_id: int) -> str:
    return f"kb-entity-{entity_id}"


def _emit(schema: str, entity_id: str, properties: dict[str, list[Any]]) -> str:
    cleaned = {
        key: [str(v) for v in values if v not in (None, "")] for key, values in properties.items()
    }
    record = {
        "id": entity_id,
        "schema": schema,
        "properties": {key: values for key, values in cleaned.items() if values},
    }
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def iter_ftm_lines(session: Session) -> Iterator[str]:
    """Every entity, relationship and source as FtM entities, one JSON object per line."""
    notices = [
        f"{title}: {license_} ({url})"
        for title, license_, url in session.execute(
            select(Source.title, Source.license, Source.license_url).where(
                Source.kind == SourceKind.ARTICLE
            )
        )
    ]
    publisher = "; ".join(notices) or None
    for source in session.scalars(
        select(Source).order_by(Source.id).execution_options(yield_per=BATCH)
    ):
        yield _emit(
            "Article",
            f"kb-source-{source.id}",
            {
                "title": [source.title],
                "publisher": [source.publisher],
                "author": source.authors,
                "publishedAt": [_iso(str(source.published_date or ""))],
                "sourceUrl": [source.url],
                "language": [],
                "notes": [
                    source.translated_title,
                    source.attribution,
                    f"Licence: {source.license} {source.license_url or ''}"
                    if source.license
                    else None,
                ],
            },
        )
    names: dict[int, list[str]] = {}
    for entity_id, name in session.execute(
        select(EntityName.entity_id, EntityName.name).order_by(EntityName.entity_id, EntityName.id)
    ):
        names.setdefault(entity_id, []).append(name)
    places = dict(
        session.execute(select(Entity.id, Entity.name).where(Entity.kind == "place")).all()
    )
    participants: dict[int, list[str]] = {}
    for subject_id, object_id in session.execute(
        select(Relationship.subject_id, Relationship.object_id).where(
            Relationship.type == RelationshipType.PARTICIPANT
        )
    ):
        participants.setdefault(object_id, []).append(_entity_id(subject_id))
    for entity in session.scalars(
        select(Entity).order_by(Entity.id).execution_options(yield_per=BATCH)
    ):
        aliases = [n for n in names.get(entity.id, []) if n != entity.name]
        properties: dict[str, list[Any]] = {
            "name": [entity.name],
            "alias": aliases,
            "description": [entity.description],
            "publisher": [publisher],
        }
        if isinstance(entity, Event):
            properties.update(
                startDate=[_iso(entity.start_edtf)],
                endDate=[_iso(entity.end_edtf) if entity.end_edtf != entity.start_edtf else None],
                location=[places.get(entity.place_id)] if entity.place_id else [],
                involved=participants.get(entity.id, []),
                summary=[entity.date_text],
            )
        elif entity.kind is EntityKind.PLACE:
            properties["full"] = [entity.name]
        yield _emit(SCHEMATA[entity.kind], _entity_id(entity.id), properties)
    proofs: dict[int | None, set[str]] = {}
    for relationship_id, source_id in session.execute(
        select(Citation.relationship_id, Citation.source_id).where(
            Citation.relationship_id.is_not(None)
        )
    ):
        proofs.setdefault(relationship_id, set()).add(f"kb-source-{source_id}")
    for relationship in session.scalars(
        select(Relationship)
        .where(Relationship.type != RelationshipType.PARTICIPANT)
        .order_by(Relationship.id)
        .execution_options(yield_per=BATCH)
    ):
        common: dict[str, list[Any]] = {
            "startDate": [_iso(relationship.start_edtf)],
            "endDate": [_iso(relationship.end_edtf)],
            "status": [relationship.status.value],
            "summary": [relationship.date_text, relationship.note],
            "proof": sorted(proofs.get(relationship.id, set())),
            "publisher": [publisher],
        }
        if relationship.type in MEMBERSHIP_TYPES:
            yield _emit(
                "Membership",
                f"kb-relationship-{relationship.id}",
                {
                    "member": [_entity_id(relationship.subject_id)],
                    "organization": [_entity_id(relationship.object_id)],
                    "role": [relationship.role or relationship.type.value],
                    **common,
                },
            )
        else:
            yield _emit(
                "UnknownLink",
                f"kb-relationship-{relationship.id}",
                {
                    "subject": [_entity_id(relationship.subject_id)],
                    "object": [_entity_id(relationship.object_id)],
                    "role": [relationship.type.value.replace("_", " ")],
                    **common,
                },
            )
