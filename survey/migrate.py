"""Schema migrations (Alembic), callable from the CLI, the app and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from survey.db import sqlite_connect_hook, sync_url
from survey.errors import SettingsError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    """An Alembic config pointing at our migrations and ``database_url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database up to ``revision`` (default: the newest)."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    """Take the database back to ``revision`` (default: empty)."""
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str:
    """The newest migration in the code."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(database_url: str) -> str | None:
    """The migration the database is at, or None for an empty database."""
    url = sync_url(database_url)
    engine = create_engine(url, poolclass=pool.NullPool)
    if url.get_backend_name() == "sqlite":
        sqlite_connect_hook(engine)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def require_current(database_url: str) -> None:
    """Refuse to start against a database that is not at the newest migration.

    Raises:
        SettingsError: naming the revisions and the command that fixes it.
    """
    try:
        current = current_revision(database_url)
    except Exception as error:
        raise SettingsError(
            f"Cannot reach the database at {sync_url(database_url).render_as_string()}"
            f": {str(error).splitlines()[0]}"
        ) from None
    head = head_revision()
    if current != head:
        raise SettingsError(
            f"The database schema is at {current or 'nothing (empty)'}, but this "
            f"version needs {head}. Run `healthcheck db upgrade` first."
        )
