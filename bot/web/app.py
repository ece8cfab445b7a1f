"""The FastAPI app factory: wires the routers and the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from bot import teams
from bot.runtime import Runtime
from bot.settings import Settings
from bot.web import channel, inbox, links, overview, personas
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
        try:
            yield
        finally:
            await runtime.close()

    app = FastAPI(
        title="Health Check bot", lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.state.channel = ChannelState()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    channel.register(app)
    personas.register(app)
    links.register(app)
    overview.register(app)
    inbox.register(app)
    teams.register(app, settings)  # only when HEALTHCHECK_TEAMS_ENABLED

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
