"""A data version on PostgreSQL, bumped by every statement that changes data (for app/cache.py).

SQLite needs nothing: ``PRAGMA data_version`` tells the same. The table lives outside the models
(app/models/search.py tells autogenerate to leave it alone).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 00:10:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = [
    "entities",
    "organizations",
    "people",
    "places",
    "events",
    "entity_names",
    "operating_periods",
    "relationships",
    "attributes",
    "sources",
    "source_references",
    "citations",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE TABLE data_version (id integer PRIMARY KEY CHECK (id = 1), n bigint NOT NULL)"
    )
    op.execute("INSERT INTO data_version VALUES (1, 0)")
    op.execute(
        """CREATE FUNCTION kb_bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE data_version SET n = n + 1 WHERE id = 1;
            RETURN NULL;
        END $$"""
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION kb_bump_data_version()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_data_version ON {table}")
    op.execute("DROP FUNCTION IF EXISTS kb_bump_data_version()")
    op.execute("DROP TABLE IF EXISTS data_version")
