"""The whole database as JSON Lines, and back: a dump that re-imports to the identical dump.

The first line is a header (format, version, the licence notices of the articles the data
quotes); then one line per row, tables parents-first, rows by primary key. Values are plain JSON:
dates and times in ISO 8601 (times in UTC), decimals as strings. Memory stays constant: rows are
streamed from the database in batches of about a megabyte of output and written out a batch at
a time.

A large database dumps millions of lines, so the work per row is kept small: rows come from the
DBAPI cursor as plain tuples rather than SQLAlchemy Rows, only the columns whose values are not
JSON already (dates, times, decimals, JSON text) are converted, a column of a batch at a time,
and the lines of a batch are written into one chunk, so that a file or an HTTP response gets a
write per thousand lines rather than per line. On PostgreSQL, tables without JSON documents
come as lines PostgreSQL wrote itself (``_postgresql_chunks``). The output is byte for byte what
converting each value of each Row with ``_plain`` gives (tests/test_export.py checks it on both
databases).
"""

import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson
from psycopg.types.json import set_json_loads
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Enum,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    cast,
    func,
    insert,
    literal,
    select,
    text,
)
from sqlalchemy.engine.interfaces import DBAPIConnection, DBAPICursor
from sqlalchemy.orm import Session

from app.models import Base, Source, SourceKind

FORMAT = "armed-groups-kb-dump"
VERSION = 1
BATCH = 1000  # rows fetched at a time, at most
FIRST_FETCH = 10  # rows fetched first, to learn their size
CHUNK_BYTES = 1 << 20  # at most about this much of the dump is written at a time

Convert = Callable[[Any], Any]


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


def iter_dump_chunks(session: Session) -> Iterator[bytes]:
    """The dump as UTF-8 in chunks of whole lines (a batch, or about CHUNK_BYTES of them).

    What files and HTTP responses want: a chunk per line would cost a write (and, over HTTP, a
    hop between threads) per line.
    """
    connection = session.connection()  # one transaction: every table from one snapshot
    with _unmapped(connection):
        header = {"format": FORMAT, "version": VERSION, "licenses": license_notices(session)}
        yield _line(header)
        for table in Base.metadata.sorted_tables:
            if connection.dialect.name == "postgresql" and _written_by_postgresql(table):
                yield from _postgresql_chunks(connection, table)
            else:
                yield from _table_chunks(connection, table)


def iter_dump_lines(session: Session) -> Iterator[str]:
    """The dump, a line at a time, each ending in a newline."""
    for chunk in iter_dump_chunks(session):
        # JSON escapes newlines inside strings: each newline in a chunk ends a line.
        for line in chunk.decode().split("\n")[:-1]:
            yield line + "\n"


def iter_rows(session: Session) -> Iterator[dict[str, Any]]:
    """Each row of each table as ``{"table": name, "row": {...}}``, parents before children."""
    chunks = iter_dump_chunks(session)
    next(chunks)  # the header
    for chunk in chunks:
        for line in chunk.split(b"\n")[:-1]:
            yield orjson.loads(line)


