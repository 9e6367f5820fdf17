"""The network: nodes and edges within a depth, Cytoscape.js-shaped JSON or GraphML, capped."""

from xml.etree import ElementTree

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import add_organization, add_source, cite


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
    body = client.get("/organizations/a/network", params={"depth": 2}).json()
    node_ids = {node["data"]["id"] for node in body["elements"]["nodes"]}
    assert body["elements"]["edges"]
    for edge in body["elements"]["edges"]:
        assert {edge["data"]["source"], edge["data"]["target"]} <= node_ids
        assert edge["data"]["citations"][0]["reference_number"] == 4


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
    body = client.get("/organizations/a/network", params={"depth": 3}).json()
    assert len(body["elements"]["nodes"]) == 2
    assert body["limits"]["truncated"] is True
    assert body["limits"]["max_nodes"] == 2


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
