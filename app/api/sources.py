"""The sources router."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from app.api.deps import PageDep, SessionDep
from app.api.pagination import paginate
from app.api.params import IdsDep
from app.api.responses import (
    CONFLICT,
    INVALID,
    NOT_FOUND,
    PRECONDITIONS,
    IfMatchDep,
    etag_of,
    not_modified,
    require_match,
)
from app.schemas.common import Page
from app.schemas.sources import SourceCreate, SourceRead, SourceUpdate
from app.services import sources as service
from app.services.csl import CSL_MEDIA_TYPE, to_csl
from app.services.sources import SourceSort

router = APIRouter(prefix="/sources", tags=["Sources"])

Ref = Annotated[str, Path(max_length=200, description="The source's id or slug.")]


@router.get(
    "",
    name="listSources",
    summary="List sources",
    response_model=Page[SourceRead],
    responses={**INVALID},
)
def list_sources(
    request: Request,
    response: Response,
    session: SessionDep,
    window: PageDep,
    title: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Keep sources whose title or translated title contains this.",
        ),
    ] = None,
    publisher: Annotated[str | None, Query(max_length=200)] = None,
    article: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Keep the sources this article's references name (id or slug).",
        ),
    ] = None,
    sort: Annotated[SourceSort, Query(description="A leading `-` reverses it.")] = "id",
    ids: IdsDep = None,
) -> Any:
    items, total = service.list_sources(
        session,
        ids=ids,
        title=title,
        publisher=publisher,
        article=article,
        sort=sort,
        limit=window.limit,
        offset=window.offset,
    )
    return paginate(request, response, items, total, window)


@router.get(
    "/{ref}",
    name="getSource",
    summary="Get one source (as CSL-JSON with `Accept: application/vnd.citationstyles.csl+json`)",
    response_model=SourceRead,
    responses={
        **NOT_FOUND,
        200: {
            "content": {CSL_MEDIA_TYPE: {"schema": {"type": "array", "items": {"type": "object"}}}},
            "description": "The source; as a one-item CSL-JSON array on request.",
        },
    },
)
def get_source(request: Request, response: Response, session: SessionDep, ref: Ref) -> Any:
    source = service.get_source(session, ref)
    if not_modified(request, response, etag_of("source", source.id, source.version)):
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=dict(response.headers))
    read = service.read_sources(session, [source])[0]
    if CSL_MEDIA_TYPE in request.headers.get("accept", ""):
        return JSONResponse(
            [to_csl(read)], media_type=CSL_MEDIA_TYPE, headers=dict(response.headers)
        )
    return read


@router.post(
    "",
    name="createSource",
    summary="Create a source",
    status_code=status.HTTP_201_CREATED,
    response_model=SourceRead,
    responses={**CONFLICT, **INVALID},
)
def create_source(response: Response, session: SessionDep, payload: SourceCreate) -> Any:
    source = service.create_source(session, payload)
    response.headers["Location"] = f"/sources/{source.id}"
    response.headers["ETag"] = etag_of("source", source.id, source.version)
    return service.read_sources(session, [source])[0]


@router.patch(
    "/{ref}",
    name="updateSource",
    summary="Update a source",
    response_model=SourceRead,
    responses={**NOT_FOUND, **INVALID, **PRECONDITIONS},
)
def update_source(
    response: Response, session: SessionDep, ref: Ref, payload: SourceUpdate, if_match: IfMatchDep
) -> Any:
    current = service.get_source(session, ref)
    require_match(if_match, etag_of("source", current.id, current.version))
    source = service.update_source(session, current.id, payload)
    response.headers["ETag"] = etag_of("source", source.id, source.version)
    return service.read_sources(session, [source])[0]


@router.delete(
    "/{ref}",
    name="deleteSource",
    summary="Delete a source nothing cites",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={**NOT_FOUND, **CONFLICT, **PRECONDITIONS},
)
def delete_source(session: SessionDep, ref: Ref, if_match: IfMatchDep) -> Response:
    current = service.get_source(session, ref)
    require_match(if_match, etag_of("source", current.id, current.version))
    service.delete_source(session, current.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
