"""Finds a request's sign-in session when a route first asks who is here.

The session is read in the route's own database session, joined with its person
and team, so a chat page or an answer costs one database session, not two. Its
last use is noted after the response is sent, at most once a minute.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.requests import HTTPConnection, Request

from bot.runtime import database_unreachable
from bot.web.identity import COOKIE, STATE, SignedInBy, WebSession
from survey.web_sessions import Lifetimes, live_session, touch_session

log = logging.getLogger(__name__)

TOUCH_AFTER = timedelta(minutes=1)
"""A session's last use is written at most this often (one write a minute)."""
TOUCH = "web_session_touch"
"""The scope state key of a session to note as used once the response is sent."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


async def signed_in(request: Request, session: AsyncSession) -> WebSession | None:
    """The live session the cookie names, read once per request in ``session``.

    Signing out or an administrator's revoke ends it at once, and an idle or
    too-old session is not found (see :mod:`bot.web.identity`).
    """
    state = request.scope.setdefault("state", {})
    if STATE in state:
        found: WebSession | None = state[STATE]
        return found
    token = request.cookies.get(COOKIE)
    found = await _find(request, session, token) if token else None
    state[STATE] = found
    return found


async def _find(
    connection: HTTPConnection, session: AsyncSession, token: str
) -> WebSession | None:
    settings = connection.app.state.runtime.settings
    now = datetime.now(UTC)
    lifetimes = Lifetimes(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_lifetime_hours),
    )
    found = await live_session(session, token=token, now=now, lifetimes=lifetimes)
    if found is None:
        return None
    row = found.session
    if now - row.last_seen_at >= TOUCH_AFTER:
        connection.scope["state"][TOUCH] = row.id
    return WebSession(
        person_id=row.person_id,
        signed_in_by=SignedInBy(row.signed_in_by),
        issued_at=int(row.created_at.timestamp()),
        session_id=row.id,
        person=found.person,
        team=found.team,
    )


class SessionMiddleware:
    """Note a session's use once its request is answered (restarting its idle time)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, then write the session's last use if it is due."""
        await self.app(scope, receive, send)
        if scope["type"] != "http":
            return
        session_id = scope.get("state", {}).pop(TOUCH, None)
        if session_id is None:
            return
        app = scope["app"]
        runtime = app.state.runtime
        try:
            async with (
                app.state.channel.writing(),
                runtime.sessions() as session,
                session.begin(),
            ):
                await touch_session(
                    session, session_id=session_id, now=datetime.now(UTC)
                )
        except Exception as error:
            # The answer has gone; a database away for a moment only means the
            # idle time restarts on the next request instead.
            if not database_unreachable(error):
                raise
            log.warning("session use not noted: database unavailable")
