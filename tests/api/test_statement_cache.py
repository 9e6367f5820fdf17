"""Every statement a read sends is compiled once and then taken from SQLAlchemy's cache.

A statement SQLAlchemy cannot make a cache key for is compiled again on every request: the
network's PostgreSQL ranking, written with a VALUES list, cost milliseconds per hop that way.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine.interfaces import CacheStats

from tests.conftest import StatementCounter, statements_sent


@pytest.fixture
def sent(seeded: Engine) -> Iterator[StatementCounter]:
    """Every statement sent to the seeded database from now on."""
    with statements_sent(seeded) as counter:
        yield counter


def test_reads_are_compiled_once(seeded_api: TestClient, sent: StatementCounter) -> None:
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
        "/organizations?name=aknaf",  # through the name index
        "/organizations?name=ak",  # too short for it: walked
        "/events?sort=date",
        f"/sources/{source}",
        "/sources?limit=5",
        "/sources?title=syria&sort=-published",  # through the index of the titles
        "/sources?title=sy&publisher=al",  # too short for it: walked
        f"/sources/{source}/facts",
        "/facts?evidence=article-only",
        "/facts?evidence=referenced",
        "/relationships?sort=-start&as_of=2014",
        "/events?sort=-created_at",
        "/search?q=Aknaf",
        "/search?q=maqdis",
        "/search?q=Aknaf%20Bait%20al-Madqis",
    ]
    for path in paths:
        assert seeded_api.get(path).status_code == 200, path
    first = sent.count
    for path in paths:
        assert seeded_api.get(path).status_code == 200, path
    second = list(zip(sent.compiled[first:], sent.statements[first:], strict=True))
    queries = [(how, sql) for how, sql in second if not sql.lstrip().upper().startswith("BEGIN")]
    assert len(queries) > len(paths)
    assert [
        (how, " ".join(sql.split())[:120])
        for how, sql in queries
        if how is not CacheStats.CACHE_HIT
    ] == []
