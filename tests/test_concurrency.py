"""Twenty writers race on the same items through a real server with two worker processes.

No update may be lost: every write that succeeded was made against the version its writer read,
the history holds exactly the successful writes, in version order, and nothing fails with a 5xx
(on SQLite, no "database is locked").
"""

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app.api.deps import SAFE_METHODS, in_write_threads
from app.config import Settings
from app.db import create_session_factory
from app.main import create_app
from app.services import entities
from app.services.history import changes_since, record
from app.services.keys import Scope, mint_key
from tests.factories import add_organization, add_source
from tests.live import database_url, live_server

WRITERS = 20
ROUNDS = 8
ITEMS = ["first-contested-group", "second-contested-group"]


def _arrange(engine: Engine) -> str:
    with create_session_factory(engine)() as session:
        source = add_source(session)
        for slug in ITEMS:
            add_organization(session, slug.replace("-", " ").title(), source)
        secret = mint_key(session, "racers", [Scope.WRITE]).secret
        session.commit()
    return secret


@pytest.mark.parametrize("if_match", ["etag read", "*"])
def test_racing_writers_lose_no_update(
    new_database: Callable[[bool], Engine], if_match: str
) -> None:
    """With the ETag each writer read, some lose (412); with `*`, none may (it means "any")."""
    engine = new_database(True)
    secret = _arrange(engine)
    results: list[tuple[str, str, int]] = []  # (item, description written, status)
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer(number: int, base: str) -> None:
        headers = {"Authorization": f"Bearer {secret}"}
        try:
            with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                start.wait()
                for round_ in range(ROUNDS):
                    item = ITEMS[(number + round_) % len(ITEMS)]
                    read = client.get(f"/organizations/{item}")
                    text = f"writer {number} round {round_}"
                    changed = client.patch(
                        f"/organizations/{item}",
                        json={"description": text},
                        headers={"If-Match": read.headers["etag"] if if_match != "*" else "*"},
                    )
                    results.append((item, text, changed.status_code))
        except BaseException as error:  # surfaced below, with the thread's name
            errors.append(error)

    with live_server(engine, workers=2) as base:
        threads = [threading.Thread(target=writer, args=(n, base)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        statuses = {status for _, _, status in results}
        assert statuses <= ({200, 412} if if_match != "*" else {200}), statuses
        assert len(results) == WRITERS * ROUNDS
        with httpx.Client(base_url=base) as client:
            for item in ITEMS:
                won = {text for i, text, status in results if i == item and status == 200}
                assert won, f"no write to {item} succeeded"
                history = client.get(f"/organizations/{item}/history?limit=200").json()["items"]
                updates = [r for r in history if r["action"] == "update"]
                assert {r["after"]["description"] for r in updates} == won
                assert len(updates) == len(won)
                versions = [r["version"] for r in updates]
                first = versions[0]
                assert versions == list(range(first, first + len(updates)))  # one after another
                for before, after in itertools.pairwise(updates):
                    assert after["before"] == before["after"]  # each read what the last wrote
                current = client.get(f"/organizations/{item}")
                assert current.json()["version"] == versions[-1]
    engine.dispose()


def test_changes_feed_never_skips_a_late_commit_on_postgres(postgres: Engine) -> None:
    """Revision ids follow commit order: while one write is open, another cannot commit a
    later id, so a client polling the feed never reads past a revision still to come."""
    factory = create_session_factory(postgres)
    with factory() as session:
        before = max((r.id for r in changes_since(session, 0, limit=1000)), default=0)
    first = factory()
    record(first, "sources", 1, "update", None, 2, None, None)  # open, not yet committed
    committed = threading.Event()

    def second_write() -> None:
        with factory() as session:
            record(session, "sources", 2, "update", None, 2, None, None)
            session.commit()
        committed.set()

    writer = threading.Thread(target=second_write)
    writer.start()
    try:
        assert not committed.wait(0.5), "a later revision committed while an earlier one was open"
        with factory() as poller:
            assert changes_since(poller, before, limit=10) == []
    finally:
        first.commit()
        first.close()
        writer.join(10)
    assert committed.is_set()
    with factory() as poller:
        feed = [(r.item_id, r.id) for r in changes_since(poller, before, limit=10)]
    assert [item for item, _ in feed] == [1, 2]


def test_a_write_does_not_wait_for_a_thread_behind_reads(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the one worker thread busy with a read, a write still goes through at once: it runs
    in threads of its own, as it holds the write lock that other writers queue for."""
    secret = _arrange(fresh_engine)
    reading, release = threading.Event(), threading.Event()
    profile_body = entities.profile_body

    def slow_the_first(*args: Any, **kwargs: Any) -> Any:
        if not reading.is_set():
            reading.set()
            release.wait(10)
        return profile_body(*args, **kwargs)

    monkeypatch.setattr(entities, "profile_body", slow_the_first)
    settings = Settings(
        database_url=database_url(fresh_engine),
        seed_on_empty=False,
        response_cache=False,
        worker_threads=1,
        request_timeout_seconds=30,
    )
    with TestClient(create_app(settings)) as client:
        reader = threading.Thread(target=client.get, args=(f"/organizations/{ITEMS[0]}",))
        reader.start()
        try:
            assert reading.wait(10)  # the one thread of the reads is taken
            started = time.monotonic()
            written = client.patch(
                f"/organizations/{ITEMS[1]}",
                json={"description": "written while a read holds the thread"},
                headers={"If-Match": "*", "Authorization": f"Bearer {secret}"},
            )
            took = time.monotonic() - started
        finally:
            release.set()
            reader.join()
    assert written.status_code == 200
    assert took < 5  # not the 10 s of the read it would have waited for


def test_every_write_route_runs_in_the_writes_threads(app: FastAPI) -> None:
    """The guard behind the test above: a write route added without ``in_write_threads`` would
    wait behind reads again, and only the entity writes are raced here."""
    wrapper = in_write_threads(lambda: None).__code__  # every route it wraps runs this code
    routes = [context.original_route for context in iter_route_contexts(app.routes)]
    writes = [r for r in routes if isinstance(r, APIRoute) and r.methods - SAFE_METHODS]
    assert len(writes) >= 10  # create, update and delete of every resource, and the keys'
    unwrapped = [
        f"{sorted(route.methods)} {route.path}"
        for route in writes
        if getattr(route.endpoint, "__code__", None) is not wrapper
    ]
    assert unwrapped == []
