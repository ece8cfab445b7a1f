"""The FastAPI app factory: wires the routers and the lifespan."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text as sql_text

from bot import slack, teams
from bot.runtime import Runtime, database_unreachable
from bot.settings import Settings
from bot.web import (
    channel,
    dashboard,
    inbox,
    links,
    outage,
    overview,
    personas,
    posts,
)
from bot.web.pages import ChannelState
from bot.web.render_html import STATIC
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
    app.state.channel = ChannelState()
    outage.register(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    channel.register(app)
    personas.register(app)
    links.register(app)
    overview.register(app)
    inbox.register(app)
    posts.register(app)
    dashboard.register(app)
    teams.register(app, settings)  # only when HEALTHCHECK_TEAMS_ENABLED
    slack.register(app, settings)  # only when HEALTHCHECK_SLACK_ENABLED

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers (it never touches the database)."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        """Readiness, for a load balancer: the database answers too."""
        runtime: Runtime = request.app.state.runtime
        try:
            async with runtime.read_sessions() as session:
                connection = await session.connection()
                await connection.execute(sql_text("SELECT 1"))
        except Exception as error:
            if not database_unreachable(error):
                raise
            return JSONResponse(
                {"status": "database unavailable"},
                status_code=503,
                headers={"Retry-After": str(outage.RETRY_AFTER_SECONDS)},
            )
        return JSONResponse({"status": "ready"})

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
