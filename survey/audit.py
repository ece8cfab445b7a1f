"""Recording and reading the audit log of who viewed or exported results."""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import AuditEvent


def command_line_actor() -> str:
    """``command line (alice)``: the operating-system user running the CLI."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name and no passwd entry (containers)
        user = "unknown user"
    return f"command line ({user})"


async def record_event(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    actor: str,
    channel: str,
    action: str,
    subject: str = "",
    actor_person_id: uuid.UUID | None = None,
) -> AuditEvent:
    """Add one event to the log in the caller's transaction.

    Args:
        session: The caller's session; the event commits with its work.
        organisation_id: Whose results were viewed or exported.
        actor: Who did it, as a person would read it (a name, or
            ``command line (user)``).
        channel: Where: ``slack``, ``teams``, ``local``, ``dashboard``, ``cli``.
        action: What, as a dotted name such as ``summary.viewed``.
        subject: Which results: campaign, group, format. Never a respondent,
            an answer or a comment.
        actor_person_id: The actor's roster entry, when they have one.
    """
    event = AuditEvent(
        organisation_id=organisation_id,
        actor=actor[:200],
        channel=channel,
        action=action,
        subject=subject[:500],
        actor_person_id=actor_person_id,
    )
    session.add(event)
    await session.flush()
    return event


async def list_events(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    since: datetime | None = None,
    limit: int | None = 200,
) -> Sequence[AuditEvent]:
    """The organisation's events, most recent first.

    Args:
        session: Any session.
        organisation_id: Whose log to read.
        since: Only events at or after this time.
        limit: At most this many (the most recent); ``None`` for all.
    """
    query = select(AuditEvent).where(AuditEvent.organisation_id == organisation_id)
    if since is not None:
        query = query.where(col(AuditEvent.at) >= since)
    query = query.order_by(col(AuditEvent.at).desc(), col(AuditEvent.id))
    if limit is not None:
        query = query.limit(limit)
    return (await session.exec(query)).all()
