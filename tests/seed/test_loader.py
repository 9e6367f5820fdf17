"""Loading the seed article: every fact cited by the markers beside it; idempotent; atomic."""

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import create_session_factory
from app.models import Citation, Entity, Relationship, Source, SourceReference
from app.services.export import iter_rows
from seed import loader
from seed.annotations import Annotations, EventNote
from seed.curated import ANNOTATIONS
from seed.loader import SEED_ARTICLE, AnnotationError, load_into, load_seed

SUBJECT = "aknaf-bait-al-maqdis"
MARKER = re.compile(r"\[(\d+)\]")


def dump(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return [json.dumps(row, sort_keys=True, default=str) for row in iter_rows(session)]


@pytest.fixture(scope="module")
def api(seeded_api: TestClient) -> TestClient:
    return seeded_api


@pytest.fixture(scope="module")
def profile(api: TestClient) -> dict[str, Any]:
    response = api.get(f"/organizations/{SUBJECT}")
    assert response.status_code == 200, response.text
    return dict(response.json())


def _links(profile: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {
        link["other"]["name"]: link for link in profile["relationships"] if link["type"] == type_
    }


def test_profile_has_every_name(profile: dict[str, Any]) -> None:
    names = {name["name"]: name for name in profile["names"]}
    assert {
        "Aknaf Bait al-Maqdis",
        "Aknaf Beit al-Maqdis",
        "أكناف بيت المقدس",
        "ʾAknāf Bayt al-Maqdis",
        "Region of the Holy House",
    } <= set(names)
    assert names["أكناف بيت المقدس"]["language"] == "ar"
    assert names["أكناف بيت المقدس"]["script"] == "Arab"
    assert names["ʾAknāf Bayt al-Maqdis"]["kind"] == "romanized"
    assert names["Region of the Holy House"]["kind"] == "translation"


def test_two_operating_periods_with_labels(profile: dict[str, Any]) -> None:
    periods = {period["label"]: period["period"] for period in profile["periods"]}
    assert set(periods) == {"main group", "remnant faction"}
    assert periods["main group"]["start_lower"] == "2012-01-01"
    assert periods["main group"]["start_upper"] == "2013-12-31"
    assert periods["main group"]["end_upper"] == "2015-12-31"
    assert periods["remnant faction"]["end"] == ".."


def test_leaders_are_people_cited_by_their_markers(profile: dict[str, Any]) -> None:
    leaders = {
        link["other"]["name"]: link for link in profile["relationships"] if link["type"] == "leader"
    }
    assert set(leaders) == {"Abu Ahmed Mushir", "Abo Hamam", "Ahmad Zaghmout"}
    assert all(link["direction"] == "incoming" for link in leaders.values())
    assert all(link["other"]["kind"] == "person" for link in leaders.values())
    numbers = {
        name: [c["reference_number"] for c in link["citations"]] for name, link in leaders.items()
    }
    assert numbers == {"Abu Ahmed Mushir": [2], "Abo Hamam": [3], "Ahmad Zaghmout": [4]}


def test_allegiance_to_hamas_is_disputed_with_its_denial_cited(profile: dict[str, Any]) -> None:
    allegiance = _links(profile, "allegiance")["Hamas"]
    assert allegiance["status"] == "disputed"
    numbers = {c["reference_number"] for c in allegiance["citations"]}
    assert {5, 18} <= numbers


def test_headquarters_region_ideology_and_size(profile: dict[str, Any]) -> None:
    assert "Yarmouk Camp" in _links(profile, "headquartered_in")
    assert "Southern Syria" in _links(profile, "active_in")
    attributes = {a["name"]: a for a in profile["attributes"]}
    assert attributes["ideology"]["value"] == "Islamism"
    size = attributes["size"]
    assert size["value"] == "200"
    assert float(size["value_number"]) == 200
    assert size["period"]["start_lower"] == "2015-01-01"
    assert [c["reference_number"] for c in size["citations"]] == [6]


def test_every_ally_and_opponent(profile: dict[str, Any]) -> None:
    allies = _links(profile, "ally")
    opponents = _links(profile, "opponent")
    assert {
        "Jaysh al-Islam",
        "Jaysh al-Ababil",
        "Liwa Sham al-Rasul",
        "Hay'at Tahrir al-Sham",
        "Al-Nusra Front",
        "Al-Rahman Legion",
    } <= set(allies)
    assert {
        "Syrian government",
        "Islamic State of Iraq and the Levant",
        "Al-Nusra Front",
        "Arab Nationalist Guard",
        "Hezbollah",
        "Return Forces",
    } <= set(opponents)
    assert allies["Al-Nusra Front"]["status"] == "ended"
    assert allies["Al-Nusra Front"]["period"]["end_upper"] == "2015-04-30"
    assert allies["Hay'at Tahrir al-Sham"]["period"]["start_lower"] == "2018-01-01"
    assert sorted(c["reference_number"] for c in allies["Al-Rahman Legion"]["citations"]) == [8, 9]


def test_a_nested_affiliate_is_linked_to_its_parent(api: TestClient) -> None:
    links = api.get("/relationships", params={"subject": "return-forces", "type": "affiliate"})
    assert [r["object"]["name"] for r in links.json()["items"]] == ["Hezbollah"]


def test_the_war_and_the_history_events(profile: dict[str, Any]) -> None:
    events = {event["name"]: event for event in profile["events"]}
    assert "Syrian Civil War" in events
    offensive = events["Rebel offensive on the Daraa border crossing"]
    assert offensive["date"]["start_lower"] == "2013-09-01"
    assert offensive["place"]["name"] == "Daraa border crossing"
    assert [c["reference_number"] for c in offensive["citations"]] == [20]
    assert len(events) >= 12


def test_unmarked_facts_cite_the_article_with_no_number(profile: dict[str, Any]) -> None:
    ally = _links(profile, "ally")["Jaysh al-Islam"]
    citation = next(c for c in ally["citations"] if c["quote"] == "Allies Jaysh al-Islam")
    assert citation["reference_number"] is None
    assert citation["source"]["license"] == "CC BY-SA 4.0"
    assert citation["source"]["license_url"].startswith("https://creativecommons.org/")


def test_every_reference_number_stands_in_its_quote(seeded: Engine) -> None:
    with Session(seeded) as session:
        citations = session.scalars(select(Citation)).all()
        assert citations
        for citation in citations:
            markers = {int(n) for n in MARKER.findall(citation.quote or "")}
            if citation.reference_number is None:
                assert not markers, citation.quote
            else:
                assert citation.reference_number in markers, citation.quote


def test_all_28_references_are_listed_with_parsed_fields(api: TestClient) -> None:
    body = api.get(
        "/sources", params={"article": "wikipedia-aknaf-bait-al-maqdis", "limit": 100}
    ).json()
    numbers = sorted(ref["number"] for s in body["items"] for ref in s["references"])
    assert numbers == list(range(1, 29))
    by_number = {ref["number"]: s for s in body["items"] for ref in s["references"]}
    assert by_number[10]["id"] == by_number[14]["id"]  # the same interview, one source
    assert by_number[16]["authors"] == ["Caleb Weiss"]
    assert by_number[16]["publisher"] == "Long War Journal"
    assert by_number[16]["published_date"] == "2015-04-05"
    assert by_number[8]["translated_title"].startswith("Hamas and the Syrian regime")
    assert by_number[8]["language"] == "ar"
    assert by_number[22]["format"] == "PDF"
    assert by_number[22]["archived_date"] == "2022-01-17"
    assert by_number[15]["references"][0]["locator"] == "p. 345"


def test_the_article_source_carries_licence_and_attribution(api: TestClient) -> None:
    article = api.get("/sources/wikipedia-aknaf-bait-al-maqdis").json()
    assert article["kind"] == "article"
    assert article["license"] == "CC BY-SA 4.0"
    assert "Wikipedia" in article["attribution"]


def test_loading_twice_changes_nothing(fresh_engine: Engine) -> None:
    factory = create_session_factory(fresh_engine)
    load_seed(factory)
    before = dump(fresh_engine)
    load_seed(factory)
    assert dump(fresh_engine) == before


def test_a_load_failing_part_way_leaves_the_database_unchanged(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(fresh_engine)

    def explode(self: loader.ArticleImporter) -> None:
        raise RuntimeError("injected failure after most facts were written")

    monkeypatch.setattr(loader.ArticleImporter, "_generic_events", explode)
    with pytest.raises(RuntimeError, match="injected"):
        load_seed(create_session_factory(fresh_engine))
    assert dump(fresh_engine) == before


def test_an_annotation_whose_quote_is_missing_fails_naming_it(fresh_engine: Engine) -> None:
    bad = Annotations(
        events=(EventNote("a sentence the article never wrote", "Phantom battle", "battle"),)
    )
    with pytest.raises(AnnotationError, match="Phantom battle"):
        load_into(create_session_factory(fresh_engine), SEED_ARTICLE.read_text(), "test", bad)
    with Session(fresh_engine) as session:
        assert session.scalar(select(func.count()).select_from(Entity)) == 0


def test_summary_counts(seeded: Engine) -> None:
    with Session(seeded) as session:
        assert session.scalar(select(func.count()).select_from(SourceReference)) == 28
        assert session.scalar(select(func.count()).select_from(Relationship)) > 40
        assert session.scalar(select(func.count()).select_from(Source)) >= 27


def test_curated_annotations_all_resolve(fresh_engine: Engine) -> None:
    sessions: sessionmaker[Session] = create_session_factory(fresh_engine)
    report = load_into(sessions, SEED_ARTICLE.read_text(), "test", ANNOTATIONS)
    assert not [line for line in report.uninterpreted if "no event annotation" in line]


def _as_of(api: TestClient, type_: str, day: str, certainty: str = "possible") -> dict[str, str]:
    response = api.get(f"/organizations/{SUBJECT}", params={"as_of": day, "certainty": certainty})
    assert response.status_code == 200, response.text
    return {
        link["other"]["name"]: link["certainty"]
        for link in response.json()["relationships"]
        if link["type"] == type_
    }


def test_allies_as_of_2014_include_the_former_ally_al_nusra(api: TestClient) -> None:
    allies = _as_of(api, "ally", "2014")
    assert "Al-Nusra Front" in allies
    assert "Hay'at Tahrir al-Sham" not in allies


def test_opponents_as_of_mid_2015_include_al_nusra(api: TestClient) -> None:
    assert "Al-Nusra Front" in _as_of(api, "opponent", "2015-07-01")


def test_hts_is_an_ally_in_2018_and_not_in_2014(api: TestClient) -> None:
    assert "Hay'at Tahrir al-Sham" in _as_of(api, "ally", "2018")
    assert "Hay'at Tahrir al-Sham" not in _as_of(api, "ally", "2014")


def test_certain_leaves_out_exactly_the_facts_whose_bounds_do_not_require_the_day(
    api: TestClient,
) -> None:
    for type_ in ("ally", "opponent", "active_in"):
        possible = _as_of(api, type_, "2015-07-01")
        certain = _as_of(api, type_, "2015-07-01", "certain")
        assert set(certain) == {name for name, how in possible.items() if how == "certain"}
        assert set(certain) < set(possible)


def test_certain_keeps_a_fact_whose_bounds_require_the_day(api: TestClient) -> None:
    # The clashes ran from April to May 2018: certainly under way at the turn of the month.
    certain = _as_of(api, "opponent", "2018-04-30", "certain")
    assert certain == {"Palestinian pro-government militias": "certain"}
