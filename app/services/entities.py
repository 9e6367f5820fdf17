"""Organizations, people, places and events: lookup, lists, profiles and writes."""

from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from sqlalchemy import ColumnElement, Select, and_, delete, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.errors import ConflictError, InvalidRequestError, NotFoundError
from app.models import (
    Attribute,
    Citation,
    Entity,
    EntityKind,
    EntityName,
    Event,
    NameKind,
    OperatingPeriod,
    Organization,
    Person,
    Place,
    Relationship,
    RelationshipType,
)
from app.models.base import utcnow
from app.schemas.common import MAX_ID, CitationIn, CitationRead, EntitySummary
from app.schemas.entities import (
    KIND_READ,
    AttributeIn,
    AttributeRead,
    EntityCreate,
    EntityRead,
    EntityUpdate,
    EventInvolvement,
    LinkRead,
    NameIn,
    NameRead,
    PeriodIn,
    PeriodRead,
)
from app.services.asof import AsOf, certainty_of, holds
from app.services.citations import (
    FactColumn,
    add_citations,
    apply_span,
    check_sources_exist,
    load_citations,
    replace_citations,
    span_read,
)
from app.services.paging import page_of
from app.services.slugs import unique_slug

MODEL_BY_KIND: dict[EntityKind, type[Entity]] = {
    EntityKind.ORGANIZATION: Organization,
    EntityKind.PERSON: Person,
    EntityKind.PLACE: Place,
    EntityKind.EVENT: Event,
}
# Fields particular to one kind, copied as they are from create and update bodies.
KIND_FIELDS: dict[EntityKind, tuple[str, ...]] = {
    EntityKind.ORGANIZATION: ("organization_type",),
    EntityKind.PERSON: (),
    EntityKind.PLACE: ("place_type",),
    EntityKind.EVENT: ("event_type",),
}
EntitySort = Literal["name", "-name", "id", "-id", "created_at", "-created_at", "date", "-date"]


def entity_filter(ref: int | str) -> ColumnElement[bool]:
    """Match an entity by id (an integer or all digits) or by slug."""
    item_id = as_id(ref)
    return Entity.id == item_id if item_id is not None else Entity.slug == str(ref)


def as_id(ref: int | str) -> int | None:
    """The id a reference names, or None for a slug; ids beyond any stored one match nothing."""
    if isinstance(ref, str) and not (ref.isascii() and ref.isdigit()):
        return None
    item_id = int(ref)
    return item_id if 0 < item_id <= MAX_ID else 0


def get_entity(session: Session, ref: int | str, kind: EntityKind | None = None) -> Entity:
    """The entity with this id or slug (of this kind, if given), or a 404."""
    model = MODEL_BY_KIND[kind] if kind else Entity
    entity = session.scalars(select(model).where(entity_filter(ref))).first()
    if entity is None:
        what = kind.value if kind else "entity"
        raise NotFoundError(f"No {what} with id or slug {ref!r}.")
    return entity


