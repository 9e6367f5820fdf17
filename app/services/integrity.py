"""Deletes that keep every fact cited: refused (409, naming the facts) unless asked to cascade.

Deleting a source removes its citations. A fact that other sources also support keeps those; a
fact that rests on this source alone would be left uncited, so the delete is refused unless the
request says ``cascade=true``, in which case such facts go too. Deleting an entity that
relationships still name is refused the same way; with ``cascade`` those relationships go too.
Every item whose citations or facts change gets a new version, so its ETag changes.
"""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.errors import ConflictError
from app.models import (
    Attribute,
    Citation,
    Entity,
    EntityKind,
    EntityName,
    Event,
    OperatingPeriod,
    Relationship,
    SourceReference,
)
from app.schemas.facts import FactRead, FactType
from app.services import entities
from app.services.entities import get_entity
from app.services.provenance import COLUMNS, describe
from app.services.sources import get_source

NAMED_IN_DETAIL = 5  # facts named in a 409's detail; the `facts` member lists them all
OWNER: dict[str, tuple[type[EntityName | OperatingPeriod | Attribute], Any]] = {
    # the entity each kind of part-of-an-entity fact belongs to
    "name": (EntityName, EntityName.entity_id),
    "period": (OperatingPeriod, OperatingPeriod.organization_id),
    "attribute": (Attribute, Attribute.entity_id),
}


def _sole_support(session: Session, source_id: int) -> list[tuple[FactType, int]]:
    """The facts that no source but this one supports."""
    sole: list[tuple[FactType, int]] = []
    for fact_type, column_name in COLUMNS.items():
        column = getattr(Citation, column_name)
        mine = select(column).where(Citation.source_id == source_id, column.is_not(None))
        rows = session.execute(
            select(column, func.count(func.distinct(Citation.source_id)))
            .where(column.in_(mine))
            .group_by(column)
            .order_by(column)
        ).all()
        sole += [(fact_type, fact_id) for fact_id, sources in rows if sources == 1]
    return sole


def _conflict(what: str, facts: list[FactRead], hint: str) -> ConflictError:
    named = "; ".join(fact.statement for fact in facts[:NAMED_IN_DETAIL])
    more = f" and {len(facts) - NAMED_IN_DETAIL} more" if len(facts) > NAMED_IN_DETAIL else ""
    return ConflictError(
        f"{what} {len(facts)} fact(s): {named}{more}. {hint}",
        facts=[{"type": f.type, "id": f.id, "statement": f.statement} for f in facts],
    )


def delete_source(session: Session, ref: int | str, *, cascade: bool = False) -> list[FactRead]:
    """Delete a source and its citations; returns the facts removed with it (only if cascading)."""
    source = get_source(session, ref)
    sole = _sole_support(session, source.id)
    references = (
        session.scalar(select(func.count()).where(SourceReference.source_id == source.id)) or 0
    )
    removed = describe(session, sole)
    if not cascade and (sole or references):
        if sole:
            raise _conflict(
                "The source is the only support of",
                removed,
                "Delete with cascade=true to remove them with it.",
            )
        raise ConflictError(
            f"{references} article reference(s) name this source; "
            "delete with cascade=true to remove them with it.",
            references=references,
        )
    touched_entities, touched_relationships = _owners(session, source.id)
    for fact_type, fact_id in sole:  # parts of entities and relationships go with their citations
        if fact_type in OWNER:
            model = OWNER[fact_type][0]
            session.execute(delete(model).where(model.id == fact_id))
    doomed_entities = [fact_id for t, fact_id in sole if t == "entity"]
    _refuse_placed_events(session, doomed_entities)
    doomed_relationships = [fact_id for t, fact_id in sole if t == "relationship"]
    linked = _relationships_naming(session, doomed_entities, exclude=doomed_relationships)
    removed += describe(session, [("relationship", fact_id) for fact_id in linked])
    doomed_relationships += linked
    session.execute(delete(Relationship).where(Relationship.id.in_(doomed_relationships)))
    session.execute(delete(Entity).where(Entity.id.in_(doomed_entities)))
    session.execute(delete(Citation).where(Citation.source_id == source.id))
    session.execute(delete(SourceReference).where(SourceReference.source_id == source.id))
    _bump(session, touched_entities - set(doomed_entities), touched_relationships)
    session.expire_all()
    session.delete(get_source(session, source.id))
    session.flush()
    return removed


def delete_entity(
    session: Session, kind: EntityKind, ref: int | str, *, cascade: bool = False
) -> list[FactRead]:
    """Delete an entity; refused (409) while relationships name it, unless they go with it."""
    entity_id = get_entity(session, ref, kind).id
    _refuse_placed_events(session, [entity_id])
    linked = _relationships_naming(session, [entity_id], exclude=[])
    removed = describe(session, [("relationship", fact_id) for fact_id in linked])
    if linked and not cascade:
        raise _conflict(
            "Relationships still name this entity:",
            removed,
            "Delete those first, or delete with cascade=true to remove them with it.",
        )
    session.execute(delete(Relationship).where(Relationship.id.in_(linked)))
    session.expire_all()
    entities.delete_entity(session, kind, entity_id)
    return removed


def _relationships_naming(
    session: Session, entity_ids: Sequence[int], *, exclude: Sequence[int]
) -> list[int]:
    """The relationships with any of these entities on either side, but those in ``exclude``."""
    if not entity_ids:
        return []
    return list(
        session.scalars(
            select(Relationship.id)
            .where(
                or_(
                    Relationship.subject_id.in_(entity_ids),
                    Relationship.object_id.in_(entity_ids),
                ),
                Relationship.id.not_in(exclude),
            )
            .order_by(Relationship.id)
        )
    )


def _refuse_placed_events(session: Session, entity_ids: Sequence[int]) -> None:
    if not entity_ids:
        return
    placed = session.scalar(select(func.count()).where(Event.place_id.in_(entity_ids))) or 0
    if placed:
        raise ConflictError(
            f"The place of {placed} event(s) would be deleted; change those events first.",
            events=placed,
        )


def _owners(session: Session, source_id: int) -> tuple[set[int], set[int]]:
    """The entities and relationships whose citations include this source."""
    entities: set[int] = set(
        session.scalars(
            select(Citation.entity_id).where(
                Citation.source_id == source_id, Citation.entity_id.is_not(None)
            )
        )
    )
    for fact_type, (model, owner) in OWNER.items():
        column = getattr(Citation, COLUMNS[fact_type])  # type: ignore[index]
        entities.update(
            session.scalars(
                select(owner)
                .join(Citation, column == model.id)
                .where(Citation.source_id == source_id)
            )
        )
    relationships: set[int] = set(
        session.scalars(
            select(Citation.relationship_id).where(
                Citation.source_id == source_id, Citation.relationship_id.is_not(None)
            )
        )
    )
    return entities, relationships


def _bump(session: Session, entity_ids: set[int], relationship_ids: set[int]) -> None:
    """A new version (and so a new ETag) for every item whose citations changed."""
    for model, ids in ((Entity, entity_ids), (Relationship, relationship_ids)):
        if ids:
            session.execute(
                update(model)
                .where(model.id.in_(ids))
                .values(version=model.version + 1)
                .execution_options(synchronize_session=False)
            )
