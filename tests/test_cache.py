"""The response cache: hits while nothing changes, and never a stale read after a write, even
when the write went through another worker process."""

import asyncio
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from starlette.types import Message, Receive, Scope, Send

from app.cache import CHANNEL, ResponseCache, _PostgresVersion, data_version
from app.config import Settings
from app.db import create_session_factory
from app.limits import RateLimiter
from app.services.keys import Scope as KeyScope
from app.services.keys import mint_key
from tests.factories import add_organization, add_source
from tests.live import live_server

PATH = "/organizations/cached-front"


def test_no_stale_read_after_a_write_in_another_worker(
    new_database: Callable[[bool], Engine],
) -> None:
    engine = new_database(True)
    with create_session_factory(engine)() as session:
        add_organization(session, "Cached Front", add_source(session))
        secret = mint_key(session, "cache", [KeyScope.WRITE]).secret
        session.commit()
    with (
        live_server(engine, workers=2) as base,
        httpx.Client(base_url=base) as client,
    ):
        writer = {"Authorization": f"Bearer {secret}"}
        reads = [client.get(PATH) for _ in range(20)]
        assert {r.status_code for r in reads} == {200}
        assert any(r.headers.get("x-cache") == "hit" for r in reads), "nothing was cached"
        etag = reads[-1].headers["etag"]
        assert client.get(PATH, headers={"If-None-Match": etag}).status_code == 304
        origin = {"Origin": "https://example.org"}
        with_origin = [client.get(PATH, headers=origin) for _ in range(6)]
        assert any(r.headers.get("x-cache") == "hit" for r in with_origin)
        for response in with_origin:  # CORS still applies to hits, per origin
            assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-origin" not in client.get(PATH).headers
        revalidated = client.get(PATH, headers={**origin, "If-None-Match": etag})
        assert revalidated.status_code == 304  # from the cache, still readable cross-origin
        assert revalidated.headers["access-control-allow-origin"] == "*"
        for round_ in range(15):
            current = client.get(PATH).headers["etag"]
            text = f"round {round_}"
            changed = client.patch(
                PATH, json={"description": text}, headers={**writer, "If-Match": current}
            )
            assert changed.status_code == 200, changed.text
            for _ in range(6):  # both workers answer some of these
                seen = client.get(PATH)
                assert seen.json()["description"] == text, f"stale read after {text!r}"
                assert seen.headers["etag"] == changed.headers["etag"]
    engine.dispose()


def test_hits_spend_the_rate_limit(new_database: Callable[[bool], Engine]) -> None:
    engine = new_database(True)
    with create_session_factory(engine)() as session:
        add_organization(session, "Cached Front", add_source(session))
        session.commit()
    limited = {"KB_RATE_LIMIT_BURST": "8", "KB_RATE_LIMIT_PER_MINUTE": "1"}
    with live_server(engine, env=limited) as base, httpx.Client(base_url=base) as client:
        responses = [client.get(PATH) for _ in range(12)]
    statuses = [r.status_code for r in responses]
    assert statuses == [200] * 8 + [429] * 4, statuses
    assert any(r.headers.get("x-cache") == "hit" for r in responses[:8])
    assert responses[-1].headers["content-type"] == "application/problem+json"
    assert "retry-after" in responses[-1].headers
    engine.dispose()


def test_readers_missing_together_wait_for_one_response() -> None:
    """After a write every reader misses at once: one makes the response, the others wait."""
    made = 0
    version = 1

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal made
        made += 1
        await asyncio.sleep(0.05)
        body = f"made at version {version}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    class Counter:
        def __call__(self) -> int:
            return version

        def wrote(self) -> None:
            """The test moves ``version`` itself."""

    settings = Settings(database_url="sqlite://", rate_limit_burst=1000)
    cache = ResponseCache(slow_app, settings, Counter(), RateLimiter())

    async def read() -> tuple[int, bytes]:
        sent: list[Message] = []

        async def send(message: Message) -> None:
            sent.append(message)

        async def receive() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/organizations/x",
            "query_string": b"",
            "headers": [],
            "client": ("127.0.0.1", 1),
        }
        await cache(scope, receive, send)
        return sent[0]["status"], sent[1]["body"]

    async def readers() -> list[tuple[int, bytes]]:
        return await asyncio.gather(*(read() for _ in range(10)))

    assert asyncio.run(readers()) == [(200, b"made at version 1")] * 10
    assert made == 1
    version = 2  # a write: the next readers again share one new response
    assert asyncio.run(readers()) == [(200, b"made at version 2")] * 10
    assert made == 2


def _listening(engine: Engine) -> _PostgresVersion:
    version = data_version(engine)
    assert isinstance(version, _PostgresVersion)
    return version


def test_postgres_version_is_notified_not_asked(
    postgres: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL the version is read again only after a commit notified it, and a worker
    that served a write makes every worker of its host ask, notified yet or not."""
    serving, other = _listening(postgres), _listening(postgres)  # two workers, say
    before = other()
    assert before >= 0
    assert serving() == before

    reads = 0
    read = _PostgresVersion._read

    def counted(self: _PostgresVersion, connection: Any) -> None:
        nonlocal reads
        reads += 1
        read(self, connection)

    monkeypatch.setattr(_PostgresVersion, "_read", counted)
    assert [other() for _ in range(100)] == [before] * 100
    assert reads == 0, "the version was asked of the database although nothing changed"

    def commit_a_change() -> None:
        with create_session_factory(postgres)() as session:
            add_source(session)
            session.commit()

    commit_a_change()  # from elsewhere (the CLI, another host): seen once notified
    deadline = time.monotonic() + 5
    while other() == before and time.monotonic() < deadline:
        time.sleep(0.01)
    after = other()
    assert after > before, "a commit elsewhere was never noticed"

    assert other.connection is not None
    other.connection.execute(f"UNLISTEN {CHANNEL}")  # its notifications are late, say
    commit_a_change()
    assert other() == after  # not notified: it cannot know by itself ...
    serving.wrote()  # ... until the worker that served the write tells its host
    assert other() == serving() > after
