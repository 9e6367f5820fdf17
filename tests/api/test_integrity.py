"""Every fact keeps a citation: deletes that would strip one are refused unless they cascade."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import Source
from tests.factories import add_organization, add_source, cite, current


@pytest.fixture
def common(session: Session) -> Source:
    """A source that supports two groups, Left and Right."""
    source = add_source(session, "Common")
    add_organization(session, "Left", source)
    add_organization(session, "Right", source)
    return source


def _relate(client: TestClient, *citations: dict[str, object]) -> int:
    created = client.post(
        "/relationships",
        json={"subject": "left", "object": "right", "type": "ally", "citations": list(citations)},
    )
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


def test_deleting_a_facts_only_source_is_a_409_naming_the_fact(
    client: TestClient, session: Session, common: Source
) -> None:
    only = add_source(session, "Only")
    relationship = _relate(client, cite(only))
    response = client.delete(f"/sources/{only.id}", headers=current(client, f"/sources/{only.id}"))
    assert response.status_code == 409
    problem = response.json()
    assert [(f["type"], f["id"]) for f in problem["facts"]] == [("relationship", relationship)]
    assert "Left — ally → Right" in problem["detail"]
    assert client.get(f"/relationships/{relationship}").status_code == 200


def test_a_source_whose_facts_have_other_support_can_go(
    client: TestClient, session: Session, common: Source
) -> None:
    extra = add_source(session, "Extra")
    relationship = _relate(client, cite(common), cite(extra, number=2))
    path = f"/relationships/{relationship}"
    before = client.get(path).headers["etag"]
    assert (
        client.delete(
            f"/sources/{extra.id}", headers=current(client, f"/sources/{extra.id}")
        ).status_code
        == 204
    )
    after = client.get(path)
    assert [c["source"]["id"] for c in after.json()["citations"]] == [common.id]
    assert after.headers["etag"] != before  # its citations changed, so its version did


def test_cascading_removes_the_facts_resting_on_the_source_alone(
    client: TestClient, session: Session, common: Source
) -> None:
    only = add_source(session, "Only")
    relationship = _relate(client, cite(only))
    since = client.get("/changes?limit=1000").json()["next_since"]
    response = client.delete(
        f"/sources/{only.id}?cascade=true", headers=current(client, f"/sources/{only.id}")
    )
    assert response.status_code == 204
    assert client.get(f"/relationships/{relationship}").status_code == 404
    assert client.get("/organizations/left").status_code == 200
    feed = client.get(f"/changes?since={since}").json()["items"]
    assert {(c["resource"], c["item_id"], c["action"]) for c in feed} == {
        ("relationship", relationship, "delete"),
        ("source", only.id, "delete"),
    }


def test_removing_the_last_citation_of_a_fact_is_refused(
    client: TestClient, session: Session, common: Source
) -> None:
    path = "/organizations/left"
    response = client.patch(path, json={"citations": []}, headers=current(client, path))
    assert response.status_code == 422
    assert len(client.get(path).json()["citations"]) == 1


def test_deleting_an_entity_with_relationships_cascades_when_asked(
    client: TestClient, session: Session, common: Source
) -> None:
    relationship = _relate(client, cite(common))
    path = "/organizations/left"
    assert client.delete(path, headers=current(client, path)).status_code == 409
    assert client.delete(f"{path}?cascade=true", headers=current(client, path)).status_code == 204
    assert client.get(f"/relationships/{relationship}").status_code == 404
    assert client.get("/organizations/right").status_code == 200


def test_slugs_stay_stable_when_names_change(client: TestClient, common: Source) -> None:
    path = "/organizations/left"
    renamed = client.patch(path, json={"name": "Leftward Brigade"}, headers=current(client, path))
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["slug"] == "left"
    assert client.get(path).json()["name"] == "Leftward Brigade"
