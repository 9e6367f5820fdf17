"""Exports: the whole database as JSON Lines (re-importable), and CSV per resource."""

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.api.deps import SessionDep
from app.models import Source
from app.services.csl import CSL_MEDIA_TYPE, to_csl
from app.services.export import iter_dump_chunks
from app.services.ftm import iter_ftm_lines
from app.services.sources import read_sources
from app.services.tables import CsvResource, iter_csv_lines

router = APIRouter(prefix="/export", tags=["Exports"])

JSONL = "application/x-ndjson"
LineSource = Callable[[Session], Iterator[str]]


CHUNK_BYTES = 64 * 1024


def _stream(factory: sessionmaker[Session], lines: LineSource) -> Iterator[bytes]:
    # A session of its own: the response is still streaming after the request's session closed.
    # Lines go out in chunks of about 64 KB: Starlette moves each item of a sync iterator to the
    # event loop through a thread hop, which per line would cap the export at a few thousand a
    # second.
    with factory() as session:
        chunk: list[str] = []
        size = 0
        for line in lines(session):
            chunk.append(line)
            size += len(line)
            if size >= CHUNK_BYTES:
                yield "".join(chunk).encode()
                chunk, size = [], 0
        if chunk:
            yield "".join(chunk).encode()


def _stream_dump(factory: sessionmaker[Session]) -> Iterator[bytes]:
    # The dump comes in chunks of a batch of lines already (a few hundred KB): passed as they are.
    with factory() as session:
        yield from iter_dump_chunks(session)


@router.get(
    "",
    name="exportDump",
    summary="The whole database as JSON Lines, streamed",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {JSONL: {"schema": {"type": "string"}}},
            "description": "A header line (format, version, licence notices), then one "
            "line per row; `kb import-dump` loads it into an empty database.",
        }
    },
)
def export_dump(request: Request) -> StreamingResponse:
    return StreamingResponse(
        _stream_dump(request.app.state.session_factory),
        media_type=JSONL,
        headers={"Content-Disposition": 'attachment; filename="kb-dump.jsonl"'},
    )


@router.get(
    "/{resource}.csv",
    name="exportCsv",
    summary="One resource as CSV for spreadsheets",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "UTF-8 CSV with a header row; the licence notice follows the last row.",
        }
    },
)
def export_csv(
    request: Request,
    resource: Annotated[CsvResource, Path(description="Which resource.")],
) -> StreamingResponse:
    return StreamingResponse(
        _stream(
            request.app.state.session_factory, lambda session: iter_csv_lines(session, resource)
        ),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{resource.value}.csv"'},
    )


@router.get(
    "/sources.csl.json",
    name="exportSourcesCsl",
    summary="Every source as CSL-JSON, for Zotero, Pandoc and citation managers",
    responses={
        200: {
            "content": {CSL_MEDIA_TYPE: {"schema": {"type": "array", "items": {"type": "object"}}}}
        }
    },
)
def export_sources_csl(session: SessionDep) -> JSONResponse:
    sources = session.scalars(select(Source).order_by(Source.id)).all()
    return JSONResponse(
        [to_csl(read) for read in read_sources(session, sources)], media_type=CSL_MEDIA_TYPE
    )


@router.get(
    "/ftm.jsonl",
    name="exportFollowTheMoney",
    summary="Everything as FollowTheMoney entities, for Aleph and investigative-data tools",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {JSONL: {"schema": {"type": "string"}}},
            "description": "One FtM entity per line; the licence notice is in each "
            "entity's `publisher`.",
        }
    },
)
def export_ftm(request: Request) -> StreamingResponse:
    return StreamingResponse(
        _stream(request.app.state.session_factory, iter_ftm_lines),
        media_type=JSONL,
        headers={"Content-Disposition": 'attachment; filename="kb-ftm.jsonl"'},
    )
