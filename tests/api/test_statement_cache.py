"""Every statement a read sends is compiled once and then taken from SQLAlchemy's cache.

A statement SQLAlchemy cannot make a cache key for is compiled again on every request: the
network's PostgreSQL ranking, written with a VALUES list, cost milliseconds per hop that way.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.engine.interfaces import CacheStats


@pytest.fixture
def compiled(seeded: Engine) -> Iterator[list[tuple[CacheStats, str]]]:
    """How each statement sent from now on was compiled, and its first words."""
    seen: list[tuple[CacheStats, str]] = []

    def record(
        _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, _many: Any
    ) -> None:
        if context is not None and not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            seen.append((context.cache_hit, " ".join(statement.split())[:120]))

    event.listen(seeded, "before_cursor_execute", record)
    yield seen
    event.remove(seeded, "before_cursor_execute", record)


def test_reads_are_compiled_once(
    seeded_api: TestClient, compiled: list[tuple[CacheStats, str]]
) -> None:
    group = seeded_api.get("/search", params={"q": "Aknaf"}).json()["items"][0]["entity"]["slug"]
    source = seeded_api.get("/sources", params={"limit": 1}).json()["items"][0]["slug"]
    paths = [
        f"/organizations/{group}",
        f"/organizations/{group}?as_of=2014",
        f"/organizations/{group}/timeline",
        f"/organizations/{group}/network?depth=2",
        f"/organizations/{group}/network?depth=3&type=ally&as_of=2015",
        f"/relationships?entity={group}&type=ally",
        f"/relationships?entity={group}&as_of=2014",
        "/organizations?limit=5",
        "/events?sort=date",
        f"/sources/{source}",
        "/sources?limit=5",
        "/search?q=Aknaf",
        "/search?q=maqdis",
        "/search?q=Aknaf%20Bait%20al-Madqis",
    ]
    for path in paths:
        assert seeded_api.get(path).status_code == 200, path
    compiled.clear()
    for path in paths:
        assert seeded_api.get(path).status_code == 200, path
    assert len(compiled) > len(paths)
    assert [(how, sql) for how, sql in compiled if how is not CacheStats.CACHE_HIT] == []
