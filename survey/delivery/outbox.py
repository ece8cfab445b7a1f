"""Messages out: every send is an outbox row with an idempotency key.

A worker leases a row, hands it to the platform's delivery, and records the
outcome. A crash between handing over and recording leaves the row in doubt; the
next attempt asks the platform whether it already has the message (by its key)
before sending again, so nothing is posted twice and nothing is dropped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.queue import DONE, PARKED, PENDING, claim, insert_once
from survey.models import OutboxMessage
from survey.models.columns import new_id

MAX_SEND_ATTEMPTS = 8
LONGEST_BACKOFF = timedelta(minutes=30)


@dataclass(frozen=True)
class SendResult:
    """What a platform said about one message.

    ``ok`` means delivered. Otherwise ``retry_after`` (from the platform's
    ``Retry-After``) or our backoff decides when to try again, and ``permanent``
    parks the message at once (e.g. the user no longer exists).
    """

    ok: bool
    error: str | None = None
    retry_after: float | None = None
    permanent: bool = False


class Delivery(Protocol):
    """One platform's way of delivering outbox messages."""

    platform: str

    async def send(self, message: OutboxMessage) -> SendResult:
        """Deliver ``message``; must not raise for platform errors."""
        ...

    async def already_delivered(self, message: OutboxMessage) -> bool | None:
        """Whether the platform already has this message (None: cannot tell)."""
        ...


async def enqueue(
    session: AsyncSession,
    *,
    idempotency_key: str,
    platform: str,
    recipient: str,
    payload: dict[str, Any],
    organisation_id: uuid.UUID | None,
    not_before: datetime,
) -> bool:
    """Queue a message once; the same key again is a no-op. True if queued now."""
    return await insert_once(
        session,
        OutboxMessage,
        key_column="idempotency_key",
        values={
            "id": new_id(),
            "organisation_id": organisation_id,
            "idempotency_key": idempotency_key,
            "platform": platform,
            "recipient": recipient,
            "payload": payload,
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": not_before,
        },
    )


async def claim_messages(
    session: AsyncSession, *, now: datetime, lease: timedelta, limit: int = 50
) -> list[OutboxMessage]:
    """Lease messages due to be sent."""
    return await claim(
        session,
        OutboxMessage,
        due_column="next_attempt_at",
        now=now,
        lease_until=now + lease,
        limit=limit,
    )


async def record(
    session: AsyncSession, *, message: OutboxMessage, result: SendResult, now: datetime
) -> str:
    """Store the outcome of a send; returns the message's new status."""
    if result.ok:
        values: dict[str, Any] = {
            "status": DONE,
            "sent_at": now,
            "locked_until": None,
            "last_error": None,
        }
    elif result.permanent or message.attempts >= MAX_SEND_ATTEMPTS:
        values = {"status": PARKED, "locked_until": None, "last_error": result.error}
    else:
        values = {
            "status": PENDING,
            "locked_until": None,
            "last_error": result.error,
            "next_attempt_at": now + backoff(message.attempts, result.retry_after),
        }
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message.id)
        .values(**values)
    )
    return str(values["status"])


def backoff(attempts: int, retry_after: float | None) -> timedelta:
    """How long to wait: the platform's Retry-After if given, else doubling."""
    if retry_after is not None:
        return timedelta(seconds=max(0.0, retry_after))
    return min(timedelta(seconds=2 ** max(0, attempts - 1)), LONGEST_BACKOFF)
