"""Provenance: the facts a source supports, and the facts that rest on an article's text alone."""

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Literal

from sqlalchemy import Integer, Select, Subquery, bindparam, exists, literal, select, union_all
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
from app.schemas.facts import FactRead, FactType
from app.services.citations import Body, ColumnsQuery, FactColumn, citation_bodies, cited
from app.services.entities import entity_summary, summary_columns
from app.services.id_lists import in_ids
from app.services.paging import count_of, counted_rows, counting

COLUMNS: dict[FactType, FactColumn] = {
    "entity": "entity_id",
    "name": "name_id",
    "period": "period_id",
    "relationship": "relationship_id",
    "attribute": "attribute_id",
}
Evidence = Literal["article-only", "referenced"]


@cache
def _cited_facts(of_source: bool, evidence: Evidence | None) -> Subquery:
    """(type, id) of the first ``first`` cited facts of each type matching the filters (of the
    source ``source_id`` if ``of_source``), in order of id: one branch per type, each grouping
    the citations it needs in the order of their index on the fact, so that it stops there
    rather than group every citation of the type. Built once for each set of filters, and run
    with those parameters (building this union and its cache key took 3 ms a statement).

    A fact is ``referenced`` when a citation of it is not to an article, and rests on the article
    alone (``article-only``) when it is cited by an article and by nothing else.
    """
    articles = select(Source.id).where(Source.kind == SourceKind.ARTICLE)  # a few, by an index
    source_id = bindparam("source_id", type_=Integer)
    branches = []
    for fact_type, column_name in COLUMNS.items():
        column = getattr(Citation, column_name)
        branch = (
            select(literal(fact_type).label("type"), column.label("id"))
            .where(column.is_not(None))
            .group_by(column)
        )
        if of_source and evidence is None:  # the source's citations alone
            branch = branch.where(Citation.source_id == source_id)
        elif of_source:  # the facts the source's citations name
            branch = branch.where(column.in_(select(column).where(Citation.source_id == source_id)))
        if evidence == "referenced":  # the citations to other sources than articles
            branch = branch.where(Citation.source_id.not_in(articles))
        elif evidence == "article-only":  # the articles' citations, of facts no other cites
            other = aliased(Citation)
            referenced = exists().where(
                getattr(other, column_name) == column, other.source_id.not_in(articles)
            )
            branch = branch.where(Citation.source_id.in_(articles), ~referenced)
        first = bindparam("first", type_=Integer)
        first_of_type = branch.order_by(column).limit(first).subquery()
        branches.append(select(first_of_type.c.type, first_of_type.c.id))
    return union_all(*branches).subquery()


@cache
def _listing(of_source: bool, evidence: Evidence | None) -> tuple[Select[Any], Select[Any]]:
    """The count (``counting``) and the page (parameters ``limit`` and ``offset``) of the
    facts ``_cited_facts`` finds."""
    facts = _cited_facts(of_source, evidence)
    page = (
        select(facts.c.type, facts.c.id)
        .order_by(facts.c.type, facts.c.id)
        .limit(bindparam("limit", type_=Integer))
        .offset(bindparam("offset", type_=Integer))
    )
    return counting(facts.select()), page


def list_facts(
    session: Session,
    *,
    source_id: int | None = None,
    evidence: Evidence | None = None,
    limit: int,
    offset: int,
) -> tuple[list[Body], int | None]:
    """One page of facts (as ``fact_bodies`` writes them), of every type, that cite
    ``source_id`` and/or have that evidence.

    The page is among the first ``offset + limit`` facts of each type, and the count among the
    first of each type that ``bounded_count`` reads: neither groups more citations than that.
    """
    count, page = _listing(source_id is not None, evidence)
    source = {"source_id": source_id} if source_id is not None else {}
    first = {"first": counted_rows(limit, offset) + 1}
    total = count_of(session, count, source | first, limit=limit, offset=offset)
    window = {"first": offset + limit, "limit": limit, "offset": offset}
    rows = session.execute(page, source | window).all()
    return fact_bodies(session, [(row.type, row.id) for row in rows]), total


