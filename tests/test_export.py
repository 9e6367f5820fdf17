"""The dump round-trips byte for byte, also across SQLite and PostgreSQL; CSV for spreadsheets."""

import csv
import io
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Generator, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import orjson
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.orm import Session

from app import migrate
from app.api.exports import Export
from app.config import Settings
from app.db import create_db_engine
from app.models import (
    Attribute,
    Base,
    Citation,
    Entity,
    EntityKind,
    Organization,
    Relationship,
    Revision,
    Source,
    SourceKind,
)
from app.schemas.entities import EventCreate
from app.services import export
from app.services.entities import create_entity
from app.services.export import (
    BATCH,
    DumpError,
    _plain,
    _written_by_postgresql,
    import_dump,
    iter_dump_chunks,
    iter_dump_lines,
    license_notices,
)
from tests.conftest import analysed_tables
from tests.factories import add_organization, add_source, cite
from tests.postgres import PostgresServer


def _fill(session: Session) -> None:
    article = add_source(
        session,
        "The article",
        kind=SourceKind.ARTICLE,
        license="CC BY-SA 4.0",
        attribution="By its contributors.",
    )
    report = add_source(
        session,
        "حماس والنظام السوري",
        translated_title="Hamas and the regime",
        authors=["A. Writer"],
    )
    group = add_organization(
        session,
        "Aknaf Test",
        article,
        names=[
            {
                "name": "أكناف",
                "language": "ar",
                "script": "Arab",
                "kind": "native",
                "citations": [cite(report, 8)],
            }
        ],
        attributes=[
            {
                "name": "size",
                "value": "200",
                "value_number": "200",
                "period": {"start": "2015"},
                "citations": [cite(report, 6)],
            }
        ],
        periods=[
            {
                "label": "main group",
                "period": {"text": "c. 2012/13 – 2015", "start": "[2012,2013]", "end": "2015"},
                "citations": [cite(article, None)],
            }
        ],
    )
    create_entity(
        session,
        EntityKind.EVENT,
        EventCreate.model_validate(
            {"name": "Battle", "date": {"start": "2015-04"}, "citations": [cite(report, 21)]}
        ),
    )
    other = add_organization(session, "Other", article)
    from app.schemas.relationships import RelationshipCreate
    from app.services.relationships import create_relationship

    create_relationship(
        session,
        RelationshipCreate.model_validate(
            {
                "subject": group.id,
                "object": other.id,
                "type": "ally",
                "status": "ended",
                "period": {"end": "2015-04"},
                "citations": [cite(report, 7)],
            }
        ),
    )
    session.commit()


def _dump(engine: Engine) -> str:
    with Session(engine) as session:
        return "".join(iter_dump_lines(session))


def _load(engine: Engine, dump: str) -> int:
    with Session(engine) as session:
        loaded = import_dump(session, io.StringIO(dump))
        session.commit()
    return loaded


def test_export_then_import_gives_the_identical_dump(fresh_engine: Engine, new_database) -> None:
    with Session(fresh_engine) as session:
        _fill(session)
    dump = _dump(fresh_engine)
    target = new_database(True)
    assert _load(target, dump) == dump.count("\n") - 1
    assert _dump(target) == dump


def test_ids_continue_after_an_import(fresh_engine: Engine, new_database) -> None:
    with Session(fresh_engine) as session:
        _fill(session)
    target = new_database(True)
    _load(target, _dump(fresh_engine))
    with Session(target) as session:
        source = add_source(session, "After the import")
        session.commit()
        assert source.id > 2