def list_entities(
    session: Session,
    kind: EntityKind,
    *,
    ids: Sequence[int] | None = None,
    name: str | None = None,
    sort: EntitySort = "name",
    limit: int,
    offset: int,
    place: str | None = None,
    participant: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> tuple[Sequence[Entity], int]:
    """One page of entities of a kind, filtered, with the total that match."""
    model = MODEL_BY_KIND[kind]
    query: Select[Any] = select(model)
    if ids is not None:
        query = query.where(Entity.id.in_(ids))
    if name:
        pattern = f"%{_escape_like(name.lower())}%"
        query = query.where(
            or_(
                func.lower(Entity.name).like(pattern, escape="\\"),
                exists().where(
                    EntityName.entity_id == Entity.id,
                    func.lower(EntityName.name).like(pattern, escape="\\"),
                ),
            )
        )
    if kind is EntityKind.EVENT:
        query = _filter_events(session, query, place, participant, date_from, date_to)
    by_date = Event.start_lower if model is Event else Entity.created_at
    columns = {
        "name": Entity.name,
        "id": Entity.id,
        "created_at": Entity.created_at,
        "date": by_date,
    }
    return page_of(
        session,
        query,
        sort=sort,
        columns=columns,
        tie_breaker=Entity.id,
        limit=limit,
        offset=offset,
    )


def _filter_events(
    session: Session,
    query: Select[Any],
    place: str | None,
    participant: str | None,
    date_from: date | None,
    date_to: date | None,
) -> Select[Any]:
    if place is not None:
        query = query.where(Event.place_id == get_entity(session, place, EntityKind.PLACE).id)
    if participant is not None:
        who = get_entity(session, participant).id
        query = query.where(
            exists().where(
                Relationship.object_id == Event.id,
                Relationship.subject_id == who,
                Relationship.type == RelationshipType.PARTICIPANT,
            )
        )
    # An event is kept when its bounds allow it to overlap the range.
    if date_from is not None:
        query = query.where(or_(Event.end_upper.is_(None), Event.end_upper >= date_from))
    if date_to is not None:
        query = query.where(or_(Event.start_lower.is_(None), Event.start_lower <= date_to))
    return query


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def create_entity(session: Session, kind: EntityKind, payload: EntityCreate) -> Entity:
    """Create an entity of a kind with its names, attributes, periods and citations."""
    _check_all_sources(session, payload)
    model = MODEL_BY_KIND[kind]
    slug = payload.slug or unique_slug(session, Entity.slug, payload.name)
    if payload.slug and session.scalar(select(Entity.id).where(Entity.slug == payload.slug)):
        raise ConflictError(f"The slug {payload.slug!r} is already taken.", field="slug")
    entity = model(kind=kind, slug=slug, name=payload.name, description=payload.description)
    _copy_kind_fields(session, entity, kind, payload)
    session.add(entity)
    session.flush()
    add_citations(session, "entity_id", entity.id, payload.citations)
    add_names(
        session, entity.id, _with_display_name(payload.name, payload.names, payload.citations)
    )
    add_attributes(session, entity.id, payload.attributes)
    add_periods(session, entity.id, getattr(payload, "periods", []))
    session.flush()
    return entity


def update_entity(
    session: Session, kind: EntityKind, ref: int | str, payload: EntityUpdate
) -> Entity:
    """Apply a partial update; the slug never changes, so links to it stay valid."""
    entity = get_entity(session, ref, kind)
    _check_all_sources(session, payload)
    given = payload.model_fields_set
    if "name" in given and payload.name is not None and payload.name != entity.name:
        entity.name = payload.name
        if payload.names is None:  # the old names stay: a group is still known by them
            known = session.scalars(
                select(EntityName.name).where(EntityName.entity_id == entity.id)
            ).all()
            if payload.name not in known:
                citations = payload.citations or _entity_citations(session, entity.id)
                add_names(session, entity.id, _with_display_name(payload.name, [], citations))
    if "description" in given:
        entity.description = payload.description
    _copy_kind_fields(session, entity, kind, payload)
    if payload.citations is not None:
        replace_citations(session, "entity_id", entity.id, payload.citations)
    if payload.names is not None:
        session.execute(delete(EntityName).where(EntityName.entity_id == entity.id))
        add_names(session, entity.id, payload.names)
    if payload.attributes is not None:
        session.execute(delete(Attribute).where(Attribute.entity_id == entity.id))
        add_attributes(session, entity.id, payload.attributes)
    periods = getattr(payload, "periods", None)
    if periods is not None:
        session.execute(delete(OperatingPeriod).where(OperatingPeriod.organization_id == entity.id))
        add_periods(session, entity.id, periods)
    entity.updated_at = utcnow()  # an UPDATE of the entity row bumps its version too
    session.flush()
    return entity


def delete_entity(session: Session, kind: EntityKind, ref: int | str) -> None:
    """Delete an entity with its own facts (app/services/integrity.py checks what refers to it)."""
    session.delete(get_entity(session, ref, kind))
    session.flush()


def _check_all_sources(session: Session, payload: EntityCreate | EntityUpdate) -> None:
    citations = list(payload.citations or [])
    facts: list[NameIn | AttributeIn | PeriodIn] = [
        *(payload.names or []),
        *(payload.attributes or []),
        *_periods_of(payload),
    ]
    for fact in facts:
        citations.extend(fact.citations)
    check_sources_exist(session, citations)


def _periods_of(payload: EntityCreate | EntityUpdate) -> list[PeriodIn]:
    return list(getattr(payload, "periods", None) or [])


def _copy_kind_fields(
    session: Session, entity: Entity, kind: EntityKind, payload: EntityCreate | EntityUpdate
) -> None:
    given = payload.model_fields_set
    for field in KIND_FIELDS[kind]:
        if field in given:
            setattr(entity, field, getattr(payload, field))
    if isinstance(entity, Event):
        if "date" in given:
            apply_span(entity, getattr(payload, "date", None))
        if "place" in given:
            place_ref = getattr(payload, "place", None)
            if place_ref is None:
                entity.place_id = None
            else:
                try:
                    entity.place_id = get_entity(session, place_ref, EntityKind.PLACE).id
                except NotFoundError as error:
                    raise InvalidRequestError(error.detail, field="place") from error


def _with_display_name(
    name: str, names: Sequence[NameIn], citations: Sequence[CitationIn]
) -> list[NameIn]:
    """The names to store: the display name is one of them, so search and matching find it."""
    if any(given.name == name for given in names):
        return list(names)
    official = NameIn(name=name, kind=NameKind.OFFICIAL, citations=list(citations))
    return [official, *names]


def _entity_citations(session: Session, entity_id: int) -> list[CitationIn]:
    return [
        CitationIn(
            source_id=citation.source_id,
            reference_number=citation.reference_number,
            locator=citation.locator,
            quote=citation.quote,
        )
        for citation in session.scalars(select(Citation).where(Citation.entity_id == entity_id))
    ]


def add_names(session: Session, entity_id: int, names: Sequence[NameIn]) -> None:
    """Add cited names to an entity."""
    for name_in in names:
        name = EntityName(
            entity_id=entity_id,
            name=name_in.name,
            language=name_in.language,
            script=name_in.script,
            kind=name_in.kind,
        )
        session.add(name)
        session.flush()
        add_citations(session, "name_id", name.id, name_in.citations)


def add_attributes(session: Session, entity_id: int, attributes: Sequence[AttributeIn]) -> None:
    """Add cited attributes to an entity."""
    for attribute_in in attributes:
        attribute = Attribute(
            entity_id=entity_id,
            name=attribute_in.name,
            value=attribute_in.value,
            value_number=attribute_in.value_number,
            note=attribute_in.note,
        )
        apply_span(attribute, attribute_in.period)
        session.add(attribute)
        session.flush()
        add_citations(session, "attribute_id", attribute.id, attribute_in.citations)


def add_periods(session: Session, organization_id: int, periods: Sequence[PeriodIn]) -> None:
    """Add cited operating periods to an organization."""
    for period_in in periods:
        period = OperatingPeriod(organization_id=organization_id, label=period_in.label)
        apply_span(period, period_in.period)
        session.add(period)
        session.flush()
        add_citations(session, "period_id", period.id, period_in.citations)


def build_profile(session: Session, entity: Entity, as_of: AsOf | None = None) -> EntityRead:
    """Everything known about one entity, each fact cited, in a fixed number of queries.

    With ``as_of``, dated facts (periods, attributes, relationships, events) are kept only when
    they held at that moment, and each says how certain that is.
    """
    names = session.scalars(
        select(EntityName).where(EntityName.entity_id == entity.id).order_by(EntityName.id)
    ).all()
    attributes = session.scalars(
        select(Attribute)
        .where(holds(Attribute, as_of))
        .where(Attribute.entity_id == entity.id)
        .order_by(Attribute.name, Attribute.start_lower, Attribute.id)
    ).all()
    periods = (
        session.scalars(
            select(OperatingPeriod)
            .where(holds(OperatingPeriod, as_of))
            .where(OperatingPeriod.organization_id == entity.id)
            .order_by(OperatingPeriod.start_lower, OperatingPeriod.id)
        ).all()
        if entity.kind is EntityKind.ORGANIZATION
        else []
    )
    links = _links(session, entity.id, as_of)
    involvements = _involvements(session, entity.id, as_of)
    event_ids = [event.id for event, _, _ in involvements]
    place: EntitySummary | None = None
    if isinstance(entity, Event) and entity.place_id is not None:
        place = _summaries(session, [entity.place_id])[entity.place_id]
    relationship_ids = [link.id for link, _, _ in links] + [rel.id for _, rel, _ in involvements]
    cited = load_citations(
        session,
        {
            "entity_id": [entity.id, *event_ids],
            "name_id": [name.id for name in names],
            "attribute_id": [attribute.id for attribute in attributes],
            "period_id": [period.id for period in periods],
            "relationship_id": relationship_ids,
        },
    )

    def citations(column: FactColumn, fact_id: int) -> list[Any]:
        return cited[column].get(fact_id, [])

    fields: dict[str, Any] = {
        "id": entity.id,
        "kind": entity.kind,
        "slug": entity.slug,
        "name": entity.name,
        "description": entity.description,
        "created_at": entity.created_at,
        "updated_at": entity.updated_at,
        "version": entity.version,
        "citations": citations("entity_id", entity.id),
        "names": [
            NameRead(
                id=name.id,
                name=name.name,
                language=name.language,
                script=name.script,
                kind=name.kind,
                citations=citations("name_id", name.id),
            )
            for name in names
        ],
        "attributes": [
            AttributeRead(
                id=attribute.id,
                name=attribute.name,
                value=attribute.value,
                value_number=attribute.value_number,
                period=span_read(attribute),
                certainty=certainty_of(attribute, as_of),
                note=attribute.note,
                citations=citations("attribute_id", attribute.id),
            )
            for attribute in attributes
        ],
        "relationships": [
            LinkRead(
                id=link.id,
                type=link.type,
                direction=direction,
                status=link.status,
                role=link.role,
                note=link.note,
                other=other,
                period=span_read(link),
                certainty=certainty_of(link, as_of),
                citations=citations("relationship_id", link.id),
            )
            for link, direction, other in links
        ],
        "events": [
            EventInvolvement(
                id=event.id,
                slug=event.slug,
                name=event.name,
                event_type=event.event_type,
                date=span_read(event),
                certainty=certainty_of(event, as_of),
                place=event_place,
                role=rel.role,
                relationship_id=rel.id,
                citations=_unique(
                    citations("entity_id", event.id) + citations("relationship_id", rel.id)
                ),
            )
            for event, rel, event_place in involvements
        ],
    }
    if isinstance(entity, Organization):
        fields["organization_type"] = entity.organization_type
        fields["periods"] = [
            PeriodRead(
                id=period.id,
                label=period.label,
                period=span_read(period),
                certainty=certainty_of(period, as_of),
                citations=citations("period_id", period.id),
            )
            for period in periods
        ]
    elif isinstance(entity, Place):
        fields["place_type"] = entity.place_type
    elif isinstance(entity, Event):
        fields.update(event_type=entity.event_type, date=span_read(entity), place=place)
    return KIND_READ[entity.kind](**fields)


def _links(
    session: Session, entity_id: int, as_of: AsOf | None
) -> list[tuple[Relationship, Literal["outgoing", "incoming"], EntitySummary]]:
    """Relationships in both directions, events' participations left to ``_involvements``."""
    other = aliased(Entity)
    outgoing = and_(Relationship.subject_id == entity_id, Relationship.object_id == other.id)
    incoming = and_(Relationship.object_id == entity_id, Relationship.subject_id == other.id)
    rows = session.execute(
        select(Relationship, other.id, other.kind, other.slug, other.name)
        .where(holds(Relationship, as_of))
        .join(other, or_(outgoing, incoming))
        .where(~and_(Relationship.type == RelationshipType.PARTICIPANT, outgoing))
        .order_by(Relationship.type, Relationship.start_lower, other.name, Relationship.id)
    )
    return [
        (
            relationship,
            "outgoing" if relationship.subject_id == entity_id else "incoming",
            EntitySummary(id=other_id, kind=kind, slug=slug, name=name),
        )
        for relationship, other_id, kind, slug, name in rows
    ]


def _involvements(
    session: Session, entity_id: int, as_of: AsOf | None
) -> list[tuple[Event, Relationship, EntitySummary | None]]:
    """Events the entity took part in, with the participation and the event's place."""
    place = aliased(Entity)
    rows = session.execute(
        select(Event, Relationship, place.id, place.kind, place.slug, place.name)
        .where(holds(Event, as_of))
        .join(Relationship, Relationship.object_id == Event.id)
        .outerjoin(place, place.id == Event.place_id)
        .where(
            Relationship.subject_id == entity_id,
            Relationship.type == RelationshipType.PARTICIPANT,
        )
        .order_by(Event.start_lower, Event.id)
    )
    return [
        (
            event,
            relationship,
            EntitySummary(id=pid, kind=pkind, slug=pslug, name=pname) if pid else None,
        )
        for event, relationship, pid, pkind, pslug, pname in rows
    ]


def _unique(citations: list[CitationRead]) -> list[CitationRead]:
    """Citations without repeats (an event and a part taken in it often cite one sentence)."""
    seen: set[tuple[int, int | None, str | None, str | None]] = set()
    unique = []
    for citation in citations:
        key = (citation.source.id, citation.reference_number, citation.locator, citation.quote)
        if key not in seen:
            seen.add(key)
            unique.append(citation)
    return unique


def _summaries(session: Session, ids: Sequence[int]) -> dict[int, EntitySummary]:
    rows = session.execute(
        select(Entity.id, Entity.kind, Entity.slug, Entity.name).where(Entity.id.in_(ids))
    )
    return {
        row.id: EntitySummary(id=row.id, kind=row.kind, slug=row.slug, name=row.name)
        for row in rows
    }
