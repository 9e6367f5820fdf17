"""The one way lists are ordered and cut into pages."""

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

T = TypeVar("T")


def page_of(
    session: Session,
    query: Select[T],
    *,
    sort: str,
    columns: Mapping[str, Any],
    tie_breaker: InstrumentedAttribute[int],
    limit: int,
    offset: int,
) -> tuple[Sequence[T], int]:
    """One page of ``query`` ordered by ``sort`` (a key of ``columns``, ``-`` for descending)
    with a stable tie-break, and the total number of matches."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    descending = sort.startswith("-")
    column = columns[sort.lstrip("-")]
    ordered = query.order_by(
        column.desc() if descending else column.asc(),
        tie_breaker.desc() if descending else tie_breaker.asc(),
    )
    return session.scalars(ordered.limit(limit).offset(offset)).all(), total
