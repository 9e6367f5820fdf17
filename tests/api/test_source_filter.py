"""The sources' ``title`` and ``publisher`` filters: the sources whose title (or translated
title), or publisher, contains the text in any case, found through the trigram index of those
columns when they are few, on both databases."""

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from app.services import paging, sources
from app.services.sources import list_sources
from tests.conftest import assert_cost_flat, plan_as_at_scale, statements_sent, work_done
from tests.factories import add_source, current, every_page

# Upper case only in ASCII letters: SQLite's lower() folds those alone, PostgreSQL's every
# letter, and the filter is each database's lower().
SOURCES: list[dict[str, Any]] = [
    {"title": "Siege of Yarmouk", "publisher": "Reuters"},
    {
        "title": "حصار اليرموك",
        "translated_title": "The SIEGE of Yarmouk",
        "publisher": "Al Jazeera",
    },
    {"title": 'Kata\'ib 100% "Free"', "publisher": "Long War Journal"},
    {"title": "Jaysh_al-Islam statement", "publisher": "Jihadology"},
    {"title": "Back\\slash report", "publisher": None},
    {
        "title": "Le siège de Daraa",
        "translated_title": "The siege of Daraa",
        "publisher": "L'Orient",
    },
    {"title": "Untitled", "translated_title": None, "publisher": "reuters.com"},
]
TEXTS = [
    "siege", "SIEGE", "yarmouk", "اليرموك", "100%", "%", "_", "h_a", "\\", "k\\r", '"free"',
    "'ib", "siège", "È", "è", "of d", "reuters", "jazeera", "olj", "si", "a", "zzz", "untitled",
]  # fmt: skip
SORTS = ["id", "-id", "title", "-title", "published", "-published"]


@pytest.fixture
def titled(session: Session) -> dict[int, dict[str, Any]]:
    """The sources above (and one published date each), by id."""
    known = {}
    for day, fields in enumerate(SOURCES, start=1):
        source = add_source(session, published_date=date(2015, 3, day % 4 + 1), **fields)
        known[source.id] = fields
    session.commit()
    return known


def _found(client: TestClient, *, counted: bool = True, **params: str) -> list[int]:
    response = client.get("/sources", params={**params, "limit": 100})
    assert response.status_code == 200, response.text
    page = response.json()
    if counted:
        assert page["total"] == len(page["items"])
    return [item["id"] for item in page["items"]]


def _expected(known: dict[int, dict[str, Any]], name: str, text_: str) -> set[int]:
    columns = ("title", "translated_title") if name == "title" else ("publisher",)
    return {
        source_id
        for source_id, fields in known.items()
        if any(text_.lower() in (fields.get(column) or "").lower() for column in columns)
    }


