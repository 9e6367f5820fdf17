"""Alembic owns the schema: it builds it from nothing, takes it away, and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from app import migrate
from app.db import create_session_factory
from app.models import Base, EntityKind
from app.models.search import include_object, is_search_index
from app.services.entities import list_entities
from app.services.search import search
from tests.factories import add_organization, add_source


def _tables(engine: Engine) -> set[str]:
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    return {table for table in tables if not is_search_index(table)}


def test_upgrade_from_empty_creates_every_model_table(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    assert _tables(empty_engine) == set(Base.metadata.tables)


def test_downgrade_to_base_leaves_no_table(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert _tables(empty_engine) == set()


def test_upgrade_after_downgrade_works_again(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    migrate.downgrade(empty_engine, "base")
    migrate.upgrade(empty_engine)
    assert _tables(empty_engine) == set(Base.metadata.tables)


def test_models_and_migrations_agree(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": include_object}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_constraints_follow_the_naming_convention(empty_engine: Engine) -> None:
    migrate.upgrade(empty_engine)
    inspector = inspect(empty_engine)
    foreign_keys = inspector.get_foreign_keys("citations")
    assert foreign_keys, "citations must reference their facts by real foreign keys"
    assert all(fk["name"] and fk["name"].startswith("fk_citations_") for fk in foreign_keys)


def test_names_keyed_by_the_old_folding_are_keyed_again(empty_engine: Engine) -> None:
    """0007: a name whose first letters are a hamza-alif and lam gets its whole key back, and
    search (whose indexes follow the keys) finds it."""
    migrate.upgrade(empty_engine, "0006")
    with create_session_factory(empty_engine)() as session:
        group = add_organization(session, "ألوية الفرقان", add_source(session))
        session.flush()
        session.execute(  # as the folding before 0007 left it
            text("UPDATE entity_names SET key = :key, skeleton = :key WHERE entity_id = :id"),
            {"key": "ويه فرقان", "id": group.id},
        )
        session.commit()
        group_id = group.id
    migrate.upgrade(empty_engine)
    with create_session_factory(empty_engine)() as session:
        keys = session.execute(
            text("SELECT key, skeleton FROM entity_names WHERE entity_id = :id"), {"id": group_id}
        ).all()
        assert [tuple(row) for row in keys] == [("الويه فرقان", "الويه فرقان")]
        found = search(session, "ألوية").hits
        assert [hit.row.entity_id for hit in found][:1] == [group_id]


def test_an_entity_left_without_its_display_name_gets_it_back(empty_engine: Engine) -> None:
    """0010: an entity whose names an update had replaced without its display name gets it
    back as its official name, cited as the entity is, and the name filter finds it."""
    migrate.upgrade(empty_engine, "0009")
    with create_session_factory(empty_engine)() as session:
        group = add_organization(session, "Liwa al-Tawhid", add_source(session))
        session.flush()
        session.execute(  # as an update that replaced the names left it before 0010
            text("DELETE FROM entity_names WHERE entity_id = :id"), {"id": group.id}
        )
        session.commit()
        group_id = group.id
    migrate.upgrade(empty_engine)
    with create_session_factory(empty_engine)() as session:
        names = session.execute(
            text("SELECT id, name, kind, key FROM entity_names WHERE entity_id = :id"),
            {"id": group_id},
        ).all()
        assert [tuple(row)[1:] for row in names] == [("Liwa al-Tawhid", "official", "liwa tawhid")]
        cited = "SELECT source_id, reference_number, quote FROM citations WHERE {} = :id"
        assert session.execute(text(cited.format("name_id")), {"id": names[0].id}).all() == (
            session.execute(text(cited.format("entity_id")), {"id": group_id}).all()
        )
        page, total = list_entities(
            session, EntityKind.ORGANIZATION, name="tawhid", limit=5, offset=0
        )
        assert ([entity.id for entity in page], total) == ([group_id], 1)
