"""`kb generate`: a synthetic corpus written in bulk, checked on SQLite and on PostgreSQL."""

import re
import statistics
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy import text as sql_text

from app import synth
from app.config import Settings
from app.dates import parse_written, span_from_edtf
from app.db import create_session_factory
from app.main import create_app
from app.models import (
    Attribute,
    Base,
    Citation,
    Entity,
    EntityName,
    Event,
    OperatingPeriod,
    Organization,
    Relationship,
    Source,
)
from app.names import name_key, name_skeleton
from app.services.keys import Scope, mint_key
from app.synth import ID_TABLES, SIZES, generate
from tests.conftest import analysed_tables

XS = SIZES["XS"]
SHORT_VOWELS = re.compile(r"[\u064b-\u0652]")


@pytest.fixture(scope="module")
def corpus(new_database: Callable[[bool], Engine]) -> Iterator[Engine]:
    """A database holding the XS corpus of seed 1, shared by the module's read-only tests."""
    engine = new_database(True)
    generate(engine, "XS", seed=1)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def api(corpus: Engine) -> Iterator[TestClient]:
    app = create_app(Settings(database_url=str(corpus.url), seed_on_empty=False), engine=corpus)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.scalar(select(func.count()).select_from(Base.metadata.tables[table]))
            or 0
            for table in XS.expected()
        }


def rows(engine: Engine, query: Any) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(query)]


def degrees(engine: Engine) -> dict[int, int]:
    """How many relationships each organization is in, either end."""
    found = dict.fromkeys((row[0] for row in rows(engine, select(Organization.id))), 0)
    for subject, object_ in rows(engine, select(Relationship.subject_id, Relationship.object_id)):
        for end in (subject, object_):
            if end in found:
                found[end] += 1
    return found


def test_counts_match_the_size(corpus: Engine) -> None:
    found = counts(corpus)
    assert found == XS.expected()
    assert (found["organizations"], found["relationships"]) == (50, 300)
    assert found["entities"] == XS.organizations + XS.people + XS.places + XS.events


def test_the_planner_has_statistics_of_the_corpus(corpus: Engine) -> None:
    """The run's ANALYZE is kept: without statistics SQLite planned the network of a group at L
    so badly that it took 1.1 s, against 8 ms with them."""
    tables = {"entities", "entity_names", "relationships", "citations", "sources"}
    assert tables <= analysed_tables(corpus)


def test_every_fact_is_cited_one_to_four_times_by_a_real_source(corpus: Engine) -> None:
    facts = {
        "entity_id": Entity,
        "name_id": EntityName,
        "period_id": OperatingPeriod,
        "attribute_id": Attribute,
        "relationship_id": Relationship,
    }
    for column, model in facts.items():
        cited = getattr(Citation, column)
        per_fact = rows(
            corpus,
            select(model.id, func.count(Citation.id))
            .outerjoin(Citation, cited == model.id)
            .group_by(model.id),
        )
        assert per_fact, column
        assert all(1 <= count <= 4 for _, count in per_fact), column
    sources = {row[0] for row in rows(corpus, select(Source.id))}
    assert {row[0] for row in rows(corpus, select(Citation.source_id))} <= sources
    assert rows(corpus, select(func.count()).where(Citation.reference_number.is_not(None)))[0][0]
    assert rows(corpus, select(func.count()).where(Citation.locator.is_not(None)))[0][0]


def test_names_are_keyed_as_the_models_key_them(corpus: Engine) -> None:
    names = rows(
        corpus,
        select(
            EntityName.entity_id,
            EntityName.name,
            EntityName.script,
            EntityName.key,
            EntityName.skeleton,
        ),
    )
    assert all(key == name_key(name) for _, name, _, key, _ in names)
    assert all(skeleton == name_skeleton(name) for _, name, _, _, skeleton in names)
    assert {script for _, _, script, _, _ in names} == {"Latn", "Arab"}
    arabic = [name for _, name, script, _, _ in names if script == "Arab"]
    assert any(SHORT_VOWELS.search(name) for name in arabic)
    assert any(not SHORT_VOWELS.search(name) for name in arabic)
    # Transliteration variants: spelt differently from another name of theirs, same skeleton.
    latin: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for entity_id, _, script, key, skeleton in names:
        if script == "Latn":
            latin[entity_id].append((key, skeleton))
    variants = [
        entity_id
        for entity_id, spellings in latin.items()
        if len({key for key, _ in spellings}) > len({skeleton for _, skeleton in spellings})
    ]
    assert len(variants) >= 10


