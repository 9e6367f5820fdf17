"""Dependencies shared by the routers: the request's session and its page window.

Dependencies that do no I/O are ``async def``: FastAPI runs a plain ``def`` dependency in its
thread pool, and each such hop cost about 0.25 ms per request on these machines.
"""

import functools
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, ParamSpec, TypeVar

from anyio import CancelScope, CapacityLimiter, to_thread
from anyio.lowlevel import RunVar
from fastapi import Depends, Query, Request
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import begin_write

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request: committed when the handler succeeds, rolled back otherwise.

    A new session holds no connection, so a read's starts without I/O. Taking a write's lock,
    and the commit (or rollback) and close, run in threads of their own, not in the few of the
    pool (``KB_WORKER_THREADS``), as FastAPI does for a dependency's exit: writers waiting for
    the lock, or requests waiting to give back their connection, would hold every thread while
    the request they wait for waits for one.
    """
    session: Session = request.app.state.session_factory()
    try:
        if request.method not in SAFE_METHODS:  # may wait for another writer: not in the pool
            await to_thread.run_sync(begin_write, session, limiter=CapacityLimiter(1))
        yield session
    except BaseException:
        await _finish(session, commit=False)
        raise
    await _finish(session, commit=True)


async def _finish(session: Session, *, commit: bool) -> None:
    with CancelScope(shield=True):
        await to_thread.run_sync(_end, session, commit, limiter=CapacityLimiter(1))


def _end(session: Session, commit: bool) -> None:
    try:
        if commit:
            session.commit()
        else:
            session.rollback()
    finally:
        session.close()


# scope="function": commit (or roll back) before the response is sent, so that a client that
# got its answer reads its own write from any worker next.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

Params = ParamSpec("Params")
Result = TypeVar("Result")
_WRITE_THREADS: RunVar[CapacityLimiter] = RunVar("kb_write_threads")


def use_write_threads(total: int) -> None:
    """Give the write routes ``total`` threads of their own (``in_write_threads``,
    ``KB_WRITE_THREADS``)."""
    _WRITE_THREADS.set(CapacityLimiter(total))


def in_write_threads(
    route: Callable[Params, Result],
) -> Callable[Params, Coroutine[Any, Any, Result]]:
    """A write route that runs in threads of its own, not in those of the reads.

    A write holds the database's write lock (SQLite) or its rows' locks (PostgreSQL) from its
    session's start to its end. Had it to wait for a thread behind reads, the writers queued
    behind it would wait as long: with four threads, 20 racing writers on SQLite under load
    once waited past the busy timeout (503). FastAPI sees the route's own parameters.
    """

    @functools.wraps(route)
    async def run(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        return await in_write_thread(functools.partial(route, *args, **kwargs))

    return run


async def in_write_thread(work: Callable[[], Result]) -> Result:
    """``work`` done in a thread of the writes' (``in_write_threads``)."""
    try:
        limiter = _WRITE_THREADS.get()
    except LookupError:  # an app whose lifespan did not run (a test client without it)
        limiter = CapacityLimiter(Settings.model_fields["write_threads"].default)
        _WRITE_THREADS.set(limiter)
    return await to_thread.run_sync(work, limiter=limiter)


async def in_request_thread(request: Request, work: Callable[[], Result]) -> Result:
    """``work`` done in a thread of the request's kind: the reads' pool, or the writes'."""
    if request.method in SAFE_METHODS:
        return await to_thread.run_sync(work)
    return await in_write_thread(work)


async def app_settings(request: Request) -> Settings:
    """The settings the application was created with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


@dataclass(frozen=True)
class PageWindow:
    """Which slice of a list a client asked for, with ``limit`` capped by the server."""

    limit: int
    offset: int


async def page_window(
    settings: SettingsDep,
    limit: Annotated[
        int | None,
        Query(ge=1, description="Items per page; the server caps it (see the response's `limit`)."),
    ] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip.")] = 0,
) -> PageWindow:
    """The page window, with the default size when none is given and the cap applied."""
    return PageWindow(limit=capped_limit(settings, limit), offset=offset)


def capped_limit(settings: Settings, limit: int | None) -> int:
    """The page size a client asked for (the default if none), capped by the server."""
    return min(settings.default_page_size if limit is None else limit, settings.max_page_size)


PageDep = Annotated[PageWindow, Depends(page_window)]
