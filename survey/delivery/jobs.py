"""Scheduled work: each occurrence is a job row with a unique key, run once."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.queue import DONE, PARKED, PENDING, RUNNING, claim, insert_once
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


Claims = dict[uuid.UUID, int]
"""Jobs a worker holds: each job's id and its ``attempts`` when it was claimed.

Every claim adds one to ``attempts``, so the pair names one claim: a worker whose
lease ran out and was taken by another no longer matches.
"""


class LeaseLostError(RuntimeError):
    """Another worker claimed the job meanwhile; this run's work is rolled back."""


async def finish_job(
    session: AsyncSession, *, job_id: uuid.UUID, attempts: int | None = None
) -> None:
    """Mark a job done.

    Args:
        session: the transaction that holds the job's effects.
        job_id: the job.
        attempts: the claim's ``attempts``; when given, the job is marked done only
            if this claim still holds it.

    Raises:
        LeaseLostError: ``attempts`` was given and another claim holds the job (the
            caller's transaction must then roll back, undoing the job's effects).
    """
    mine = [col(Job.id) == job_id]
    if attempts is not None:
        mine += [col(Job.status) == RUNNING, col(Job.attempts) == attempts]
    result = await session.exec(
        update(Job).where(*mine).values(status=DONE, locked_until=None, last_error=None)
    )
    if attempts is not None and result.rowcount != 1:
        raise LeaseLostError(f"job {job_id} was claimed again while it ran")


def _held(claims: Claims) -> Any:
    return and_(
        col(Job.status) == RUNNING,
        or_(
            *(
                and_(col(Job.id) == job_id, col(Job.attempts) == attempts)
                for job_id, attempts in claims.items()
            )
        ),
    )


async def renew_jobs(
    session: AsyncSession, *, claims: Claims, until: datetime
) -> set[uuid.UUID]:
    """Extend the lease of jobs still held by these claims; the ids renewed."""
    if not claims:
        return set()
    result = await session.exec(
        update(Job)
        .where(_held(claims))
        .values(locked_until=until)
        .returning(col(Job.id))
    )
    return {row[0] for row in result.all()}


async def release_jobs(session: AsyncSession, *, claims: Claims) -> int:
    """Hand back jobs a worker holds but is not running, for the next claim.

    A job that was interrupted (its transaction rolled back when the database
    went away) becomes due at once instead of when its lease would end. A job
    since done or claimed by another worker is left as it is.

    Returns:
        How many jobs were released.
    """
    if not claims:
        return 0
    result = await session.exec(
        update(Job).where(_held(claims)).values(status=PENDING, locked_until=None)
    )
    return int(result.rowcount)


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
