"""Organizations, people, places and events: lookup, lists, profiles and writes."""

from collections.abc import Callable, Sequence
from datetime import date
from functools import cache
from typing import Any, Literal

from sqlalchemy import Integer, Select, and_, bindparam, delete, exists, or_, select
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
from app.schemas.common import MAX_ID, CitationIn
from app.schemas.entities import (
    KIND_READ,
    AttributeIn,
    EntityCreate,
    EntityRead,
    EntityUpdate,
    NameIn,
    PeriodIn,
)
from app.services.asof import AsOf, holds
from app.services.citations import (
    Body,
    Columns,
    ColumnsQuery,
    FactColumn,
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
from app.services.id_lists import read_by_id
from app.services.name_filter import first_pass, named
from app.services.paging import counted_rows, page_of
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


def as_id(ref: int | str) -> int | None:
    """The id a reference names, or None for a slug; ids beyond any stored one match nothing."""
    if isinstance(ref, str) and not (ref.isascii() and ref.isdigit()):
        return None
    item_id = int(ref)
    return item_id if 0 < item_id <= MAX_ID else 0


def get_entity(session: Session, ref: int | str, kind: EntityKind | None = None) -> Entity:
    """The entity with this id or slug (of this kind, if given), or a 404."""
    column, value = looked_up_by(ref)
    query = _entity_query(MODEL_BY_KIND[kind] if kind else Entity, column)
    entity = session.scalars(query, {"ref": value}).first()
    if entity is None:
        raise _not_found(ref, kind)
    return entity


def get_entity_id(session: Session, ref: int | str, kind: EntityKind | None = None) -> int:
    """The id of the entity with this id or slug (of this kind, if given), or a 404: all that
    filters need, read without loading the entity."""
    column, value = looked_up_by(ref)
    row = session.connection().execute(_entity_id_query(column), {"ref": value}).first()
    if row is None or (kind is not None and row.kind != kind):
        raise _not_found(ref, kind)
    return int(row.id)


def looked_up_by(ref: int | str) -> tuple[Literal["id", "slug"], int | str]:
    """The column a reference names an entity or a source by (an integer or all digits is an
    id), and the value to look for there."""
    item_id = as_id(ref)
    return ("slug", str(ref)) if item_id is None else ("id", item_id)


# Built once for each model and column, as making a statement and its cache key anew costs more
# than running it; the value looked for is the parameter ``ref``.
@cache
def _entity_query(model: type[Entity], column: Literal["id", "slug"]) -> Select[Entity]:
    return select(model).where(getattr(Entity, column) == bindparam("ref"))


@cache
def _entity_id_query(column: Literal["id", "slug"]) -> ColumnsQuery:
    return select(Entity.id, Entity.kind).where(getattr(Entity, column) == bindparam("ref"))


def _not_found(ref: int | str, kind: EntityKind | None) -> NotFoundError:
    what = kind.value if kind else "entity"
    return NotFoundError(f"No {what} with id or slug {ref!r}.")


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
) -> tuple[Sequence[Entity], int | None]:
    """One page of entities of a kind, filtered, with the total that match."""
    # A summary is the entities table's alone, so a kind's rows are read from it alone, in the
    # order of one of the kind's indexes. Events join their own table, for their dates: by date
    # they are read in the order of its index, the join alone keeping them to events (SQLite
    # would otherwise take the kind's rows from the entities table and sort them).
    events_by_date = kind is EntityKind.EVENT and sort.lstrip("-") == "date"
    query: Select[Any] = select(Entity)
    if kind is EntityKind.EVENT:
        events = query.join(Event.__table__, Event.id == Entity.id)
        query = _filter_events(session, events, place, participant, date_from, date_to)
    if not events_by_date:
        query = query.where(Entity.kind == kind)
    if ids is not None:
        query = query.where(Entity.id.in_(ids))
    columns: dict[str, Any] = {
        "name": Entity.name,
        "id": Entity.id,
        "created_at": Entity.created_at,
        "date": Event.start_lower if kind is EntityKind.EVENT else Entity.created_at,
    }
    tie_breaker = Event.id if events_by_date else Entity.id  # the id of the index read
    counted = counted_rows(limit, offset)
    found = None
    if name:
        found = first_pass(
            session,
            query,
            name,
            order=(columns[sort.lstrip("-")], tie_breaker),
            descending=sort.startswith("-"),
            limit=limit,
            offset=offset,
        )
    if found is not None and found.ids is not None:  # every match found: the total as counted
        total = found.matches if found.matches <= counted else None
        return read_by_id(session, Entity, found.ids), total
    many = found is not None and found.matches > counted  # at least: too many to count
    if name:
        query = query.where(named(name, many=many))
    return page_of(
        session,
        query,
        sort=sort,
        columns=columns,
        tie_breaker=tie_breaker,
        limit=limit,
        offset=offset,
        count=not many,
    )


