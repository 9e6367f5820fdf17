"""The network: nodes and edges within a depth, Cytoscape.js-shaped JSON or GraphML, capped."""

from typing import Any
from xml.etree import ElementTree

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from app.models import Relationship, RelationshipType, SourceKind
from app.schemas.network import Network
from app.services.network import RELEVANCE
from tests.conftest import StatementCounter, assert_cost_flat, plan_as_at_scale, work_done
from tests.factories import add_many, add_organization, add_source, cite


@pytest.fixture
def chain(client: TestClient, session: Session) -> None:
    """A -ally-> B -opponent-> C -ally-> D, and A -opponent-> E (from 2016)."""
    source = add_source(session)
    ids = {name: add_organization(session, name, source).id for name in "ABCDE"}
    for subject, type_, object_, period in [
        ("A", "ally", "B", None),
        ("B", "opponent", "C", None),
        ("C", "ally", "D", None),
        ("A", "opponent", "E", {"start": "2016", "end": ".."}),
    ]:
        body = {
            "subject": ids[subject],
            "object": ids[object_],
            "type": type_,
            "citations": [cite(source, 4)],
        }
        if period:
            body["period"] = period
        assert client.post("/relationships", json=body).status_code == 201


def _labels(body: dict) -> set[str]:
    return {node["data"]["label"] for node in body["elements"]["nodes"]}


