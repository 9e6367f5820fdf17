"""The sources router."""

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import JSONResponse

from app.api.deps import PageDep, SessionDep
from app.api.pagination import paginate
from app.api.params import IdsDep
from app.api.responses import (
    INVALID,
    NOT_FOUND,
    etag_of,
    not_modified,
)
from app.api.writes import WriteSpec, add_write_routes
from app.schemas.common import NO_NUL, Page
from app.schemas.sources import SourceCreate, SourceRead, SourceUpdate
from app.services import integrity
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
            pattern=NO_NUL,
            description="Keep sources whose title or translated title contains this text, in "
            "any case (on SQLite, the case of ASCII letters only).",
        ),
    ] = None,
    publisher: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=NO_NUL,
            description="Keep sources whose publisher contains this text, in any case (on "
            "SQLite, the case of ASCII letters only).",
        ),
    ] = None,
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


add_write_routes(
    router,
    WriteSpec(
        resource="source",
        path="/sources",
        singular="Source",
        ref=Ref,
        create_model=SourceCreate,
        update_model=SourceUpdate,
        read_model=SourceRead,
        get=service.get_source,
        read=lambda session, source: service.read_sources(session, [source])[0],
        create=service.create_source,
        update=service.update_source,
        delete=lambda session, item_id, cascade: integrity.delete_source(
            session, item_id, cascade=cascade
        ),
    ),
)
