"""Campaign schedules and the jobs that carry them out: open, remind, close.

Every occurrence is a job with a unique key (``campaign:<id>:remind:<day>:<plan>``)
and every message an outbox row with a unique key
(``remind:<campaign>:<day>:<person>``), so a restart or a second worker never
repeats one.

Rescheduling replaces the plan. ``<plan>`` is a stamp of the opening and closing
times and the reminder days; the earlier plan's pending jobs are marked
``cancelled``, and a job that was already running when the plan changed finds its
stamp no longer matches the campaign and does nothing.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.campaigns import close_campaign, open_campaign
from survey.delivery.job_kinds import Deferred, handles, handles_with_secret
from survey.delivery.jobs import schedule_job
from survey.delivery.queue import PENDING
from survey.errors import NotFoundError, ScheduleError
from survey.models import Campaign, CampaignStatus, Job, Organisation
from survey.schedule.overlaps import refuse_overlapping_pulse
from survey.schedule.reminders import (
    INVITATION,
    REMINDER,
    Messenger,
    unfinished_participants,
)
from survey.schedule.reminders import LOCAL as LOCAL
from survey.schedule.reminders import platform_for as platform_for
from survey.schedule.working_hours import is_working_time, next_working_time

OPEN = "campaign.open"
CLOSE = "campaign.close"
REMIND = "campaign.remind"
CANCELLED = "cancelled"
PLAN_KINDS = (OPEN, CLOSE, REMIND)
# A few seconds' grace, so "now" typed as the opening time is not "in the past".
GRACE = timedelta(minutes=1)


def parse_reminder_days(text: str) -> list[int]:
    """Read a reminder plan typed as ``3,7,-1`` (spaces allowed; empty for none).

    Raises:
        ScheduleError: anything but whole day numbers.
    """
    days = []
    for part in text.replace(" ", ",").split(","):
        if not part:
            continue
        try:
            days.append(int(part))
        except ValueError:
            raise ScheduleError(
                f"'{part}' is not a day number. Reminders are days after opening "
                "and, counting back from the close, negative days: 3,7,-1."
            ) from None
    return days


def plan_stamp(campaign: Campaign) -> str:
    """A short fingerprint of the campaign's current plan (times and reminder days).

    Times are taken in UTC to the second, so the stamp is the same before and
    after the campaign is stored and read back.
    """
    opens, closes = (
        f"{moment.astimezone(UTC):%Y%m%dT%H%M%S}" if moment else "-"
        for moment in (campaign.opens_at, campaign.closes_at)
    )
    days = ",".join(str(day) for day in campaign.reminder_days)
    return hashlib.sha256(f"{opens}|{closes}|{days}".encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Reminder:
    """One planned reminder: its day in the plan and when it goes out."""

    day: int
    at: datetime


async def schedule_campaign(
    session: AsyncSession,
    *,
    campaign: Campaign,
    opens_at: datetime | None,
    closes_at: datetime,
    reminder_days: list[int],
    now: datetime,
) -> list[Reminder]:
    """Set a campaign's open and close times and reminder plan, and queue the jobs.

    ``reminder_days`` counts days after opening (3 = day 3); a negative number
    counts back from the close (-1 = the day before closing). Reminders move to
    the next working hour in the organisation's time zone. An open campaign keeps
    its opening time (``opens_at`` may be left out), and reminders already in
    the past are not sent late. Scheduling again replaces the earlier plan.

    Returns:
        The reminders still to go out, in order.

    Raises:
        ScheduleError: times in the past, close before open, a reminder on day 0
            or outside the open period, a closed campaign, or a pulse that would
            run at the same time as another pulse for some of the same people.
    """
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    if campaign.status == CampaignStatus.CLOSED:
        raise ScheduleError(f"'{campaign.name}' has closed; it cannot be scheduled.")
    if campaign.status == CampaignStatus.OPEN:
        assert campaign.opens_at is not None
        if opens_at is not None and abs(opens_at - campaign.opens_at) > GRACE:
            raise ScheduleError(
                f"'{campaign.name}' is already open, so only its closing time and "
                "reminders can change."
            )
        opens_at = campaign.opens_at
    elif opens_at is None:
        raise ScheduleError("Give the opening time, like opens=2026-12-01T09:00.")
    elif opens_at < now - GRACE:
        raise ScheduleError("The opening time is in the past.")
    if closes_at <= now:
        raise ScheduleError("The closing time is in the past.")
    if closes_at <= opens_at:
        raise ScheduleError("The closing time must be after the opening time.")
    reminders = plan_reminders(
        reminder_days, opens_at, closes_at, timezone=organisation.timezone
    )
    await refuse_overlapping_pulse(
        session, campaign=campaign, opens_at=opens_at, closes_at=closes_at
    )
    return await apply_plan(
        session,
        campaign=campaign,
        opens_at=opens_at,
        closes_at=closes_at,
        reminders=reminders,
        now=now,
    )


async def apply_plan(
    session: AsyncSession,
    *,
    campaign: Campaign,
    opens_at: datetime,
    closes_at: datetime,
    reminders: list[Reminder],
    now: datetime,
) -> list[Reminder]:
    """Store an already checked plan and queue its jobs, replacing any earlier plan.

    Returns:
        The reminders still to go out (those in the past are not sent late).
    """
    campaign.opens_at, campaign.closes_at = opens_at, closes_at
    campaign.reminder_days = [reminder.day for reminder in reminders]
    session.add(campaign)
    stamp = plan_stamp(campaign)
    payload = {"campaign_id": str(campaign.id), "plan": stamp}
    planned: list[tuple[str, str, datetime, dict[str, Any]]] = []
    if campaign.status == CampaignStatus.DRAFT:
        planned.append((OPEN, f"open:{stamp}", opens_at, payload))
    planned.append((CLOSE, f"close:{stamp}", closes_at, payload))
    upcoming = [reminder for reminder in reminders if reminder.at > now]
    for reminder in upcoming:
        key = f"remind:{reminder.day}:{stamp}"
        planned.append((REMIND, key, reminder.at, {**payload, "day": reminder.day}))
    keys = [f"campaign:{campaign.id}:{suffix}" for _, suffix, _, _ in planned]
    await _cancel_other_plans(session, campaign=campaign, keeping=keys)
    for (kind, _, run_at, job_payload), key in zip(planned, keys, strict=True):
        await _plan_job(
            session,
            campaign=campaign,
            kind=kind,
            key=key,
            run_at=run_at,
            payload=job_payload,
        )
    await session.flush()
    return upcoming


def plan_reminders(
    days: list[int], opens_at: datetime, closes_at: datetime, *, timezone: str
) -> list[Reminder]:
    """When each reminder day falls: moved to working hours, in time order.

    Raises:
        ScheduleError: day 0, or a day that falls outside the open period.
    """
    zone = ZoneInfo(timezone)
    window = f"{opens_at.astimezone(zone):%d %b} to {closes_at.astimezone(zone):%d %b}"
    reminders = []
    for day in sorted(set(days)):
        if day == 0:
            raise ScheduleError(
                "Day 0 is the opening day, when everyone is invited; reminders "
                "count from day 1 (or back from the close with -1, -2 ...)."
            )
        # Whole days on the local clock, so day 3 keeps its hour across a clock change.
        start = opens_at if day > 0 else closes_at
        base = start.astimezone(zone) + timedelta(days=day)
        when = next_working_time(base, timezone=timezone)
        if not opens_at < when < closes_at:
            raise ScheduleError(
                f"A reminder on day {day} would fall outside the time the survey is "
                f"open ({window})."
            )
        reminders.append(Reminder(day, when))
    return sorted(reminders, key=lambda reminder: reminder.at)


async def _plan_job(
    session: AsyncSession,
    *,
    campaign: Campaign,
    kind: str,
    key: str,
    run_at: datetime,
    payload: dict[str, Any],
) -> None:
    created = await schedule_job(
        session,
        kind=kind,
        dedupe_key=key,
        run_at=run_at,
        payload=payload,
        organisation_id=campaign.organisation_id,
    )
    if not created:
        # Back to a plan used before: wake its cancelled job (a done one stays done).
        await session.exec(
            update(Job)
            .where(col(Job.dedupe_key) == key, col(Job.status) == CANCELLED)
            .values(status=PENDING, run_at=run_at, locked_until=None)
        )


async def _cancel_other_plans(
    session: AsyncSession, *, campaign: Campaign, keeping: list[str]
) -> None:
    await session.exec(
        update(Job)
        .where(
            col(Job.kind).in_(PLAN_KINDS),
            col(Job.dedupe_key).startswith(f"campaign:{campaign.id}:"),
            col(Job.status) == PENDING,
            col(Job.dedupe_key).not_in(keeping),
        )
        .values(status=CANCELLED, last_error="replaced by a newer schedule")
    )


async def campaign_of_job(session: AsyncSession, payload: dict[str, Any]) -> Campaign:
    """The campaign a job's payload names.

    Raises:
        NotFoundError: it no longer exists.
    """
    campaign = await session.get(Campaign, uuid.UUID(payload["campaign_id"]))
    if campaign is None:
        raise NotFoundError("the campaign of this job no longer exists")
    return campaign


def _current(campaign: Campaign, payload: dict[str, Any]) -> bool:
    """Whether a job belongs to the campaign's current plan (unstamped jobs do)."""
    stamp = payload.get("plan")
    return stamp is None or stamp == plan_stamp(campaign)


