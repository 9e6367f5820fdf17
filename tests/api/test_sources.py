"""Sources: created, listed with their parsed fields, protected while cited."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import add_organization, add_source, current


def test_create_and_read_a_source(client: TestClient) -> None:
    response = client.post(
        "/sources",
        json={
            "title": "حماس والنظام السوري",
            "translated_title": "Hamas and the Syrian regime",
            "language": "ar",
            "publisher": "Enab Baladi",
            "published_text": "14 July 2019",
            "published_date": "2019-07-14",
            "retrieved_date": "2022-07-07",
            "authors": [],
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["translated_title"] == "Hamas and the Syrian regime"
    assert body["published_date"] == "2019-07-14"
    assert body["citation_count"] == 0
    assert client.get(f"/sources/{body['slug']}").json()["id"] == body["id"]


def test_list_filters_by_publisher(client: TestClient, session: Session) -> None:
    add_source(session, "One", publisher="Long War Journal")
    add_source(session, "Two", publisher="Smart News")
    body = client.get("/sources", params={"publisher": "long war"}).json()
    assert [item["title"] for item in body["items"]] == ["One"]


def test_list_filters_by_title_or_its_translation_taking_the_text_as_it_is(
    client: TestClient, session: Session
) -> None:
    add_source(session, "حماس والنظام", translated_title="Hamas and the REGIME")
    add_source(session, "100% local", translated_title="Entirely local")
    add_source(session, "Another", translated_title="Ninety per cent")

    def titles(text: str) -> list[str]:
        body = client.get("/sources", params={"title": text, "sort": "title"}).json()
        return [item["title"] for item in body["items"]]

    assert titles("regime") == ["حماس والنظام"]
    assert titles("النظام") == ["حماس والنظام"]
    assert titles("100%") == ["100% local"]
    assert titles("%") == ["100% local"]  # a percent sign, not any text
    assert titles("n_nety") == []  # an underscore, not any letter
    assert titles("per cent") == ["Another"]


def test_deleting_a_cited_source_is_a_409(client: TestClient, session: Session) -> None:
    source = add_source(session)
    add_organization(session, "Cited Group", source)
    response = client.delete(
        f"/sources/{source.id}",
        headers=current(client, f"/sources/{source.id}"),
    )
    assert response.status_code == 409
    assert response.json()["facts"][0]["statement"] == "organization: Cited Group"


def test_deleting_an_uncited_source(client: TestClient, session: Session) -> None:
    source = add_source(session)
    assert (
        client.delete(
            f"/sources/{source.id}",
            headers=current(client, f"/sources/{source.id}"),
        ).status_code
        == 204
    )
    assert client.get(f"/sources/{source.id}").status_code == 404


def test_invalid_url_is_a_422(client: TestClient) -> None:
    response = client.post("/sources", json={"title": "T", "url": "not a url"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "url"


def test_a_source_as_csl_json(client: TestClient, session: Session) -> None:
    source = add_source(
        session,
        "Islamic State releases photos",
        authors=["Caleb Weiss"],
        publisher="Long War Journal",
    )
    response = client.get(
        f"/sources/{source.id}", headers={"Accept": "application/vnd.citationstyles.csl+json"}
    )
    assert response.headers["content-type"] == "application/vnd.citationstyles.csl+json"
    [item] = response.json()
    assert item["title"] == "Islamic State releases photos"
    assert item["author"] == [{"given": "Caleb", "family": "Weiss"}]
    assert item["container-title"] == "Long War Journal"
    assert item["type"] == "webpage"


def test_every_source_as_csl_json(client: TestClient, session: Session) -> None:
    add_source(session, "One")
    add_source(session, "Two")
    items = client.get("/export/sources.csl.json").json()
    assert [item["title"] for item in items][-2:] == ["One", "Two"]
    assert all({"id", "type", "title"} <= set(item) for item in items)


def test_many_sources_fetched_by_id_in_one_call(client: TestClient, session: Session) -> None:
    ids = [add_source(session, f"Batch {n}").id for n in range(3)]
    body = client.get("/sources", params={"id": [ids[0], ids[2]]}).json()
    assert [item["id"] for item in body["items"]] == [ids[0], ids[2]]
    too_many = client.get("/sources", params={"id": list(range(1, 300))})
    assert too_many.status_code == 422
