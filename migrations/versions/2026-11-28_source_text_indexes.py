"""The sources' ``title`` and ``publisher`` filters from a trigram index.

The sources list keeps those whose title (or translated title), or publisher, contains a text
in any case (``lower(title) LIKE '%…%'``). No B-tree answers that: at L (200,000 sources) every
source was read and counted, 240-460 ms whether the text was common or in no title at all. The
filters now look the text up in a trigram index of those columns, as the lists' name filter
does (migration 0010): SQLite, one FTS5 table over the three columns (trigram tokenizer, case
folded, kept in step by triggers); PostgreSQL, pg_trgm's GIN index on each one's ``lower()``,
which LIKE uses as it is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 17:45:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("title", "translated_title", "publisher")
_listed = ", ".join(COLUMNS)
_new = ", ".join(f"new.{column}" for column in COLUMNS)
_old = ", ".join(f"old.{column}" for column in COLUMNS)
SQLITE_UP = [
    f"""CREATE VIRTUAL TABLE sources_fts USING fts5(
        {_listed}, content='sources', content_rowid='id',
        tokenize='trigram case_sensitive 0')""",
    f"""CREATE TRIGGER sources_fts_insert AFTER INSERT ON sources BEGIN
        INSERT INTO sources_fts(rowid, {_listed}) VALUES (new.id, {_new});
    END""",
    f"""CREATE TRIGGER sources_fts_delete AFTER DELETE ON sources BEGIN
        INSERT INTO sources_fts(sources_fts, rowid, {_listed}) VALUES ('delete', old.id, {_old});
    END""",
    f"""CREATE TRIGGER sources_fts_update AFTER UPDATE OF {_listed} ON sources BEGIN
        INSERT INTO sources_fts(sources_fts, rowid, {_listed}) VALUES ('delete', old.id, {_old});
        INSERT INTO sources_fts(rowid, {_listed}) VALUES (new.id, {_new});
    END""",
    "INSERT INTO sources_fts(sources_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS sources_fts_update",
    "DROP TRIGGER IF EXISTS sources_fts_delete",
    "DROP TRIGGER IF EXISTS sources_fts_insert",
    "DROP TABLE IF EXISTS sources_fts",
]
POSTGRESQL_UP = [
    f"CREATE INDEX ix_sources_{column}_trgm ON sources USING gin (lower({column}) gin_trgm_ops)"
    for column in COLUMNS
]
POSTGRESQL_DOWN = [f"DROP INDEX IF EXISTS ix_sources_{column}_trgm" for column in COLUMNS]


def upgrade() -> None:
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})


def downgrade() -> None:
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)