def _network(client: TestClient, ref: str = "a", **params: Any) -> dict[str, Any]:
    """The network's JSON, checked to be exactly what the documented schema describes."""
    response = client.get(f"/organizations/{ref}/network", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body: dict[str, Any] = response.json()
    assert Network.model_validate(body, by_name=True).model_dump(mode="json") == body
    return body


def _edges(body: dict) -> dict[tuple[str, str], dict[str, Any]]:
    """Edges by (subject label, object label)."""
    labels = {node["data"]["id"]: node["data"]["label"] for node in body["elements"]["nodes"]}
    return {
        (labels[e["data"]["source"]], labels[e["data"]["target"]]): e["data"]
        for e in body["elements"]["edges"]
    }


def test_depth_one_is_the_direct_neighbours(client: TestClient, chain: None) -> None:
    body = client.get("/organizations/a/network").json()
    assert _labels(body) == {"A", "B", "E"}
    assert body["center"] == next(
        n["data"]["id"] for n in body["elements"]["nodes"] if n["data"]["label"] == "A"
    )
    assert body["limits"]["truncated"] is False


def test_depth_three_reaches_the_end_of_the_chain(client: TestClient, chain: None) -> None:
    body = client.get("/organizations/a/network", params={"depth": 3}).json()
    assert _labels(body) == set("ABCDE")
    depths = {n["data"]["label"]: n["data"]["depth"] for n in body["elements"]["nodes"]}
    assert depths == {"A": 0, "B": 1, "E": 1, "C": 2, "D": 3}


def test_edges_reference_nodes_and_carry_citations(client: TestClient, chain: None) -> None:
    body = _network(client, depth=2)
    node_ids = {node["data"]["id"] for node in body["elements"]["nodes"]}
    assert body["elements"]["edges"]
    for edge in body["elements"]["edges"]:
        assert {edge["data"]["source"], edge["data"]["target"]} <= node_ids
        citation = edge["data"]["citations"][0]
        assert citation["reference_number"] == 4
        assert body["sources"][str(citation["source_id"])]["title"] == "A report"
        assert "quote" not in citation  # on GET /relationships/{id}, not on every edge
        assert edge["data"]["evidence"] == {"sources": 1, "article_only": False}


def test_each_cited_source_is_sent_once(client: TestClient, session: Session) -> None:
    """Edges carry references; the sources they cite are listed once, and only those."""
    report = add_source(session, "Shared report")
    article = add_source(session, "The article", kind=SourceKind.ARTICLE)
    add_source(session, "Cited by nothing here")
    hub = add_organization(session, "Hub", report)
    for index in range(3):
        other = add_organization(session, f"Ally {index}", report)
        citations = [cite(report, 7), cite(article, None)] if index else [cite(article, None)]
        body = {"subject": hub.id, "object": other.id, "type": "ally", "citations": citations}
        assert client.post("/relationships", json=body).status_code == 201
    body = _network(client, "hub")
    assert {source["title"] for source in body["sources"].values()} == {
        "Shared report",
        "The article",
    }
    assert all(key == str(source["id"]) for key, source in body["sources"].items())
    evidence = sorted(
        (len(e["data"]["citations"]), e["data"]["evidence"]["article_only"])
        for e in body["elements"]["edges"]
    )
    assert evidence == [(1, True), (2, False), (2, False)]
    for edge in body["elements"]["edges"]:
        numbers = [c["reference_number"] for c in edge["data"]["citations"]]
        assert numbers == sorted(numbers, key=lambda n: (n is None, n or 0))  # numbered first


def test_types_and_as_of_filter_the_walk(client: TestClient, chain: None) -> None:
    allies = client.get("/organizations/a/network", params={"depth": 3, "type": "ally"}).json()
    assert _labels(allies) == {"A", "B"}
    before = client.get("/organizations/a/network", params={"as_of": "2015"}).json()
    assert _labels(before) == {"A", "B"}
    after = client.get(
        "/organizations/a/network", params={"as_of": "2017", "certainty": "certain"}
    ).json()
    assert _labels(after) == {"A", "E"}


def test_depth_over_the_cap_is_a_422(client: TestClient, chain: None) -> None:
    assert client.get("/organizations/a/network", params={"depth": 4}).status_code == 422


def test_node_cap_truncates_and_says_so(app: FastAPI, client: TestClient, chain: None) -> None:
    app.state.settings.network_max_nodes = 2
    body = _network(client, depth=3)
    assert len(body["elements"]["nodes"]) == 2
    assert _labels(body) == {"A", "B"}  # the ally before the opponent
    assert body["limits"]["truncated"] is True
    assert body["limits"]["max_nodes"] == 2


def test_edge_cap_truncates_and_keeps_the_closest_ties(
    app: FastAPI, client: TestClient, chain: None
) -> None:
    app.state.settings.network_max_edges = 1
    body = _network(client, depth=3)
    assert list(_edges(body)) == [("A", "B")]
    assert body["limits"]["truncated"] is True
    app.state.settings.network_max_edges = 4
    assert _network(client, depth=3)["limits"]["truncated"] is False  # exactly fits


def test_a_hub_is_cut_to_its_closest_ties_in_order(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    source = add_source(session)
    hub = add_organization(session, "Hub", source)
    kinds = ["active_in", "member", "opponent", "ally"] * 3  # created least relevant first
    for index, type_ in enumerate(kinds):
        other = add_organization(session, f"{type_} {index}", source)
        ends = (other.id, hub.id) if index % 2 else (hub.id, other.id)  # either direction
        body = {"subject": ends[0], "object": ends[1], "type": type_, "citations": [cite(source)]}
        assert client.post("/relationships", json=body).status_code == 201
    app.state.settings.network_max_nodes = 7
    body = _network(client, "hub")
    assert [e["data"]["type"] for e in body["elements"]["edges"]] == ["ally"] * 3 + ["opponent"] * 3
    assert body["limits"]["truncated"] is True
    app.state.settings.network_max_nodes = 500
    types = [e["data"]["type"] for e in _network(client, "hub")["elements"]["edges"]]
    assert types == sorted(types, key=lambda t: RELEVANCE.index(t))
    assert len(types) == 12


def test_every_type_of_tie_has_its_place_in_the_order_of_relevance() -> None:
    """A hop reads its ties type by type in this order: a type left out would never be read."""
    assert sorted(RELEVANCE) == sorted(RelationshipType)
    assert len(set(RELEVANCE)) == len(RELEVANCE)


def test_a_hub_s_less_relevant_ties_cost_nothing_when_the_first_fill_the_page(
    app: FastAPI, client: TestClient, session: Session, connection: Connection
) -> None:
    """A hop reads its ties type by type, most relevant first, and stops when the page is full:
    a hub's members are neither read nor sorted when its allies fill it, so hundreds more of
    them leave the work unchanged. Counted on SQLite in its virtual machine's instructions, on
    PostgreSQL in the rows and index entries the transaction read (its sort looks one type
    further on, to see the allies end: the one opponent)."""
    source = add_source(session)
    hub = add_organization(session, "Hub", source)
    allies = [add_organization(session, f"Ally {index}", source) for index in range(4)]
    enemy = add_organization(session, "Enemy", source)

    def add_members(count: int) -> None:
        add_many(
            session,
            count,
            lambda member: Relationship(
                subject_id=member.id, object_id=hub.id, type=RelationshipType.MEMBER
            ),
        )
        plan_as_at_scale(connection, "relationships")

    for ally in allies:
        session.add(Relationship(subject_id=ally.id, object_id=hub.id, type=RelationshipType.ALLY))
    session.add(Relationship(subject_id=hub.id, object_id=enemy.id, type=RelationshipType.OPPONENT))
    add_members(5)
    app.state.settings.network_max_edges = 1  # a page of 3 rows: the allies fill it

    def cost() -> int:
        with work_done(connection, "relationships") as work:
            body = _network(client, "hub")
        assert [e["data"]["type"] for e in body["elements"]["edges"]] == ["ally"]
        assert body["limits"]["truncated"] is True
        return work[0]

    assert_cost_flat(cost, lambda: add_members(500))  # the old ranking: 37 times the work


def test_a_hub_cut_by_the_node_cap_asks_only_for_the_ties_it_can_use(
    app: FastAPI, client: TestClient, session: Session, connection: Connection
) -> None:
    """A page's rows are each read from the table, and PostgreSQL sends a page whole: a walk
    that the node cap cuts asks for twice the nodes left and one more, not for what the edge
    cap (400 by default) would allow."""
    source = add_source(session)
    hub = add_organization(session, "Hub", source)
    for index in range(30):
        ally = add_organization(session, f"Ally {index}", source)
        session.add(Relationship(subject_id=hub.id, object_id=ally.id, type=RelationshipType.ALLY))
    session.commit()
    app.state.settings.network_max_nodes = 4
    pages: list[int] = []

    def asked(_conn: Any, _clause: Any, multiparams: Any, params: Any, _options: Any) -> None:
        for parameters in [*multiparams, params]:
            if isinstance(parameters, dict) and "frontier" in parameters:
                pages.append(parameters["limit"])

    event.listen(connection, "before_execute", asked)
    try:
        body = _network(client, "hub", depth=1)
    finally:
        event.remove(connection, "before_execute", asked)
    assert _labels(body) == {"Hub", "Ally 0", "Ally 1", "Ally 2"}
    assert body["limits"]["truncated"] is True
    assert pages == [2 * 3 + 1]


def test_a_frontier_tied_among_itself_is_read_past_the_first_page(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    """The first page of a hop is sized as if each tie brought a node. Where the frontier's
    ties among itself come first and fill it, the walk reads on, and the cut keeps the same
    ties, in the same order, as a walk that does not cut."""
    source = add_source(session)
    hub = add_organization(session, "Hub", source)
    allies = [add_organization(session, f"Ally {index}", source) for index in range(4)]
    ties = [(hub, ally, RelationshipType.ALLY) for ally in allies]
    ties += [(a, b, RelationshipType.ALLY) for i, a in enumerate(allies) for b in allies[i + 1 :]]
    for index, ally in enumerate(allies):  # less relevant than the allies: read after them
        enemy = add_organization(session, f"Enemy {index}", source)
        ties.append((ally, enemy, RelationshipType.OPPONENT))
    for subject, object_, type_ in ties:
        session.add(Relationship(subject_id=subject.id, object_id=object_.id, type=type_))
    session.commit()
    whole = list(_edges(_network(client, "hub", depth=2)))
    assert len(whole) == len(ties)
    for nodes in range(6, 10):  # the second hop's first page: 4 + 2 * (nodes - 5) + 1 rows
        app.state.settings.network_max_nodes = nodes
        cut = _network(client, "hub", depth=2)
        kept = list(_edges(cut))
        assert kept == whole[: 4 + 6 + nodes - 5], nodes
        assert len(cut["elements"]["nodes"]) == nodes
        assert cut["limits"]["truncated"] is (nodes < 9)


def test_a_moment_reads_on_past_the_ties_that_did_not_hold(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    """The most relevant ties come first, so those that did not hold fill whole pages first."""
    source = add_source(session)
    hub = add_organization(session, "Hub", source)
    for index, (type_, period) in enumerate(
        [("ally", {"start": "2000", "end": "2001"})] * 10
        + [("opponent", {"start": "2013", "end": "2015"})] * 3
    ):
        other = add_organization(session, f"{type_} {index}", source)
        body = {
            "subject": hub.id,
            "object": other.id,
            "type": type_,
            "period": period,
            "citations": [cite(source)],
        }
        assert client.post("/relationships", json=body).status_code == 201
    app.state.settings.network_max_edges = 2  # pages of 5 rows, then 10
    cut = _network(client, "hub", as_of="2014")
    assert [e["data"]["type"] for e in cut["elements"]["edges"]] == ["opponent"] * 2
    assert cut["limits"]["truncated"] is True
    app.state.settings.network_max_edges = 3
    whole = _network(client, "hub", as_of="2014")
    assert [e["data"]["type"] for e in whole["elements"]["edges"]] == ["opponent"] * 3
    assert whole["limits"]["truncated"] is False


def test_certainty_as_of_matches_the_profile(client: TestClient, session: Session) -> None:
    source = add_source(session)
    hub = add_organization(session, "Hub", source)
    periods: dict[str, dict[str, str]] = {
        "Exact": {"start": "2013-01-01", "end": "2014-12-31"},
        "Fuzzy": {"start": "[2012,2013]", "end": "2015-04"},
        "Open": {"start": "2016", "end": ".."},
        "Unknown end": {"start": "2010", "end": ""},
        "Undated": {},
    }
    for name, period in periods.items():
        other = add_organization(session, name, source)
        body: dict[str, Any] = {
            "subject": hub.id,
            "object": other.id,
            "type": "ally",
            "citations": [cite(source)],
        }
        if period:
            body["period"] = period
        assert client.post("/relationships", json=body).status_code == 201
    for params in [{"as_of": "2014-06-15"}, {"as_of": "2017", "certainty": "certain"}, {}]:
        profile = client.get("/organizations/hub", params=params).json()
        expected = {link["other"]["name"]: link["certainty"] for link in profile["relationships"]}
        network = _edges(_network(client, "hub", **params))
        assert {target: edge["certainty"] for (_, target), edge in network.items()} == expected
        for (_, target), edge in network.items():
            link = next(x for x in profile["relationships"] if x["other"]["name"] == target)
            assert edge["period"] == link["period"]


def test_statements_do_not_grow_with_the_network(
    client: TestClient, session: Session, chain: None, count_statements: StatementCounter
) -> None:
    def statements() -> int:
        session.commit()
        before = count_statements.count
        _network(client, depth=3)
        return count_statements.count - before

    small = statements()
    source = add_source(session, "More")
    for index in range(20):
        other = add_organization(session, f"Spoke {index}", source)
        body = {"subject": other.id, "object": "b", "type": "member", "citations": [cite(source)]}
        assert client.post("/relationships", json=body).status_code == 201
    assert statements() == small


@pytest.mark.parametrize(
    ("params", "headers"),
    [
        ({"depth": 2, "format": "graphml"}, {}),
        ({"depth": 2}, {"Accept": "application/graphml+xml"}),
    ],
)
def test_graphml_on_request(
    client: TestClient, chain: None, params: dict[str, object], headers: dict[str, str]
) -> None:
    response = client.get("/organizations/a/network", params=params, headers=headers)
    assert response.headers["content-type"].startswith("application/graphml+xml")
    root = ElementTree.fromstring(response.content)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == 4
    assert len(root.findall(".//g:edge", ns)) == 3
