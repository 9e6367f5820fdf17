"""Every statement a read sends is compiled once and then taken from SQLAlchemy's cache.

A statement SQLAlchemy cannot make a cache key for is compiled again on every request: the
network's PostgreSQL ranking, written with a VALUES list, cost milliseconds per hop that way.
"""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.engine.interfaces import CacheStats

from tests.conftest import StatementCounter, statements_sent


@pytest.fixture
def sent(seeded: Engine) -> Iterator[StatementCounter]:
    """Every statement sent to the seeded database from now on."""
    with statements_sent(seeded) as counter:
        yield counter


@pytest.fixture
def slugs(seeded_api: TestClient) -> tuple[str, str]:
    """The seed article's group, and a source of it."""
    group = seeded_api.get("/search", params={"q": "Aknaf"}).json()["items"][0]["entity"]["slug"]
    source = seeded_api.get("/sources", params={"limit": 1}).json()["items"][0]["slug"]
    return group, source


def test_reads_are_compiled_once(
    seeded_api: TestClient, sent: StatementCounter, slugs: tuple[str, str]
) -> None:
    group, source = slugs
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


def test_hot_reads_send_statements_built_once(
    seeded_api: TestClient, seeded: Engine, slugs: tuple[str, str]
) -> None:
    """Building a statement and its cache key costs more than running it (3 ms for a union of
    the facts' five types): the hot reads send the same statement objects on every request."""
    group, source = slugs
    paths = [
        f"/organizations/{group}",
        f"/organizations/{group}/timeline",
        f"/organizations/{group}/network?depth=2",
        "/search?q=maqdis",
        "/facts?evidence=article-only",
        "/facts?evidence=referenced&offset=1",
        f"/sources/{source}/facts",
    ]
    sent: list[object] = []

    def sending(_conn: object, clause: object, *_: object) -> None:
        sent.append(clause)

    for path in paths:
        sent.clear()
        event.listen(seeded, "before_execute", sending)
        try:
            for _ in range(2):
                assert seeded_api.get(path).status_code == 200, path
        finally:
            event.remove(seeded, "before_execute", sending)
        first, second = sent[: len(sent) // 2], sent[len(sent) // 2 :]
        assert len(first) == len(second) > 0, path
        built = [
            str(clause)[:80] for a, clause in zip(first, second, strict=True) if a is not clause
        ]
        assert built == [], path