def summary_read_body(entity: Entity) -> Body:
    """An entity as EntitySummaryRead writes it in lists."""
    return {
        "created_at": entity.created_at,
        "updated_at": entity.updated_at,
        "version": entity.version,
        "id": entity.id,
        "kind": entity.kind,
        "slug": entity.slug,
        "name": entity.name,
        "description": entity.description,
    }


def _filter_events(
    session: Session,
    query: Select[Any],
    place: str | None,
    participant: str | None,
    date_from: date | None,
    date_to: date | None,
) -> Select[Any]:
    if place is not None:
        query = query.where(Event.place_id == get_entity_id(session, place, EntityKind.PLACE))
    if participant is not None:
        who = get_entity_id(session, participant)
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
        session,
        entity.id,
        _with_display_name(payload.name, payload.names, lambda: payload.citations),
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
                add_names(session, entity.id, _display_name_too(session, entity, [], payload))
    if "description" in given:
        entity.description = payload.description
    _copy_kind_fields(session, entity, kind, payload)
    if payload.citations is not None:
        replace_citations(session, "entity_id", entity.id, payload.citations)
    if payload.names is not None:
        session.execute(delete(EntityName).where(EntityName.entity_id == entity.id))
        add_names(session, entity.id, _display_name_too(session, entity, payload.names, payload))
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
    name: str, names: Sequence[NameIn], citations: Callable[[], Sequence[CitationIn]]
) -> list[NameIn]:
    """The names to store: the display name is one of them, so search and matching find it.
    When it is added, ``citations()`` cites it."""
    if any(given.name == name for given in names):
        return list(names)
    official = NameIn(name=name, kind=NameKind.OFFICIAL, citations=list(citations()))
    return [official, *names]


def _display_name_too(
    session: Session, entity: Entity, names: Sequence[NameIn], payload: EntityUpdate
) -> list[NameIn]:
    """An update's names with the display name among them, cited as the entity is when added."""
    return _with_display_name(
        entity.name, names, lambda: payload.citations or _entity_citations(session, entity.id)
    )


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
    """The profile as its response model, for the write routes and the history they record."""
    body = profile_body(session, entity, as_of)
    return KIND_READ[entity.kind].model_validate(body, by_name=True)


