"""The SQLite engine's own upkeep: planner statistics gathered as SQLite advises."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import migrate
from app.config import Settings
from app.db import create_db_engine
from app.models import EntityKind, Organization
from tests.conftest import analysed_tables


def test_a_sqlite_connection_analyses_what_it_queried_before_it_closes(tmp_path: Path) -> None:
    """A database grown by imports and writes is never analysed in bulk: the tables that a
    connection's statements would have been planned better for get statistics when it closes
    (without them, the network of a group at L took 1.1 s; with them, 8 ms)."""
    engine = create_db_engine(Settings(database_url=f"sqlite:///{tmp_path / 'grown.sqlite3'}"))
    migrate.upgrade(engine)
    with Session(engine) as session:
        session.add_all(
            Organization(name=f"Group {number}", slug=f"group-{number}") for number in range(500)
        )
        session.commit()
        first = select(Organization.id).where(Organization.kind == EntityKind.ORGANIZATION)
        assert len(session.scalars(first.order_by(Organization.name).limit(5)).all()) == 5
        assert "entities" not in analysed_tables(engine)
    engine.dispose()
    assert "entities" in analysed_tables(engine)
    engine.dispose()
