"""The data-version trigger also notifies listeners on commit (for app/cache.py).

Every statement that changes data sends the same empty notification on channel
``kb_data_version``; PostgreSQL folds the copies of one transaction into one, delivered when it
commits. A listener reads the version again only when notified.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 05:30:00+00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _bump(notify: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION kb_bump_data_version() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE data_version SET n = n + 1 WHERE id = 1;{notify}
            RETURN NULL;
        END $$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_bump("\n            PERFORM pg_notify('kb_data_version', '');"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_bump(""))
