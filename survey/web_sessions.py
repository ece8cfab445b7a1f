"""Sign-in sessions of the web channel, kept in the database so they can be ended.

The browser holds a random token; the table holds its SHA-256. A session is
live until it is ended (sign-out, an administrator's revoke, a new sign-in in
the same browser), has been idle longer than the idle timeout, or has reached
its absolute lifetime.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table, bindparam
from sqlalchemy import select as select_columns
from sqlmodel import col, update
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import Person, Team, WebSession
from survey.models.rows import RowReader

LONGEST_TOKEN = 100


@dataclass(frozen=True)
class Lifetimes:
    """How long a session may sit idle, and how long it may last at all."""

    idle: timedelta
    absolute: timedelta


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(
    session: AsyncSession,
    *,
    person_id: uuid.UUID,
    signed_in_by: str,
    now: datetime,
) -> str:
    """Record a new session for ``person_id`` and return its raw token (once)."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            token_hash=_hash(token),
            person_id=person_id,
            signed_in_by=signed_in_by,
            created_at=now,
            last_seen_at=now,
        )
    )
    await session.flush()
    return token


@dataclass(frozen=True)
class SignedIn:
    """A live session with its person and their team's name, read in one query."""

    session: WebSession
    person: Person
    team: str


_SESSIONS: Table = WebSession.__table__  # type: ignore[attr-defined]
_PEOPLE: Table = Person.__table__  # type: ignore[attr-defined]
_TEAMS: Table = Team.__table__  # type: ignore[attr-defined]
_SESSION_ROW = RowReader(WebSession, "s")
_PERSON_ROW = RowReader(Person, "p")
_SIGNED_IN = (
    select_columns(
        *_SESSION_ROW.columns, *_PERSON_ROW.columns, _TEAMS.c.name.label("team")
    )
    .join_from(_SESSIONS, _PEOPLE, _PEOPLE.c.id == _SESSIONS.c.person_id)
    .join(_TEAMS, _TEAMS.c.id == _PEOPLE.c.team_id)
    .where(_SESSIONS.c.token_hash == bindparam("token_hash"))
)
"""Built once, in Core: every request of a signed-in browser runs it."""


async def live_session(
    session: AsyncSession, *, token: str, now: datetime, lifetimes: Lifetimes
) -> SignedIn | None:
    """The live session a token names with its person, or None.

    None when the token is unknown, or its session ended, idle or too old. The
    person comes as stored, active or not: whoever uses it checks that.
    """
    if not token or len(token) > LONGEST_TOKEN:
        return None
    connection = await session.connection()
    result = await connection.execute(_SIGNED_IN, {"token_hash": _hash(token)})
    row = result.mappings().first()
    if row is None:
        return None
    found = _SESSION_ROW.read(row)
    if found.ended_at is not None:
        return None
    if now - found.last_seen_at > lifetimes.idle:
        return None
    if now - found.created_at > lifetimes.absolute:
        return None
    return SignedIn(session=found, person=_PERSON_ROW.read(row), team=row["team"])


async def touch_session(
    session: AsyncSession, *, session_id: uuid.UUID, now: datetime
) -> None:
    """Note that a session was used now (restarts its idle timeout)."""
    await session.exec(
        update(WebSession)
        .where(col(WebSession.id) == session_id, col(WebSession.ended_at).is_(None))
        .values(last_seen_at=now)
    )


async def end_session(session: AsyncSession, *, token: str, now: datetime) -> None:
    """End the session a token names (signing out); unknown tokens are ignored."""
    if not token or len(token) > LONGEST_TOKEN:
        return
    await session.exec(
        update(WebSession)
        .where(
            col(WebSession.token_hash) == _hash(token),
            col(WebSession.ended_at).is_(None),
        )
        .values(ended_at=now)
    )


async def end_sessions_of(
    session: AsyncSession, *, person_id: uuid.UUID, now: datetime
) -> int:
    """End every live session of a person; how many were still open."""
    ended = await session.exec(
        update(WebSession)
        .where(
            col(WebSession.person_id) == person_id,
            col(WebSession.ended_at).is_(None),
        )
        .values(ended_at=now)
    )
    return int(ended.rowcount or 0)
