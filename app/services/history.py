"""History: revisions recorded in the same transaction as the change, and the changes feed."""

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import Revision

Action = Literal["create", "update", "delete"]
REVISIONS_LOCK = 0x6B62_7265_7673  # "kbrevs": PostgreSQL's advisory lock on the revision order


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
    ``before`` and ``after``. It commits or rolls back with the change itself.

    Revision ids must be taken in commit order, or a client of the changes feed that has read up
    to a later id would never see an earlier one committed after it. SQLite has one writer at a
    time; on PostgreSQL the first revision of a transaction waits for an advisory lock held
    until the transaction ends, so writes take their ids one transaction after the other.
    """
    session.flush()  # the change's own row locks first, then this lock: always in that order
    session.connection()  # begins the transaction, if it has not begun
    transaction = session.get_transaction()
    if session.get_bind().dialect.name == "postgresql" and (
        session.info.get(REVISIONS_LOCK) is not transaction
    ):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REVISIONS_LOCK})
        session.info[REVISIONS_LOCK] = transaction
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
