"""Name prefix indexes on PostgreSQL: ``key`` and ``skeleton`` in code point order (COLLATE "C").

Search reads the names that start with the query as a range of an index, and the names next to
it (app/services/search.py). SQLite's indexes of migration 0001 compare by code point already;
PostgreSQL's compare by the database's collation, in which a prefix is not always one range, so
these copies are collated "C". They live outside the models, like those of migration 0003.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 03:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

POSTGRESQL_UP = [
    'CREATE INDEX ix_entity_names_key_c ON entity_names (key COLLATE "C")',
    'CREATE INDEX ix_entity_names_skeleton_c ON entity_names (skeleton COLLATE "C")',
]
POSTGRESQL_DOWN = [
    "DROP INDEX IF EXISTS ix_entity_names_skeleton_c",
    "DROP INDEX IF EXISTS ix_entity_names_key_c",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_UP:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in POSTGRESQL_DOWN:
            op.execute(statement)
