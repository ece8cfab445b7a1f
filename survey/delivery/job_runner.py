"""Running one job: find its kind's handler and call it in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

# Importing a module registers its job kinds; add one line per module with handlers.
import survey.follow_up.briefings  # noqa: F401
import survey.retention.jobs  # noqa: F401
import survey.schedule.nudges  # noqa: F401
import survey.schedule.plans  # noqa: F401
import survey.schedule.pulses  # noqa: F401
from survey.delivery.job_kinds import HANDLERS
from survey.errors import NotFoundError
from survey.models import Job

LOCAL = "local"


async def run_job(
    session: AsyncSession,
    *,
    job: Job,
    now: datetime,
    platforms: tuple[str, ...] = (LOCAL,),
) -> None:
    """Carry out one job inside the caller's transaction.

    Raises:
        survey.delivery.job_kinds.Deferred: the job should run later.
        NotFoundError: no handler for the job's kind.
    """
    handler = HANDLERS.get(job.kind)
    if handler is None:
        raise NotFoundError(f"no handler for job kind {job.kind!r}")
    await handler(session, job.payload, now, platforms)
