"""Alembic's environment: the URL comes from the app's settings, or from a connection passed in."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from app.config import get_settings
from app.db import create_db_engine, normalise_url
from app.models import Base
from app.models.search import include_object

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def run_with(connection: Connection) -> None:
    """Run the migrations on one connection, batch mode on SQLite so that ALTERs work there."""
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    """Emit SQL for the configured URL without connecting."""
    context.configure(
        url=normalise_url(get_settings().database_url),
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Run against a connection handed over by the caller (tests, the CLI) or the settings' URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        run_with(connection)
        return
    engine = create_db_engine(get_settings())
    try:
        with engine.connect() as new_connection:
            run_with(new_connection)
            new_connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
