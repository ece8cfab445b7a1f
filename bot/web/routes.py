"""The local web channel's routes, health checks and static files, added to one app."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text as sql_text

from bot.runtime import Runtime, database_unreachable
from bot.web import (
    channel,
    dashboard,
    follow_up,
    inbox,
    links,
    outage,
    overview,
    personas,
    posts,
    sign_in,
    summary_page,
    workspace,
)
from bot.web.csrf import CsrfMiddleware
from bot.web.headers import SecurityHeadersMiddleware
from bot.web.pages import ChannelState
from bot.web.render_html import STATIC
from bot.web.sessions import SessionMiddleware


def register(app: FastAPI) -> None:
    """Serve the local web channel, the dashboard and ``/healthz``/``/readyz``."""
    app.state.channel = ChannelState()
    app.add_middleware(CsrfMiddleware)
    app.add_middleware(SessionMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    outage.register(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    channel.register(app)
    personas.register(app)
    links.register(app)
    overview.register(app)
    inbox.register(app)
    posts.register(app)
    sign_in.register(app)
    dashboard.register(app)
    follow_up.register(app)
    summary_page.register(app)
    workspace.register(app)

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
