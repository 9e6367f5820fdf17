"""`kb keys create|list|revoke` against a real database file."""

import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.config import Settings
from app.db import create_db_engine, create_session_factory
from app.models import ApiKey
from app.services.keys import authenticate


def kb(database: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env={"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_keys_are_minted_listed_and_revoked_from_the_cli(tmp_path: Path) -> None:
    database = tmp_path / "keys.sqlite3"
    created = kb(database, "keys", "create", "newsroom", "--scope", "write")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    prefix = secret.split("_")[1]
    listed = kb(database, "keys", "list")
    assert listed.stdout.split("\t")[:3] == [prefix, "newsroom", "write"]
    assert secret not in listed.stdout  # shown once, at creation
    engine = create_db_engine(Settings(database_url=f"sqlite:///{database}"))
    with create_session_factory(engine)() as session:
        assert authenticate(session, secret) is not None
        assert session.scalars(select(ApiKey.secret_hash)).one() != secret
    assert kb(database, "keys", "revoke", prefix).returncode == 0
    with create_session_factory(engine)() as session:
        assert authenticate(session, secret) is None
    assert kb(database, "keys", "revoke", "deadbeef").returncode == 1
    engine.dispose()
