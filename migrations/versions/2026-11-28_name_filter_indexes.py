"""The lists' name filter from a trigram index; every display name one of its entity's names.

A list's ``name=`` filter keeps the entities one of whose names contains the text, in any case
(``lower(name) LIKE '%…%'``). No B-tree answers that: at L (437,500 names) a rare text walked
every entity of the kind, 0.5-1.2 s. The filter now looks the text up in a trigram index of the
names (SQLite: FTS5 with the trigram tokenizer, case folded, kept in step by triggers;
PostgreSQL: pg_trgm's GIN index on ``lower(name)``, which LIKE uses as it is).

The filter reads the names alone, so the display name must be one of them. Creating an entity
has always added it; an update that replaced the names did not, until this revision. The
entities it left without one get their display name back as their official name, cited as the
entity is.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 15:30:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.names import name_key, name_skeleton

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    """CREATE VIRTUAL TABLE entity_names_fts_name USING fts5(
        name, content='entity_names', content_rowid='id',
        tokenize='trigram case_sensitive 0')""",
    """CREATE TRIGGER entity_names_fts_name_insert AFTER INSERT ON entity_names BEGIN
        INSERT INTO entity_names_fts_name(rowid, name) VALUES (new.id, new.name);
    END""",
    """CREATE TRIGGER entity_names_fts_name_delete AFTER DELETE ON entity_names BEGIN
        INSERT INTO entity_names_fts_name(entity_names_fts_name, rowid, name)
        VALUES ('delete', old.id, old.name);
    END""",
    """CREATE TRIGGER entity_names_fts_name_update AFTER UPDATE OF name ON entity_names BEGIN
        INSERT INTO entity_names_fts_name(entity_names_fts_name, rowid, name)
        VALUES ('delete', old.id, old.name);
        INSERT INTO entity_names_fts_name(rowid, name) VALUES (new.id, new.name);
    END""",
    "INSERT INTO entity_names_fts_name(entity_names_fts_name) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS entity_names_fts_name_update",
    "DROP TRIGGER IF EXISTS entity_names_fts_name_delete",
    "DROP TRIGGER IF EXISTS entity_names_fts_name_insert",
    "DROP TABLE IF EXISTS entity_names_fts_name",
]
POSTGRESQL_UP = [
    "CREATE INDEX ix_entity_names_name_trgm ON entity_names USING gin (lower(name) gin_trgm_ops)",
]
POSTGRESQL_DOWN = ["DROP INDEX IF EXISTS ix_entity_names_name_trgm"]

entities = sa.table("entities", sa.column("id", sa.Integer), sa.column("name", sa.String))
names = sa.table(
    "entity_names",
    sa.column("id", sa.Integer),
    sa.column("entity_id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("kind", sa.String),
    sa.column("key", sa.String),
    sa.column("skeleton", sa.String),
)
citations = sa.table(
    "citations",
    sa.column("source_id", sa.Integer),
    sa.column("reference_number", sa.Integer),
    sa.column("locator", sa.String),
    sa.column("quote", sa.Text),
    sa.column("entity_id", sa.Integer),
    sa.column("name_id", sa.Integer),
)


def upgrade() -> None:
    _name_every_entity()
    _run({"sqlite": SQLITE_UP, "postgresql": POSTGRESQL_UP})


def downgrade() -> None:
    """The indexes go; the display names added stay (they are names the entities have)."""
    _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRESQL_DOWN})


def _name_every_entity() -> None:
    bind = op.get_bind()
    unnamed = bind.execute(
        sa.select(entities.c.id, entities.c.name).where(
            ~sa.exists().where(names.c.entity_id == entities.c.id, names.c.name == entities.c.name)
        )
    ).all()
    for entity_id, name in unnamed:
        name_id = bind.execute(
            names.insert()
            .values(
                entity_id=entity_id,
                name=name,
                kind="official",
                key=name_key(name),
                skeleton=name_skeleton(name),
            )
            .returning(names.c.id)
        ).scalar_one()
        cited = sa.select(
            citations.c.source_id,
            citations.c.reference_number,
            citations.c.locator,
            citations.c.quote,
            sa.literal(name_id),
        ).where(citations.c.entity_id == entity_id)
        bind.execute(
            citations.insert().from_select(
                ["source_id", "reference_number", "locator", "quote", "name_id"], cited
            )
        )


def _run(statements: dict[str, list[str]]) -> None:
    for statement in statements.get(op.get_bind().dialect.name, []):
        op.execute(statement)
