"""The organization resource: writes need citations, reads embed them, errors are problems."""

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.models import SourceKind
from app.schemas.common import Page
from app.schemas.entities import (
    EntitySummaryRead,
    EventRead,
    OrganizationRead,
    PersonRead,
    PlaceRead,
)
from tests.conftest import StatementCounter
from tests.factories import add_organization, add_source, cite, current

PROBLEM = "application/problem+json"


def _create(client: TestClient, session: Session, name: str = "Liwa Test", **fields: object):
    source = add_source(session, f"Source for {name}")
    body = {"name": name, "citations": [cite(source, 3, "Liwa Test is a group.")], **fields}
    return client.post("/organizations", json=body), source


def test_create_returns_the_profile_with_location_and_etag(
    client: TestClient, session: Session
) -> None:
    response, source = _create(client, session, organization_type="militia")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["slug"] == "liwa-test"
    assert body["organization_type"] == "militia"
    assert response.headers["location"] == f"/organizations/{body['id']}"
    assert response.headers["etag"]
    citation = body["citations"][0]
    assert citation["reference_number"] == 3
    assert citation["quote"] == "Liwa Test is a group."
    assert citation["source"]["id"] == source.id
    assert citation["source"]["title"] == source.title


def test_create_without_citations_is_refused_naming_the_field(client: TestClient) -> None:
    response = client.post("/organizations", json={"name": "Uncited", "citations": []})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "/problems/validation-error"
    assert "citations" in {error["field"] for error in problem["errors"]}


def test_create_with_a_name_lacking_citations_is_refused(
    client: TestClient, session: Session
) -> None:
    source = add_source(session)
    response = client.post(
        "/organizations",
        json={"name": "Named", "citations": [cite(source)], "names": [{"name": "Alias"}]},
    )
    assert response.status_code == 422
    assert any(e["field"].startswith("names.0.citations") for e in response.json()["errors"])


def test_create_citing_an_unknown_source_is_refused(client: TestClient) -> None:
    response = client.post(
        "/organizations", json={"name": "Ghost", "citations": [{"source_id": 999999}]}
    )
    assert response.status_code == 422
    assert "999999" in response.json()["detail"]


def test_get_by_id_and_by_slug_return_the_same_profile(
    client: TestClient, session: Session
) -> None:
    created, _ = _create(client, session)
    by_id = client.get(f"/organizations/{created.json()['id']}")
    by_slug = client.get("/organizations/liwa-test")
    assert by_id.status_code == by_slug.status_code == 200
    assert by_id.json() == by_slug.json()


def test_get_unknown_is_a_404_problem(client: TestClient) -> None:
    for ref in ("no-such-group", "987654"):
        response = client.get(f"/organizations/{ref}")
        assert response.status_code == 404
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["type"] == "/problems/not-found"


def test_duplicate_slug_is_a_409(client: TestClient, session: Session) -> None:
    _create(client, session, slug="taken")
    response, _ = _create(client, session, name="Other", slug="taken")
    assert response.status_code == 409
    assert response.json()["type"] == "/problems/conflict"


def test_same_name_gets_a_distinct_slug(client: TestClient, session: Session) -> None:
    first, _ = _create(client, session)
    second, _ = _create(client, session)
    assert first.json()["slug"] == "liwa-test"
    assert second.json()["slug"] == "liwa-test-2"