def describe(session: Session, facts: Sequence[tuple[FactType, int]]) -> list[FactRead]:
    """``fact_bodies`` as response models, for the writes that report the facts they removed."""
    return [FactRead.model_validate(body, by_name=True) for body in fact_bodies(session, facts)]


def fact_bodies(session: Session, facts: Sequence[tuple[FactType, int]]) -> list[Body]:
    """Each fact as ``FactRead`` writes it: whom it is about, a one-line statement and its
    citations; a query per type present, and one for the citations. Facts gone are left out."""
    wanted: dict[FactType, list[int]] = {fact_type: [] for fact_type in COLUMNS}
    for fact_type, fact_id in facts:
        wanted[fact_type].append(fact_id)
    said: dict[tuple[FactType, int], tuple[Body, str]] = {}
    for fact_type, ids in wanted.items():
        if not ids:
            continue
        for fact_id, about_id, kind, slug, name, *own in session.execute(
            STATEMENTS[fact_type], {"ids": ids}
        ):
            about = entity_summary(about_id, kind, slug, name)
            said[fact_type, fact_id] = about, SAYING[fact_type](name, kind, *own)
    citations = citation_bodies(session, {COLUMNS[t]: ids for t, ids in wanted.items() if ids})
    bodies = []
    for fact_type, fact_id in facts:
        if (fact_type, fact_id) not in said:
            continue
        about, statement = said[fact_type, fact_id]
        fields = {"type": fact_type, "id": fact_id, "about": about, "statement": statement}
        bodies.append(cited(citations[COLUMNS[fact_type]].get(fact_id, []), fields))
    return bodies


# Each type's facts by id, with the entity each is about (id, kind, slug, name) and what its
# statement needs, built once; SAYING writes the statement from the entity's name and kind and
# the rest of the row.
ABOUT = aliased(Entity, name="about")
OTHER = aliased(Entity, name="other")
_ABOUT = (ABOUT.id, ABOUT.kind, ABOUT.slug, ABOUT.name)
STATEMENTS: dict[FactType, ColumnsQuery] = {
    "entity": select(Entity.id, *summary_columns(Entity)).where(in_ids(Entity.id, "ids")),
    "name": select(EntityName.id, *_ABOUT, EntityName.name, EntityName.kind)
    .join_from(EntityName, ABOUT, ABOUT.id == EntityName.entity_id)
    .where(in_ids(EntityName.id, "ids")),
    "period": select(
        OperatingPeriod.id,
        *_ABOUT,
        OperatingPeriod.label,
        OperatingPeriod.date_text,
        OperatingPeriod.start_edtf,
    )
    .join_from(OperatingPeriod, ABOUT, ABOUT.id == OperatingPeriod.organization_id)
    .where(in_ids(OperatingPeriod.id, "ids")),
    "attribute": select(Attribute.id, *_ABOUT, Attribute.name, Attribute.value)
    .join_from(Attribute, ABOUT, ABOUT.id == Attribute.entity_id)
    .where(in_ids(Attribute.id, "ids")),
    "relationship": select(
        Relationship.id, *_ABOUT, Relationship.type, Relationship.status, OTHER.name
    )
    .join_from(Relationship, ABOUT, ABOUT.id == Relationship.subject_id)
    .join(OTHER, OTHER.id == Relationship.object_id)
    .where(in_ids(Relationship.id, "ids")),
}
SAYING: dict[FactType, Callable[..., str]] = {
    "entity": lambda name, kind: f"{kind.value}: {name}",
    "name": lambda _, __, known_as, name_kind: f"known as {known_as} ({name_kind.value})",
    "period": lambda _, __, label, date_text, start: (
        f"operated {date_text or start}" + (f" ({label})" if label else "")
    ),
    "attribute": lambda _, __, attribute, value: f"{attribute}: {value}",
    "relationship": lambda name, _, type_, status, other: (
        f"{name} — {type_.value} → {other} ({status.value})"
    ),
}
