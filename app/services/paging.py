"""The one way lists are ordered and cut into pages."""

from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import Integer, Select, bindparam, func, literal, select
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
    return count_of(session, counting(query), {}, limit=limit, offset=offset)


def counting(query: Select[Any]) -> Select[Any]:
    """The statement ``bounded_count`` runs for ``query``: its rows, one constant each (so that
    an index can answer without reading the rows themselves), counted up to a parameter. Built
    once for a list read often, and run by ``count_of``."""
    rows = query.with_only_columns(literal(1), maintain_column_froms=True)
    window = rows.limit(bindparam(COUNT_LIMIT, type_=Integer)).subquery()
    return select(func.count()).select_from(window)


def count_of(
    session: Session,
    counting_statement: Select[Any],
    parameters: Mapping[str, Any],
    *,
    limit: int,
    offset: int,
) -> int | None:
    """``bounded_count`` with a statement made by ``counting``, run with ``parameters``."""
    counted = counted_rows(limit, offset)
    matches = session.scalar(counting_statement, {**parameters, COUNT_LIMIT: counted + 1}) or 0
    return matches if matches <= counted else None


COUNT_LIMIT = "count_limit"


def counted_rows(limit: int, offset: int) -> int:
    """How many rows from the first ``bounded_count`` counts, at most, for a page."""
    return offset + max(limit, COUNTED_PAST_OFFSET)


def in_order(columns: Sequence[Any], descending: bool) -> list[Any]:
    """``ORDER BY`` terms for ``columns``, each descending or not."""
    return [column.desc() if descending else column.asc() for column in columns]