def test_kb_import_dump_loads_and_leaves_the_planner_statistics(
    fresh_engine: Engine, new_database: Callable[[bool], Engine], tmp_path: Path
) -> None:
    """A dump loads in bulk, as a generated corpus does, and is analysed as one is: SQLite's
    planner without statistics took a relationship type's index for the network (1.1 s at L)."""
    with Session(fresh_engine) as session:
        _fill(session)
    dump = tmp_path / "dump.jsonl"
    dump.write_text(_dump(fresh_engine), encoding="utf-8")
    target = new_database(True)
    url = target.url.render_as_string(hide_password=False)
    loaded = subprocess.run(
        [sys.executable, "-m", "app.cli", "import-dump", str(dump)],
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert _dump(target) == dump.read_text(encoding="utf-8")
    assert {"entities", "relationships", "citations", "sources"} <= analysed_tables(target)


def test_import_refuses_a_non_empty_database(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session:
        _fill(session)
    with pytest.raises(DumpError, match="not empty"):
        _load(fresh_engine, _dump(fresh_engine))


def test_import_refuses_what_is_not_a_dump(fresh_engine: Engine) -> None:
    with pytest.raises(DumpError):
        _load(fresh_engine, '{"hello": 1}\n')


def test_the_dump_header_carries_the_licence(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session:
        _fill(session)
    header = _dump(fresh_engine).splitlines()[0]
    assert '"license":"CC BY-SA 4.0"' in header


@pytest.fixture
def both(postgres_server: PostgresServer, tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    """A migrated SQLite and a migrated PostgreSQL database, side by side."""
    sqlite = create_db_engine(Settings(database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}"))
    name = f"kb_cross_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    postgres = create_db_engine(Settings(database_url=postgres_server.url(name)))
    for engine in (sqlite, postgres):
        migrate.upgrade(engine)
    yield sqlite, postgres
    sqlite.dispose()
    postgres.dispose()
    admin.dispose()


def test_dump_crosses_from_sqlite_to_postgresql_and_back(
    both: tuple[Engine, Engine], tmp_path: Path
) -> None:
    sqlite, postgres = both
    with Session(sqlite) as session:
        _fill(session)
    dump = _dump(sqlite)
    _load(postgres, dump)
    assert _dump(postgres) == dump
    back = create_db_engine(Settings(database_url=f"sqlite:///{tmp_path / 'back.sqlite3'}"))
    migrate.upgrade(back)
    _load(back, _dump(postgres))
    assert _dump(back) == dump


def test_export_endpoint_streams_the_dump(client: TestClient, session: Session) -> None:
    add_source(session, "Streamed")
    response = client.get("/export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert response.content == b"".join(iter_dump_chunks(session))
    lines = response.text.splitlines()
    assert '"format":"armed-groups-kb-dump"' in lines[0]
    assert any('"title":"Streamed"' in line for line in lines[1:])


def test_csv_export_has_a_header_and_the_rows(client: TestClient, session: Session) -> None:
    source = add_source(session)
    add_organization(session, "Csv Group", source, organization_type="militia")
    response = client.get("/export/organizations.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["id", "slug", "name", "description", "organization_type"]
    assert [rows[1][1], rows[1][2], rows[1][4]] == ["csv-group", "Csv Group", "militia"]


def test_csv_of_an_unknown_resource_is_a_422(client: TestClient) -> None:
    assert client.get("/export/passwords.csv").status_code == 422


def test_followthemoney_export_validates_against_the_ftm_schema(
    client: TestClient, session: Session
) -> None:
    from followthemoney import model

    _fill(session)
    response = client.get("/export/ftm.jsonl")
    assert response.status_code == 200
    entities = [
        model.get_proxy(json.loads(line), cleaned=False) for line in response.text.splitlines()
    ]
    schemata = {proxy.schema.name for proxy in entities}
    assert {"Organization", "Event", "Article", "UnknownLink"} <= schemata
    ids = {proxy.id for proxy in entities}
    for proxy in entities:
        for prop, value in proxy.itervalues():
            assert prop.type.clean(value, proxy=proxy) is not None, (proxy.id, prop.name, value)
            if prop.type.name == "entity":
                assert value in ids, (proxy.id, prop.name, value)
    group = next(p for p in entities if p.first("name") == "Aknaf Test")
    assert "أكناف" in group.get("alias")
    assert "CC BY-SA 4.0" in group.first("publisher")


def _fill_awkward(session: Session) -> None:
    """Values the fast path must write as the plain one does, and more rows than a batch."""
    moments = [
        datetime(2026, 1, 1, tzinfo=UTC),  # a whole second: .000000 all the same
        datetime(2026, 1, 1, 3, 4, 5, 123456, tzinfo=timezone(timedelta(hours=2))),
        datetime(1, 1, 1, 0, 0, 0, 1, tzinfo=UTC),
    ]
    # Every kind of escape JSON has, and characters that need none (DEL, U+2028, non-ASCII).
    names = [
        "line\u2028sep\nnl\t\x01\x1f\x7f\b\f\r",
        'quote " back \\ slash / \\u0041',
        "أكناف 😀",
    ]
    session.execute(
        insert(Entity.__table__),
        [
            {
                "id": n,
                "kind": "organization",
                "slug": f"group-{n}",
                "name": names[n % 3],
                "version": 1,
                "created_at": moments[n % 3],
                "updated_at": moments[(n + 1) % 3],
            }
            for n in range(1, 4)
        ],
    )
    session.execute(insert(Organization.__table__), [{"id": n} for n in range(1, 4)])
    # Times written by SQL rather than SQLAlchemy: no fraction, and an offset.
    session.execute(text("UPDATE entities SET created_at = '2026-01-01 00:00:00' WHERE id = 1"))
    session.execute(
        text("UPDATE entities SET updated_at = '2026-01-01 03:04:05.5+02:00' WHERE id = 2")
    )
    session.execute(
        insert(Source),
        [
            {
                "id": 1,
                "slug": "s",
                "title": "S",
                "kind": "article",
                "authors": ["x", "é"],
                "extra": {"z": 1, "a": {"y": [1.5, None, True, 0.1], "b": "ü"}},
                "published_date": date(1, 1, 1),
                "retrieved_date": date(9999, 12, 31),
                "license": "CC BY-SA 4.0",
                "version": 1,
            }
        ],
    )
    numbers = [
        Decimal("12.5"),
        Decimal("0.0001"),
        Decimal("-3"),
        Decimal("123456789012.1234"),
        Decimal("100"),
        Decimal("0"),
        Decimal("-0.5"),
    ]
    session.execute(
        insert(Attribute.__table__),
        [
            {"entity_id": 1, "name": "size", "value": str(number), "value_number": number}
            for number in [*numbers, None]
        ],
    )
    session.execute(
        insert(Relationship.__table__),
        [
            {
                "id": 1,
                "subject_id": 1,
                "object_id": 2,
                "type": "ally",
                "status": "asserted",
                "version": 1,
                "start_lower": date(2012, 1, 1),
                "end_upper": date.max,
            }
        ],
    )
    session.execute(
        insert(Citation.__table__),
        [
            {"source_id": 1, "relationship_id": 1, "reference_number": n, "quote": f"Quote {n}"}
            for n in range(2 * BATCH + 500)
        ],
    )
    session.commit()


def _plain_dump(session: Session) -> bytes:
    """The dump as written before it was made fast: SQLAlchemy Rows, each value made plain."""
    header = {"format": "armed-groups-kb-dump", "version": 1, "licenses": license_notices(session)}
    records: list[dict[str, Any]] = [header]
    for table in Base.metadata.sorted_tables:
        keys = [column.key for column in table.columns]
        for row in session.execute(select(table).order_by(*table.primary_key.columns)):
            values = {key: _plain(value) for key, value in zip(keys, row, strict=True)}
            records.append({"table": table.name, "row": values})
    return b"".join(
        orjson.dumps(record, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)
        for record in records
    )


def test_the_dump_is_what_the_plain_row_by_row_dump_writes(fresh_engine: Engine) -> None:
    with Session(fresh_engine) as session:
        _fill_awkward(session)
    with Session(fresh_engine) as session:
        chunks = list(iter_dump_chunks(session))
    with Session(fresh_engine) as session:
        expected = _plain_dump(session)
    assert b"".join(chunks) == expected
    assert all(chunk.endswith(b"\n") for chunk in chunks)  # whole lines only
    assert len(chunks) > 4  # the citations came in batches
    assert ".000000+00:00" in expected.decode()
    assert _dump(fresh_engine).encode() == expected


def test_postgresql_writes_the_lines_of_the_tables_without_documents() -> None:
    # The test above checks that its lines are the same; this, that the big tables get them.
    written = {table.name for table in Base.metadata.sorted_tables if _written_by_postgresql(table)}
    assert {"entities", "entity_names", "relationships", "citations"} <= written
    assert "sources" not in written  # its JSON documents' keys are sorted by orjson


@pytest.mark.parametrize("busy", ["sending", "making a chunk"])
def test_an_export_whose_client_goes_is_ended_at_once(busy: str) -> None:
    """The generator (and so the export's transaction) is closed when the response ends, not
    whenever the garbage collector comes to it, whether the client went while a chunk was being
    sent or while the next was being made."""
    made: list[int] = []
    closed = threading.Event()
    closed_in: list[threading.Thread] = []
    sent: list[dict[str, Any]] = []

    def chunks() -> Generator[bytes]:
        try:
            for number in range(1000):
                made.append(number)
                if busy == "making a chunk" and number >= 2:
                    time.sleep(0.05)  # the client goes meanwhile
                yield b"x" * 1000
        finally:
            closed_in.append(threading.current_thread())
            closed.set()

    async def receive() -> dict[str, Any]:
        while len(sent) < 3:  # the client goes after the start and two chunks
            await anyio.sleep(0.001)
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if busy == "sending" and len(sent) == 3:  # a client that stopped reading
            await anyio.sleep_forever()

    response = Export(chunks(), media_type="application/x-ndjson")
    scope = {"type": "http", "asgi": {"spec_version": "2.0"}}

    async def serve() -> bool:
        await response(scope, receive, send)
        return closed.is_set()  # now, not when the event loop closes what is left over

    assert anyio.run(serve)
    # In a worker thread: on the event loop, closing a COPY would block every other request.
    assert closed_in == [closed_in[0]]
    assert closed_in[0] is not threading.main_thread()
    assert len(made) < 1000  # it stopped early
    assert sent[0]["type"] == "http.response.start"


def test_rows_of_large_documents_are_fetched_a_few_at_a_time(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch is sized by what its rows write, not only by their number: a thousand revisions
    of big profiles would be hundreds of MB at once."""
    document = {"text": "x" * 300_000}  # about 300 KB a row
    with Session(fresh_engine) as session:
        session.execute(
            insert(Revision.__table__),
            [
                {"resource": "organization", "item_id": n, "action": "update", "after": document}
                for n in range(40)
            ],
        )
        session.commit()
    fetched: dict[str, list[int]] = {}
    cursor_of = export._cursor

    class Counted:
        def __init__(self, cursor: Any) -> None:
            self.cursor = cursor
            self.sizes: list[int] = []

        def __getattr__(self, name: str) -> Any:
            return getattr(self.cursor, name)

        def fetchmany(self, size: int) -> Any:
            rows = self.cursor.fetchmany(size)
            self.sizes.append(len(rows))
            return rows

    def counted(connection: Any) -> Counted:
        cursor = Counted(cursor_of(connection))
        fetched[f"cursor {len(fetched)}"] = cursor.sizes
        return cursor

    monkeypatch.setattr(export, "_cursor", counted)
    with Session(fresh_engine) as session:
        dump = b"".join(iter_dump_chunks(session))
    assert dump.count(b'"table":"revisions"') == 40
    revisions = [sizes for sizes in fetched.values() if sum(sizes) == 40]
    assert len(revisions) == 1
    first, *rest = revisions[0]
    assert first <= 10
    assert rest
    assert max(rest) <= 4  # about 1 MB a batch
