"""Exports: the whole database as JSON Lines (re-importable), and CSV per resource."""

from collections.abc import AsyncGenerator, Callable, Generator, Iterable, Iterator
from typing import Annotated, Any

from anyio import CancelScope, to_thread
from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from starlette.types import Receive, Scope, Send

from app.api.deps import SessionDep
from app.models import Source
from app.services.csl import CSL_MEDIA_TYPE, to_csl
from app.services.export import batched, iter_dump_chunks
from app.services.ftm import iter_ftm_lines
from app.services.sources import read_sources
from app.services.tables import CsvResource, iter_csv_lines

router = APIRouter(prefix="/export", tags=["Exports"])

JSONL = "application/x-ndjson"
LineSource = Callable[[Session], Iterator[str]]


# What is sent at a time. Starlette makes each item of a sync iterator in a worker thread, a
# hop there and back per item: per line that would cap an export at a few thousand lines a
# second, and the dump's own chunks (a batch of lines, about 250 KB) sent one by one made an
# export at L on SQLite take 45.3 s against 40.5 s in pieces of about 1 MB (medians of three).
SEND_BYTES = 1 << 20


class Export(StreamingResponse):
    """A response streamed from a generator, which is closed as soon as the response ends.

    Starlette leaves a generator whose client went away to the garbage collector, and until
    then it holds its session's transaction open (on PostgreSQL, a COPY as well). Each next
    chunk is made in the thread pool, as Starlette does; the generator is closed there too,
    once no chunk is being made.
    """

    def __init__(self, chunks: Generator[bytes], **kwargs: Any) -> None:
        self.chunks = _in_threads(chunks)
        super().__init__(self.chunks, **kwargs)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            with CancelScope(shield=True):
                await self.chunks.aclose()


async def _in_threads(chunks: Generator[bytes]) -> AsyncGenerator[bytes]:
    try:
        while (chunk := await to_thread.run_sync(next, chunks, None)) is not None:
            yield chunk
    finally:
        # A chunk being made when the response ended has been made: run_sync is not cancelled
        # while its thread runs. Shielded: if the response was cancelled while the chunk was
        # made, the close would be cancelled too and left to the garbage collector.
        with CancelScope(shield=True):
            await to_thread.run_sync(chunks.close)


def _stream(factory: sessionmaker[Session], lines: LineSource) -> Generator[bytes]:
    # A session of its own: the response is still streaming after the request's session closed.
    with factory() as session:
        yield from _pieces(line.encode() for line in lines(session))


def _stream_dump(factory: sessionmaker[Session]) -> Generator[bytes]:
    with factory() as session:
        yield from _pieces(iter_dump_chunks(session))


def _pieces(parts: Iterable[bytes]) -> Iterator[bytes]:
    return (b"".join(piece) for piece in batched(parts, SEND_BYTES))


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
def export_dump(request: Request) -> Export:
    return Export(
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
) -> Export:
    return Export(
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
def export_ftm(request: Request) -> Export:
    return Export(
        _stream(request.app.state.session_factory, iter_ftm_lines),
        media_type=JSONL,
        headers={"Content-Disposition": 'attachment; filename="kb-ftm.jsonl"'},
    )
