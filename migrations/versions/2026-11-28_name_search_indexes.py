"""Name search indexes: FTS5 with the trigram tokenizer on SQLite, pg_trgm GIN on PostgreSQL.

Both index the folded ``key`` and the transliteration ``skeleton`` of every name (app/names.py).
They live outside the models (app/models/search.py tells autogenerate to leave them alone).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 00:00:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE entity_names_fts USING fts5(
        key, skeleton, content='entity_names', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER entity_names_fts_insert AFTER INSERT ON entity_names BEGIN
        INSERT INTO entity_names_fts(rowid, key, skeleton)
        VALUES (new.id, new.key, new.skeleton);
    END""",
    """CREATE TRIGGER entity_names_fts_delete AFTER DELETE ON entity_names BEGIN
        INSERT INTO entity_names_fts(entity_names_fts, rowid, key, skeleton)
        VALUES ('delete', old.id, old.key, old.skeleton);
    END""",
    """CREATE TRIGGER entity_names_fts_update AFTER UPDATE ON entity_names BEGIN
        INSERT INTO entity_names_fts(entity_names_fts, rowid, key, skeleton)
        VALUES ('delete', old.id, old.key, old.skeleton);
        INSERT INTO entity_names_fts(rowid, key, skeleton)
        VALUES (new.id, new.key, new.skeleton);
    END""",
    "INSERT INTO entity_names_fts(entity_names_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS entity_names_fts_update",
    "DROP TRIGGER IF EXISTS entity_names_fts_delete",
    "DROP TRIGGER IF EXISTS entity_names_fts_insert",
    "DROP TABLE IF EXISTS entity_names_fts",
]
POSTGRESQL_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_entity_names_key_trgm ON entity_names USING gin (key gin_trgm_ops)",
    "CREATE INDEX ix_entity_names_skeleton_trgm ON entity_names USING gin (skeleton gin_trgm_ops)",
]
POSTGRESQL_DOWN = [
    "DROP INDEX IF EXISTS ix_entity_names_skeleton_trgm",
    "DROP INDEX IF EXISTS ix_entity_names_key_trgm",
]


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})