async def require_working_time(
    session: AsyncSession, campaign: Campaign, now: datetime
) -> None:
    """Raise Deferred until the next working hour if ``now`` is not one."""
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    if not is_working_time(now, timezone=organisation.timezone):
        raise Deferred(next_working_time(now, timezone=organisation.timezone))


@handles(OPEN)
async def _open(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    campaign = await campaign_of_job(session, payload)
    if not _current(campaign, payload) or campaign.status == CampaignStatus.CLOSED:
        return
    if campaign.status == CampaignStatus.DRAFT:
        await open_campaign(session, campaign=campaign, now=now)
    await send_invitations(session, campaign=campaign, now=now, platforms=platforms)


async def send_invitations(
    session: AsyncSession,
    *,
    campaign: Campaign,
    now: datetime,
    platforms: tuple[str, ...],
) -> int:
    """Queue an invitation to everyone in an open campaign who has not finished.

    A campaign may open at any hour, but its invitations wait in the outbox for
    the next working hour.
    """
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    at_work = next_working_time(now, timezone=organisation.timezone)
    messenger = await Messenger.for_campaign(
        session, campaign=campaign, platforms=platforms, now=now
    )
    sent = 0
    for person, participation in await unfinished_participants(
        session, campaign=campaign
    ):
        sent += await messenger.send(
            session,
            kind=INVITATION,
            key=f"invite:{campaign.id}:{person.id}",
            person=person,
            participation=participation,
            not_before=at_work,
        )
    return sent


@handles_with_secret(CLOSE)
async def _close(
    session: AsyncSession, payload: dict[str, Any], now: datetime, secret: bytes
) -> None:
    campaign = await campaign_of_job(session, payload)
    if _current(campaign, payload) and campaign.status == CampaignStatus.OPEN:
        await close_campaign(session, campaign=campaign, now=now, secret=secret)


@handles(REMIND)
async def _remind(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    campaign = await campaign_of_job(session, payload)
    if not _current(campaign, payload) or not taking_answers(campaign, now):
        return
    await require_working_time(session, campaign, now)
    day = int(payload["day"])
    messenger = await Messenger.for_campaign(
        session, campaign=campaign, platforms=platforms, now=now
    )
    for person, participation in await unfinished_participants(
        session, campaign=campaign
    ):
        created = await messenger.send(
            session,
            kind=REMINDER,
            key=f"remind:{campaign.id}:{day}:{person.id}",
            person=person,
            participation=participation,
            extra={"day": day},
        )
        if created:
            participation.reminders_sent += 1
            session.add(participation)


def taking_answers(campaign: Campaign, now: datetime) -> bool:
    """Whether the campaign is open and not yet past its closing time."""
    past_close = campaign.closes_at is not None and campaign.closes_at <= now
    return campaign.status == CampaignStatus.OPEN and not past_close
