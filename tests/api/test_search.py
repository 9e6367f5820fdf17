"""Search finds a group however its name is written, best match first, on both databases."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from app.services import search as search_service
from app.services.search import similarity
from tests.factories import add_source, cite, current

GROUP = "aknaf-bait-al-maqdis"
VARIANTS = {
    "lower case": "aknaf bait al-maqdis",
    "upper case": "AKNAF BAIT AL MAQDIS",
    "no hyphens": "Aknaf Bait al Maqdis",
    "hyphens everywhere": "Aknaf-Bait-al-Maqdis",
    "diacritics and ayn/hamza marks": "ʾAknāf Bayt al-Maqdis",
    "Beit": "Aknaf Beit al-Maqdis",
    "Bayt": "Aknaf Bayt al-Maqdis",
    "el- for al-": "Aknaf Beit el-Maqdis",
    "no article": "Aknaf Bait Maqdis",
    "ou for u": "Aknaf Bait al-Maqdous",
    "doubled letters": "Aknaff Bait al-Maqddis",
    "one typo": "Aknaf Bait al-Maqdiz",
    "two typos": "Aknaf Bsit al-Madqis",
    "transposed letters": "Akanf Bait al-Maqdis",
    "as typed so far": "aknaf beit",
    "Arabic": "أكناف بيت المقدس",
    "Arabic with short vowels": "أَكْنَافُ بَيْتِ المَقْدِسِ",
    "Arabic alef variants": "اكناف بيت المقدس",
    "Arabic without the article": "أكناف بيت مقدس",
    "Arabic ya variant": "أكناف بىت المقدس",
    "Arabic with a typo": "أكناف بيت المقدص",
    "literal translation": "region of the holy house",
}


@pytest.mark.parametrize("query", VARIANTS.values(), ids=VARIANTS.keys())
def test_every_way_of_writing_the_group_finds_it_first(seeded_api: TestClient, query: str) -> None:
    response = seeded_api.get("/search", params={"q": query})
    assert response.status_code == 200, response.text
    hits = response.json()["items"]
    assert hits, f"nothing found for {query!r}"
    assert hits[0]["entity"]["slug"] == GROUP, [h["entity"]["slug"] for h in hits[:3]]


TYPOS = {
    "first letter of the name": "Bknaf Bait al-Maqdis",
    "first letter of a word": "Aknaf Zait al-Maqdis",
    "first letter of the last word": "Aknaf Bait al-Naqdis",
    "a letter missing": "Aknaf Bait al-Maqis",
    "a letter added": "Aknaf Bait al-Maqdist",
}


@pytest.mark.parametrize("query", TYPOS.values(), ids=TYPOS.keys())
def test_a_typo_anywhere_still_finds_the_group(seeded_api: TestClient, query: str) -> None:
    hits = seeded_api.get("/search", params={"q": query}).json()["items"]
    assert hits, f"nothing found for {query!r}"
    assert hits[0]["entity"]["slug"] == GROUP, [h["entity"]["slug"] for h in hits[:3]]
    assert hits[0]["match"] == "similar"


@pytest.fixture
def few_candidates(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Searches rank at most three names of a tier, as a broad query on a large database."""
    monkeypatch.setattr(search_service, "CANDIDATES", 3)
    search_service._statements.cache_clear()  # their limits are built into the statements
    yield 3
    monkeypatch.undo()
    search_service._statements.cache_clear()


def test_a_broad_query_ranks_only_the_first_names(
    seeded_api: TestClient, few_candidates: int
) -> None:
    everything = seeded_api.get("/search", params={"q": "a", "limit": 2})
    assert everything.status_code == 200, everything.text
    body = everything.json()
    assert body["total"] == few_candidates == int(everything.headers["x-total-count"])
    assert [hit["match"] for hit in body["items"]] == ["prefix", "prefix"]
    assert 'rel="next"' in everything.headers["link"]
    last = seeded_api.get("/search", params={"q": "a", "limit": 2, "offset": 2}).json()
    assert len(last["items"]) == 1
    assert seeded_api.get("/search", params={"q": "hamas"}).json()["total"] == 1