def _line(record: dict[str, Any]) -> bytes:
    # orjson writes what json.dumps(ensure_ascii=False, sort_keys=True, compact) writes, faster.
    return orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def _table_chunks(connection: Connection, table: Table) -> Iterator[bytes]:
    """The lines of one table's rows, in chunks of a batch (or about CHUNK_BYTES) at a time.

    The columns are selected in the order of their (ASCII) names, so the row's keys are already
    in the order OPT_SORT_KEYS would give, and only tables with JSON columns, whose objects need
    their keys sorted, pay for sorting. ``{"row": ..., "table": ...}`` is in sorted order too.
    """
    columns = sorted(table.columns, key=lambda column: column.key)
    keys = [column.key for column in columns]
    query = select(*columns).order_by(*table.primary_key.columns)
    documents = {index for index, column in enumerate(columns) if isinstance(column.type, JSON)}
    option = orjson.OPT_NAIVE_UTC | orjson.OPT_APPEND_NEWLINE
    if documents:
        option |= orjson.OPT_SORT_KEYS
    # One record for all the rows, its values replaced row by row (orjson has written the line
    # before the next row comes): cheaper than a new dict per row, and the keys keep their order.
    values_of_row: dict[str, Any] = dict.fromkeys(keys)
    record = {"row": values_of_row, "table": table.name}
    fill = values_of_row.update
    with closing(_cursor(connection)) as cursor:
        cursor.execute(str(query.compile(dialect=connection.dialect)))
        type_codes = [entry[1] for entry in cursor.description or ()]
        convert = [
            (index, *steps)
            for index, (column, type_code) in enumerate(zip(columns, type_codes, strict=True))
            if (steps := _conversion(connection, column, type_code)) != (None, None)
        ]
        # Rows are fetched a batch at a time, its size such that a batch writes about
        # CHUNK_BYTES: BATCH rows of a few hundred bytes, fewer of large documents (a thousand
        # revisions, each a profile before and after, came to more than 100 MB at once).
        # The first fetch, of a few rows, tells their size.
        fetch = FIRST_FETCH
        while batch := cursor.fetchmany(fetch):
            written = 0
            rows: Iterable[Sequence[Any]] = batch
            if convert:
                # A column at a time, with map rather than a Python step per value. JSON, whose
                # documents can be large, only as each row is written: one parsed at a time.
                values: list[Iterable[Any]] = list(zip(*batch, strict=True))
                for index, load, finish in convert:
                    column = values[index]
                    if load is not None:
                        column = map(load, column)
                    if finish is not None:
                        column = map(finish, column)
                    values[index] = column if index in documents else list(column)
                rows = zip(*values)  # noqa: B905 (as many values in each, and strict= costs)
            # Each line goes into the chunk at once: keeping a batch of orjson's results alive
            # for a join made writing them several times slower (their buffers are not reused).
            chunk = io.BytesIO()
            write = chunk.write
            size = 0
            for row in rows:
                fill(zip(keys, row))  # noqa: B905 (as above)
                size += write(orjson.dumps(record, option=option))
                if size >= CHUNK_BYTES:  # rows of large texts or documents: a chunk stays small
                    written += size
                    yield chunk.getvalue()
                    chunk = io.BytesIO()
                    write = chunk.write
                    size = 0
            if size:
                written += size
                yield chunk.getvalue()
            fetch = max(1, min(BATCH, len(batch) * CHUNK_BYTES // max(written, 1)))


# The column types whose values PostgreSQL writes into a line exactly as the Python path does
# (``_table_chunks``); a table with any other (JSON: its keys must be sorted) takes that path.
_POSTGRESQL_WRITES = (Integer, String, Enum, Boolean, Date, DateTime, Numeric)
# A time as ``_plain`` writes it: in UTC, always with microseconds.
_ISO_UTC = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'


def _written_by_postgresql(table: Table) -> bool:
    return all(isinstance(column.type, _POSTGRESQL_WRITES) for column in table.columns)


def _postgresql_chunks(connection: Connection, table: Table) -> Iterator[bytes]:
    """The lines of one table's rows written by PostgreSQL itself.

    ``row_to_json`` writes compact JSON with the keys in the order selected (by name, as
    OPT_SORT_KEYS would) and escapes strings as orjson does; times and decimals are turned into
    the text ``_plain`` gives first. The lines come by ``COPY ... TO STDOUT``: the server sends
    them without waiting to be asked for the next batch, so it writes JSON on one core while
    Python passes the last lines on, on the other. The output is the same byte for byte as
    ``_table_chunks`` gives (tests/test_export.py compares them), in chunks of BATCH lines or
    about CHUNK_BYTES, whichever comes first.
    """
    columns = sorted(table.columns, key=lambda column: column.key)
    values = select(*(_json_ready(column).label(column.key) for column in columns)).subquery("r")
    suffix = ',"table":' + orjson.dumps(table.name).decode() + "}"
    line = literal('{"row":') + cast(func.row_to_json(values.table_valued()), Text) + suffix
    keys = [values.c[column.key] for column in table.primary_key.columns]
    query = select(line).select_from(values).order_by(*keys)
    sql = query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True})
    # Each line comes with its newline, as COPY's text format writes it; a chunk is as big as
    # _table_chunks's batches. That format escapes backslashes and control characters; JSON has
    # none of the latter (it escapes them itself), so undoing the doubled backslashes gives the
    # JSON back.
    with (
        closing(_dbapi(connection).cursor()) as cursor,
        cursor.copy(f"COPY ({sql}) TO STDOUT") as copy,
    ):
        for lines in batched(copy, CHUNK_BYTES, BATCH):
            yield b"".join(lines).replace(b"\\\\", b"\\")


