"""Provenance: the facts a source supports, and the facts that rest on an article's text alone."""

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import Select, case, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from app.models import (
    Attribute,
    Citation,
    Entity,
    EntityName,
    OperatingPeriod,
    Relationship,
    Source,
    SourceKind,
)
from app.schemas.common import EntitySummary
from app.schemas.facts import FactRead, FactType
from app.services.citations import FactColumn, load_citations

COLUMNS: dict[FactType, FactColumn] = {
    "entity": "entity_id",
    "name": "name_id",
    "period": "period_id",
    "relationship": "relationship_id",
    "attribute": "attribute_id",
}
Evidence = Literal["article-only", "referenced"]


def _cited_facts(source_id: int | None, evidence: Evidence | None) -> Select[Any]:
    """(type, id) of every cited fact matching the filters, one branch per fact type."""
    branches = []
    for fact_type, column_name in COLUMNS.items():
        column = getattr(Citation, column_name)
        branch = (
            select(literal(fact_type).label("type"), column.label("id"))
            .join(Source, Source.id == Citation.source_id)
            .where(column.is_not(None))
            .group_by(column)
        )
        if source_id is not None:
            branch = branch.having(func.max(case((Source.id == source_id, 1), else_=0)) == 1)
        if evidence is not None:
            referenced = func.max(case((Source.kind != SourceKind.ARTICLE, 1), else_=0))
            branch = branch.having(referenced == (1 if evidence == "referenced" else 0))
        branches.append(branch)
    return union_all(*branches).subquery().select()


def list_facts(
    session: Session,
    *,
    source_id: int | None = None,
    evidence: Evidence | None = None,
    limit: int,
    offset: int,
) -> tuple[list[FactRead], int]:
    """One page of facts, of every type, that cite ``source_id`` and/or have that evidence."""
    facts = _cited_facts(source_id, evidence).subquery()
    total = session.scalar(select(func.count()).select_from(facts)) or 0
    page = session.execute(
        select(facts.c.type, facts.c.id)
        .order_by(facts.c.type, facts.c.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return describe(session, [(row.type, row.id) for row in page]), total


def describe(session: Session, facts: Sequence[tuple[FactType, int]]) -> list[FactRead]:
    """Each fact with whom it is about, a one-line statement and its citations; a query per type."""
    wanted: dict[FactType, list[int]] = {fact_type: [] for fact_type in COLUMNS}
    for fact_type, fact_id in facts:
        wanted[fact_type].append(fact_id)
    statements: dict[tuple[str, int], tuple[EntitySummary, str]] = {}
    about = aliased(Entity)

    def summary(entity: Any) -> EntitySummary:
        return EntitySummary(id=entity.id, kind=entity.kind, slug=entity.slug, name=entity.name)

    if wanted["entity"]:
        for entity in session.scalars(select(Entity).where(Entity.id.in_(wanted["entity"]))):
            statements["entity", entity.id] = (
                summary(entity),
                f"{entity.kind.value}: {entity.name}",
            )
    if wanted["name"]:
        for name, entity in session.execute(
            select(EntityName, about)
            .join(about, about.id == EntityName.entity_id)
            .where(EntityName.id.in_(wanted["name"]))
        ):
            statements["name", name.id] = (
                summary(entity),
                f"known as {name.name} ({name.kind.value})",
            )
    if wanted["period"]:
        for period, entity in session.execute(
            select(OperatingPeriod, about)
            .join(about, about.id == OperatingPeriod.organization_id)
            .where(OperatingPeriod.id.in_(wanted["period"]))
        ):
            label = f" ({period.label})" if period.label else ""
            statements["period", period.id] = (
                summary(entity),
                f"operated {period.date_text or period.start_edtf}{label}",
            )
    if wanted["attribute"]:
        for attribute, entity in session.execute(
            select(Attribute, about)
            .join(about, about.id == Attribute.entity_id)
            .where(Attribute.id.in_(wanted["attribute"]))
        ):
            statements["attribute", attribute.id] = (
                summary(entity),
                f"{attribute.name}: {attribute.value}",
            )
    if wanted["relationship"]:
        other = aliased(Entity)
        for relationship, entity, object_name in session.execute(
            select(Relationship, about, other.name)
            .join(about, about.id == Relationship.subject_id)
            .join(other, other.id == Relationship.object_id)
            .where(Relationship.id.in_(wanted["relationship"]))
        ):
            statements["relationship", relationship.id] = (
                summary(entity),
                f"{entity.name} — {relationship.type.value} → {object_name}"
                f" ({relationship.status.value})",
            )
    cited = load_citations(session, {COLUMNS[t]: ids for t, ids in wanted.items() if ids})
    return [
        FactRead(
            type=fact_type,
            id=fact_id,
            about=statements[fact_type, fact_id][0],
            statement=statements[fact_type, fact_id][1],
            citations=cited[COLUMNS[fact_type]].get(fact_id, []),
        )
        for fact_type, fact_id in facts
        if (fact_type, fact_id) in statements
    ]