@pytest.mark.parametrize(
    ("scan", "many"),
    [(sources.TITLED_SCAN, False), (0, False), (0, True)],
    ids=["through the index", "walked", "walked, too many to count"],
)
def test_the_filters_keep_the_sources_whose_columns_contain_the_text(
    client: TestClient,
    titled: dict[int, dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    scan: int,
    many: bool,
) -> None:
    """Every text, through the index (few matches) or by walking the list (many): the same
    sources as reading their columns, with LIKE's own characters taken as they are; both
    filters at once keep the sources that meet both."""
    monkeypatch.setattr(sources, "TITLED_SCAN", scan)
    if many:  # whatever the index finds is more than the page counts
        monkeypatch.setattr(sources, "counted_rows", lambda limit, offset: -1)
    for text_ in TEXTS:
        counted = not many or len(text_) < 3  # a short text is not looked up: the walk counts
        for name in ("title", "publisher"):
            found = _found(client, counted=counted, **{name: text_})
            assert set(found) == _expected(titled, name, text_), (name, text_)
        # The publisher's text is looked up, the title's checked with it: the look-up counts.
        both = _found(client, counted=not many, title=text_, publisher="reuters")
        expected = _expected(titled, "title", text_) & _expected(titled, "publisher", "reuters")
        assert set(both) == expected, text_


def test_through_the_index_the_pages_are_those_of_the_walk(
    client: TestClient, titled: dict[int, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In every order, page by page and past the last one: the same sources and total whether
    the index found them (one pass, sorted and counted by the database) or the list walked."""

    def pages() -> list[tuple[list[int], int | None]]:
        seen = []
        for sort in SORTS:
            for offset in range(5):
                params = {"title": "siege", "sort": sort, "limit": 2, "offset": offset}
                page = client.get("/sources", params=params).json()
                seen.append(([item["id"] for item in page["items"]], page["total"]))
        return seen

    indexed = pages()
    monkeypatch.setattr(sources, "TITLED_SCAN", 0)
    assert indexed == pages()
    matching = sorted(_expected(titled, "title", "siege"))
    assert {total for _, total in indexed} == {len(matching)} == {3}
    assert [ids for ids, _ in indexed[:5]] == [matching[offset : offset + 2] for offset in range(5)]


def test_the_filter_follows_the_sources_as_they_change(
    client: TestClient, session: Session, titled: dict[int, dict[str, Any]]
) -> None:
    """A source created, retitled through the API or in place, or deleted: the index follows."""
    created = client.post("/sources", json={"title": "Needle in Idlib", "kind": "report"})
    assert created.status_code == 201, created.text
    path = f"/sources/{created.json()['id']}"
    assert _found(client, title="needle") == [created.json()["id"]]
    renamed = client.patch(
        path, json={"title": "Haystack", "publisher": "Needle Press"}, headers=current(client, path)
    )
    assert renamed.status_code == 200, renamed.text
    assert _found(client, title="needle") == []
    assert _found(client, publisher="needle") == [created.json()["id"]]
    session.execute(text("UPDATE sources SET translated_title = 'Thread' WHERE title = 'Haystack'"))
    assert _found(client, title="threa") == [created.json()["id"]]
    assert client.delete(path, headers=current(client, path)).status_code == 204
    assert _found(client, title="threa") == []
    assert _found(client, publisher="needle") == []


def test_a_rare_title_costs_the_same_among_20_or_420(
    session: Session, connection: Connection
) -> None:
    """A text only one title holds is looked up in the index: with 400 more sources, the
    database does about the same work. Walking the list, it read them all."""
    add_source(session, "Needle report")

    def cost() -> int:
        plan_as_at_scale(connection, "sources")
        with work_done(connection, "sources") as work:
            page, total = list_sources(session, title="needle", limit=5, offset=0)
        assert ([source.title for source in page], total) == (["Needle report"], 1)
        return work[0]

    def crowd(count: int) -> None:
        for _ in range(count):
            add_source(session, "Crowd report", publisher="Crowd")
        session.commit()

    crowd(20)
    assert_cost_flat(cost, lambda: crowd(400))


@pytest.mark.parametrize("scan", [4, sources.TITLED_SCAN], ids=["walked", "through the index"])
def test_more_matches_than_a_page_counts_are_not_counted(
    client: TestClient,
    session: Session,
    connection: Connection,
    monkeypatch: pytest.MonkeyPatch,
    scan: int,
) -> None:
    """More sources match than a page would count: no total, as the bounded count says, and
    the links still lead to every match once. Walked (more match than the index is read for),
    the list does not count them at all."""
    monkeypatch.setattr(sources, "TITLED_SCAN", scan)
    monkeypatch.setattr(paging, "COUNTED_PAST_OFFSET", 3)
    matching = [add_source(session, f"Report {index}").id for index in range(8)]
    session.commit()
    with statements_sent(connection) as sent:
        first = client.get("/sources", params={"title": "report", "limit": 2})
    assert first.json()["total"] is None
    assert not [statement for statement in sent.statements if statement.startswith("SELECT count(")]
    pages = every_page(client, "/sources?title=report&limit=2")
    seen = [item["id"] for page in pages for item in page["items"]]
    assert sorted(seen) == matching
    assert pages[-1]["total"] == len(matching)


@pytest.mark.parametrize("name", ["title", "publisher"])
def test_a_nul_in_the_text_is_a_422_naming_the_field(client: TestClient, name: str) -> None:
    """A NUL can be in no column (PostgreSQL refuses it), and FTS5 took it for the end of its
    query: a 503 saying the database was unreachable, on SQLite. Refused as search refuses it."""
    response = client.get("/sources", params={name: "sie\x00ge"})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == [name]
