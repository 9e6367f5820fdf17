"""Importing other articles of the format: no annotations, shared names linked, nothing dropped."""

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from app.db import create_session_factory
from app.models import Entity, EntityKind, Event, Relationship
from seed.loader import ImportReport, load_into
from tests.factories import add_organization, add_source

ARTICLES = Path(__file__).resolve().parents[2] / "seed" / "articles"


@pytest.fixture
def sessions(fresh_engine: Engine) -> sessionmaker[Session]:
    return create_session_factory(fresh_engine)


def _import(sessions: sessionmaker[Session], name: str) -> ImportReport:
    path = ARTICLES / f"{name}.txt"
    return load_into(sessions, path.read_text(encoding="utf-8"), str(path))


def _named(sessions: sessionmaker[Session], kind: EntityKind) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(Entity.name).where(Entity.kind == kind)))


@pytest.mark.parametrize("name", sorted(path.stem for path in ARTICLES.glob("*.txt")))
def test_each_article_imports_on_its_own(sessions: sessionmaker[Session], name: str) -> None:
    report = _import(sessions, name)
    assert report.created["organizations"] >= 1
    assert report.created["references"] >= 8
    assert report.created["citations"] > report.created["relationships"]


def test_two_articles_naming_the_same_groups_share_one_entity_each(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, "grey-heron-brigade")
    report = _import(sessions, "liwa-nujum-al-sahil")
    organizations = _named(sessions, EntityKind.ORGANIZATION)
    assert len(organizations) == len(set(organizations))
    for spelling in ("Al Sarab Brigade", "Qasr el-Hadid Battalion", "TVDF"):
        assert any(f"{spelling!r} → existing organization" in match for match in report.matches)
    assert "Al Sarab Brigade" not in organizations
    assert "TVDF" not in organizations  # known as the Tiel Valley Defence Force's abbreviation


def test_a_near_miss_is_reported_and_left_apart(sessions: sessionmaker[Session]) -> None:
    with sessions() as session:
        add_organization(session, "Norvessan Armed Force", add_source(session))
        session.commit()
    report = _import(sessions, "karsk-highland-militia")
    assert any(
        "Norvessan Armed Forces" in miss and "kept apart" in miss for miss in report.near_misses
    )
    assert {"Norvessan Armed Force", "Norvessan Armed Forces"} <= set(
        _named(sessions, EntityKind.ORGANIZATION)
    )


def test_lines_it_cannot_read_are_reported_not_dropped(sessions: sessionmaker[Session]) -> None:
    report = _import(sessions, "karsk-highland-militia")
    assert any("Radio callsign" in line for line in report.uninterpreted)


def test_dated_history_sentences_become_events_of_the_group(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, "grey-heron-brigade")
    with sessions() as session:
        events = session.execute(
            select(Event.name, Event.start_edtf).join(
                Relationship, Relationship.object_id == Event.id
            )
        ).all()
        assert "2016-03" in {start for _, start in events}
        assert session.scalar(select(func.count()).select_from(Event)) >= 5


def test_importing_the_same_article_again_changes_nothing(
    sessions: sessionmaker[Session],
) -> None:
    _import(sessions, "liwa-nujum-al-sahil")
    again = _import(sessions, "liwa-nujum-al-sahil")
    assert again.skipped
    assert "nothing changed" in again.summary()
