"""People, places and events share the entity routes; events carry a date and a place."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import add_organization, add_source, cite, current


def test_people_and_places_round_trip(client: TestClient, session: Session) -> None:
    source = add_source(session)
    person = client.post("/people", json={"name": "Abu Test", "citations": [cite(source, 2)]})
    place = client.post(
        "/places",
        json={"name": "Test Camp", "place_type": "refugee camp", "citations": [cite(source)]},
    )
    assert person.status_code == place.status_code == 201
    assert client.get("/people/abu-test").json()["citations"][0]["reference_number"] == 2
    assert client.get("/places/test-camp").json()["place_type"] == "refugee camp"
    assert client.get("/organizations/abu-test").status_code == 404  # a person is not a group


def test_event_with_date_place_and_participant(client: TestClient, session: Session) -> None:
    source = add_source(session)
    group = add_organization(session, "Group", source)
    client.post("/places", json={"name": "Crossing", "citations": [cite(source)]})
    event = client.post(
        "/events",
        json={
            "name": "Battle of the Crossing",
            "event_type": "offensive",
            "place": "crossing",
            "date": {"text": "September 2013", "start": "2013-09"},
            "citations": [cite(source, 20)],
        },
    )
    assert event.status_code == 201, event.text
    assert event.json()["date"]["start_lower"] == "2013-09-01"
    assert event.json()["place"]["slug"] == "crossing"
    joined = client.post(
        "/relationships",
        json={
            "subject": group.id,
            "object": event.json()["id"],
            "type": "participant",
            "role": "attacker",
            "citations": [cite(source, 20)],
        },
    )
    assert joined.status_code == 201
    profile = client.get("/organizations/group").json()
    assert [e["slug"] for e in profile["events"]] == ["battle-of-the-crossing"]
    assert profile["events"][0]["role"] == "attacker"
    assert profile["relationships"] == []
    events = client.get("/events", params={"participant": "group", "from": "2013", "to": "2013"})
    assert events.json()["total"] == 1
    assert client.get("/events", params={"from": "2014"}).json()["total"] == 0
    assert client.get("/events", params={"place": "crossing"}).json()["total"] == 1


def test_event_with_unknown_place_is_a_422(client: TestClient, session: Session) -> None:
    source = add_source(session)
    response = client.post(
        "/events", json={"name": "E", "place": "atlantis", "citations": [cite(source)]}
    )
    assert response.status_code == 422


def test_a_place_of_an_event_cannot_be_deleted(client: TestClient, session: Session) -> None:
    source = add_source(session)
    client.post("/places", json={"name": "Town", "citations": [cite(source)]})
    client.post("/events", json={"name": "E", "place": "town", "citations": [cite(source)]})
    assert (
        client.delete(
            "/places/town",
            headers=current(client, "/places/town"),
        ).status_code
        == 409
    )
