"""Campaign schedules and the jobs that carry them out: open, remind, close.

Every occurrence is a job with a unique key (``campaign:<id>:remind:<day>``), and
every message an outbox row with a unique key (``remind:<campaign>:<day>:<person>``),
so a restart or a second worker never repeats one.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.campaigns import close_campaign, open_campaign
from survey.errors import CampaignStateError, NotFoundError
from survey.job_kinds import Deferred, handles
from survey.jobs import schedule_job
from survey.models import (
    Campaign,
    CampaignStatus,
    Organisation,
    Participation,
    ParticipationStatus,
    Person,
)
from survey.outbox import enqueue
from survey.working_hours import is_working_time, next_working_time

OPEN = "campaign.open"
CLOSE = "campaign.close"
REMIND = "campaign.remind"
LOCAL = "local"


async def schedule_campaign(
    session: AsyncSession,
    *,
    campaign: Campaign,
    opens_at: datetime,
    closes_at: datetime,
    reminder_days: list[int],
    now: datetime,
) -> list[datetime]:
    """Set a campaign's open and close times and reminder plan, and queue the jobs.

    ``reminder_days`` counts days after opening (3 = day 3); a negative number
    counts back from the close (-1 = the day before closing). Reminders move to
    the next working hour in the organisation's time zone.

    Returns:
        When each reminder will go out.

    Raises:
        CampaignStateError: times in the past, close before open, a reminder
            outside the open period, or a campaign that has already closed.
    """
    if campaign.status == CampaignStatus.CLOSED:
        raise CampaignStateError(
            f"'{campaign.name}' has closed; it cannot be scheduled."
        )
    if campaign.status == CampaignStatus.DRAFT and opens_at < now - timedelta(
        minutes=1
    ):
        raise CampaignStateError("The opening time is in the past.")
    if closes_at <= now:
        raise CampaignStateError("The closing time is in the past.")
    if closes_at <= opens_at:
        raise CampaignStateError("The closing time must be after the opening time.")
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    reminders = []
    for day in sorted(set(reminder_days)):
        base = (
            opens_at + timedelta(days=day)
            if day >= 0
            else closes_at + timedelta(days=day)
        )
        when = next_working_time(base, timezone=organisation.timezone)
        if day == 0 or not opens_at < when < closes_at:
            raise CampaignStateError(
                f"A reminder on day {day} would fall outside the time the survey is "
                f"open ({opens_at:%d %b} to {closes_at:%d %b})."
            )
        reminders.append((day, when))
    campaign.opens_at, campaign.closes_at = opens_at, closes_at
    campaign.reminder_days = [day for day, _ in reminders]
    session.add(campaign)
    stamp = f"{opens_at:%Y%m%d%H%M}-{closes_at:%Y%m%d%H%M}"
    common = {"organisation_id": campaign.organisation_id}
    payload = {"campaign_id": str(campaign.id)}
    if campaign.status == CampaignStatus.DRAFT:
        await schedule_job(
            session,
            kind=OPEN,
            dedupe_key=f"campaign:{campaign.id}:open:{stamp}",
            run_at=opens_at,
            payload=payload,
            **common,
        )
    await schedule_job(
        session,
        kind=CLOSE,
        dedupe_key=f"campaign:{campaign.id}:close:{stamp}",
        run_at=closes_at,
        payload=payload,
        **common,
    )
    for day, when in reminders:
        await schedule_job(
            session,
            kind=REMIND,
            dedupe_key=f"campaign:{campaign.id}:remind:{day}:{stamp}",
            run_at=when,
            payload={**payload, "day": day},
            **common,
        )
    await session.flush()
    return [when for _, when in reminders]


async def _campaign(session: AsyncSession, payload: dict[str, Any]) -> Campaign:
    campaign = await session.get(Campaign, uuid.UUID(payload["campaign_id"]))
    if campaign is None:
        raise NotFoundError("the campaign of this job no longer exists")
    return campaign


@handles(OPEN)
async def _open(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    campaign = await _campaign(session, payload)
    if campaign.status == CampaignStatus.DRAFT:
        await open_campaign(session, campaign=campaign, now=now)
    for person, _ in await _participants(session, campaign, unfinished_only=True):
        await _message(
            session,
            campaign=campaign,
            person=person,
            kind="invitation",
            key=f"invite:{campaign.id}:{person.id}",
            now=now,
            platforms=platforms,
        )


@handles(CLOSE)
async def _close(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    campaign = await _campaign(session, payload)
    if campaign.status == CampaignStatus.OPEN:
        await close_campaign(session, campaign=campaign, now=now)


@handles(REMIND)
async def _remind(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    campaign = await _campaign(session, payload)
    if campaign.status != CampaignStatus.OPEN:
        return
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    if not is_working_time(now, timezone=organisation.timezone):
        raise Deferred(next_working_time(now, timezone=organisation.timezone))
    day = int(payload["day"])
    for person, participation in await _participants(
        session, campaign, unfinished_only=True
    ):
        if participation.reminders_muted:
            continue
        created = await _message(
            session,
            campaign=campaign,
            person=person,
            kind="reminder",
            key=f"remind:{campaign.id}:{day}:{person.id}",
            now=now,
            platforms=platforms,
        )
        if created:
            participation.reminders_sent += 1
            session.add(participation)


async def _participants(
    session: AsyncSession, campaign: Campaign, *, unfinished_only: bool
) -> list[tuple[Person, Participation]]:
    query = (
        select(Person, Participation)
        .join(Participation, col(Participation.person_id) == col(Person.id))
        .where(Participation.campaign_id == campaign.id, col(Person.active))
    )
    if unfinished_only:
        query = query.where(Participation.status != ParticipationStatus.COMPLETED)
    return list((await session.exec(query.order_by(col(Person.email)))).all())


def platform_for(person: Person, platforms: tuple[str, ...]) -> tuple[str, str]:
    """Where to reach a person: their chat platform if enabled, else the local one."""
    if "slack" in platforms and person.slack_id:
        return "slack", person.slack_id
    if "teams" in platforms and person.teams_id:
        return "teams", person.teams_id
    return LOCAL, f"person:{person.id}"


async def _message(
    session: AsyncSession,
    *,
    campaign: Campaign,
    person: Person,
    kind: str,
    key: str,
    now: datetime,
    platforms: tuple[str, ...],
) -> bool:
    platform, recipient = platform_for(person, platforms)
    return await enqueue(
        session,
        idempotency_key=key,
        platform=platform,
        recipient=recipient,
        payload={
            "kind": kind,
            "campaign_id": str(campaign.id),
            "campaign": campaign.name,
            "closes_at": campaign.closes_at.isoformat() if campaign.closes_at else None,
        },
        organisation_id=campaign.organisation_id,
        not_before=now,
    )
