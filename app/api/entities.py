"""Routers for organizations, people, places and events, made by one factory."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response, status

from app.api.deps import PageDep, SessionDep, SettingsDep
from app.api.pagination import json_page
from app.api.params import AsOfDep, IdsDep, day_query, optional_day
from app.api.responses import (
    INVALID,
    NOT_FOUND,
    etag_of,
    json_data_response,
    not_modified,
)
from app.api.writes import WriteSpec, add_write_routes
from app.models import EntityKind, RelationshipType
from app.schemas.common import NO_NUL, Page
from app.schemas.entities import (
    KIND_READ,
    EntityCreate,
    EntitySummaryRead,
    EntityUpdate,
    EventCreate,
    EventUpdate,
    OrganizationCreate,
    OrganizationUpdate,
    PersonCreate,
    PersonUpdate,
    PlaceCreate,
    PlaceUpdate,
)
from app.schemas.network import Network
from app.schemas.timeline import Timeline
from app.services import entities as service
from app.services import integrity
from app.services.entities import EntitySort
from app.services.network import build_network, to_graphml, to_json
from app.services.timeline import build_timeline

GRAPHML = "application/graphml+xml"
Ref = Annotated[
    str,
    Path(
        description="The item's numeric id or its slug.",
        examples=["aknaf-bait-al-maqdis"],
        max_length=200,
    ),
]
NameFilter = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=NO_NUL,
        description="Keep the items a name of which contains this text, in any case (on SQLite, "
        "the case of ASCII letters only). `/search` also finds other spellings and "
        "transliterations, best first.",
    ),
]
Sort = Annotated[EntitySort, Query(description="Order; a leading `-` reverses it.")]


@dataclass(frozen=True)
class EventFilter:
    """Filters only events take: a date range, a place and a participant."""

    place: str | None = None
    participant: str | None = None
    date_from: date | None = None
    date_to: date | None = None


async def no_filters() -> EventFilter:
    """Organizations, people and places take no event filters."""
    return EventFilter()


async def event_filters(
    date_from: Annotated[
        str | None,
        day_query("Keep events that may have happened on or after this day (EDTF).", alias="from"),
    ] = None,
    date_to: Annotated[
        str | None,
        day_query("Keep events that may have happened on or before this day (EDTF).", alias="to"),
    ] = None,
    place: Annotated[str | None, Query(max_length=200, description="A place's id or slug.")] = None,
    participant: Annotated[
        str | None, Query(max_length=200, description="A participant's id or slug.")
    ] = None,
) -> EventFilter:
    """The event list's filters, dates read as EDTF."""
    return EventFilter(
        place=place,
        participant=participant,
        date_from=optional_day(date_from, "from"),
        date_to=optional_day(date_to, "to", last=True),
    )


