"""Posting the "you said, we did" digest, with a note to everyone who took part.

The digest's words (and the suppressed figures in them) are composed by the
caller; this module stores the digest once and queues its messages, each keyed by
the digest's content and the recipient.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.outbox import enqueue
from survey.follow_up.announcements import (
    AnnouncementError,
    channel_targets,
    check_title_and_body,
    content_key,
    message_key,
)
from survey.models import (
    Announcement,
    Campaign,
    CampaignStatus,
    Participation,
    ParticipationStatus,
    Person,
)
from survey.schedule.plans import platform_for

YOU_SAID = "you_said"
NOTE = "you_said_note"


class SurveyStillOpenError(AnnouncementError):
    """A "you said, we did" post for a survey that has not closed yet."""


def check_survey_closed(campaign: Campaign, *, timezone: str = "UTC") -> None:
    """Refuse a "you said, we did" post for a survey that has not closed.

    While a survey is open nobody has seen its results, and thanking everyone
    who took part would go to people still answering (or to nobody at all).

    Raises:
        SurveyStillOpenError: the survey is a draft or still open, saying why.
    """
    if campaign.status == CampaignStatus.CLOSED:
        return
    if campaign.status == CampaignStatus.DRAFT:
        raise SurveyStillOpenError(
            f"'{campaign.name}' has not opened yet, so there is nothing staff "
            "said to answer. Post 'you said, we did' once it has run and closed."
        )
    closes = ""
    if campaign.closes_at is not None:
        local = campaign.closes_at.astimezone(ZoneInfo(timezone))
        closes = f" It closes on {local:%-d %B %Y}."
    raise SurveyStillOpenError(
        f"'{campaign.name}' is still open: 'you said, we did' can only be posted "
        "once a survey has closed and its results are in, so that it answers what "
        f"everyone said and thanks only those who took part.{closes}"
    )


def you_said_key(campaign: Campaign, title: str, body: str) -> str:
    """The content key of one digest: the same digest again posts nothing new."""
    title, body = check_title_and_body(title, body)
    return content_key(campaign.organisation_id, campaign.id, title, body)


def you_said_payloads(
    *, announcement_id: str, campaign: Campaign, title: str, body: str, note: str
) -> tuple[dict[str, str], dict[str, str]]:
    """What the outbox carries: the channel's digest, and each taker's note."""
    common = {
        "announcement_id": announcement_id,
        "campaign_id": str(campaign.id),
        "campaign": campaign.name,
    }
    return (
        {"kind": YOU_SAID, "title": title, "body": body, **common},
        {"kind": NOTE, "text": note, **common},
    )


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
        SurveyStillOpenError: the survey has not closed yet.
        AnnouncementError: an empty or overlong title or body (platform limits).
    """
    check_survey_closed(campaign)
    title, body = check_title_and_body(title, body)
    key = you_said_key(campaign, title, body)
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
    digest, note_payload = you_said_payloads(
        announcement_id=str(announcement.id),
        campaign=campaign,
        title=title,
        body=body,
        note=note,
    )
    posts = 0
    for platform, recipient in channel_targets(platforms):
        posts += await enqueue(
            session,
            idempotency_key=message_key(YOU_SAID, key, platform, recipient),
            platform=platform,
            recipient=recipient,
            payload=digest,
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
            payload=note_payload,
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
