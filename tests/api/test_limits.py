"""Limits on what a client controls: body size (also chunked), JSON depth, rate, page size."""

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
from anyio import to_thread
from fastapi import FastAPI, Response
from fastapi.testclient import TestClient
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import migrate
from app.api.deps import SessionDep
from app.config import Settings
from app.limits import LimitsMiddleware, RateLimiter, json_depth
from app.main import create_app


def test_a_body_over_the_limit_is_a_413(app: FastAPI, client: TestClient) -> None:
    app.state.settings.max_body_bytes = 1000
    response = client.post("/sources", json={"title": "x" * 2000})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_chunked_body_without_length_is_capped_too(app: FastAPI, client: TestClient) -> None:
    app.state.settings.max_body_bytes = 1000

    def chunks() -> Iterator[bytes]:
        yield b'{"title": "'
        for _ in range(50):
            yield b"x" * 100
        yield b'"}'

    response = client.post(
        "/sources", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_deeply_nested_json_is_a_422_not_a_crash(client: TestClient) -> None:
    deep = "[" * 5000 + "]" * 5000
    response = client.post("/sources", content=deep, headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "too_deep"


def test_json_depth_ignores_brackets_inside_strings() -> None:
    assert json_depth(b'{"a": "[[[[{{{", "b": [1, {"c": 2}]}') == 3


def test_too_many_requests_get_a_429_with_retry_after(app: FastAPI, client: TestClient) -> None:
    app.state.settings.rate_limit_burst = 3
    app.state.settings.rate_limit_per_minute = 1
    statuses = [client.get("/organizations").status_code for _ in range(5)]
    assert statuses[:3] == [200, 200, 200]
    refused = client.get("/organizations")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert client.get("/healthz").status_code == 200  # probes are never limited


def test_the_rate_limiter_refills_over_time() -> None:
    limiter = RateLimiter()
    assert limiter.take("a", per_minute=60, burst=1) == 0
    wait = limiter.take("a", per_minute=60, burst=1)
    assert 0 < wait <= 1
    assert limiter.take("b", per_minute=60, burst=1) == 0  # another client has its own bucket


def _call(app: ASGIApp, timeout: float) -> list[Message]:
    settings = Settings(database_url="sqlite://", request_timeout_seconds=timeout)
    middleware = LimitsMiddleware(app, settings, RateLimiter())
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/export", "headers": [], "client": None}
    asyncio.run(middleware(scope, receive, send))
    return sent


def test_a_request_that_does_not_answer_in_time_gets_a_503() -> None:
    finished = False

    async def late(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal finished
        await asyncio.sleep(0.3)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"too late"})
        finished = True

    sent = _call(late, 0.1)
    assert [message["type"] for message in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 503
    assert b"took longer" in sent[1]["body"]
    assert finished, "the late request was cut off instead of running to its end"


def test_a_late_request_in_a_thread_keeps_its_session_to_the_end(tmp_path: Path) -> None:
    """A request still working in a thread when it times out is not cancelled: its session is
    not closed under it, and it is committed (or rolled back) and given back as usual."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'late.sqlite3'}",
        request_timeout_seconds=0.1,
        seed_on_empty=False,
        response_cache=False,
    )
    app = create_app(settings)
    migrate.upgrade(app.state.engine)
    done = threading.Event()

    @app.get("/slow")
    def slow(session: SessionDep) -> dict[str, int]:
        session.execute(text("SELECT 1"))
        time.sleep(0.4)
        value = session.execute(text("SELECT 2")).scalar_one()
        done.set()
        return {"value": value}

    with TestClient(app) as client:
        response = client.get("/slow")
    assert response.status_code == 503
    assert done.is_set()
    assert app.state.engine.pool.checkedout() == 0, "the late request's connection was lost"


def test_a_response_under_way_is_not_cut_off_by_the_timeout() -> None:
    async def streaming(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(5):  # 0.25 s in all, past the 0.1 s timeout
            await asyncio.sleep(0.05)
            await send({"type": "http.response.body", "body": b"row\n", "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    sent = _call(streaming, 0.1)
    assert sent[0]["status"] == 200
    assert b"".join(m.get("body", b"") for m in sent[1:]) == b"row\n" * 5
    assert sent[-1]["more_body"] is False


def test_more_requests_than_threads_and_connections_all_finish(tmp_path: Path) -> None:
    """Requests done with their handler give their connection back without waiting for a
    free worker thread: otherwise those waiting hold every connection while the handlers
    holding the threads wait for one (a deadlock until the pool's 30 s timeout)."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'busy.sqlite3'}",
        database_pool_size=1,  # 11 connections at most
        seed_on_empty=False,
        response_cache=False,
        rate_limit_burst=1000,
    )
    app = create_app(settings)
    migrate.upgrade(app.state.engine)

    @app.get("/work")
    def work(session: SessionDep) -> Response:  # as the API's routes: no serialising hop
        time.sleep(0.01)
        return Response(str(session.execute(text("SELECT 1")).scalar_one()))

    async def run() -> list[int]:
        to_thread.current_default_thread_limiter().total_tokens = 2
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            with anyio.fail_after(20):
                responses = await asyncio.gather(*(client.get("/work") for _ in range(24)))
        return [response.status_code for response in responses]

    assert asyncio.run(run()) == [200] * 24
    assert app.state.engine.pool.checkedout() == 0
