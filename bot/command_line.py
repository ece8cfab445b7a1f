"""What every ``healthcheck`` command does around its own work.

Load the settings, refuse a database that is not at the newest migration, build
the runtime, run the work, and release the connections however it ends.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from survey import migrate
from survey.models import Organisation
from survey.organisations import find_organisation

T = TypeVar("T")


def run_with_runtime(
    work: Callable[[Runtime], Awaitable[T]], *, settings: Settings | None = None
) -> T:
    """Run ``work`` against a database that is at the newest migration.

    Args:
        work: The command's own work, given the runtime.
        settings: Settings the command already loaded; loaded here otherwise.

    Raises:
        SettingsError: a setting is wrong, or the schema is behind.
    """
    settings = settings or load_settings()
    migrate.require_current(settings.database_url)

    async def main() -> T:
        runtime = Runtime.build(settings)
        try:
            return await work(runtime)
        finally:
            await runtime.close()

    return asyncio.run(main())


def in_organisation(
    org: str | None,
    work: Callable[[AsyncSession, Organisation], Awaitable[T]],
    *,
    settings: Settings | None = None,
    writes: bool = True,
) -> T:
    """Run ``work`` for the organisation ``--org`` names (or the default one).

    Args:
        org: The organisation's slug; None for the deployment's default.
        work: The command's work, given a session and the organisation.
        settings: Settings the command already loaded; loaded here otherwise.
        writes: Run in one transaction that commits at the end (a command that
            only reads passes False and takes no write lock).

    Raises:
        NotFoundError: no organisation has that slug.
    """

    async def within(runtime: Runtime) -> T:
        slug = org or runtime.settings.organisation
        if not writes:
            async with runtime.read_sessions() as session:
                organisation = await find_organisation(session, slug=slug)
                return await work(session, organisation)
        async with runtime.sessions() as session, session.begin():
            organisation = await find_organisation(session, slug=slug)
            return await work(session, organisation)

    return run_with_runtime(within, settings=settings)
