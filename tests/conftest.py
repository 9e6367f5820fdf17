"""Fixtures: every database test runs on SQLite and on a real PostgreSQL the run starts itself.

Each test runs inside an outer transaction that is rolled back afterwards; tests that must commit
for real (the loader's atomicity, migrations) take ``fresh_engine``, a new migrated database.
"""

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine.interfaces import CacheStats
from sqlalchemy.orm import Session, sessionmaker

from app import migrate
from app.config import Settings
from app.db import create_db_engine, create_session_factory
from app.main import create_app
from app.services.keys import Scope, mint_key
from tests.postgres import PostgresServer, PostgresUnavailable, start_server

BACKENDS = ["sqlite", "postgresql"]
TEMPLATE = "kb_template"
NOT_RUN = "NOT RUN:"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def not_available(what: str, why: str) -> NoReturn:
    """The one way a test meets a missing outside requirement (PostgreSQL, Chromium, npm): a
    skip that the run's summary repeats in red, or a failure under CI=true, which has them all."""
    message = f"{what} {NOT_RUN} {why}"
    if in_ci():
        pytest.fail(f"{message} (CI=true requires it)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole run; a skip (a failure under CI=true) if none starts."""
    try:
        server = start_server()
    except PostgresUnavailable as error:
        not_available("PostgreSQL tests", str(error))
    yield server
    server.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say loudly what was not tested (also under xdist: skip reports reach the controller)."""
    reasons = set()
    for report in terminalreporter.stats.get("skipped", []):
        longrepr = report.longrepr
        reason = str(longrepr[2] if isinstance(longrepr, tuple) else longrepr)
        if NOT_RUN in reason:
            reasons.add(reason.removeprefix("Skipped: "))
    if reasons:
        terminalreporter.section("NOT TESTED in this run", sep="!", red=True, bold=True)
        for reason in sorted(reasons):
            terminalreporter.write_line(reason, red=True)


def _settings(url: str) -> Settings:
    # No response cache: the tests' changes are never committed, so it would not see them.
    return Settings(database_url=url, seed_on_empty=False, response_cache=False)


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The database the test runs on."""
    return str(request.param)


@pytest.fixture(scope="session")
def new_database(
    backend: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[bool], Engine]:
    """A factory of new databases of the current backend, migrated to head unless told not to."""
    if backend == "sqlite":
        folder = tmp_path_factory.mktemp("sqlite")
        template = folder / "template.sqlite3"
        engine = create_db_engine(_settings(f"sqlite:///{template}"))
        migrate.upgrade(engine)
        engine.dispose()

        def new_sqlite(migrated: bool = True) -> Engine:
            path = folder / f"{uuid.uuid4().hex}.sqlite3"
            if migrated:
                shutil.copy(template, path)
            return create_db_engine(_settings(f"sqlite:///{path}"))

        return new_sqlite

    server: PostgresServer = request.getfixturevalue("postgres_server")
    admin = create_engine(server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    engine = create_db_engine(_settings(server.url(TEMPLATE)))
    migrate.upgrade(engine)
    engine.dispose()

    def new_postgres(migrated: bool = True) -> Engine:
        name = f"kb_{uuid.uuid4().hex[:12]}"
        clause = f" TEMPLATE {TEMPLATE}" if migrated else ""
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}{clause}"))
        return create_db_engine(_settings(server.url(name)))

    return new_postgres


@pytest.fixture
def postgres(postgres_server: PostgresServer) -> Iterator[Engine]:
    """A migrated PostgreSQL database of its own, for the tests of what only PostgreSQL does."""
    name = f"kb_only_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    engine = create_db_engine(Settings(database_url=postgres_server.url(name)))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def shared_engine(new_database: Callable[[bool], Engine]) -> Iterator[Engine]:
    """One migrated database per backend, shared by the tests that roll back."""
    engine = new_database(True)
    yield engine
    engine.dispose()


@pytest.fixture
def fresh_engine(new_database: Callable[[bool], Engine]) -> Iterator[Engine]:
    """A new migrated database of its own, for tests that commit for real."""
    engine = new_database(True)
    yield engine
    engine.dispose()


@pytest.fixture
def empty_engine(new_database: Callable[[bool], Engine]) -> Iterator[Engine]:
    """A new database with no tables at all, for the migration tests."""
    engine = new_database(False)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(shared_engine: Engine) -> Iterator[Connection]:
    """A connection inside an outer transaction that is rolled back after the test."""
    with shared_engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    """Sessions whose commits are savepoints inside the test's outer transaction."""
    return sessionmaker(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
        autoflush=False,
    )


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for arranging and checking rows."""
    with session_factory() as session:
        yield session


@pytest.fixture
def app(shared_engine: Engine, session_factory: sessionmaker[Session]) -> FastAPI:
    """The application, its requests sharing the test's rolled-back transaction."""
    application = create_app(_settings(str(shared_engine.url)), engine=shared_engine)
    application.state.session_factory = session_factory
    return application


def mint(session: Session, *scopes: Scope) -> str:
    """A new API key with these scopes, visible to the test's requests; its secret."""
    return mint_key(session, "tests", list(scopes)).secret


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    """An HTTP client with no API key; server errors come back as responses, not exceptions."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def client(app: FastAPI, session: Session) -> Iterator[TestClient]:
    """An HTTP client that presents a key with the write scope, as an editor's would."""
    headers = {"Authorization": f"Bearer {mint(session, Scope.WRITE)}"}
    with TestClient(app, raise_server_exceptions=False, headers=headers) as test_client:
        yield test_client


class StatementCounter:
    """Counts the SQL statements sent on a connection (or an engine) while active, and keeps
    how SQLAlchemy compiled each: from its cache or anew (``CacheStats``; None for a statement
    sent as text by the driver's hooks, such as SQLite's BEGIN)."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.parameters: list[Any] = []
        self.compiled: list[CacheStats | None] = []

    def __call__(self, *args: Any) -> None:
        self.statements.append(str(args[2]))
        self.parameters.append(args[3])
        context = args[4]
        self.compiled.append(context.cache_hit if context is not None else None)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def statements_sent(target: Connection | Engine) -> Iterator[StatementCounter]:
    """Every statement ``target`` sends while the block runs."""
    counter = StatementCounter()
    event.listen(target, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(target, "before_cursor_execute", counter)


@contextmanager
def work_done(connection: Connection, table: str) -> Iterator[list[int]]:
    """The work the database does while the block runs, in its one element once it ends: on
    SQLite its virtual machine's instructions (in tens), on PostgreSQL the rows and index entries
    the transaction read from ``table``."""
    work = [0]
    sqlite = connection.dialect.name == "sqlite"
    raw = connection.connection.dbapi_connection
    read = text(
        "SELECT pg_stat_get_xact_tuples_returned(CAST(:table AS regclass)) + coalesce(("
        "SELECT sum(pg_stat_get_xact_tuples_returned(indexrelid)) FROM pg_index "
        "WHERE indrelid = CAST(:table AS regclass)), 0)"
    )
    if sqlite:
        assert raw is not None
        raw.set_progress_handler(lambda: work.__setitem__(0, work[0] + 1), 10)
    else:
        work[0] = -int(connection.execute(read, {"table": table}).scalar_one())
    try:
        yield work
    finally:
        if sqlite:
            assert raw is not None
            raw.set_progress_handler(None, 10)
        else:
            work[0] += int(connection.execute(read, {"table": table}).scalar_one())


def assert_cost_flat(cost: Callable[[], int], grow: Callable[[], None]) -> None:
    """The work ``cost`` measures (see ``work_done``) stays under twice what it was once
    ``grow`` has added hundreds of rows that the work should not reach."""
    few = cost()
    grow()
    many = cost()
    assert few > 0
    assert many < 2 * few, (few, many)


def analysed_tables(engine: Engine) -> set[str]:
    """The tables the planner has statistics of (from ANALYZE or, on PostgreSQL, VACUUM)."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            return set(connection.scalars(text("SELECT tbl FROM sqlite_stat1")))
        # A table never analysed nor vacuumed counts -1 rows (0 once indexed while empty).
        counted = connection.scalars(
            text(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > 0 "
                "AND relnamespace = 'public'::regnamespace"
            )
        )
        return set(counted)


def plan_as_at_scale(connection: Connection, table: str) -> None:
    """Let the test's statements be planned as they would be on a large database: with fresh
    statistics of ``table``, and on PostgreSQL without sequential scans or hash aggregation,
    which it picks for a table of a few hundred rows whatever the statement (it streams from
    the indexes at L). Until the test's transaction ends."""
    connection.exec_driver_sql(f"ANALYZE {table}")
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        connection.exec_driver_sql("SET LOCAL enable_hashagg = off")


@pytest.fixture
def count_statements(connection: Connection) -> Iterator[StatementCounter]:
    """Every statement the test's connection runs from now on."""
    with statements_sent(connection) as counter:
        yield counter


@pytest.fixture(scope="session")
def seed_article_path() -> Path:
    return Path(__file__).resolve().parent.parent / "seed" / "article.txt"


@pytest.fixture(scope="module")
def seeded(new_database: Callable[[bool], Engine]) -> Iterator[Engine]:
    """A database of its own holding the seed article, shared by a module's read-only tests."""
    from seed.loader import load_seed

    engine = new_database(True)
    load_seed(create_session_factory(engine))
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def seeded_api(seeded: Engine) -> Iterator[TestClient]:
    """An anonymous client of the API over the seeded database."""
    app = create_app(_settings(str(seeded.url)), engine=seeded)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
