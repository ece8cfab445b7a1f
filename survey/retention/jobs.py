"""The daily retention purge: one job per organisation per day, at 02:00 local time.

Each job's key is ``retention:<organisation>:<local date>``, so a day's purge
runs once however many workers start. A job queues the next day's for every
organisation, so the chain carries on and takes in organisations created since.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.job_kinds import handles
from survey.delivery.jobs import schedule_job
from survey.delivery.queue import PENDING
from survey.models import Job, Organisation
from survey.retention.purge import check_months, purge

PURGE_JOB = "retention.purge"
RUN_AT = time(2, 0)
CANCELLED = "cancelled"
WORKER = "worker (daily retention)"


def purge_key(organisation_id: uuid.UUID, day: date) -> str:
    """The job key of an organisation's purge on a local date."""
    return f"retention:{organisation_id}:{day.isoformat()}"


async def schedule_daily_purges(
    session: AsyncSession, *, now: datetime, months: int | None, enabled: bool
) -> int:
    """Make sure every organisation has today's and tomorrow's purge queued.

    Call it when a worker starts. Today's purge runs at once if 02:00 has
    passed and it has not run yet. Pending purges take up ``months``, so a
    changed setting applies from the next run. When ``enabled`` is False,
    pending purges are cancelled instead.

    Args:
        session: The caller's session.
        now: The current time.
        months: The retention period (None keeps comments and drafts).
        enabled: Whether the worker purges automatically.

    Returns:
        How many jobs this call queued.

    Raises:
        RetentionError: a retention period that cannot be used.
    """
    check_months(months)
    if not enabled:
        await session.exec(
            update(Job)
            .where(col(Job.kind) == PURGE_JOB, col(Job.status) == PENDING)
            .values(status=CANCELLED, last_error="automatic purging is turned off")
        )
        return 0
    queued = 0
    for organisation in (await session.exec(select(Organisation))).all():
        today = now.astimezone(ZoneInfo(organisation.timezone)).date()
        days = (today, today + timedelta(days=1))
        for day in days:
            queued += await _queue(
                session, organisation=organisation, day=day, months=months, now=now
            )
        payload = _payload(organisation, months)
        mine = (col(Job.kind) == PURGE_JOB, col(Job.organisation_id) == organisation.id)
        await session.exec(
            update(Job).where(*mine, col(Job.status) == PENDING).values(payload=payload)
        )
        # Turned off and on again: today's and tomorrow's come back.
        await session.exec(
            update(Job)
            .where(
                *mine,
                col(Job.status) == CANCELLED,
                col(Job.dedupe_key).in_([purge_key(organisation.id, d) for d in days]),
            )
            .values(status=PENDING, payload=payload, last_error=None)
        )
    return queued


async def _queue(
    session: AsyncSession,
    *,
    organisation: Organisation,
    day: date,
    months: int | None,
    now: datetime,
) -> int:
    zone = ZoneInfo(organisation.timezone)
    run_at = max(datetime.combine(day, RUN_AT, tzinfo=zone).astimezone(UTC), now)
    created = await schedule_job(
        session,
        kind=PURGE_JOB,
        dedupe_key=purge_key(organisation.id, day),
        run_at=run_at,
        payload=_payload(organisation, months),
        organisation_id=organisation.id,
    )
    return int(created)


def _payload(organisation: Organisation, months: int | None) -> dict[str, Any]:
    return {"organisation_id": str(organisation.id), "months": months}


@handles(PURGE_JOB)
async def _purge_daily(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    organisation = await session.get(
        Organisation, uuid.UUID(payload["organisation_id"])
    )
    months = payload.get("months")
    if organisation is not None:
        await purge(
            session,
            organisation_id=organisation.id,
            now=now,
            months=months,
            actor=WORKER,
            channel="worker",
        )
    for each in (await session.exec(select(Organisation))).all():
        tomorrow = now.astimezone(ZoneInfo(each.timezone)).date() + timedelta(days=1)
        await _queue(session, organisation=each, day=tomorrow, months=months, now=now)
