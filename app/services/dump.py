"""A full, ordered dump of the database: every table, every row, by primary key."""

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Base


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def iter_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Each row of each table as ``{"table": name, "row": {...}}``, parents before children."""
    for table in Base.metadata.sorted_tables:
        query = select(table).order_by(*table.primary_key.columns)
        for row in session.execute(query.execution_options(yield_per=1000)).mappings():
            yield {"table": table.name, "row": {key: _plain(value) for key, value in row.items()}}
