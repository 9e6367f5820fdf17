"""Relationships: typed, dated, with a status, filtered from either side."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.schemas.common import Page
from app.schemas.relationships import RelationshipRead
from tests.factories import add_organization, add_source, cite, current


def _pair(session: Session):
    source = add_source(session)
    return (
        source,
        add_organization(session, "Alpha", source),
        add_organization(session, "Beta", source),
    )


def test_create_reads_both_ends_period_and_citations(client: TestClient, session: Session) -> None:
    source, alpha, beta = _pair(session)
    response = client.post(
        "/relationships",
        json={
            "subject": "alpha",
            "object": beta.id,
            "type": "opponent",
            "status": "disputed",
            "period": {"text": "April 2015 – 2018", "start": "2015-04", "end": "2018"},
            "citations": [cite(source, 21, "They fought.")],
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["subject"] == {
        "id": alpha.id,
        "kind": "organization",
        "slug": "alpha",
        "name": "Alpha",
    }
    assert body["object"]["slug"] == "beta"
    assert body["period"]["start"] == "2015-04"
    assert body["period"]["start_lower"] == "2015-04-01"
    assert body["period"]["end_upper"] == "2018-12-31"
    assert body["citations"][0]["reference_number"] == 21


def test_an_entity_cannot_be_related_to_itself(client: TestClient, session: Session) -> None:
    source, alpha, _ = _pair(session)
    response = client.post(
        "/relationships",
        json={"subject": alpha.id, "object": alpha.id, "type": "ally", "citations": [cite(source)]},
    )
    assert response.status_code == 422


def test_unknown_end_is_a_422_naming_it(client: TestClient, session: Session) -> None:
    source, alpha, _ = _pair(session)
    response = client.post(
        "/relationships",
        json={"subject": alpha.id, "object": "nobody", "type": "ally", "citations": [cite(source)]},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "object"


def test_malformed_edtf_is_a_422(client: TestClient, session: Session) -> None:
    source, alpha, beta = _pair(session)
    response = client.post(
        "/relationships",
        json={
            "subject": alpha.id,
            "object": beta.id,
            "type": "ally",
            "period": {"start": "2015-13-45"},
            "citations": [cite(source)],
        },
    )
    assert response.status_code == 422
    assert any("period" in error["field"] for error in response.json()["errors"])


def test_unknown_type_is_a_422(client: TestClient, session: Session) -> None:
    source, alpha, beta = _pair(session)
    response = client.post(
        "/relationships",
        json={
            "subject": alpha.id,
            "object": beta.id,
            "type": "frenemy",
            "citations": [cite(source)],
        },
    )
    assert response.status_code == 422


def test_list_filters_by_type_entity_and_date_range(client: TestClient, session: Session) -> None:
    source, alpha, beta = _pair(session)
    gamma = add_organization(session, "Gamma", source)
    for body in (
        {
            "subject": alpha.id,
            "object": beta.id,
            "type": "ally",
            "period": {"start": "2013", "end": "2014"},
        },
        {
            "subject": gamma.id,
            "object": alpha.id,
            "type": "opponent",
            "period": {"start": "2016", "end": ""},
        },
        {"subject": beta.id, "object": gamma.id, "type": "ally"},
    ):
        assert (
            client.post("/relationships", json={**body, "citations": [cite(source)]}).status_code
            == 201
        )
    either = client.get("/relationships", params={"entity": "alpha"}).json()
    assert either["total"] == 2
    allies = client.get("/relationships", params={"entity": "alpha", "type": "ally"}).json()
    assert [r["object"]["slug"] for r in allies["items"]] == ["beta"]
    in_2015 = client.get(
        "/relationships", params={"entity": "alpha", "from": "2015", "to": "2015-12-31"}
    ).json()
    assert in_2015["total"] == 0
    in_2017 = client.get("/relationships", params={"from": "2017", "to": "2017"}).json()
    assert {r["type"] for r in in_2017["items"]} == {
        "opponent",
        "ally",
    }  # the undated ally may hold


def test_bad_date_filter_is_a_422(client: TestClient) -> None:
    response = client.get("/relationships", params={"from": "yesterday"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "from"


def test_patch_and_delete(client: TestClient, session: Session) -> None:
    source, alpha, beta = _pair(session)
    created = client.post(
        "/relationships",
        json={"subject": alpha.id, "object": beta.id, "type": "ally", "citations": [cite(source)]},
    ).json()
    patched = client.patch(
        f"/relationships/{created['id']}",
        headers=current(client, f"/relationships/{created['id']}"),
        json={"status": "ended", "period": {"end": "2015-04"}},
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["status"] == "ended"
    assert patched.json()["period"]["end_upper"] == "2015-04-30"
    assert (
        client.delete(
            f"/relationships/{created['id']}",
            headers=current(client, f"/relationships/{created['id']}"),
        ).status_code
        == 204
    )
    assert client.get(f"/relationships/{created['id']}").status_code == 404


def test_profile_shows_relationships_in_both_directions(
    client: TestClient, session: Session
) -> None:
    source, alpha, beta = _pair(session)
    client.post(
        "/relationships",
        json={
            "subject": alpha.id,
            "object": beta.id,
            "type": "ally",
            "citations": [cite(source, 7)],
        },
    )
    seen_from_beta = client.get("/organizations/beta").json()["relationships"]
    assert len(seen_from_beta) == 1
    link = seen_from_beta[0]
    assert link["direction"] == "incoming"
    assert link["other"]["slug"] == "alpha"
    assert link["citations"][0]["reference_number"] == 7


def test_list_is_written_as_its_response_model_with_pagination_headers(
    client: TestClient, session: Session
) -> None:
    """Lists are built as plain data and serialised once: their bytes must be what the page's
    model (the OpenAPI document's) would write, in the order asked for, with ``as_of``."""
    source, alpha, beta = _pair(session)
    gamma = add_organization(session, "Gamma", source)
    for body in (
        {
            "subject": alpha.id,
            "object": beta.id,
            "type": "ally",
            "period": {"start": "2015", "end": ".."},
        },
        {
            "subject": gamma.id,
            "object": alpha.id,
            "type": "ally",
            "period": {"start": "2012", "end": ".."},
        },
        {"subject": alpha.id, "object": gamma.id, "type": "opponent", "role": "rival"},
    ):
        response = client.post("/relationships", json={**body, "citations": [cite(source)]})
        assert response.status_code == 201, response.text

    params = {"entity": "alpha", "type": "ally", "sort": "-start", "limit": "1"}
    for extra in ({}, {"as_of": "2016"}):
        response = client.get("/relationships", params={**params, **extra})
        assert response.status_code == 200, response.text
        written = Page[RelationshipRead].model_validate_json(response.content, by_name=True)
        assert response.content == written.model_dump_json(by_alias=True).encode()
        assert response.headers["x-total-count"] == "2"
        assert 'rel="next"' in response.headers["link"]
    page = client.get("/relationships", params={**params, "limit": "2"}).json()
    assert [item["subject"]["slug"] for item in page["items"]] == ["alpha", "gamma"]
    assert page["items"][0]["object"]["slug"] == "beta"
    assert client.get("/relationships", params={"entity": "nobody"}).status_code == 404
