"""The timeline lists events and relationship changes in date order, uncertain dates by bounds."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.schemas.timeline import Timeline
from tests.factories import add_organization, add_source, cite


def test_timeline_orders_events_and_relationship_changes(
    client: TestClient, session: Session
) -> None:
    source = add_source(session)
    group = add_organization(
        session,
        "Group",
        source,
        periods=[
            {
                "label": "main",
                "period": {"text": "c. 2012/13 – 2015", "start": "[2012,2013]", "end": "2015"},
                "citations": [cite(source)],
            }
        ],
    )
    rival = add_organization(session, "Rival", source)
    friend = add_organization(session, "Friend", source)
    client.post(
        "/relationships",
        json={
            "subject": group.id,
            "object": rival.id,
            "type": "opponent",
            "period": {"text": "April 2015 – 2018", "start": "2015-04", "end": "2018"},
            "citations": [cite(source, 21)],
        },
    )
    client.post(
        "/relationships",
        json={
            "subject": group.id,
            "object": friend.id,
            "type": "ally",
            "citations": [cite(source)],
        },
    )
    event = client.post(
        "/events",
        json={
            "name": "Offensive",
            "date": {"text": "September 2013", "start": "2013-09"},
            "citations": [cite(source, 20)],
        },
    ).json()
    client.post(
        "/relationships",
        json={
            "subject": group.id,
            "object": event["id"],
            "type": "participant",
            "citations": [cite(source, 20)],
        },
    )

    response = client.get("/organizations/group/timeline")
    assert response.status_code == 200, response.text
    body = response.json()
    titles = [moment["title"] for moment in body["moments"]]
    assert titles == [
        "Operating period (main) begins",
        "Offensive",
        "Operating period (main) ends",  # its earliest day, 2015-01-01, comes first
        "Opponent: Rival (start)",
        "Opponent: Rival (end)",
    ]
    first = body["moments"][0]["date"]
    assert first == {
        "text": "c. 2012/13 – 2015",
        "edtf": "[2012,2013]",
        "lower": "2012-01-01",
        "upper": "2013-12-31",
    }
    by_title = {moment["title"]: moment for moment in body["moments"]}
    assert by_title["Opponent: Rival (start)"]["citations"][0]["reference_number"] == 21
    assert [moment["title"] for moment in body["undated"]] == ["Ally: Friend"]


def test_timeline_of_unknown_group_is_404(client: TestClient) -> None:
    assert client.get("/organizations/nobody/timeline").status_code == 404


def test_timeline_is_written_as_its_response_model(client: TestClient, session: Session) -> None:
    """The timeline is built as plain data and serialised once: its bytes must be what Timeline
    (the OpenAPI document's model) would write."""
    source = add_source(session)
    group = add_organization(
        session,
        "Group",
        source,
        periods=[{"period": {"start": "2012", "end": ".."}, "citations": [cite(source)]}],
    )
    rival = add_organization(session, "Rival", source)
    for period in ({"start": "2014-03", "end": "2016"}, None):
        body = {"subject": rival.id, "object": group.id, "type": "opponent"}
        response = client.post(
            "/relationships",
            json={**body, "citations": [cite(source, 5)], **({"period": period} if period else {})},
        )
        assert response.status_code == 201, response.text

    response = client.get(f"/organizations/{group.id}/timeline")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    written = Timeline.model_validate_json(response.content, by_name=True)
    assert response.content == written.model_dump_json(by_alias=True).encode()
    body = response.json()
    assert [moment["kind"] for moment in body["moments"]] == [
        "period_start",
        "relationship_start",
        "relationship_end",
    ]
    assert [moment["kind"] for moment in body["undated"]] == ["relationship_start"]
