"""Notes to an organisation's PSWs about where posts can no longer go.

A workforce channel deleted or renamed, or refusing posts, is told to the people
who can fix it (everyone active with PSW access), each once per event: the key
names the event, so a platform retrying the same event adds nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.outbox import enqueue
from survey.follow_up.announcements import content_key
from survey.models import Person
from survey.roster.roles import Access
from survey.schedule.reminders import platform_for

NOTE = "psw-note"


async def active_psws(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[Person]:
    """Everyone active in the organisation with PSW access."""
    rows = await session.exec(
        select(Person)
        .where(
            Person.organisation_id == organisation_id,
            Person.access == Access.PSW.value,
            col(Person.active),
        )
        .order_by(col(Person.name))
    )
    return list(rows.all())


async def tell_psws(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    event: str,
    text: str,
    platforms: tuple[str, ...],
    now: datetime,
) -> int:
    """Queue ``text`` for each PSW where they are reached; how many were queued now.

    Args:
        session: An open session; the caller commits.
        organisation_id: Whose PSWs.
        event: What happened, unique per occurrence (a platform's event id), so
            the same event reported twice queues nothing new.
        text: The note, in the PSW's words.
        platforms: The chat platforms in use (as for reminders).
        now: The current time.
    """
    queued = 0
    for person in await active_psws(session, organisation_id=organisation_id):
        platform, recipient = platform_for(person, platforms)
        key = f"{NOTE}:{content_key(event)}:{person.id}"
        queued += await enqueue(
            session,
            idempotency_key=key,
            platform=platform,
            recipient=recipient,
            payload={"kind": NOTE, "text": text},
            organisation_id=organisation_id,
            not_before=now,
        )
    return queued
