"""The one way lists are ordered and cut into pages."""

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.schemas.common import COUNTED_PAST_OFFSET

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
    count: bool = True,
) -> tuple[Sequence[T], int | None]:
    """One page of ``query`` ordered by ``sort`` (a key of ``columns``, ``-`` for descending)
    with a stable tie-break, and the total number of matches (see ``bounded_count``); None
    without counting if ``count`` is false, for a caller that knows more match than it counts."""
    total = None
    if count:
        total = bounded_count(session, query.order_by(None), limit=limit, offset=offset)
    descending = sort.startswith("-")
    column = columns[sort.lstrip("-")]
    ordered = query.order_by(*in_order((column, tie_breaker), descending))
    return session.scalars(ordered.limit(limit).offset(offset)).all(), total


def bounded_count(session: Session, query: Select[Any], *, limit: int, offset: int) -> int | None:
    """How many rows ``query`` matches, or None when more than ``offset`` plus the larger of
    ``limit`` and ``COUNTED_PAST_OFFSET`` do. None thus always means a next page."""
    counted = counted_rows(limit, offset)
    # One constant a row, so that an index can answer without reading the rows themselves.
    rows = query.with_only_columns(literal(1), maintain_column_froms=True)
    window = rows.limit(counted + 1).subquery()
    matches = session.scalar(select(func.count()).select_from(window)) or 0
    return matches if matches <= counted else None


def counted_rows(limit: int, offset: int) -> int:
    """How many rows from the first ``bounded_count`` counts, at most, for a page."""
    return offset + max(limit, COUNTED_PAST_OFFSET)


def in_order(columns: Sequence[Any], descending: bool) -> list[Any]:
    """``ORDER BY`` terms for ``columns``, each descending or not."""
    return [column.desc() if descending else column.asc() for column in columns]
