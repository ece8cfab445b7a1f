"""Posting the "you said, we did" digest, with a note to everyone who took part.

The digest's words (and the suppressed figures in them) are composed by the
caller; this module stores the digest once and queues its messages, each keyed by
the digest's content and the recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.outbox import enqueue
from survey.follow_up.announcements import (
    channel_targets,
    check_title_and_body,
    content_key,
    message_key,
)
from survey.models import (
    Announcement,
    Campaign,
    Participation,
    ParticipationStatus,
    Person,
)
from survey.schedule.plans import platform_for

YOU_SAID = "you_said"
NOTE = "you_said_note"


@dataclass(frozen=True)
class YouSaidPost:
    """What :func:`post_you_said` queued.

    Attributes:
        announcement: The stored digest (the earlier one if it was posted before).
        repeat: True if this exact digest had been posted before.
        channel_posts: New posts to the workforce channel.
        notes: New personal notes (0 for everyone who already had this digest).
        participants: Everyone active who completed the survey.
    """

    announcement: Announcement
    repeat: bool
    channel_posts: int
    notes: int
    participants: int


async def post_you_said(
    session: AsyncSession,
    *,
    campaign: Campaign,
    title: str,
    body: str,
    note: str,
    now: datetime,
    platforms: tuple[str, ...],
) -> YouSaidPost:
    """Post a "you said, we did" digest, with a note to everyone who took part.

    The digest goes to the workforce channel; the note to everyone active who
    completed ``campaign``. The note must not say what anyone answered; it only
    points to the digest.
    Each message's key comes from the digest's content and its recipient, so
    posting the same digest again sends nothing twice (people who completed the
    survey since get their note), while a changed digest is a new post.

    Raises:
        AnnouncementError: an empty or overlong title or body (platform limits).
    """
    title, body = check_title_and_body(title, body)
    key = content_key(campaign.organisation_id, campaign.id, title, body)
    earlier = (
        await session.exec(
            select(Announcement).where(
                Announcement.organisation_id == campaign.organisation_id,
                Announcement.kind == YOU_SAID,
                Announcement.title == title,
                Announcement.body == body,
            )
        )
    ).first()
    announcement = earlier or Announcement(
        organisation_id=campaign.organisation_id,
        kind=YOU_SAID,
        title=title,
        body=body,
        posted_at=now,
    )
    if earlier is None:
        session.add(announcement)
        await session.flush()
    common = {
        "announcement_id": str(announcement.id),
        "campaign_id": str(campaign.id),
        "campaign": campaign.name,
    }
    posts = 0
    for platform, recipient in channel_targets(platforms):
        posts += await enqueue(
            session,
            idempotency_key=message_key(YOU_SAID, key, platform, recipient),
            platform=platform,
            recipient=recipient,
            payload={"kind": YOU_SAID, "title": title, "body": body, **common},
            organisation_id=campaign.organisation_id,
            not_before=now,
        )
    people = await completed_participants(session, campaign=campaign)
    notes = 0
    for person in people:
        platform, recipient = platform_for(person, platforms)
        notes += await enqueue(
            session,
            idempotency_key=message_key(NOTE, key, platform, recipient),
            platform=platform,
            recipient=recipient,
            payload={"kind": NOTE, "text": note, **common},
            organisation_id=campaign.organisation_id,
            not_before=now,
        )
    return YouSaidPost(announcement, earlier is not None, posts, notes, len(people))


async def completed_participants(
    session: AsyncSession, *, campaign: Campaign
) -> list[Person]:
    """Everyone active who completed ``campaign`` (never what they answered)."""
    rows = await session.exec(
        select(Person)
        .join(Participation, col(Participation.person_id) == col(Person.id))
        .where(
            Participation.campaign_id == campaign.id,
            Participation.status == ParticipationStatus.COMPLETED,
            col(Person.active),
        )
        .order_by(col(Person.email))
    )
    return list(rows.all())