def profile_body(session: Session, entity: Entity, as_of: AsOf | None = None) -> Body:
    """Everything known about one entity, each fact cited, in a fixed number of queries: the
    JSON body of its response model (``KIND_READ``), built from plain rows.

    With ``as_of``, dated facts (periods, attributes, relationships, events) are kept only when
    they held at that moment, and each says how certain that is.
    """
    names = [_name_body(row) for row in _run(session, NAMES, entity.id)]
    attributes = [
        _attribute_body(row, as_of)
        for row in _run(session, _held(ATTRIBUTES, Attribute, as_of), entity.id)
    ]
    periods = (
        [
            _period_body(row, as_of)
            for row in _run(session, _held(PERIODS, OperatingPeriod, as_of), entity.id)
        ]
        if entity.kind is EntityKind.ORGANIZATION
        else []
    )
    links = [
        _link_body(row, entity.id, as_of)
        for row in _run(session, _held(LINKS, Relationship, as_of), entity.id)
    ]
    events = [
        _involvement_body(row, as_of)
        for row in _run(session, _held(INVOLVEMENTS, Event, as_of), entity.id)
    ]
    cited_by = citation_bodies(
        session,
        {
            "entity_id": [entity.id, *(event["id"] for event in events)],
            "name_id": [name["id"] for name in names],
            "attribute_id": [attribute["id"] for attribute in attributes],
            "period_id": [period["id"] for period in periods],
            "relationship_id": [link["id"] for link in links]
            + [event["relationship_id"] for event in events],
        },
    )

    def citations(column: FactColumn, fact_id: int) -> list[Body]:
        return cited_by[column].get(fact_id, [])

    def cite(column: FactColumn, fact: Body) -> Body:
        return cited(citations(column, fact["id"]), fact)

    def cite_event(event: Body) -> Body:
        of_event = citations("entity_id", event["id"])
        of_part = citations("relationship_id", event["relationship_id"])
        return cited(_unique(of_event + of_part), event)

    fields: Body = {
        **summary_read_body(entity),
        "names": [cite("name_id", name) for name in names],
        "attributes": [cite("attribute_id", attribute) for attribute in attributes],
        "relationships": [cite("relationship_id", link) for link in links],
        "events": [cite_event(event) for event in events],
    }
    if isinstance(entity, Organization):
        fields["organization_type"] = entity.organization_type
        fields["periods"] = [cite("period_id", period) for period in periods]
    elif isinstance(entity, Place):
        fields["place_type"] = entity.place_type
    elif isinstance(entity, Event):
        fields["event_type"] = entity.event_type
        fields["date"] = span_body(entity)
        fields["place"] = _place_of(session, entity)
    return cited(citations("entity_id", entity.id), fields)


def summary_columns(entity: Any) -> tuple[Any, ...]:
    """An entity's (or an alias's) summary columns, in the order ``entity_summary`` takes them."""
    return (entity.id, entity.kind, entity.slug, entity.name)


def entity_summary(entity_id: int, kind: EntityKind, slug: str, name: str) -> Body:
    """An entity as EntitySummary writes it."""
    return {"id": entity_id, "kind": kind, "slug": slug, "name": name}


def _place_of(session: Session, event: Event) -> Body | None:
    """An event's place, as EntitySummary writes it."""
    if event.place_id is None:
        return None
    query = select(*summary_columns(Entity)).where(Entity.id == event.place_id)
    return entity_summary(*session.connection().execute(query).one())


def _unique(citations: list[Body]) -> list[Body]:
    """Citations without repeats (an event and a part taken in it often cite one sentence)."""
    seen: set[tuple[int, int | None, str | None, str | None]] = set()
    unique = []
    for citation in citations:
        key = (
            citation["source"]["id"],
            citation["reference_number"],
            citation["locator"],
            citation["quote"],
        )
        if key not in seen:
            seen.add(key)
            unique.append(citation)
    return unique


# The profile's queries are built once, with the entity's id as the parameter ``entity_id``:
# making a statement and its cache key anew cost more than running it. ``_held`` adds ``as_of``.
# Each body function below its query reads the row in the order the query selects it.
_ENTITY_ID = bindparam("entity_id", type_=Integer)
# The entities a profile's facts point to.
OTHER_END = aliased(Entity, name="other_end")
EVENT_PLACE = aliased(Entity, name="event_place")


def _held(query: ColumnsQuery, dated: Any, as_of: AsOf | None) -> ColumnsQuery:
    """``query`` kept to the facts of the model ``dated`` that held at ``as_of``, if given."""
    return query if as_of is None else query.where(holds(dated, as_of))


def _run(session: Session, query: ColumnsQuery, entity_id: int) -> Sequence[Columns]:
    """The rows of one of the profile's queries for an entity, read on the session's connection
    (the ORM's handling of rows costs more than the query)."""
    return session.connection().execute(query, {"entity_id": entity_id}).all()


NAMES: ColumnsQuery = (
    select(EntityName.id, EntityName.name, EntityName.language, EntityName.script, EntityName.kind)
    .where(EntityName.entity_id == _ENTITY_ID)
    .order_by(EntityName.id)
)


def _name_body(row: Columns) -> Body:
    """A name as NameRead writes it, but for its citations."""
    name_id, name, language, script, kind = row
    return {"id": name_id, "name": name, "language": language, "script": script, "kind": kind}


