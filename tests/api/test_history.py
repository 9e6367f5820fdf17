"""History: every change recorded with its key and values; tombstones; the changes feed."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import add_source, cite, current


def _create_group(client: TestClient, session: Session, name: str = "Chronicle Front") -> str:
    source = add_source(session)
    created = client.post("/organizations", json={"name": name, "citations": [cite(source)]})
    assert created.status_code == 201, created.text
    return str(created.headers["location"])


def test_create_update_delete_leave_revisions_and_a_tombstone(
    client: TestClient, session: Session
) -> None:
    path = _create_group(client, session)
    updated = client.patch(path, json={"description": "renamed"}, headers=current(client, path))
    assert updated.status_code == 200
    assert client.delete(path, headers=current(client, path)).status_code == 204
    assert client.get(path).status_code == 404
    history = client.get(f"{path}/history")
    assert history.status_code == 200
    revisions = history.json()["items"]
    assert [r["action"] for r in revisions] == ["create", "update", "delete"]
    create, update, tombstone = revisions
    assert create["before"] is None
    assert create["after"]["name"] == "Chronicle Front"
    assert update["before"]["description"] is None
    assert update["after"]["description"] == "renamed"
    assert tombstone["after"] is None
    assert tombstone["before"]["description"] == "renamed"
    assert create["key_id"] is not None
    assert len({r["key_id"] for r in revisions}) == 1
    assert create["version"] < update["version"]


def test_history_of_an_item_that_never_existed_is_a_404(client: TestClient) -> None:
    assert client.get("/organizations/999999/history").status_code == 404
    assert client.get("/relationships/999999/history").status_code == 404


def test_a_refused_change_records_nothing(client: TestClient, session: Session) -> None:
    path = _create_group(client, session)
    stale = client.get(path).headers["etag"]
    client.patch(path, json={"description": "one"}, headers={"If-Match": stale})
    assert (
        client.patch(path, json={"description": "two"}, headers={"If-Match": stale}).status_code
        == 412
    )
    invalid = client.patch(path, json={"citations": []}, headers=current(client, path))
    assert invalid.status_code == 422
    assert [r["action"] for r in client.get(f"{path}/history").json()["items"]] == [
        "create",
        "update",
    ]


def test_the_changes_feed_lists_everything_in_order_with_tombstones(
    client: TestClient, session: Session
) -> None:
    start = client.get("/changes").json()
    while start["items"]:  # catch up with whatever is already there
        start = client.get(f"/changes?since={start['next_since']}").json()
    since = start["next_since"]
    first = _create_group(client, session, "First Feed Group")
    second = _create_group(client, session, "Second Feed Group")
    client.delete(first, headers=current(client, first))
    feed = client.get(f"/changes?since={since}&limit=2").json()
    assert [(c["action"], c["item_id"]) for c in feed["items"]] == [
        ("create", int(first.rsplit("/", 1)[1])),
        ("create", int(second.rsplit("/", 1)[1])),
    ]
    rest = client.get(f"/changes?since={feed['next_since']}").json()
    assert [(c["resource"], c["action"]) for c in rest["items"]] == [("organization", "delete")]
    assert client.get(f"/changes?since={rest['next_since']}").json()["items"] == []


def test_changes_since_must_be_a_revision_id(client: TestClient) -> None:
    assert client.get("/changes?since=-1").status_code == 422
    assert client.get("/changes?since=abc").status_code == 422
