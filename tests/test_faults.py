"""Faults: with the database gone, requests get 503 problems, and service resumes by itself."""

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from app import migrate
from app.config import Settings
from app.db import create_db_engine
from app.main import create_app
from tests.conftest import not_available
from tests.postgres import PostgresServer, PostgresUnavailable, start_server


@pytest.fixture
def own_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own, since the test stops and restarts it."""
    try:
        server = start_server()
    except PostgresUnavailable as error:
        not_available("PostgreSQL fault test", str(error))
    yield server
    server.stop()


def test_database_outage_gives_503_and_service_resumes(own_server: PostgresServer) -> None:
    name = f"kb_fault_{uuid.uuid4().hex[:8]}"
    admin = create_engine(own_server.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    settings = Settings(database_url=own_server.url(name), seed_on_empty=False)
    engine = create_db_engine(settings)
    migrate.upgrade(engine)
    with TestClient(create_app(settings, engine=engine), raise_server_exceptions=False) as client:
        assert client.get("/organizations").status_code == 200
        own_server.halt()
        down = client.get("/organizations")
        assert down.status_code == 503
        assert down.headers["content-type"] == "application/problem+json"
        assert "retry-after" in down.headers
        assert client.get("/readyz").status_code == 503
        assert client.get("/healthz").status_code == 200  # the process itself is fine
        own_server.start()
        assert client.get("/readyz").status_code == 200
        assert client.get("/organizations").status_code == 200
    engine.dispose()


def test_an_unreachable_database_at_start_is_a_503_not_a_crash() -> None:
    settings = Settings(database_url="postgresql://nobody@127.0.0.1:9/none", seed_on_empty=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/organizations").status_code == 503
        assert client.get("/readyz").status_code == 503