def test_dates_are_stored_as_app_dates_reads_them(corpus: Engine) -> None:
    spans: set[tuple[Any, ...]] = set()
    for model in (Relationship, OperatingPeriod, Attribute, Event):
        spans |= set(
            rows(
                corpus,
                select(
                    model.date_text,
                    model.start_edtf,
                    model.end_edtf,
                    model.start_lower,
                    model.start_upper,
                    model.end_lower,
                    model.end_upper,
                ).where(model.start_edtf.is_not(None) | model.end_edtf.is_not(None)),
            )
        )
    starts = {span[1] for span in spans}
    ends = {span[2] for span in spans}
    assert any(s and s.endswith("?") for s in starts)
    assert any(s and s.endswith("~") for s in starts)
    assert any(s and s.startswith("[") for s in starts)
    assert any(s and re.fullmatch(r"\d{4}-\d\d", s) for s in starts)
    assert ".." in ends
    assert None in ends
    assert None in starts
    # The edtf package parses slowly: check a sample, the same one on every run.
    for text, start, end, *bounds in sorted(spans, key=str)[::7][:40]:
        expected = span_from_edtf(start or "..", end or "..")
        names = ("start_lower", "start_upper", "end_lower", "end_upper")
        stored = dict(zip(names, bounds, strict=True))
        if start is not None:
            assert (stored["start_lower"], stored["start_upper"]) == (
                expected.start_lower,
                expected.start_upper,
            ), start
        if end is not None:
            assert (stored["end_lower"], stored["end_upper"]) == (
                expected.end_lower,
                expected.end_upper,
            ), end
        if text is not None:
            written = parse_written(text)
            assert (written.start_edtf, written.end_edtf) == (start, end), text


def test_a_few_hubs_and_a_long_tail(corpus: Engine) -> None:
    found = sorted(degrees(corpus).values(), reverse=True)
    assert found[0] >= 5 * statistics.median(found)
    assert found[-1] <= 3


def test_the_biggest_hub_is_served_and_found_first(corpus: Engine, api: TestClient) -> None:
    found = degrees(corpus)
    hub = max(found, key=lambda entity_id: found[entity_id])
    profile = api.get(f"/organizations/{hub}")
    assert profile.status_code == 200, profile.text
    body = profile.json()
    assert len(body["relationships"]) + len(body["events"]) == found[hub]
    assert all(link["citations"] for link in body["relationships"])
    for name in body["names"]:
        assert name["citations"]
    names = [name["name"] for name in body["names"]]
    for query in (body["name"], *names[1:3]):
        hits = api.get("/search", params={"q": query})
        assert hits.status_code == 200, hits.text
        assert hits.json()["items"][0]["entity"]["id"] == hub, query


def test_the_same_seed_gives_the_same_corpus(
    corpus: Engine, new_database: Callable[[bool], Engine]
) -> None:
    again, other = new_database(True), new_database(True)
    generate(again, "XS", seed=1)
    generate(other, "XS", seed=2)
    queries = [
        select(Entity.id, Entity.slug, Entity.name).order_by(Entity.id),
        select(EntityName.id, EntityName.name, EntityName.kind).order_by(EntityName.id),
        select(
            Relationship.id,
            Relationship.subject_id,
            Relationship.object_id,
            Relationship.type,
            Relationship.start_edtf,
        ).order_by(Relationship.id),
        select(Citation.id, Citation.source_id, Citation.relationship_id).order_by(Citation.id),
        select(Source.id, Source.title).order_by(Source.id),
    ]
    for query in queries:
        assert rows(again, query) == rows(corpus, query)
    assert rows(other, queries[1]) != rows(corpus, queries[1])
    again.dispose()
    other.dispose()


def test_generating_twice_adds_rows_without_clashes(
    new_database: Callable[[bool], Engine],
) -> None:
    engine = new_database(True)
    first = generate(engine, "XS", seed=1)
    second = generate(engine, "XS", seed=1)  # the same names: slugs must be minted anew
    assert first.rows == second.rows
    assert counts(engine) == {table: 2 * count for table, count in XS.expected().items()}
    for table in ID_TABLES:
        column = Base.metadata.tables[table].c.id
        assert rows(engine, select(func.max(column)))[0][0] == 2 * XS.expected()[table]
    slugs = [row[0] for row in rows(engine, select(Entity.slug))]
    assert len(set(slugs)) == len(slugs)
    assert any(slug.endswith("-2") for slug in slugs)
    engine.dispose()


