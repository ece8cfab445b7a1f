"""Who is using the local channel: a server-side session named by an HttpOnly cookie.

The cookie holds a random token; the ``web_session`` table holds its hash, the
person and how they signed in (persona picker or personal link).
:func:`bot.web.sessions.signed_in` looks the session up once per request, in
the route's own database session, so signing out or an administrator's
``healthcheck sessions revoke`` ends it at once, and an idle or too-old session
is simply not found. Signing in
always starts a new session (the id rotates) and ends the browser's old one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from fastapi import Request, Response

from survey.models import Person
from survey.web_sessions import end_session, start_session

COOKIE = "hc_session"
STATE = "web_session"


class SignedInBy(StrEnum):
    """How a person came to be signed in."""

    PICKER = "p"
    LINK = "l"
    MICROSOFT = "m"
    SLACK = "s"


@dataclass(frozen=True)
class WebSession:
    """The person a browser is signed in as, and since when.

    ``person`` and ``team`` are the person's row and team name as read with the
    session (one query per request), so a route need not read them again; the
    route still checks the person is active and in its organisation.
    """

    person_id: uuid.UUID
    signed_in_by: SignedInBy
    issued_at: int
    session_id: uuid.UUID
    person: Person | None = field(default=None, compare=False, repr=False)
    team: str = ""


async def sign_in(
    response: Response,
    request: Request,
    *,
    person_id: uuid.UUID,
    signed_in_by: SignedInBy,
    now: datetime,
) -> None:
    """Start a new session for ``person_id`` and set its cookie on ``response``."""
    runtime = request.app.state.runtime
    old = request.cookies.get(COOKIE)
    async with (
        request.app.state.channel.writing(),
        runtime.sessions() as session,
        session.begin(),
    ):
        if old:
            await end_session(session, token=old, now=now)
        token = await start_session(
            session, person_id=person_id, signed_in_by=signed_in_by.value, now=now
        )
    settings = runtime.settings
    response.set_cookie(
        COOKIE,
        token,
        max_age=int(settings.session_lifetime_hours * 3600),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


async def sign_out(response: Response, request: Request, *, now: datetime) -> None:
    """End this browser's session and remove its cookie (on a shared computer)."""
    token = request.cookies.get(COOKIE)
    if token:
        async with (
            request.app.state.channel.writing(),
            request.app.state.runtime.sessions() as session,
            session.begin(),
        ):
            await end_session(session, token=token, now=now)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
