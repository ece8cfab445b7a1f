"""Running one job: find its kind's handler and call it in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

# Importing a module registers its job kinds; add one line per module with handlers.
import survey.follow_up.briefings  # noqa: F401
import survey.response_pool  # noqa: F401
import survey.retention.jobs  # noqa: F401
import survey.schedule.nudges  # noqa: F401
import survey.schedule.plans  # noqa: F401
import survey.schedule.pulses  # noqa: F401
from survey.delivery.job_kinds import HANDLERS, KEYED_HANDLERS
from survey.errors import NotFoundError
from survey.models import Job

LOCAL = "local"


async def run_job(
    session: AsyncSession,
    *,
    job: Job,
    now: datetime,
    platforms: tuple[str, ...] = (LOCAL,),
    secret: bytes | None = None,
) -> None:
    """Carry out one job inside the caller's transaction.

    Args:
        session: the transaction the job's effects and its completion share.
        job: the claimed job.
        now: the time to run it at.
        platforms: the platforms this worker delivers to.
        secret: the server secret, for jobs that open sealed responses (closing
            a campaign, writing the response pool).

    Raises:
        survey.delivery.job_kinds.Deferred: the job should run later.
        NotFoundError: no handler for the job's kind.
        ValueError: the job needs the secret and none was given.
    """
    keyed = KEYED_HANDLERS.get(job.kind)
    if keyed is not None:
        if secret is None:
            raise ValueError(f"jobs of kind {job.kind!r} need the server secret")
        await keyed(session, job.payload, now, secret)
        return
    handler = HANDLERS.get(job.kind)
    if handler is None:
        raise NotFoundError(f"no handler for job kind {job.kind!r}")
    await handler(session, job.payload, now, platforms)
