"""The whole database as JSON Lines, and back: a dump that re-imports to the identical dump.

The first line is a header (format, version, the licence notices of the articles the data
quotes); then one line per row, tables parents-first, rows by primary key. Values are plain JSON:
dates and times in ISO 8601 (times in UTC), decimals as strings. Memory stays constant: rows are
streamed from the database in batches and written out one by one.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Date, DateTime, Numeric, Table, func, insert, select, text
from sqlalchemy.orm import Session

from app.models import Base, Source, SourceKind

FORMAT = "armed-groups-kb-dump"
VERSION = 1
BATCH = 1000


class DumpError(ValueError):
    """A dump that cannot be imported: wrong format, unknown table, or a non-empty database."""


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return value


def license_notices(session: Session) -> list[dict[str, str | None]]:
    """The licence and attribution of every article whose text the data quotes."""
    articles = session.execute(
        select(Source.title, Source.license, Source.license_url, Source.attribution)
        .where(Source.kind == SourceKind.ARTICLE)
        .order_by(Source.id)
    )
    return [
        {
            "title": row.title,
            "license": row.license,
            "license_url": row.license_url,
            "attribution": row.attribution,
        }
        for row in articles
    ]


def iter_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Each row of each table as ``{"table": name, "row": {...}}``, parents before children."""
    for table in Base.metadata.sorted_tables:
        # Only dates, times and decimals need converting: find those columns once per table.
        keys = [column.key for column in table.columns]
        convert = [
            index
            for index, column in enumerate(table.columns)
            if isinstance(column.type, DateTime | Date | Numeric)
        ]
        query = select(table).order_by(*table.primary_key.columns)
        for row in session.execute(query.execution_options(yield_per=BATCH)):
            values = list(row)
            for index in convert:
                if values[index] is not None:
                    values[index] = _plain(values[index])
            yield {"table": table.name, "row": dict(zip(keys, values, strict=True))}


def iter_dump_lines(session: Session) -> Iterator[str]:
    """The dump, a line at a time, each ending in a newline."""
    header = {"format": FORMAT, "version": VERSION, "licenses": license_notices(session)}
    yield _line(header)
    for record in iter_rows(session):
        yield _line(record)


def _line(record: dict[str, Any]) -> str:
    # orjson writes what json.dumps(ensure_ascii=False, sort_keys=True, compact) writes, faster.
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS).decode() + "\n"


def import_dump(session: Session, lines: Iterable[str]) -> int:
    """Load a dump into an empty database (in the caller's transaction); returns rows loaded."""
    iterator = iter(lines)
    try:
        header = json.loads(next(iterator))
    except (StopIteration, json.JSONDecodeError) as error:
        raise DumpError("not a dump: the first line must be its JSON header") from error
    if header.get("format") != FORMAT or header.get("version") != VERSION:
        raise DumpError(f"not a {FORMAT} version {VERSION} dump")
    tables = Base.metadata.tables
    for table in tables.values():
        if session.scalar(select(func.count()).select_from(table)):
            raise DumpError(f"the database is not empty (table {table.name} has rows)")
    loaded = 0
    batch: list[dict[str, Any]] = []
    current: Table | None = None
    for number, line in enumerate(iterator, start=2):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            table = tables[record["table"]]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise DumpError(f"line {number}: not a row of a known table") from error
        if table is not current:
            loaded += _flush(session, current, batch)
            current, batch = table, []
        batch.append(_typed(table, record["row"]))
        if len(batch) >= BATCH:
            loaded += _flush(session, current, batch)
            batch = []
    loaded += _flush(session, current, batch)
    _reset_sequences(session)
    return loaded


def _typed(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for key, value in row.items():
        column = table.columns[key]
        if value is not None and isinstance(column.type, DateTime):
            value = datetime.fromisoformat(value)
        elif value is not None and isinstance(column.type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(column.type, Numeric):
            value = Decimal(value)
        values[key] = value
    return values


def _flush(session: Session, table: Table | None, rows: list[dict[str, Any]]) -> int:
    if table is None or not rows:
        return 0
    session.execute(insert(table), rows)
    return len(rows)


def _reset_sequences(session: Session) -> None:
    # Rows came with their ids; PostgreSQL's sequences must move past them.
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and not column.foreign_keys
            ):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