def test_the_api_writes_after_generating(new_database: Callable[[bool], Engine]) -> None:
    engine = new_database(True)
    generate(engine, "XS", seed=3)
    before = counts(engine)
    with create_session_factory(engine)() as session:
        secret = mint_key(session, "tests", [Scope.WRITE]).secret
        session.commit()
    app = create_app(Settings(database_url=str(engine.url), seed_on_empty=False), engine=engine)
    headers = {"Authorization": f"Bearer {secret}"}
    with TestClient(app, raise_server_exceptions=False, headers=headers) as client:
        source = client.post("/sources", json={"title": "A new report", "kind": "report"})
        assert source.status_code == 201, source.text
        assert source.json()["id"] == before["sources"] + 1
        cite = [{"source_id": source.json()["id"], "locator": "p. 3"}]
        created = client.post(
            "/organizations",
            json={
                "name": "Liwa al-Jadid",
                "citations": cite,
                "names": [{"name": "لواء الجديد", "language": "ar", "citations": cite}],
                "periods": [{"period": {"start": "2016", "end": ".."}, "citations": cite}],
                "attributes": [{"name": "size", "value": "300", "citations": cite}],
            },
        )
        assert created.status_code == 201, created.text
        assert created.json()["id"] == before["entities"] + 1
        link = client.post(
            "/relationships",
            json={"subject": created.json()["id"], "object": 1, "type": "active_in"},
        )
        assert link.status_code == 422  # uncited: refused
        link = client.post(
            "/relationships",
            json={
                "subject": created.json()["id"],
                "object": 1,
                "type": "active_in",
                "citations": cite,
            },
        )
        assert link.status_code == 201, link.text
        assert link.json()["id"] == before["relationships"] + 1
        # The name indexes, built once after the rows, follow the writes again, and searches
        # find the generated names and the new one.
        for query, expected in (("jadid", "Liwa al-Jadid"), ("الجديد", "Liwa al-Jadid")):
            found = client.get("/organizations", params={"name": query}).json()["items"]
            assert [item["name"] for item in found] == [expected]
            assert client.get("/search", params={"q": query}).json()["items"]
        generated = rows(engine, select(Organization.name).order_by(Organization.id).limit(1))
        found = client.get("/organizations", params={"name": generated[0][0], "limit": 100})
        assert generated[0][0] in [item["name"] for item in found.json()["items"]]
        # So does the index of the sources' titles: a generated title, and the new one.
        title = rows(engine, select(Source.title).order_by(Source.id.desc()).limit(2))[1][0]
        for text_, expected in ((title, title), ("new rep", "A new report")):
            found = client.get("/sources", params={"title": text_, "limit": 100}).json()
            assert expected in [item["title"] for item in found["items"]], text_
    after = counts(engine)
    assert after["entity_names"] == before["entity_names"] + 2
    assert after["operating_periods"] == before["operating_periods"] + 1
    assert after["attributes"] == before["attributes"] + 1
    assert after["citations"] == before["citations"] + 6
    engine.dispose()


def test_kb_generate_from_the_command_line(tmp_path: Path) -> None:
    database = tmp_path / "xs.sqlite3"
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", "generate", "XS", "--seed", "5"],
        env={"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "rows in" in done.stdout
    assert "kb.synth: relationships: 300 of 300 rows" in done.stderr
    summary = {
        line.split()[0]: int(line.split()[1].replace(",", ""))
        for line in done.stdout.splitlines()[1:-1]
    }
    assert summary == XS.expected()


def test_a_run_that_fails_half_way_leaves_the_database_as_it_was(
    new_database: Callable[[bool], Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite writes a run in one transaction, its name indexes last: a run that fails leaves
    neither rows nor indexes without their triggers. PostgreSQL keeps the batches written."""
    engine = new_database(True)
    generate(engine, "XS", seed=1)
    before, triggers = counts(engine), _triggers(engine)

    def failing(sink: Any, flush: Callable[[Any], None] = synth._Sink.flush) -> None:
        flush(sink)  # a batch written, and then
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(synth._Sink, "flush", failing)
    with pytest.raises(RuntimeError):
        generate(engine, "XS", seed=2)
    assert _triggers(engine) == triggers
    if engine.dialect.name == "sqlite":
        assert counts(engine) == before
    else:
        assert counts(engine)["sources"] > before["sources"]
    engine.dispose()


def _triggers(engine: Engine) -> set[str]:
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        if engine.dialect.name == "sqlite"
        else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    )
    return {row[0] for row in rows(engine, sql_text(query))}
