"""The lists' ``name=`` filter: the entities a name of which contains the text, in any case,
found through the trigram index of the names when they are few, on both databases."""

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from app.models import EntityKind, EntityName, NameKind, Organization
from app.services import entities, name_filter, paging
from app.services.entities import list_entities
from tests.conftest import assert_cost_flat, plan_as_at_scale, statements_sent, work_done
from tests.factories import add_many, add_organization, add_source, cite, current, every_page

# Display names and other names. Upper case only in ASCII letters: SQLite's lower() folds
# those alone, PostgreSQL's every letter, and the filter is each database's lower().
ORGANIZATIONS = {
    "Liwa al-Quds": ["LIWA AL-QUDS", "لواء القدس"],
    'Kata\'ib 100% "Free"': ["Katibat al-Ahrar"],
    "Jaysh_al-Islam": ["jaysh al islam"],
    "Back\\slash Front": [],
    "café du Nord": ["Brigade du Nord"],
}
PEOPLE = {"Abu Quds": ["Liwa's man"]}
TEXTS = [
    "liwa", "QUDS", "al-q", "Al-Q", "100%", "%", "_", "h_a", "\\", "k\\s", '"free"', "'ib", "القدس",
    "لواء", "café", "É", "é", "du n", "brigade", "ahrar", "li", "a", "zzz", "front", "s man",
]  # fmt: skip


@pytest.fixture
def named(client: TestClient, session: Session) -> dict[str, set[str]]:
    """The groups and people above, created through the API; each one's names by slug."""
    source = add_source(session)
    known: dict[str, set[str]] = {}
    for path, listed in (("/organizations", ORGANIZATIONS), ("/people", PEOPLE)):
        for name, others in listed.items():
            names = [{"name": other, "citations": [cite(source)]} for other in others]
            body = {"name": name, "names": names, "citations": [cite(source)]}
            created = client.post(path, json=body)
            assert created.status_code == 201, created.text
            known[created.json()["slug"]] = {name, *others}
    return known


def _found(client: TestClient, path: str, name: str, *, counted: bool = True) -> set[str]:
    response = client.get(path, params={"name": name, "limit": 100})
    assert response.status_code == 200, response.text
    page = response.json()
    if counted:
        assert page["total"] == len(page["items"])
    return {item["slug"] for item in page["items"]}


def _expected(known: dict[str, set[str]], slugs: set[str], name: str) -> set[str]:
    return {slug for slug in slugs if any(name.lower() in other.lower() for other in known[slug])}


@pytest.mark.parametrize(
    ("scan", "many"),
    [(name_filter.NAMED_SCAN, False), (0, False), (0, True)],
    ids=["through the index", "walked", "walked, too many to count"],
)
def test_the_filter_keeps_the_entities_a_name_of_which_contains_the_text(
    client: TestClient,
    named: dict[str, set[str]],
    monkeypatch: pytest.MonkeyPatch,
    scan: int,
    many: bool,
) -> None:
    """Every text, through the index (few matches) or by walking the list (many; by the names
    alone when more match than a page counts): the same entities as reading each one's
    names, with LIKE's own characters taken as they are."""
    monkeypatch.setattr(name_filter, "NAMED_SCAN", scan)
    if many:  # whatever the index finds is more than the page counts
        monkeypatch.setattr(entities, "counted_rows", lambda limit, offset: -1)
    people = {slug for slug, names in named.items() if names & set(PEOPLE)}
    for name in TEXTS:
        counted = not many or len(name) < name_filter.TRIGRAM  # short texts are not looked up
        groups = _found(client, "/organizations", name, counted=counted)
        assert groups == _expected(named, set(named) - people, name), name
        found = _found(client, "/people", name, counted=counted)
        assert found == _expected(named, people, name), name


EVENTS = {  # name, other names, start (None: undated)
    "Siege of Quds": (["حصار القدس"], "2014-05"),
    "Battle of Liwa": (["Liwa battle"], "2013"),
    "Quds raid": ([], None),
    "Second siege of Quds": ([], "2014-05"),
    "Market bombing": (["Quds market"], "2016-02"),
}
PAGED = [  # list, sort, filters
    *(("/organizations", sort, {}) for sort in ("name", "-name", "id", "-id", "created_at")),
    ("/organizations", "-created_at", {}),
    *(("/events", sort, {}) for sort in ("date", "-date", "name", "-id")),
    ("/events", "-date", {"from": "2014"}),
]


