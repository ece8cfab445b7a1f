"""Finds each request's sign-in session once, before any route runs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime, timedelta
from typing import Any

from starlette.requests import HTTPConnection, Request

from bot.runtime import database_unreachable
from bot.web.identity import COOKIE, STATE, SignedInBy, WebSession
from survey.web_sessions import Lifetimes, live_session, touch_session

TOUCH_AFTER = timedelta(minutes=1)
"""A session's last use is written at most this often (one write a minute)."""
NO_SESSION_PREFIXES = (
    "/static/",
    "/healthz",
    "/readyz",
    "/slack/",
    "/api/messages",
    "/local/inbox",
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SessionMiddleware:
    """Put the live session named by the cookie in ``request.state``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Look the session up (and note its use), then answer the request."""
        if scope["type"] == "http" and not scope["path"].startswith(
            NO_SESSION_PREFIXES
        ):
            connection = HTTPConnection(scope)
            token = connection.cookies.get(COOKIE)
            if token:
                try:
                    found = await _find(connection, token)
                except Exception as error:
                    if not database_unreachable(error):
                        raise
                    await _unavailable(scope, error, send)
                    return
                scope.setdefault("state", {})[STATE] = found
        await self.app(scope, receive, send)


async def _find(connection: HTTPConnection, token: str) -> WebSession | None:
    app = connection.app
    runtime = app.state.runtime
    settings = runtime.settings
    now = datetime.now(UTC)
    lifetimes = Lifetimes(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_lifetime_hours),
    )
    async with runtime.read_sessions() as session:
        row = await live_session(session, token=token, now=now, lifetimes=lifetimes)
    if row is None:
        return None
    if now - row.last_seen_at >= TOUCH_AFTER:
        async with (
            app.state.channel.writing(),
            runtime.sessions() as session,
            session.begin(),
        ):
            await touch_session(session, session_id=row.id, now=now)
    return WebSession(
        person_id=row.person_id,
        signed_in_by=SignedInBy(row.signed_in_by),
        issued_at=int(row.created_at.timestamp()),
        session_id=row.id,
    )


async def _unavailable(scope: Scope, error: Exception, send: Send) -> None:
    from bot.web.outage import unavailable_page

    async def nothing() -> Message:
        return {"type": "http.disconnect"}

    request = Request(scope, nothing)
    response = unavailable_page(request, error)
    await response(scope, nothing, send)
