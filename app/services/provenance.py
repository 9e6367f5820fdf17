"""Provenance: the facts a source supports, and the facts that rest on an article's text alone."""

from collections.abc import Sequence
from typing import Any, Literal

from sqlalchemy import Subquery, exists, literal, select, union_all
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
from app.services.paging import bounded_count, counted_rows

COLUMNS: dict[FactType, FactColumn] = {
    "entity": "entity_id",
    "name": "name_id",
    "period": "period_id",
    "relationship": "relationship_id",
    "attribute": "attribute_id",
}
Evidence = Literal["article-only", "referenced"]


def _cited_facts(source_id: int | None, evidence: Evidence | None, first: int) -> Subquery:
    """(type, id) of the first ``first`` cited facts of each type matching the filters, in order
    of id: one branch per type, each grouping the citations it needs in the order of their index
    on the fact, so that it stops there rather than group every citation of the type.

    A fact is ``referenced`` when a citation of it is not to an article, and rests on the article
    alone (``article-only``) when it is cited by an article and by nothing else.
    """
    articles = select(Source.id).where(Source.kind == SourceKind.ARTICLE)  # a few, by an index
    branches = []
    for fact_type, column_name in COLUMNS.items():
        column = getattr(Citation, column_name)
        branch = (
            select(literal(fact_type).label("type"), column.label("id"))
            .where(column.is_not(None))
            .group_by(column)
        )
        if source_id is not None and evidence is None:  # the source's citations alone
            branch = branch.where(Citation.source_id == source_id)
        elif source_id is not None:  # the facts the source's citations name
            branch = branch.where(column.in_(select(column).where(Citation.source_id == source_id)))
        if evidence == "referenced":  # the citations to other sources than articles
            branch = branch.where(Citation.source_id.not_in(articles))
        elif evidence == "article-only":  # the articles' citations, of facts no other cites
            other = aliased(Citation)
            referenced = exists().where(
                getattr(other, column_name) == column, other.source_id.not_in(articles)
            )
            branch = branch.where(Citation.source_id.in_(articles), ~referenced)
        first_of_type = branch.order_by(column).limit(first).subquery()
        branches.append(select(first_of_type.c.type, first_of_type.c.id))
    return union_all(*branches).subquery()


def list_facts(
    session: Session,
    *,
    source_id: int | None = None,
    evidence: Evidence | None = None,
    limit: int,
    offset: int,
) -> tuple[list[FactRead], int | None]:
    """One page of facts, of every type, that cite ``source_id`` and/or have that evidence.

    The page is among the first ``offset + limit`` facts of each type, and the count among the
    first of each type that ``bounded_count`` reads: neither groups more citations than that.
    """
    counted = _cited_facts(source_id, evidence, counted_rows(limit, offset) + 1)
    total = bounded_count(session, counted.select(), limit=limit, offset=offset)
    facts = _cited_facts(source_id, evidence, offset + limit)
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
