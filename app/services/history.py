"""History: revisions recorded in the same transaction as the change, and the changes feed."""

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Revision

Action = Literal["create", "update", "delete"]


def record(
    session: Session,
    resource: str,
    item_id: int,
    action: Action,
    key_id: int | None,
    version: int | None,
    before: BaseModel | None,
    after: BaseModel | None,
) -> Revision:
    """Record one change by the key ``key_id``: the item's ``version`` after it, and its values
    ``before`` and ``after``. It commits or rolls back with the change itself."""
    revision = Revision(
        resource=resource,
        item_id=item_id,
        action=action,
        version=version,
        key_id=key_id,
        before=before.model_dump(mode="json") if before is not None else None,
        after=after.model_dump(mode="json") if after is not None else None,
    )
    session.add(revision)
    session.flush()
    return revision


def item_history(
    session: Session, resource: str, item_id: int, *, limit: int, offset: int
) -> Sequence[Revision]:
    """An item's revisions, oldest first (a deleted item's last one is its tombstone)."""
    return session.scalars(
        select(Revision)
        .where(Revision.resource == resource, Revision.item_id == item_id)
        .order_by(Revision.id)
        .limit(limit)
        .offset(offset)
    ).all()


def count_history(session: Session, resource: str, item_id: int) -> int:
    """How many revisions an item has."""
    return (
        session.scalar(
            select(func.count()).where(Revision.resource == resource, Revision.item_id == item_id)
        )
        or 0
    )


def changes_since(session: Session, since: int, *, limit: int) -> Sequence[Revision]:
    """Every revision after ``since`` (a revision id), in order, for clients that stay in sync."""
    return session.scalars(
        select(Revision).where(Revision.id > since).order_by(Revision.id).limit(limit)
    ).all()
