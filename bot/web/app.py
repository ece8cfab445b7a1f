"""The FastAPI app factory: wires the routers and the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI

from bot.runtime import Runtime
from bot.settings import Settings
from bot.web import overview
from survey import migrate


def create_app(settings: Settings) -> FastAPI:
    """Build the web app for ``settings``; the database must be migrated."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        migrate.require_current(settings.database_url)
        runtime = Runtime.build(settings)
        app.state.runtime = runtime
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
    overview.register(app)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