def test_through_the_first_pass_the_pages_are_those_of_the_walk(
    client: TestClient,
    session: Session,
    named: dict[str, set[str]],
    monkeypatch: pytest.MonkeyPatch,
    connection: Connection,
) -> None:
    """In every order, with another filter or none, page by page and past the last one: the
    same entities and total whether the first pass found them (sorted and counted by the
    database, in one statement and a read of the page) or the list walked."""
    source = add_source(session)
    for name, (others, start) in EVENTS.items():
        body = {
            "name": name,
            "names": [{"name": other, "citations": [cite(source)]} for other in others],
            "date": {"start": start} if start else None,
            "citations": [cite(source)],
        }
        assert client.post("/events", json=body).status_code == 201

    def pages() -> list[tuple[str, list[int], int | None]]:
        seen = []
        for path, sort, filters in PAGED:
            for offset in range(0, 10, 2):  # the last ones past the end
                params = {"name": "quds", "sort": sort, "limit": 2, "offset": offset, **filters}
                with statements_sent(connection) as sent:
                    page = client.get(path, params=params).json()
                reads = [statement for statement in sent.statements if "entities" in statement]
                seen.append((path, [item["id"] for item in page["items"]], page["total"]))
                if name_filter.NAMED_SCAN:  # the pass, then the page's entities if any
                    assert len(reads) == (2 if page["items"] else 1 + (offset > 0)), reads
        return seen

    first = pages()
    monkeypatch.setattr(name_filter, "NAMED_SCAN", 0)
    walked = pages()
    assert first == walked
    groups = {
        slug
        for slug, names in named.items()
        if not names & set(PEOPLE) and any("quds" in other.lower() for other in names)
    }
    assert {total for path, _, total in first if path == "/organizations"} == {len(groups)} == {1}
    # Every order's pages hold each match once, the undated event among them.
    for index in range(0, len(first), 5):
        total = first[index][2]
        ids = [id_ for _, page, _ in first[index : index + 5] for id_ in page]
        assert len(ids) == len(set(ids)) == total, PAGED[index // 5]


def test_the_filter_follows_the_names_as_they_change(
    client: TestClient, session: Session, named: dict[str, set[str]]
) -> None:
    """Names replaced, renamed in place or deleted with their entity: the index follows."""
    slug = next(slug for slug, names in named.items() if "Liwa al-Quds" in names)
    path = f"/organizations/{slug}"
    source = add_source(session)
    names = [{"name": "Saraya Zulfiqar", "citations": [cite(source)]}]
    replaced = client.patch(path, json={"names": names}, headers=current(client, path))
    assert replaced.status_code == 200, replaced.text
    assert _found(client, "/organizations", "zulfiqar") == {slug}
    assert _found(client, "/organizations", "القدس") == set()
    assert _found(client, "/organizations", "liwa al") == {slug}  # the display name stays
    session.execute(
        text("UPDATE entity_names SET name = 'Saraya Qasim' WHERE name = 'Saraya Zulfiqar'")
    )
    assert _found(client, "/organizations", "zulfiqar") == set()
    assert _found(client, "/organizations", "qasim") == {slug}
    client.delete(path, headers=current(client, path))
    assert _found(client, "/organizations", "qasim") == set()


def test_a_rare_name_costs_the_same_among_20_or_420(
    session: Session, connection: Connection
) -> None:
    """A text only one group's name holds is looked up in the index of the names: with 400
    more groups, the database does about the same work. Walking the list, it read them all."""
    add_many(session, 1, _named_as("Liwa Needle"))

    def cost() -> int:
        for table in ("entities", "entity_names"):
            plan_as_at_scale(connection, table)
        with (  # on SQLite, the inner one counts all the work
            work_done(connection, "entities") as on_entities,
            work_done(connection, "entity_names") as on_names,
        ):
            page, total = list_entities(
                session, EntityKind.ORGANIZATION, name="needle", limit=5, offset=0
            )
        assert (len(page), total) == (1, 1)
        return on_entities[0] + on_names[0]

    add_many(session, 20, _named_as("Crowd Brigade"))
    assert_cost_flat(cost, lambda: add_many(session, 400, _named_as("Crowd Brigade")))


def _named_as(name: str) -> Callable[[Organization], EntityName]:
    def row(organization: Organization) -> EntityName:
        organization.name = name
        return EntityName(entity_id=organization.id, name=name, kind=NameKind.OFFICIAL)

    return row


def test_more_matches_than_a_page_counts_are_not_counted(
    client: TestClient, session: Session, connection: Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the names the first pass read (more than it reads in all) belong to more entities
    than a page would count, the list does not count them: no total, no count of its own, and
    its links still lead to every match once. Another filter may take some away, and then the
    list counts."""
    monkeypatch.setattr(name_filter, "NAMED_SCAN", 4)
    monkeypatch.setattr(paging, "COUNTED_PAST_OFFSET", 3)
    source = add_source(session)
    groups = [add_organization(session, f"Brigade {index}", source) for index in range(8)]
    session.commit()
    with statements_sent(connection) as sent:
        first = client.get("/organizations", params={"name": "brigade", "limit": 2})
    assert first.json()["total"] is None
    assert not [statement for statement in sent.statements if statement.startswith("SELECT count(")]
    pages = every_page(client, "/organizations?name=brigade&limit=2")
    seen = [item["id"] for page in pages for item in page["items"]]
    assert sorted(seen) == sorted(group.id for group in groups)
    assert pages[-1]["total"] == len(groups)
    few = {"name": "brigade", "id": [group.id for group in groups[:3]], "limit": 2}
    assert client.get("/organizations", params=few).json()["total"] == 3


@pytest.mark.parametrize("path", ["/organizations", "/people", "/places", "/events"])
def test_a_nul_in_the_name_is_a_422_naming_the_field(client: TestClient, path: str) -> None:
    """A NUL can be in no name (PostgreSQL refuses it), and FTS5 took it for the end of its
    query: a 503 saying the database was unreachable, on SQLite. Refused as search refuses it."""
    response = client.get(path, params={"name": "liw\x00a"})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["name"]