def test_hits_say_which_name_matched_and_how(seeded_api: TestClient) -> None:
    hits = seeded_api.get("/search", params={"q": "Aknaf Beit el-Maqdis"}).json()["items"]
    assert hits[0]["match"] == "exact"
    assert hits[0]["score"] == 1.0
    assert hits[0]["matched"]["name"] == "Aknaf Beit al-Maqdis"
    arabic = seeded_api.get("/search", params={"q": "اكناف"}).json()["items"][0]
    assert arabic["matched"]["script"] == "Arab"
    assert arabic["match"] == "prefix"
    scores = [hit["score"] for hit in hits]
    assert scores == sorted(scores, reverse=True)


def test_other_groups_are_found_by_their_own_names(seeded_api: TestClient) -> None:
    for query, name in [("Jabhat al-Nusrah", "Al-Nusra Front"), ("hamas", "Hamas")]:
        hits = seeded_api.get("/search", params={"q": query}).json()["items"]
        assert hits[0]["entity"]["name"] == name


def test_kind_filter_and_pagination(seeded_api: TestClient) -> None:
    places = seeded_api.get("/search", params={"q": "syria", "kind": "place", "limit": 1})
    body = places.json()
    assert {hit["entity"]["kind"] for hit in body["items"]} == {"place"}
    assert len(body["items"]) == 1
    assert body["total"] == 2  # Southern Syria, northern Syria
    assert 'rel="next"' in places.headers["link"]
    second = seeded_api.get(
        "/search", params={"q": "syria", "kind": "place", "limit": 1, "offset": 1}
    )
    first_ids = {hit["entity"]["id"] for hit in body["items"]}
    assert first_ids.isdisjoint(hit["entity"]["id"] for hit in second.json()["items"])
    people = seeded_api.get("/search", params={"q": "aknaf", "kind": "person"}).json()
    assert GROUP not in {hit["entity"]["slug"] for hit in people["items"]}


def test_short_queries_match_the_start_of_names(seeded_api: TestClient) -> None:
    hits = seeded_api.get("/search", params={"q": "da", "kind": "place"}).json()["items"]
    assert {hit["entity"]["name"] for hit in hits} == {
        "Damascus",
        "Daraa Governorate",
        "Daraa border crossing",
    }


def test_nothing_matches_nonsense(seeded_api: TestClient) -> None:
    assert seeded_api.get("/search", params={"q": "zzqxw vvkj"}).json()["items"] == []
    assert seeded_api.get("/search", params={"q": "--"}).json()["items"] == []


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x" * 201}, {"q": "a\x00b"}])
def test_bad_queries_are_422_problems(seeded_api: TestClient, params: dict[str, str]) -> None:
    response = seeded_api.get("/search", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


def test_the_index_follows_renames_and_deletes(client: TestClient, session: Session) -> None:
    source = add_source(session)
    created = client.post(
        "/organizations", json={"name": "Qwertyuiop Brigade", "citations": [cite(source)]}
    )
    path = created.headers["location"]
    assert client.get("/search?q=qwertyuiop").json()["items"][0]["entity"]["name"] == (
        "Qwertyuiop Brigade"
    )
    renamed = client.patch(path, json={"name": "Zxcvbnm Brigade"}, headers=current(client, path))
    assert renamed.status_code == 200, renamed.text
    assert client.get("/search?q=zxcvbnm").json()["total"] == 1
    assert client.get("/search?q=qwertyuiop").json()["total"] == 1  # still known by it
    names = [{"name": "Asdfghjkl Brigade", "kind": "official", "citations": [cite(source)]}]
    replaced = client.patch(path, json={"names": names}, headers=current(client, path))
    assert replaced.status_code == 200, replaced.text
    assert client.get("/search?q=asdfghjkl").json()["total"] == 1
    assert client.get("/search?q=qwertyuiop").json()["total"] == 0
    # The display name stays one of the names, as when the group was created with a list.
    assert client.get("/search?q=zxcvbnm").json()["total"] == 1
    assert {"Zxcvbnm Brigade", "Asdfghjkl Brigade"} == {
        name["name"] for name in client.get(path).json()["names"]
    }
    client.delete(path, headers=current(client, path))
    assert client.get("/search?q=asdfghjkl").json()["total"] == 0


def test_similarity_is_pg_trgm_s() -> None:
    assert similarity("word", "word") == 1.0
    assert similarity("abc", "xyz") == 0.0
    # pg_trgm: SELECT similarity('word', 'two words') gives 0.363636 (4 shared of 11)
    assert round(similarity("word", "two words"), 6) == round(4 / 11, 6)
