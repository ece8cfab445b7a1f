"""Briefings: announcements the PSW posts now or at a set time, with optional feedback.

A briefing goes to the workforce channel, or as a personal message to everyone in
one team or service. With feedback it also opens a small anonymous survey for the
same people (see :mod:`survey.follow_up.feedback`); event feedback (a conference,
a practice week) takes the same path.

Every post is an outbox row whose idempotency key comes from the briefing's content
and the recipient, and a scheduled briefing is one job keyed by the same content,
so sending the same briefing twice, or running its job twice, never posts twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.job_kinds import handles
from survey.delivery.jobs import schedule_job
from survey.delivery.outbox import enqueue
from survey.delivery.queue import PENDING
from survey.errors import NotFoundError
from survey.follow_up.announcements import (
    LOCAL,
    WORKFORCE,
    Reach,
    announcement_payload,
    message_key,
)
from survey.follow_up.briefing_checks import (
    BRIEFING,
    check_briefing,
    reach_targets,
    require_people,
    resolve_reach,
)
from survey.follow_up.feedback import create_feedback_campaign, open_feedback_campaign
from survey.models import Announcement, Campaign, Job, OutboxMessage, Person
from survey.schedule.plans import CANCELLED

POST_BRIEFING = "briefing.post"


@dataclass(frozen=True)
class Briefing:
    """What :func:`create_briefing` did.

    Attributes:
        announcement: The stored briefing (the earlier one, for a repeat).
        reach: Who it is for, with the team or service named as stored.
        feedback_campaign: The feedback survey, if one was asked for.
        scheduled_for: When it will be posted, if it was scheduled.
        messages: Outbox rows queued now (0 when scheduled or repeated).
        repeat: True if this exact briefing had already been posted or scheduled;
            then nothing new was stored or sent.
    """

    announcement: Announcement
    reach: Reach
    feedback_campaign: Campaign | None
    scheduled_for: datetime | None
    messages: int
    repeat: bool = False


async def create_briefing(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    title: str,
    body: str,
    now: datetime,
    link: str | None = None,
    reach: Reach = WORKFORCE,
    feedback: bool = False,
    at: datetime | None = None,
    platforms: tuple[str, ...] = (LOCAL,),
) -> Briefing:
    """Post a briefing now, or schedule it for ``at``; everything is checked first.

    Args:
        session: The session, inside the caller's transaction.
        organisation_id: Whose workforce it is for.
        title: The heading, at most 150 characters.
        body: The text, at most 3,000 characters, stored exactly as written.
        now: The current time (timezone-aware).
        link: An optional ``https://`` or ``http://`` link.
        reach: The workforce channel (default), a team or a service.
        feedback: Also open a feedback survey for the same people.
        at: When to post it; ``None`` posts it now.
        platforms: The platforms in use, so the channel post goes to each.

    Returns:
        What was stored and queued. The same briefing again (same words, link,
        reach, time and feedback choice) stores and sends nothing new.

    Raises:
        AnnouncementError: empty or overlong text, a malformed link, a time in
            the past, or nobody to send it to.
        NotFoundError: an unknown team or service.
    """
    checked = await check_briefing(
        session,
        organisation_id=organisation_id,
        title=title,
        body=body,
        link=link,
        reach=reach,
        feedback=feedback,
        at=at,
        now=now,
    )
    title, body, link, reach, key = (
        checked.title,
        checked.body,
        checked.link,
        checked.reach,
        checked.key,
    )
    earlier = await _earlier(session, key=key, scheduled=at is not None)
    if earlier is not None:
        campaign = None
        if earlier.feedback_campaign_id is not None:
            campaign = await session.get(Campaign, earlier.feedback_campaign_id)
        return Briefing(earlier, reach, campaign, at, 0, repeat=True)
    require_people(checked)
    campaign = None
    if feedback:
        campaign = await create_feedback_campaign(
            session,
            organisation_id=organisation_id,
            title=title,
            reach=reach,
            when=at or now,
        )
    announcement = Announcement(
        organisation_id=organisation_id,
        kind=BRIEFING,
        title=title,
        body=body,
        link=link,
        feedback_campaign_id=campaign.id if campaign else None,
        scheduled_for=at,
    )
    session.add(announcement)
    await session.flush()
    if at is not None:
        await schedule_briefing(
            session, announcement=announcement, reach=reach, key=key
        )
        return Briefing(announcement, reach, campaign, at, 0)
    sent = await post_briefing(
        session,
        announcement=announcement,
        reach=reach,
        key=key,
        now=now,
        platforms=platforms,
    )
    return Briefing(announcement, reach, campaign, None, sent)


async def schedule_briefing(
    session: AsyncSession, *, announcement: Announcement, reach: Reach, key: str
) -> bool:
    """Queue the one job that posts a briefing at its time; True if queued now.

    The job is keyed by the briefing's content key, so scheduling it again is a
    no-op. The same briefing scheduled again after it was cancelled wakes its
    cancelled job for the new announcement.
    """
    assert announcement.scheduled_for is not None
    payload = {
        "announcement_id": str(announcement.id),
        "reach": reach.as_payload(),
        "key": key,
    }
    dedupe_key = f"{POST_BRIEFING}:{key}"
    if await schedule_job(
        session,
        kind=POST_BRIEFING,
        dedupe_key=dedupe_key,
        run_at=announcement.scheduled_for,
        payload=payload,
        organisation_id=announcement.organisation_id,
    ):
        return True
    woken = await session.exec(
        update(Job)
        .where(col(Job.dedupe_key) == dedupe_key, col(Job.status) == CANCELLED)
        .values(
            status=PENDING,
            run_at=announcement.scheduled_for,
            payload=payload,
            locked_until=None,
            last_error=None,
        )
        .returning(col(Job.id))
    )
    return woken.first() is not None


async def post_briefing(
    session: AsyncSession,
    *,
    announcement: Announcement,
    reach: Reach,
    key: str,
    now: datetime,
    platforms: tuple[str, ...],
) -> int:
    """Queue a briefing's messages and open its feedback survey; returns rows queued.

    Safe to repeat: messages are keyed by content and recipient, the feedback
    survey is opened only while it is a draft, and the first post time is kept.
    """
    campaign = None
    if announcement.feedback_campaign_id is not None:
        campaign = await open_feedback_campaign(
            session, campaign_id=announcement.feedback_campaign_id, now=now
        )
    people: list[Person] = []
    if not reach.is_channel:
        _, people = await resolve_reach(
            session, organisation_id=announcement.organisation_id, reach=reach
        )
    targets = reach_targets(reach, people, platforms)
    payload = announcement_payload(announcement, feedback_campaign=campaign)
    queued = 0
    for platform, recipient in targets:
        queued += await enqueue(
            session,
            idempotency_key=message_key(BRIEFING, key, platform, recipient),
            platform=platform,
            recipient=recipient,
            payload=payload,
            organisation_id=announcement.organisation_id,
            not_before=now,
        )
    if announcement.posted_at is None:
        announcement.posted_at = now
        session.add(announcement)
    await session.flush()
    return queued


@handles(POST_BRIEFING)
async def _post_scheduled(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    announcement = await session.get(
        Announcement, uuid.UUID(payload["announcement_id"])
    )
    if announcement is None:
        raise NotFoundError("the briefing of this job no longer exists")
    await post_briefing(
        session,
        announcement=announcement,
        reach=Reach(**payload["reach"]),
        key=str(payload["key"]),
        now=now,
        platforms=platforms,
    )


async def _earlier(
    session: AsyncSession, *, key: str, scheduled: bool
) -> Announcement | None:
    """The announcement of an identical briefing already scheduled or posted."""
    payload: dict[str, Any] | None = None
    if scheduled:
        job = (
            await session.exec(
                select(Job).where(Job.dedupe_key == f"{POST_BRIEFING}:{key}")
            )
        ).first()
        # A cancelled briefing scheduled again is a new post, not a repeat.
        payload = job.payload if job and job.status != CANCELLED else None
    else:
        message = (
            await session.exec(
                select(OutboxMessage).where(
                    col(OutboxMessage.idempotency_key).startswith(f"{BRIEFING}:{key}:")
                )
            )
        ).first()
        payload = message.payload if message else None
    if not payload or not payload.get("announcement_id"):
        return None
    return await session.get(Announcement, uuid.UUID(str(payload["announcement_id"])))
