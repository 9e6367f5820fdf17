"""Alembic owns the schema: it builds it from nothing, takes it away, and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from app import migrate
from app.models import Base
from app.models.search import include_object, is_search_index


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
