"""The relationships router."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status

from app.api.deps import PageDep, SessionDep
from app.api.pagination import json_page
from app.api.params import AsOfDep, IdsDep, day_query, optional_day
from app.api.responses import (
    INVALID,
    NOT_FOUND,
    etag_of,
    not_modified,
)
from app.api.writes import WriteSpec, add_write_routes
from app.models import RelationshipStatus, RelationshipType
from app.schemas.common import MAX_ID, Page
from app.schemas.relationships import RelationshipCreate, RelationshipRead, RelationshipUpdate
from app.services import relationships as service
from app.services.relationships import RelationshipSort

router = APIRouter(prefix="/relationships", tags=["Relationships"])

RelationshipId = Annotated[int, Path(ge=1, le=MAX_ID, description="The relationship's id.")]
EntityFilter = Annotated[str | None, Query(max_length=200, description="An id or slug.")]


@router.get(
    "",
    name="listRelationships",
    summary="List relationships",
    response_model=Page[RelationshipRead],
    responses={**INVALID},
)
def list_relationships(
    request: Request,
    response: Response,
    session: SessionDep,
    window: PageDep,
    type: Annotated[
        list[RelationshipType] | None,
        Query(description="Keep these types; repeat the parameter for several."),
    ] = None,
    status_: Annotated[RelationshipStatus | None, Query(alias="status")] = None,
    subject: EntityFilter = None,
    object: EntityFilter = None,
    entity: Annotated[
        str | None,
        Query(max_length=200, description="Keep relationships with this entity on either side."),
    ] = None,
    date_from: Annotated[
        str | None,
        day_query("Keep relationships that may have held on or after this day.", alias="from"),
    ] = None,
    date_to: Annotated[
        str | None,
        day_query("Keep relationships that may have held on or before this day.", alias="to"),
    ] = None,
    sort: Annotated[RelationshipSort, Query(description="A leading `-` reverses it.")] = "id",
    as_of: AsOfDep = None,
    ids: IdsDep = None,
) -> Any:
    items, total = service.list_relationships(
        session,
        ids=ids,
        types=type or (),
        status=status_,
        subject=subject,
        object_=object,
        entity=entity,
        date_from=optional_day(date_from, "from"),
        date_to=optional_day(date_to, "to", last=True),
        sort=sort,
        as_of=as_of,
        limit=window.limit,
        offset=window.offset,
    )
    return json_page(request, response, items, total, window)


@router.get(
    "/{relationship_id}",
    name="getRelationship",
    summary="Get one relationship",
    response_model=RelationshipRead,
    responses={**NOT_FOUND},
)
def get_relationship(
    request: Request, response: Response, session: SessionDep, relationship_id: RelationshipId
) -> Any:
    relationship = service.get_relationship(session, relationship_id)
    if not_modified(
        request, response, etag_of("relationship", relationship.id, relationship.version)
    ):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=dict(response.headers))
    return service.read_relationships(session, [relationship])[0]


add_write_routes(
    router,
    WriteSpec(
        resource="relationship",
        path="/relationships",
        singular="Relationship",
        ref=RelationshipId,
        create_model=RelationshipCreate,
        update_model=RelationshipUpdate,
        read_model=RelationshipRead,
        get=service.get_relationship,
        read=lambda session, relationship: service.read_relationships(session, [relationship])[0],
        create=service.create_relationship,
        update=service.update_relationship,
        delete=lambda session, item_id, cascade: service.delete_relationship(session, item_id),
    ),
)
