"""Running Alembic from code: the CLI, the server's start-up and the tests share this."""

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

Action = Callable[[Config], None]
ALEMBIC_INI = Path(__file__).resolve().parent.parent / "alembic.ini"


def alembic_config() -> Config:
    """The project's Alembic configuration, quiet about logging (the caller's is kept)."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["configure_logger"] = False
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database up to ``revision``."""
    _run(engine, lambda config: command.upgrade(config, revision))


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Take the database down to ``revision`` (``base``: empty)."""
    _run(engine, lambda config: command.downgrade(config, revision))


def _run(engine: Engine, action: Action) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        action(config)
