"""What every process builds once: its settings, the database engine and sessions."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from survey.db import SessionFactory, create_engine, session_factory

WEB_POOL = 20
"""Connections a web process keeps (see ``bot.web.pages`` for its read gate)."""


@dataclass
class Runtime:
    """What every entry point (web, worker, CLI) shares."""

    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    reader: AsyncEngine | None = None
    reads: SessionFactory | None = None

    @classmethod
    def build(cls, settings: Settings, *, pool_size: int = WEB_POOL) -> Runtime:
        """Create the engine and session factory for ``settings``.

        Args:
            settings: The deployment's settings.
            pool_size: Connections to keep open. A web process serves many
                people at once; a worker or a command needs few. Keep the sum
                over every process (each may open ten more at busy moments)
                under the database's connection limit (PostgreSQL: 100).
        """
        engine = create_engine(settings.database_url, pool_size=pool_size)
        reader = None
        if engine.dialect.name == "sqlite":
            reader = create_engine(
                settings.database_url, pool_size=pool_size, read_only=True
            )
        return cls(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            reader=reader,
            reads=session_factory(reader) if reader is not None else None,
        )

    @property
    def read_sessions(self) -> SessionFactory:
        """Sessions for work that only reads (on SQLite they skip the write lock)."""
        return self.reads or self.sessions

    async def close(self) -> None:
        """Release database connections."""
        await self.engine.dispose()
        if self.reader is not None:
            await self.reader.dispose()


def database_unreachable(error: BaseException) -> bool:
    """Whether ``error`` means the database could not be reached or used just now.

    A restart of PostgreSQL, a dropped connection, a full pool, or SQLite locked
    past its busy timeout: the transaction was rolled back and trying again
    later is right. Other database errors (a constraint, bad SQL) are bugs.
    """
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated
