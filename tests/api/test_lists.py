"""Lists at any size: each order they offer read from an index, and a total counted only as far
as a page could reach, so that a page costs the same whatever the size of the list."""

import itertools
import typing

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from app.models import Citation, Organization, Relationship, RelationshipType, Source, SourceKind
from app.services import paging
from app.services.entities import EntitySort
from app.services.provenance import Evidence, list_facts
from app.services.relationships import RelationshipSort
from app.services.sources import SourceSort
from tests.conftest import assert_cost_flat, plan_as_at_scale, statements_sent, work_done
from tests.factories import add_many, add_organization, add_source, every_page

COUNTED = 3  # matches counted past a page's offset, in these tests
# The path of each list, and what tells its items apart.
LISTS = {
    "/organizations": lambda item: item["id"],
    "/relationships": lambda item: item["id"],
    "/sources": lambda item: item["id"],
    "/facts": lambda item: (item["type"], item["id"]),
}
SORTS = {
    **{path: typing.get_args(EntitySort) for path in ("/organizations", "/people", "/events")},
    "/places": typing.get_args(EntitySort),
    "/relationships": typing.get_args(RelationshipSort),
    # Not by title: no index can hold every title on PostgreSQL (see the Source model).
    "/sources": tuple(sort for sort in typing.get_args(SourceSort) if "title" not in sort),
}


@pytest.fixture
def counted_briefly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paging, "COUNTED_PAST_OFFSET", COUNTED)


@pytest.fixture
def crowd(session: Session) -> None:
    """Eight organizations, each cited to a source of its own, allied in a chain of seven."""
    members = [
        add_organization(session, f"Member {index}", add_source(session, f"Report {index}"))
        for index in range(8)
    ]
    for left, right in itertools.pairwise(members):
        session.add(Relationship(subject_id=left.id, object_id=right.id, type="ally"))
    session.commit()


@pytest.mark.usefixtures("crowd", "counted_briefly")
@pytest.mark.parametrize("path", LISTS)
def test_a_long_list_gives_no_total_but_its_links_lead_to_every_item(
    client: TestClient, path: str
) -> None:
    """Past ``COUNTED`` matches beyond the offset a page has no total, no ``last`` link and no
    ``X-Total-Count``; once no more than that remain, the total is exact again."""
    pages = every_page(client, f"{path}?limit=2")
    key = LISTS[path]
    seen = [key(item) for page in pages for item in page["items"]]
    assert len(seen) == len(set(seen)) > 2 * COUNTED
    for page in pages:
        remaining = len(seen) - page["offset"]
        if remaining > COUNTED:
            assert page["total"] is None
            assert "x-total-count" not in page["headers"]
            assert set(page["links"]) == {"first", "next"} | ({"prev"} if page["offset"] else set())
        else:
            assert page["total"] == len(seen)
            assert page["headers"]["x-total-count"] == str(len(seen))
            assert "last" in page["links"]
    assert pages[0]["total"] is None
    assert pages[-1]["total"] == len(seen)


@pytest.mark.usefixtures("counted_briefly")
def test_a_count_stops_past_what_a_page_could_reach(
    session: Session, connection: Connection
) -> None:
    """Counting what a list matches costs the database the same with 20 matches or 420: it stops
    past ``COUNTED`` beyond the page. Without the bound, it reads every match."""
    source = add_source(session)
    hub = add_organization(session, "Hub", source)
    everything = select(Relationship.id)

    def tie(other: Organization) -> Relationship:
        return Relationship(subject_id=hub.id, object_id=other.id, type=RelationshipType.ALLY)

    def cost() -> int:
        with work_done(connection, "relationships") as work:
            assert paging.bounded_count(session, everything, limit=2, offset=4) is None
        return work[0]

    add_many(session, 20, tie)
    assert_cost_flat(cost, lambda: add_many(session, 400, tie))
    assert paging.bounded_count(session, everything, limit=2, offset=420 - COUNTED) == 420


@pytest.mark.usefixtures("counted_briefly")
@pytest.mark.parametrize(
    ("evidence", "kind"),
    [(None, SourceKind.WEB), ("referenced", SourceKind.WEB), ("article-only", SourceKind.ARTICLE)],
)
def test_a_page_of_facts_costs_the_same_among_20_or_420(
    session: Session, connection: Connection, evidence: Evidence | None, kind: SourceKind
) -> None:
    """A page of facts groups the citations of the first facts of each type, and its count those
    of a few more: with 400 more cited facts, the database does about the same work."""
    source = add_source(session, kind=kind)

    def cited(count: int) -> None:
        add_many(session, count, lambda fact: Citation(source_id=source.id, entity_id=fact.id))
        plan_as_at_scale(connection, "citations")  # a page at L: 18-43 ms, 7-15 s before

    def cost() -> int:
        with work_done(connection, "citations") as work:
            page, total = list_facts(session, evidence=evidence, limit=2, offset=0)
        assert len(page) == 2
        assert total is None
        return work[0]

    cited(20)
    assert_cost_flat(cost, lambda: cited(400))


@pytest.mark.usefixtures("crowd")
@pytest.mark.parametrize(
    ("path", "sort"), [(path, s) for path, sorts in SORTS.items() for s in sorts]
)
def test_every_order_a_list_offers_is_read_from_an_index(
    client: TestClient, connection: Connection, path: str, sort: str
) -> None:
    """The statement that picks a page (ORDER BY … LIMIT) is answered in order by an index, not
    by sorting every match: on SQLite its plan uses no temporary B-tree for the ORDER BY or a
    part of it, on PostgreSQL it has no sort even when sorting is all but forbidden."""
    with statements_sent(connection) as sent:
        assert client.get(path, params={"sort": sort, "limit": 2}).status_code == 200
    pages = [
        (statement, parameters)
        for statement, parameters in zip(sent.statements, sent.parameters, strict=True)
        if "ORDER BY" in statement and "LIMIT" in statement
    ]
    assert pages, sent.statements
    sqlite = connection.dialect.name == "sqlite"
    if not sqlite:  # until the test's transaction ends
        connection.exec_driver_sql("SET LOCAL enable_sort = off")
        connection.exec_driver_sql("SET LOCAL enable_incremental_sort = off")
    for statement, parameters in pages:
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
        plan = "\n".join(
            str(row[-1]) for row in connection.exec_driver_sql(prefix + statement, parameters)
        )
        # Nor for a part of it (ties sorted after an index's order): a bulk import writes
        # thousands of rows in the same instant.
        assert ("USE TEMP B-TREE FOR" if sqlite else "Sort") not in plan, plan


def test_the_orders_left_out_above_are_only_those_no_index_can_hold() -> None:
    assert set(typing.get_args(SourceSort)) - set(SORTS["/sources"]) == {"title", "-title"}
    assert Source.__table__.c.title.type.length == 1000  # type: ignore[attr-defined]