ATTRIBUTES = (
    select(
        Attribute.id,
        Attribute.name,
        Attribute.value,
        Attribute.value_number,
        Attribute.note,
        *span_columns(Attribute),
    )
    .where(Attribute.entity_id == _ENTITY_ID)
    .order_by(Attribute.name, Attribute.start_lower, Attribute.id)
)


def _attribute_body(row: Columns, as_of: AsOf | None) -> Body:
    """An attribute as AttributeRead writes it, but for its citations."""
    attribute_id, name, value, value_number, note, *dates = row
    span = Span(*dates)
    return {
        "id": attribute_id,
        "name": name,
        "value": value,
        "value_number": value_number,
        "period": span_body(span),
        "note": note,
        "certainty": certainty(span, as_of),
    }


PERIODS = (
    select(OperatingPeriod.id, OperatingPeriod.label, *span_columns(OperatingPeriod))
    .where(OperatingPeriod.organization_id == _ENTITY_ID)
    .order_by(OperatingPeriod.start_lower, OperatingPeriod.id)
)


def _period_body(row: Columns, as_of: AsOf | None) -> Body:
    """An operating period as PeriodRead writes it, but for its citations."""
    period_id, label, *dates = row
    span = Span(*dates)
    return {
        "id": period_id,
        "label": label,
        "period": span_body(span),
        "certainty": certainty(span, as_of),
    }


# Relationships in both directions with a summary of the other side; the entity's parts in
# events are left to INVOLVEMENTS.
_OUTGOING = and_(Relationship.subject_id == _ENTITY_ID, Relationship.object_id == OTHER_END.id)
_INCOMING = and_(Relationship.object_id == _ENTITY_ID, Relationship.subject_id == OTHER_END.id)
LINKS = (
    select(
        Relationship.id,
        Relationship.subject_id,
        Relationship.type,
        Relationship.status,
        Relationship.role,
        Relationship.note,
        *summary_columns(OTHER_END),
        *span_columns(Relationship),
    )
    .join(OTHER_END, or_(_OUTGOING, _INCOMING))
    .where(~and_(Relationship.type == RelationshipType.PARTICIPANT, _OUTGOING))
    .order_by(Relationship.type, Relationship.start_lower, OTHER_END.name, Relationship.id)
)


def _link_body(row: Columns, entity_id: int, as_of: AsOf | None) -> Body:
    """A relationship seen from the entity, as LinkRead writes it, but for its citations."""
    link_id, subject_id, type_, status, role, note, *other_and_dates = row
    other, span = other_and_dates[:4], Span(*other_and_dates[4:])
    return {
        "id": link_id,
        "type": type_,
        "direction": "outgoing" if subject_id == entity_id else "incoming",
        "status": status,
        "role": role,
        "note": note,
        "other": entity_summary(*other),
        "period": span_body(span),
        "certainty": certainty(span, as_of),
    }


# Events the entity took part in, with the part taken and the event's place.
INVOLVEMENTS = (
    select(
        Event.id,
        Event.slug,
        Event.name,
        Event.event_type,
        Relationship.id,
        Relationship.role,
        *summary_columns(EVENT_PLACE),
        *span_columns(Event),
    )
    .join(Relationship, Relationship.object_id == Event.id)
    .outerjoin(EVENT_PLACE, EVENT_PLACE.id == Event.place_id)
    .where(
        Relationship.subject_id == _ENTITY_ID,
        Relationship.type == RelationshipType.PARTICIPANT,
    )
    .order_by(Event.start_lower, Event.id)
)


def _involvement_body(row: Columns, as_of: AsOf | None) -> Body:
    """An event taken part in, as EventInvolvement writes it, but for its citations."""
    event_id, slug, name, event_type, relationship_id, role, *place_and_dates = row
    place, span = place_and_dates[:4], Span(*place_and_dates[4:])
    return {
        "id": event_id,
        "slug": slug,
        "name": name,
        "event_type": event_type,
        "date": span_body(span),
        "place": entity_summary(*place) if place[0] is not None else None,
        "role": role,
        "relationship_id": relationship_id,
        "certainty": certainty(span, as_of),
    }
