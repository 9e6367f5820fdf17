"""No lost updates: changes name the version they were read at, with If-Match."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import add_organization, add_source


@pytest.fixture
def group_path(session: Session) -> str:
    add_organization(session, "Editors Group", add_source(session))
    session.commit()
    return "/organizations/editors-group"


def test_a_change_without_if_match_is_a_428(client: TestClient, group_path: str) -> None:
    response = client.patch(group_path, json={"description": "x"})
    assert response.status_code == 428
    assert response.json()["type"] == "/problems/precondition-required"
    assert client.delete(group_path).status_code == 428


def test_two_editors_from_the_same_version_exactly_one_wins(
    client: TestClient, group_path: str
) -> None:
    etag = client.get(group_path).headers["etag"]
    first = client.patch(group_path, json={"description": "first"}, headers={"If-Match": etag})
    second = client.patch(group_path, json={"description": "second"}, headers={"If-Match": etag})
    assert first.status_code == 200
    assert second.status_code == 412
    assert second.json()["current_etag"] == first.headers["etag"]
    assert client.get(group_path).json()["description"] == "first"


def test_a_stale_delete_is_refused(client: TestClient, group_path: str) -> None:
    etag = client.get(group_path).headers["etag"]
    client.patch(group_path, json={"description": "moved on"}, headers={"If-Match": etag})
    assert client.delete(group_path, headers={"If-Match": etag}).status_code == 412
    assert client.get(group_path).status_code == 200


def test_the_etag_changes_with_each_change_and_304_until_then(
    client: TestClient, group_path: str
) -> None:
    etag = client.get(group_path).headers["etag"]
    assert client.get(group_path, headers={"If-None-Match": etag}).status_code == 304
    changed = client.patch(group_path, json={"description": "new"}, headers={"If-Match": etag})
    assert changed.headers["etag"] != etag
    assert client.get(group_path, headers={"If-None-Match": etag}).status_code == 200


def test_if_match_star_matches_any_version(client: TestClient, group_path: str) -> None:
    response = client.patch(group_path, json={"description": "x"}, headers={"If-Match": "*"})
    assert response.status_code == 200
