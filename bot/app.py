"""The composition root: the FastAPI app built from the web, Slack and Teams channels.

The channels are peers and never import each other; only this module sees all three.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI

from bot import slack, teams, web
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.previews import slack_preview
from bot.teams.previews import teams_preview
from survey import migrate

WRITERS_ON_POSTGRES = 4
"""Answers written at once on PostgreSQL; the rest of the pool serves reads."""


def create_app(settings: Settings) -> FastAPI:
    """Build the web app for ``settings``; the database must be migrated."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate.require_current(settings.database_url)
        runtime = Runtime.build(settings)
        app.state.runtime = runtime
        sqlite = runtime.engine.dialect.name == "sqlite"
        app.state.channel.limit_writers(1 if sqlite else WRITERS_ON_POSTGRES)
        if settings.seed_demo:
            from survey.demo import seed_demo

            await seed_demo(
                runtime.sessions, secret=settings.secret, now=datetime.now(UTC)
            )
        worker = _start_worker(settings, runtime) if settings.worker_in_web else None
        try:
            yield
        finally:
            if worker is not None:
                await worker.stop()
            await runtime.close()

    app = FastAPI(
        title="Health Check bot", lifespan=lifespan, docs_url=None, redoc_url=None
    )
    web.register(app)
    # The web channel previews posts as each chat platform draws them.
    app.state.post_previews = (slack_preview, teams_preview)
    teams.register(app, settings)  # only when HEALTHCHECK_TEAMS_ENABLED
    slack.register(app, settings)  # only when HEALTHCHECK_SLACK_ENABLED
    return app


class _InProcessWorker:
    """The worker run beside the web app (``serve --with-worker``, for ``make run``)."""

    def __init__(self, settings: Settings, runtime: Runtime) -> None:
        from bot.worker import Worker, default_deliveries

        self._deliveries = default_deliveries(settings)
        self._stop = asyncio.Event()
        lease = timedelta(seconds=settings.send_lease_seconds)
        loop = Worker(runtime, self._deliveries, send_lease=lease)
        self._task = asyncio.create_task(loop.run(self._stop))

    async def stop(self) -> None:
        self._stop.set()
        await self._task
        for delivery in self._deliveries.values():
            close = getattr(delivery, "close", None)
            if close is not None:
                await close()


def _start_worker(settings: Settings, runtime: Runtime) -> _InProcessWorker:
    return _InProcessWorker(settings, runtime)