def test_patch_changes_the_name_but_not_the_slug(client: TestClient, session: Session) -> None:
    created, _ = _create(client, session)
    response = client.patch(
        "/organizations/liwa-test",
        headers=current(client, "/organizations/liwa-test"),
        json={"name": "Liwa Renamed"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "Liwa Renamed"
    assert response.json()["slug"] == "liwa-test"
    assert response.json()["version"] > created.json()["version"]
    assert response.headers["etag"] != created.headers["etag"]


def test_patch_replacing_names_requires_their_citations(
    client: TestClient, session: Session
) -> None:
    _, source = _create(client, session)
    response = client.patch(
        "/organizations/liwa-test",
        headers=current(client, "/organizations/liwa-test"),
        json={"names": [{"name": "LT", "kind": "abbreviation", "citations": [cite(source)]}]},
    )
    assert response.status_code == 200
    # The list replaces the names; the display name stays one of them (as when created).
    assert [name["name"] for name in response.json()["names"]] == ["Liwa Test", "LT"]
    refused = client.patch(
        "/organizations/liwa-test",
        headers=current(client, "/organizations/liwa-test"),
        json={"citations": []},
    )
    assert refused.status_code == 422


def test_delete_then_get_is_a_404(client: TestClient, session: Session) -> None:
    _create(client, session)
    assert (
        client.delete(
            "/organizations/liwa-test",
            headers=current(client, "/organizations/liwa-test"),
        ).status_code
        == 204
    )
    assert client.get("/organizations/liwa-test").status_code == 404


def test_delete_while_related_is_a_409(client: TestClient, session: Session) -> None:
    source = add_source(session)
    add_organization(session, "Alpha", source)
    add_organization(session, "Beta", source)
    created = client.post(
        "/relationships",
        json={"subject": "alpha", "object": "beta", "type": "ally", "citations": [cite(source)]},
    )
    assert created.status_code == 201, created.text
    response = client.delete(
        "/organizations/alpha",
        headers=current(client, "/organizations/alpha"),
    )
    assert response.status_code == 409
    assert [fact["type"] for fact in response.json()["facts"]] == ["relationship"]
    assert client.get("/organizations/alpha").status_code == 200


def test_list_filters_by_any_name_and_paginates_with_links(
    client: TestClient, session: Session
) -> None:
    source = add_source(session)
    for index in range(5):
        add_organization(session, f"Brigade {index}", source)
    add_organization(
        session,
        "Other Group",
        source,
        names=[{"name": "Hidden Brigade", "kind": "alias", "citations": [cite(source)]}],
    )
    page = client.get("/organizations", params={"name": "brigade", "limit": 2, "offset": 2})
    assert page.status_code == 200
    body = page.json()
    assert body["total"] == 6
    assert [item["name"] for item in body["items"]] == ["Brigade 2", "Brigade 3"]
    links = page.headers["link"]
    assert 'rel="next"' in links
    assert 'rel="prev"' in links
    assert 'rel="last"' in links
    assert "offset=4" in links


def test_list_caps_the_limit(client: TestClient) -> None:
    response = client.get("/organizations", params={"limit": 100000})
    assert response.status_code == 200
    assert response.json()["limit"] == 200


def test_list_rejects_an_unknown_sort(client: TestClient) -> None:
    response = client.get("/organizations", params={"sort": "password"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "sort"


def test_profile_statement_count_does_not_grow_with_facts(
    client: TestClient, session: Session, count_statements: StatementCounter
) -> None:
    source = add_source(session)
    hub = add_organization(session, "Hub", source)

    def profile_statements() -> int:
        session.commit()
        before = count_statements.count
        assert client.get(f"/organizations/{hub.id}").status_code == 200
        return count_statements.count - before

    for index in range(2):
        other = add_organization(session, f"Few {index}", source)
        client.post(
            "/relationships",
            json={
                "subject": hub.id,
                "object": other.id,
                "type": "ally",
                "citations": [cite(source)],
            },
        )
    few = profile_statements()
    for index in range(20):
        other = add_organization(session, f"Many {index}", source)
        client.post(
            "/relationships",
            json={
                "subject": other.id,
                "object": hub.id,
                "type": "opponent",
                "citations": [cite(source)],
            },
        )
    many = profile_statements()
    assert many == few
    assert few <= 12


def test_many_organizations_fetched_by_id(client: TestClient, session: Session) -> None:
    source = add_source(session)
    groups = [add_organization(session, f"Batch {n}", source) for n in range(4)]
    body = client.get("/organizations", params={"id": [groups[1].id, groups[3].id]}).json()
    assert [item["name"] for item in body["items"]] == ["Batch 1", "Batch 3"]


def test_every_profile_is_written_as_its_response_model(
    client: TestClient, session: Session
) -> None:
    """Profiles are built as plain data and serialised once: their bytes must be what the
    response models (the OpenAPI document's) would write, for every kind and with ``as_of``."""
    source = add_source(session, published_date=date(2015, 2, 1), published_text="1 Feb 2015")
    article = add_source(session, "The article", kind=SourceKind.ARTICLE)
    hub = add_organization(
        session,
        "Hub",
        source,
        organization_type="militia",
        names=[{"name": "هب", "language": "ar", "script": "Arab", "citations": [cite(article)]}],
        attributes=[
            {
                "name": "size",
                "value": "about 200",
                "value_number": "200.5",
                "period": {"start": "2014", "end": "2015~"},
                "citations": [cite(source, 4, "Some 200 fighters.")],
            }
        ],
        periods=[
            {
                "label": "main",
                "period": {"start": "[2012,2013]", "end": ".."},
                "citations": [cite(source)],
            }
        ],
    )
    ally = add_organization(session, "Ally", source)
    place = client.post("/places", json={"name": "Camp", "citations": [cite(source)]}).json()
    event = client.post(
        "/events",
        json={
            "name": "Battle",
            "date": {"start": "2014-05"},
            "place": place["id"],
            "citations": [cite(source, 2)],
        },
    ).json()
    person = client.post("/people", json={"name": "Leader", "citations": [cite(article)]}).json()
    for body in (
        {"subject": hub.id, "object": ally.id, "type": "ally", "period": {"start": "2013"}},
        {"subject": person["id"], "object": hub.id, "type": "leader", "status": "disputed"},
        {"subject": hub.id, "object": event["id"], "type": "participant", "role": "attacker"},
    ):
        response = client.post("/relationships", json={**body, "citations": [cite(source, 2)]})
        assert response.status_code == 201, response.text

    for path, model in [
        (f"/organizations/{hub.id}", OrganizationRead),
        (f"/organizations/{hub.id}?as_of=2014", OrganizationRead),
        (f"/organizations/{hub.id}?as_of=2014-06&certainty=certain", OrganizationRead),
        (f"/people/{person['id']}", PersonRead),
        (f"/places/{place['id']}", PlaceRead),
        (f"/events/{event['id']}", EventRead),
    ]:
        response = client.get(path)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        written = model.model_validate_json(response.content, by_name=True)
        assert response.content == written.model_dump_json(by_alias=True).encode(), path
    profile = client.get(f"/organizations/{hub.id}").json()
    assert [len(profile[facts]) for facts in ("names", "attributes", "periods", "events")] == [
        2,
        1,
        1,
        1,
    ]
    assert {link["direction"] for link in profile["relationships"]} == {"outgoing", "incoming"}
    assert profile["events"][0]["place"]["slug"] == "camp"


def test_list_is_written_as_its_response_model_with_pagination_headers(
    client: TestClient, session: Session
) -> None:
    source = add_source(session)
    for index in range(3):
        add_organization(session, f"Listed {index}", source)
    response = client.get("/organizations", params={"name": "listed", "limit": 2})
    assert response.status_code == 200
    written = Page[EntitySummaryRead].model_validate_json(response.content)
    assert response.content == written.model_dump_json(by_alias=True).encode()
    assert [item["name"] for item in response.json()["items"]] == ["Listed 0", "Listed 1"]
    assert response.headers["x-total-count"] == "3"
    assert 'rel="next"' in response.headers["link"]
