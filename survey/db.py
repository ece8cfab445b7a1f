"""Database engines and sessions for SQLite (embedded) and PostgreSQL (scale-out)."""

from __future__ import annotations

import select
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import SettingsError

SessionFactory = async_sessionmaker[AsyncSession]


def sync_url(database_url: str) -> URL:
    """The URL for synchronous use (Alembic): sqlite3 or psycopg."""
    url = _parse(database_url)
    if url.get_backend_name() == "sqlite":
        return url.set(drivername="sqlite")
    return url.set(drivername="postgresql+psycopg")


def async_url(database_url: str) -> URL:
    """The URL for the async engine: aiosqlite or psycopg (async mode)."""
    url = _parse(database_url)
    if url.get_backend_name() == "sqlite":
        return url.set(drivername="sqlite+aiosqlite")
    return url.set(drivername="postgresql+psycopg")


def _parse(database_url: str) -> URL:
    try:
        url = make_url(database_url)
    except Exception:
        raise SettingsError(
            f"DATABASE_URL '{database_url}' is not a database URL "
            "(try sqlite:///./data/healthcheck.db or postgresql://user@host/db)"
        ) from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise SettingsError(
            f"DATABASE_URL must be SQLite or PostgreSQL, not {url.get_backend_name()}"
        )
    if url.get_backend_name() == "sqlite" and url.database not in (
        None,
        "",
        ":memory:",
    ):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sqlite_connect_hook(engine: Any) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection."""
    event.listen(engine, "connect", _sqlite_pragmas)


def _take_write_lock_on_begin(engine: Any) -> None:
    """Start every transaction with ``BEGIN IMMEDIATE``.

    SQLite's default deferred transactions fail with "database is locked" when two
    of them both read and then write; taking the write lock up front makes the
    second wait its turn (up to the busy timeout) and then see the first's work.
    """

    def no_driver_transactions(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    def begin_immediate(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", no_driver_transactions)
    event.listen(engine, "begin", begin_immediate)


def create_engine(
    database_url: str, *, pool_size: int = 20, read_only: bool = False
) -> AsyncEngine:
    """Create the async engine the app, worker and CLI share.

    ``read_only`` engines on SQLite skip ``BEGIN IMMEDIATE``: in WAL mode a
    reader never waits for the write lock, so pages that only read do not queue
    behind answers being saved. Never write through one.

    The pool keeps ``pool_size`` connections open and opens up to ten more at
    busy moments. Those extra ones are closed when handed back, so the pool is
    sized for a busy web process (whose chat requests are gated below it, see
    ``bot.web.pages``): too small a pool opens and closes a connection (a
    PostgreSQL backend, or an aiosqlite thread) for many requests.
    """
    url = async_url(database_url)
    pooled = {"pool_size": pool_size, "max_overflow": min(pool_size, 10)}
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            pooled = {}  # one shared connection (SQLAlchemy's StaticPool)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **pooled)
        sqlite_connect_hook(engine.sync_engine)
        if not read_only:
            _take_write_lock_on_begin(engine.sync_engine)
        return engine
    engine = create_async_engine(url, **pooled)
    event.listen(engine.sync_engine.pool, "checkout", _refuse_dead_connection)
    return engine


_LIBPQ_CONNECTION_OK = 0


def _refuse_dead_connection(_dbapi_connection: Any, _record: Any, proxy: Any) -> None:
    """Hand out no pooled PostgreSQL connection the server has dropped.

    Does what ``pool_pre_ping`` does without its round trip (a ``SELECT 1`` for
    every checkout, so every request): a connection lying idle in the pool has
    nothing to read unless the server has ended it (a restart sends a goodbye
    and closes the socket). Raising ``DisconnectionError`` makes the pool drop
    every connection made before now and connect afresh, so the first request
    after PostgreSQL is back succeeds.
    """
    driver = proxy.driver_connection
    pgconn = driver.pgconn
    dead = (
        driver.closed
        or driver.broken
        or pgconn.status != _LIBPQ_CONNECTION_OK
        or bool(select.select([pgconn.socket], [], [], 0)[0])
    )
    if dead:
        error = DisconnectionError("the database closed this connection")
        error.invalidate_pool = True
        raise error


def session_factory(engine: AsyncEngine) -> SessionFactory:
    """A factory of sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


@asynccontextmanager
async def transaction(sessions: SessionFactory) -> AsyncIterator[AsyncSession]:
    """A session inside one transaction: committed on success, rolled back on error."""
    async with sessions() as session, session.begin():
        yield session
