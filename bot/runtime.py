"""The composition root: settings, the database engine and sessions, built once."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from survey.db import SessionFactory, create_engine, session_factory


@dataclass
class Runtime:
    """What every entry point (web, worker, CLI) shares."""

    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory

    @classmethod
    def build(cls, settings: Settings) -> Runtime:
        """Create the engine and session factory for ``settings``."""
        engine = create_engine(settings.database_url)
        return cls(settings=settings, engine=engine, sessions=session_factory(engine))

    async def close(self) -> None:
        """Release database connections."""
        await self.engine.dispose()