def batched(
    parts: Iterable[bytes], most_bytes: int, most_parts: int | None = None
) -> Iterator[list[bytes]]:
    """``parts`` in lists of about ``most_bytes`` (the last may be smaller), and of at most
    ``most_parts`` if given."""
    batch: list[bytes] = []
    size = 0
    for part in parts:
        batch.append(part)
        size += len(part)
        if size >= most_bytes or len(batch) == most_parts:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _dbapi(connection: Connection) -> DBAPIConnection:
    """The driver's own connection under ``connection``, in its transaction."""
    dbapi = connection.connection.dbapi_connection
    assert dbapi is not None
    return dbapi


def _json_ready(column: Column[Any]) -> Any:
    """A column as ``row_to_json`` should write it to match ``_plain``."""
    if isinstance(column.type, DateTime):
        moment = func.timezone("UTC", column) if column.type.timezone else column
        return func.to_char(moment, _ISO_UTC)
    if isinstance(column.type, Numeric):  # Decimal.normalize() drops the trailing zeros
        return cast(func.trim_scale(column), Text)
    return column


@contextmanager
def _unmapped(connection: Connection) -> Iterator[None]:
    """On SQLite, read without the memory map (``PRAGMA mmap_size``) while the dump runs.

    Each page read through the map stays resident in the process (as file cache), so a dump,
    which reads every page, would take as much memory as the database is large. SQLite changes
    the setting only when no page is in use, so this comes before the first read; the
    connection's own size is put back at the end.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    size = int(connection.exec_driver_sql("PRAGMA mmap_size").scalar_one())
    connection.exec_driver_sql("PRAGMA mmap_size=0")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA mmap_size={size}")


def _cursor(connection: Connection) -> DBAPICursor:
    """A DBAPI cursor in the connection's transaction that streams rows as they are fetched.

    sqlite3 steps through the result as rows are fetched; psycopg fetches the whole result at
    execute unless the cursor is named (server-side), then each fetchmany is one FETCH.
    """
    dbapi = _dbapi(connection)
    if connection.dialect.name == "postgresql":
        cursor = dbapi.cursor(name="kb_export")
        # Parses as json.loads does, several times faster (the cursor is an AdaptContext).
        set_json_loads(orjson.loads, cursor)  # type: ignore[arg-type]
        return cursor
    return dbapi.cursor()


def _conversion(
    connection: Connection, column: Column[Any], type_code: Any
) -> tuple[Convert | None, Convert | None]:
    """How a column's DBAPI values become what orjson writes as the old ``_plain`` did.

    First SQLAlchemy's result processor for the type, the parsing a Row would have done (on
    SQLite, dates, times and JSON arrive as text); then, for times and decimals, a finish.
    Both take None (NULL) and give it back.
    """
    if isinstance(column.type, Enum):
        # Its processor makes the StrEnum member, which orjson writes as the stored value anyway.
        return None, None
    dialect = connection.dialect
    if isinstance(column.type, JSON) and dialect.name == "sqlite":
        # SQLite's JSON arrives as text; orjson parses it as the processor's json.loads does,
        # several times faster (on PostgreSQL psycopg parses it, with orjson too: ``_cursor``).
        return _json_document, None
    load: Convert | None = column.type.dialect_impl(dialect).result_processor(dialect, type_code)
    if isinstance(column.type, DateTime):
        return load, _timestamp
    if isinstance(column.type, Numeric):
        return load, _plain
    return load, None  # a date goes as it is: orjson writes it as date.isoformat() does


def _json_document(text: str | None) -> Any:
    return None if text is None else orjson.loads(text)


def _timestamp(moment: datetime | None) -> datetime | str | None:
    """A time as ``_plain`` writes it: orjson (with OPT_NAIVE_UTC) writes the same, faster.

    Except that orjson leaves out a zero fraction of a second, where ``_plain`` writes .000000.
    """
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment if moment.microsecond else _plain(moment)


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
