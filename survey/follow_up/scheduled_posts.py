"""Scheduled briefings: which are waiting, sent or cancelled, and cancelling one.

A scheduled briefing is one job (:data:`survey.follow_up.briefings.POST_BRIEFING`).
Cancelling it marks that job ``cancelled`` only while it is still pending, in one
conditional update: a worker claims only pending jobs, so a cancelled one is
never posted, and a job a worker has already claimed can no longer be cancelled.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.queue import DONE, PARKED, PENDING, RUNNING
from survey.errors import NotFoundError
from survey.follow_up.announcements import AnnouncementError, Reach
from survey.follow_up.briefings import POST_BRIEFING
from survey.models import Announcement, Job
from survey.schedule.plans import CANCELLED

WAITING = "scheduled"
SENDING = "being posted"
SENT = "posted"
WITHDRAWN = "cancelled"
FAILED = "could not be posted"
_STATES = {
    PENDING: WAITING,
    RUNNING: SENDING,
    DONE: SENT,
    CANCELLED: WITHDRAWN,
    PARKED: FAILED,
}


class CancelError(AnnouncementError):
    """A scheduled briefing that can no longer be cancelled."""


@dataclass(frozen=True)
class ScheduledBriefing:
    """A briefing that was scheduled, and where it is now.

    Attributes:
        announcement: The stored briefing.
        reach: Who it is for.
        state: In words: scheduled, being posted, posted, cancelled, or could
            not be posted.
    """

    announcement: Announcement
    reach: Reach
    state: str

    @property
    def cancellable(self) -> bool:
        """Whether it can still be cancelled (it has not started to go)."""
        return self.state in (WAITING, FAILED)


async def scheduled_briefings(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[ScheduledBriefing]:
    """Every briefing the organisation scheduled, soonest first."""
    jobs = await session.exec(
        select(Job).where(
            Job.kind == POST_BRIEFING, Job.organisation_id == organisation_id
        )
    )
    found = []
    for job in jobs.all():
        announcement = await session.get(
            Announcement, uuid.UUID(str(job.payload["announcement_id"]))
        )
        if announcement is None:
            continue
        reach = Reach(**job.payload.get("reach", {}))
        state = SENT if announcement.posted_at else _STATES.get(job.status, FAILED)
        found.append(ScheduledBriefing(announcement, reach, state))
    return sorted(
        found,
        key=lambda item: (
            item.announcement.scheduled_for or item.announcement.created_at
        ),
    )


async def find_scheduled(
    session: AsyncSession, *, organisation_id: uuid.UUID, announcement_id: uuid.UUID
) -> ScheduledBriefing:
    """One scheduled briefing of the organisation's.

    Raises:
        NotFoundError: no scheduled briefing has that id in this organisation.
    """
    for item in await scheduled_briefings(session, organisation_id=organisation_id):
        if item.announcement.id == announcement_id:
            return item
    raise NotFoundError("There is no scheduled post with that id.")


async def cancel_briefing(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    announcement_id: uuid.UUID,
    timezone: str = "UTC",
) -> ScheduledBriefing:
    """Cancel a scheduled briefing before it goes; cancelling twice is harmless.

    Returns:
        The briefing, now cancelled.

    Raises:
        NotFoundError: no such scheduled briefing here.
        CancelError: it has been posted, or a worker is posting it now.
    """
    item = await find_scheduled(
        session, organisation_id=organisation_id, announcement_id=announcement_id
    )
    if item.state == WITHDRAWN:
        return item
    cancelled = await session.exec(
        update(Job)
        .where(
            col(Job.kind) == POST_BRIEFING,
            col(Job.organisation_id) == organisation_id,
            col(Job.status).in_([PENDING, PARKED]),
            col(Job.id).in_(await _job_ids(session, item.announcement)),
        )
        .values(status=CANCELLED, locked_until=None, last_error="cancelled by the PSW")
        .returning(col(Job.id))
    )
    if cancelled.first() is not None and item.announcement.posted_at is None:
        return ScheduledBriefing(item.announcement, item.reach, WITHDRAWN)
    now_state = await find_scheduled(
        session, organisation_id=organisation_id, announcement_id=announcement_id
    )
    raise CancelError(why_not_cancellable(now_state, timezone=timezone))


def why_not_cancellable(item: ScheduledBriefing, *, timezone: str = "UTC") -> str:
    """Why a scheduled briefing can no longer be cancelled, in words."""
    title = item.announcement.title
    if item.state == WITHDRAWN:
        return f"'{title}' is already cancelled; it will not be posted."
    if item.state == SENDING:
        return f"'{title}' is being posted right now, so it can no longer be cancelled."
    posted = item.announcement.posted_at or item.announcement.scheduled_for
    when = (
        f" at {posted.astimezone(ZoneInfo(timezone)):%H:%M on %-d %B %Y}"
        if posted
        else ""
    )
    return (
        f"'{title}' was already posted{when}, so it cannot be cancelled: "
        "everyone it was for has it."
    )


async def _job_ids(
    session: AsyncSession, announcement: Announcement
) -> list[uuid.UUID]:
    jobs = await session.exec(
        select(Job).where(
            Job.kind == POST_BRIEFING,
            Job.organisation_id == announcement.organisation_id,
        )
    )
    return [
        job.id
        for job in jobs.all()
        if job.payload.get("announcement_id") == str(announcement.id)
    ]