def entity_router(
    kind: EntityKind,
    path: str,
    singular: str,
    plural: str,
    create_model: type[EntityCreate],
    update_model: type[EntityUpdate],
) -> APIRouter:
    """List, read, create, update and delete one kind of entity."""
    router = APIRouter(prefix=path, tags=[plural])
    read_model = KIND_READ[kind]

    filters = Depends(event_filters if kind is EntityKind.EVENT else no_filters)

    @router.get(
        "",
        name=f"list{plural}",
        summary=f"List {plural.lower()}",
        response_model=Page[EntitySummaryRead],
        responses={**INVALID},
    )
    def list_entities(
        request: Request,
        response: Response,
        session: SessionDep,
        window: PageDep,
        name: NameFilter = None,
        sort: Sort = "date" if kind is EntityKind.EVENT else "name",
        event_filter: EventFilter = filters,
        ids: IdsDep = None,
    ) -> Any:
        items, total = service.list_entities(
            session,
            kind,
            ids=ids,
            name=name,
            sort=sort,
            limit=window.limit,
            offset=window.offset,
            **vars(event_filter),
        )
        summaries = [service.summary_read_body(item) for item in items]
        return json_page(request, response, summaries, total, window)

    @router.get(
        "/{ref}",
        name=f"get{singular}",
        summary=f"Get one {singular.lower()} with every cited fact",
        response_model=read_model,
        responses={**NOT_FOUND},
    )
    def get_one(
        request: Request, response: Response, session: SessionDep, ref: Ref, as_of: AsOfDep
    ) -> Any:
        entity = service.get_entity(session, ref, kind)
        if not_modified(request, response, etag_of(kind.value, entity.id, entity.version)):
            return Response(
                status_code=status.HTTP_304_NOT_MODIFIED, headers=dict(response.headers)
            )
        body = service.profile_body(session, entity, as_of)
        return json_data_response(body, dict(response.headers))

    @router.get(
        "/{ref}/timeline",
        name=f"get{singular}Timeline",
        summary=f"The {singular.lower()}'s events and relationship changes in date order",
        response_model=Timeline,
        responses={**NOT_FOUND},
    )
    def get_timeline(session: SessionDep, ref: Ref) -> Any:
        return json_data_response(build_timeline(session, service.get_entity(session, ref, kind)))

    @router.get(
        "/{ref}/network",
        name=f"get{singular}Network",
        summary=f"The network around a {singular.lower()}, as Cytoscape.js elements or GraphML",
        response_model=Network,
        responses={
            **NOT_FOUND,
            **INVALID,
            200: {
                "content": {GRAPHML: {"schema": {"type": "string"}}},
                "description": "JSON by default; GraphML with `format=graphml` or "
                f"`Accept: {GRAPHML}`.",
            },
        },
    )
    def get_network(
        request: Request,
        session: SessionDep,
        settings: SettingsDep,
        ref: Ref,
        as_of: AsOfDep,
        depth: Annotated[int, Query(ge=1, le=3, description="Hops to follow (1 to 3).")] = 1,
        types: Annotated[
            list[RelationshipType] | None,
            Query(alias="type", description="Follow only these types; repeat for several."),
        ] = None,
        format: Annotated[
            Literal["json", "graphml"] | None,
            Query(description="`graphml` for GraphML; otherwise the `Accept` header decides."),
        ] = None,
    ) -> Any:
        network = build_network(
            session,
            service.get_entity(session, ref, kind),
            depth=min(depth, settings.network_max_depth),
            max_depth=settings.network_max_depth,
            max_nodes=settings.network_max_nodes,
            max_edges=settings.network_max_edges,
            types=types,
            as_of=as_of,
        )
        if format == "graphml" or (format is None and GRAPHML in request.headers.get("accept", "")):
            return Response(to_graphml(network), media_type=GRAPHML)
        return Response(to_json(network), media_type="application/json")

    add_write_routes(
        router,
        WriteSpec(
            resource=kind.value,
            path=path,
            singular=singular,
            ref=Ref,
            create_model=create_model,
            update_model=update_model,
            read_model=read_model,
            get=lambda session, ref: service.get_entity(session, ref, kind),
            read=service.build_profile,
            create=lambda session, payload: service.create_entity(session, kind, payload),
            update=lambda session, item_id, payload: service.update_entity(
                session, kind, item_id, payload
            ),
            delete=lambda session, item_id, cascade: integrity.delete_entity(
                session, kind, item_id, cascade=cascade
            ),
        ),
    )

    return router


ENTITY_ROUTERS = [
    entity_router(
        EntityKind.ORGANIZATION,
        "/organizations",
        "Organization",
        "Organizations",
        OrganizationCreate,
        OrganizationUpdate,
    ),
    entity_router(EntityKind.PERSON, "/people", "Person", "People", PersonCreate, PersonUpdate),
    entity_router(EntityKind.PLACE, "/places", "Place", "Places", PlaceCreate, PlaceUpdate),
    entity_router(EntityKind.EVENT, "/events", "Event", "Events", EventCreate, EventUpdate),
]
