"""Who is using the local channel: a signed, HttpOnly session cookie naming a person.

The cookie holds the person's id, how they signed in (persona picker or personal
link) and when, with an HMAC under a key derived from the server secret. A
cookie that is forged, altered or too old is simply ignored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from fastapi import Request, Response

from bot.web.keys import purpose_key, sign, verify

COOKIE = "hc_session"
MAX_AGE = timedelta(days=30)


class SignedInBy(StrEnum):
    """How a person came to be signed in."""

    PICKER = "p"
    LINK = "l"


@dataclass(frozen=True)
class WebSession:
    """The person a browser is signed in as."""

    person_id: uuid.UUID
    signed_in_by: SignedInBy
    issued_at: int


def session_value(
    secret: bytes, *, person_id: uuid.UUID, signed_in_by: SignedInBy, now: datetime
) -> str:
    """The cookie value naming ``person_id``."""
    payload = f"{person_id.hex}.{signed_in_by.value}.{int(now.timestamp())}"
    return f"{payload}.{sign(purpose_key(secret, 'session'), payload)}"


def read_session(
    secret: bytes, value: str | None, *, now: datetime
) -> WebSession | None:
    """The session in a cookie value, or None if it is missing, forged or expired."""
    if not value or len(value) > 200:
        return None
    parts = value.split(".")
    if len(parts) != 4:
        return None
    person_hex, how, issued, signature = parts
    payload = f"{person_hex}.{how}.{issued}"
    if not verify(purpose_key(secret, "session"), payload, signature):
        return None
    try:
        person_id = uuid.UUID(hex=person_hex)
        signed_in_by = SignedInBy(how)
        issued_at = int(issued)
    except ValueError:
        return None
    age = now.timestamp() - issued_at
    if age < -300 or age > MAX_AGE.total_seconds():
        return None
    return WebSession(person_id, signed_in_by, issued_at)


def sign_in(
    response: Response,
    request: Request,
    secret: bytes,
    *,
    person_id: uuid.UUID,
    signed_in_by: SignedInBy,
    now: datetime,
) -> None:
    """Set the session cookie on ``response``."""
    response.set_cookie(
        COOKIE,
        session_value(secret, person_id=person_id, signed_in_by=signed_in_by, now=now),
        max_age=int(MAX_AGE.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def session_of(request: Request, secret: bytes, *, now: datetime) -> WebSession | None:
    """The signed-in session of a request, if its cookie is genuine."""
    return read_session(secret, request.cookies.get(COOKIE), now=now)


def sign_out(response: Response) -> None:
    """Remove the session cookie (on a shared computer, say)."""
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")
