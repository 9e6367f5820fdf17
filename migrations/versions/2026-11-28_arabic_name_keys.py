"""Names whose first word begins with a hamza-alif and lam keep those letters in their keys.

``ألوية`` (alwiya) was folded to ``الوية`` and then lost its first two letters as if they were
the article ``ال``; app/names.py now takes the article off before folding the hamza. The keys of
the names concerned (their name has a lam) are computed again with the current app/names.py,
which is what they are derived from; the search indexes follow the updates (their triggers).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 05:40:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.names import name_key, name_skeleton

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5_000


def upgrade() -> None:
    names = sa.table(
        "entity_names",
        sa.column("id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("key", sa.String),
        sa.column("skeleton", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(names.c.id, names.c.name, names.c.key, names.c.skeleton).where(
            names.c.name.like("%ل%")
        )
    ).all()
    changed = [
        {"row_id": id_, "new_key": key, "new_skeleton": skeleton}
        for id_, name, old_key, old_skeleton in rows
        if (key := name_key(name), skeleton := name_skeleton(name)) != (old_key, old_skeleton)
    ]
    update = (
        names.update()
        .where(names.c.id == sa.bindparam("row_id"))
        .values(key=sa.bindparam("new_key"), skeleton=sa.bindparam("new_skeleton"))
    )
    for start in range(0, len(changed), BATCH):
        bind.execute(update, changed[start : start + BATCH])


def downgrade() -> None:
    """Nothing to undo: the keys are derived, and the older ones were wrong."""
