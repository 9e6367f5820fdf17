"""`as_of` answers what held at a moment, honest about uncertain dates."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import add_organization, add_source, cite


@pytest.fixture
def dated(client: TestClient, session: Session) -> dict[str, int]:
    """A hub with allies over known, uncertain, open and unknown periods."""
    source = add_source(session)
    hub = add_organization(session, "Hub", source)
    periods: dict[str, dict[str, str]] = {
        "Exact": {"start": "2013-01-01", "end": "2014-12-31"},
        "Fuzzy": {"start": "[2012,2013]", "end": "2015-04"},
        "Open": {"start": "2016", "end": ".."},
        "Unknown end": {"start": "2010", "end": ""},
        "Undated": {},
    }
    ids = {}
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
        response = client.post("/relationships", json=body)
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    return ids


def _allies(client: TestClient, **params: str) -> dict[str, str]:
    response = client.get("/organizations/hub", params=params)
    assert response.status_code == 200, response.text
    return {link["other"]["name"]: link["certainty"] for link in response.json()["relationships"]}


def test_possible_includes_every_fact_whose_bounds_allow_the_day(
    client: TestClient, dated: dict[str, int]
) -> None:
    assert _allies(client, as_of="2014-06-15") == {
        "Exact": "certain",
        "Fuzzy": "certain",
        "Unknown end": "possible",
        "Undated": "possible",
    }


def test_certain_keeps_only_facts_whose_bounds_require_the_day(
    client: TestClient, dated: dict[str, int]
) -> None:
    assert _allies(client, as_of="2014-06-15", certainty="certain") == {
        "Exact": "certain",
        "Fuzzy": "certain",
    }


def test_a_year_is_taken_as_the_whole_year(client: TestClient, dated: dict[str, int]) -> None:
    assert set(_allies(client, as_of="2015")) == {"Fuzzy", "Unknown end", "Undated"}
    assert _allies(client, as_of="2013", certainty="certain") == {"Exact": "certain"}


def test_an_open_end_holds_long_after(client: TestClient, dated: dict[str, int]) -> None:
    assert _allies(client, as_of="2030-01-01", certainty="certain") == {"Open": "certain"}


def test_without_as_of_everything_is_listed_without_certainty(
    client: TestClient, dated: dict[str, int]
) -> None:
    everything = _allies(client)
    assert len(everything) == 5
    assert set(everything.values()) == {None}


def test_relationship_list_takes_as_of_too(client: TestClient, dated: dict[str, int]) -> None:
    body = client.get(
        "/relationships", params={"entity": "hub", "as_of": "2017-06", "certainty": "certain"}
    ).json()
    assert [(r["object"]["name"], r["certainty"]) for r in body["items"]] == [("Open", "certain")]


@pytest.mark.parametrize("value", ["yesterday", "2015-13", "", "../2015", "2015-02-30"])
def test_a_malformed_moment_is_a_422(client: TestClient, value: str) -> None:
    response = client.get("/relationships", params={"as_of": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "as_of"
