"""Engines and sessions: one engine per database URL, SQLite tuned for a concurrent web service."""

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.errors import ServiceUnavailableError


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs, as most hosting platforms write them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def create_db_engine(settings: Settings) -> Engine:
    """An engine for the configured database; SQLite gets WAL, foreign keys and a busy timeout."""
    url = make_url(normalise_url(settings.database_url))
    if url.get_backend_name() != "sqlite":
        return create_engine(
            url,
            echo=settings.database_echo,
            pool_size=settings.database_pool_size,
            pool_pre_ping=True,
        )
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        echo=settings.database_echo,
        pool_size=settings.database_pool_size,
        connect_args={
            "check_same_thread": False,
            "timeout": settings.sqlite_busy_timeout_ms / 1000,
        },
    )
    _configure_sqlite(engine, settings.sqlite_busy_timeout_ms, settings.sqlite_mmap_mb)
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int, mmap_mb: int) -> None:
    # pysqlite defers BEGIN by itself and that breaks SAVEPOINT; we issue BEGIN ourselves.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA mmap_size={int(mmap_mb) * 1024 * 1024}")
        cursor.close()

    @event.listens_for(engine, "close")
    def on_close(dbapi_connection: Any, _record: Any) -> None:
        # As SQLite advises: before a connection closes, it analyses the tables its statements
        # would have been planned better for with statistics (none yet, or from far fewer
        # rows); a no-op otherwise. A database grown by imports and writes gets them so: at L
        # without them the network of a group took 1.1 s, with them 8 ms.
        with suppress(sqlite3.Error):
            dbapi_connection.execute("PRAGMA optimize")

    # SQLite's busy handler polls and is not fair: with many writers one can wait past any
    # timeout. Writers of one process queue on this lock instead, so SQLite only ever sees one
    # writer per process waiting, and waits are short and in turn.
    writers = threading.Lock()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            # Each statement is its own transaction (VACUUM, ANALYZE): a BEGIN here would hold
            # them in one that the connection's return to the pool rolls back.
            return
        # IMMEDIATE takes the write lock up front: concurrent writers wait, never deadlock.
        immediate = options.get(WRITE_OPTION, False)
        if immediate:
            if not writers.acquire(timeout=busy_timeout_ms / 1000):
                raise ServiceUnavailableError("The database is busy with other writes; retry.")
            connection.info[WRITE_OPTION] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
        except BaseException:
            release(connection)
            raise

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def release(connection: Any) -> None:
        if connection.info.pop(WRITE_OPTION, False):
            writers.release()


WRITE_OPTION = "kb_write"


def analyze(engine: Engine) -> None:
    """Fresh planner statistics after rows written in bulk (a generated corpus, a dump loaded),
    and on PostgreSQL the GIN indexes' pending entries merged.

    The planner would otherwise guess: SQLite without statistics walks a relationship type's
    index in id order (a hundred thousand allies at L) rather than the frontier's own ties,
    and every trigram lookup on PostgreSQL would also scan the pending list until autovacuum
    came round.
    """
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql(statement)


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer (SQLite: take the write lock up front)."""
    session.connection(execution_options={WRITE_OPTION: True})


def create_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit, for building responses."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A unit of work: commit on success, roll back on any error."""
    with factory() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
