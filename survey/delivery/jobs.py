"""Scheduled work: each occurrence is a job row with a unique key, run once."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.queue import DONE, PARKED, PENDING, claim, insert_once
from survey.models import Job
from survey.models.columns import new_id, utcnow

MAX_JOB_ATTEMPTS = 5


async def schedule_job(
    session: AsyncSession,
    *,
    kind: str,
    dedupe_key: str,
    run_at: datetime,
    payload: dict[str, Any] | None = None,
    organisation_id: uuid.UUID | None = None,
) -> bool:
    """Schedule one occurrence of some work; a second call with the same key is a no-op.

    Returns:
        True if this call created the job.
    """
    return await insert_once(
        session,
        Job,
        key_column="dedupe_key",
        values={
            "id": new_id(),
            "organisation_id": organisation_id,
            "kind": kind,
            "dedupe_key": dedupe_key,
            "payload": payload or {},
            "status": PENDING,
            "run_at": run_at,
            "attempts": 0,
            "created_at": utcnow(),
        },
    )


async def claim_jobs(
    session: AsyncSession, *, now: datetime, lease: timedelta, limit: int = 10
) -> list[Job]:
    """Lease due jobs for this worker."""
    return await claim(
        session, Job, due_column="run_at", now=now, lease_until=now + lease, limit=limit
    )


async def finish_job(session: AsyncSession, *, job_id: uuid.UUID) -> None:
    """Mark a job done."""
    await session.exec(
        update(Job)
        .where(col(Job.id) == job_id)
        .values(status=DONE, locked_until=None, last_error=None)
    )


async def fail_job(
    session: AsyncSession, *, job: Job, error: str, now: datetime
) -> None:
    """Retry a failed job later with backoff, or park it after too many attempts."""
    if job.attempts >= MAX_JOB_ATTEMPTS:
        values: dict[str, Any] = {"status": PARKED, "locked_until": None}
    else:
        delay = timedelta(seconds=30 * 2 ** (job.attempts - 1))
        values = {"status": PENDING, "run_at": now + delay, "locked_until": None}
    await session.exec(
        update(Job)
        .where(col(Job.id) == job.id)
        .values(last_error=error[:2000], **values)
    )


async def defer_job(
    session: AsyncSession, *, job_id: uuid.UUID, until: datetime
) -> None:
    """Put a claimed job back to run later (not a failure; attempts are kept)."""
    await session.exec(
        update(Job)
        .where(col(Job.id) == job_id)
        .values(status=PENDING, run_at=until, locked_until=None)
    )
