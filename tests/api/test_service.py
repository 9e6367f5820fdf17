"""Cross-cutting behaviour: problem responses, docs offline, CORS, health."""

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def test_malformed_json_is_a_422_problem(client: TestClient) -> None:
    response = client.post(
        "/organizations", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM


def test_unknown_fields_are_refused(client: TestClient) -> None:
    response = client.post("/sources", json={"title": "T", "secret": 1})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "secret"


@pytest.mark.parametrize(
    "path",
    [
        "/organizations/%00",
        "/relationships/99999999999999999999",
        "/relationships/-1",
        "/sources/" + "x" * 500,
        "/organizations/99999999999999999999999",
        "/sources/99999999999999999999999",
        "/organizations/%D9%A3",
        "/events?from=2015-02-31",
        "/nowhere",
    ],
)
def test_odd_requests_get_4xx_problems_never_500(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"] == PROBLEM


def test_wrong_method_is_a_405_problem(client: TestClient) -> None:
    response = client.put("/organizations")
    assert response.status_code == 405
    assert response.json()["title"] == "Method Not Allowed"


def test_problems_never_leak_internals(client: TestClient) -> None:
    response = client.post(
        "/relationships",
        json={"subject": 1, "object": 2, "type": "ally", "citations": [{"source_id": 1}]},
    )
    text = response.text.lower()
    for leak in ("traceback", "sqlalchemy", "select ", "psycopg", "sqlite"):
        assert leak not in text


def test_docs_pages_load_their_assets_locally(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "cdn" not in page.text.lower()
        assert "/static-offline-docs/" in page.text
    assert client.get("/static-offline-docs/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static-offline-docs/redoc.standalone.js").status_code == 200


def test_openapi_has_readable_operation_ids_and_examples(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"listOrganizations", "getOrganization", "createRelationship", "deleteSource"} <= ids
    assert all("_" not in operation_id for operation_id in ids)
    assert "Problem" in spec["components"]["schemas"]
    not_found = spec["paths"]["/organizations/{ref}"]["get"]["responses"]["404"]
    assert "example" in not_found["content"][PROBLEM]


def test_openapi_declares_each_tag_once_and_every_tag_used(client: TestClient) -> None:
    """The docs group operations by tag: a tag declared twice is listed twice (it was, for
    Search), and one used but not declared has no description."""
    spec = client.get("/openapi.json").json()
    declared = [tag["name"] for tag in spec["tags"]]
    assert len(declared) == len(set(declared)), declared
    used = {tag for path in spec["paths"].values() for op in path.values() for tag in op["tags"]}
    assert used <= set(declared), used - set(declared)


def test_cors_exposes_etag_and_link(client: TestClient) -> None:
    response = client.get("/organizations", headers={"Origin": "http://example.org"})
    exposed = response.headers["access-control-expose-headers"].lower()
    assert "etag" in exposed
    assert "link" in exposed


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ready"


def test_etag_gives_304_when_unchanged(client: TestClient) -> None:
    created = client.post("/sources", json={"title": "Cache me"})
    etag = created.headers["etag"]
    again = client.get(f"/sources/{created.json()['id']}", headers={"If-None-Match": etag})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "\xff\xfe bad utf-8"}',
        b'{"title": "nul \\u0000 inside"}',
        b'{"title": "T", "authors": ["\\u0000"]}',
        b'{"name": "N", "citations": [{"source_id": 100000000000000000000000000000}]}',
        b'{"name": "N", "citations": [{"source_id": 9223372036854775807}]}',
        b'{"title": "T", "published_date": "2015-02-31"}',
    ],
)
def test_strange_bodies_get_4xx_problems(client: TestClient, body: bytes) -> None:
    path = "/organizations" if b'"name"' in body else "/sources"
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == PROBLEM
