"""Recurring pulse checks: a short survey every few weeks for an audience.

Each run is one ``pulse.run`` job keyed ``pulse:<schedule>:<run number>``, so a
duplicate ticker or a second worker is harmless. A run creates and opens a pulse
campaign asking a rotating share of the template's questions, invites everyone
in the audience except people in their cool-down (invited to a health check
lately, or already in another pulse), plans its close and one reminder, and
queues the next run.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, delete, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

# The audience checks create_campaign uses; a pulse schedule needs the same.
from survey.campaigns import (
    Audience,
    _check_audience_names,
    _in_code_form,
    audience_people,
    create_campaign,
    open_campaign,
)
from survey.delivery.job_kinds import Deferred, handles
from survey.delivery.jobs import schedule_job
from survey.errors import ScheduleError
from survey.models import (
    Campaign,
    CampaignStatus,
    Organisation,
    Participation,
    PulseSchedule,
    Template,
)
from survey.questions.bank import TemplateKind
from survey.questions.catalogue import latest_template, template_definition
from survey.questions.sets import rotation
from survey.schedule.overlaps import refuse_overlapping_schedule
from survey.schedule.plans import (
    Reminder,
    apply_plan,
    plan_reminders,
    send_invitations,
)
from survey.schedule.working_hours import is_working_time, next_working_time

PULSE_RUN = "pulse.run"
DEFAULT_TEMPLATE = "pulse-check"
MAX_NAME_LENGTH = 80
MAX_EVERY_WEEKS = 52
MAX_COOLDOWN_DAYS = 365


async def create_pulse_schedule(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    audience: Audience,
    every_weeks: int,
    now: datetime,
    questions_per_pulse: int | None = None,
    cooldown_days: int = 14,
    open_days: int = 7,
    template_key: str = DEFAULT_TEMPLATE,
    name: str | None = None,
    first_run_at: datetime | None = None,
) -> PulseSchedule:
    """Start a recurring pulse and queue its first run.

    Args:
        session: The database session (the caller commits).
        organisation_id: Whose pulse.
        audience: Who is asked (services, teams, roles, workforce).
        every_weeks: Weeks between runs, at least 1.
        now: The current time.
        questions_per_pulse: Lead questions per run (follow-ups come with them);
            ``None`` asks the whole template every time.
        cooldown_days: Leave out people invited to a health check this recently.
        open_days: How long each run stays open; shorter than the gap between runs.
        template_key: A pulse template.
        name: What to call it; the template title and audience by default.
        first_run_at: The first run (the next working hour by default).

    Raises:
        ScheduleError: numbers out of range, a first run in the past, a template
            that is not a pulse, nobody in the audience, or people shared with
            another recurring pulse.
        NotFoundError: unknown template, service, team, role or workforce.
    """
    _check_numbers(every_weeks, open_days, questions_per_pulse, cooldown_days)
    template = await latest_template(session, key=template_key)
    if template.kind != TemplateKind.PULSE:
        raise ScheduleError(
            f"'{template_key}' is a {template.kind.replace('_', ' ')} template; "
            "recurring pulses use a pulse template such as 'pulse-check'."
        )
    await _check_audience_names(
        session, organisation_id=organisation_id, audience=audience
    )
    audience = _in_code_form(audience)
    if not await audience_people(
        session, organisation_id=organisation_id, audience=audience
    ):
        raise ScheduleError(
            f"Nobody active on the roster is in {audience.describe()}, so a pulse "
            "would go to no one."
        )
    await refuse_overlapping_schedule(
        session, organisation_id=organisation_id, audience=audience
    )
    name = (name or _default_name(template, audience)).strip()
    await _check_name(session, organisation_id=organisation_id, name=name)
    organisation = await session.get(Organisation, organisation_id)
    assert organisation is not None
    if first_run_at is not None and first_run_at < now - timedelta(minutes=1):
        raise ScheduleError("The first pulse would be in the past.")
    first = first_run_at or next_working_time(now, timezone=organisation.timezone)
    schedule = PulseSchedule(
        organisation_id=organisation_id,
        name=name,
        template_key=template.key,
        audience=audience.model_dump(),
        every_weeks=every_weeks,
        open_days=open_days,
        questions_per_pulse=questions_per_pulse,
        cooldown_days=cooldown_days,
        next_run_at=first,
    )
    session.add(schedule)
    await session.flush()
    await _queue_run(session, schedule=schedule, run=1)
    return schedule


def _check_numbers(
    every_weeks: int, open_days: int, per_pulse: int | None, cooldown_days: int
) -> None:
    if not 1 <= every_weeks <= MAX_EVERY_WEEKS:
        raise ScheduleError(
            f"A pulse repeats every 1 to {MAX_EVERY_WEEKS} weeks (every={every_weeks})."
        )
    if not 1 <= open_days < every_weeks * 7:
        raise ScheduleError(
            f"Each pulse must stay open for at least a day and close before the "
            f"next one starts, so open= must be 1 to {every_weeks * 7 - 1} days."
        )
    if per_pulse is not None and per_pulse < 1:
        raise ScheduleError("A pulse asks at least 1 question (questions=1 or more).")
    if not 0 <= cooldown_days <= MAX_COOLDOWN_DAYS:
        raise ScheduleError(f"cooldown= must be 0 to {MAX_COOLDOWN_DAYS} days.")


def _default_name(template: Template, audience: Audience) -> str:
    if audience == Audience():
        return template.title
    return f"{template.title}: {audience.describe()}"[:MAX_NAME_LENGTH]


async def _check_name(
    session: AsyncSession, *, organisation_id: uuid.UUID, name: str
) -> None:
    if not name or len(name) > MAX_NAME_LENGTH:
        raise ScheduleError(
            f"A pulse needs a name of 1 to {MAX_NAME_LENGTH} characters."
        )
    taken = await session.exec(
        select(PulseSchedule.id).where(
            PulseSchedule.organisation_id == organisation_id,
            col(PulseSchedule.name) == name,
        )
    )
    if taken.first() is not None:
        raise ScheduleError(f"There is already a pulse called '{name}'; name it.")


async def _queue_run(
    session: AsyncSession, *, schedule: PulseSchedule, run: int
) -> None:
    await schedule_job(
        session,
        kind=PULSE_RUN,
        dedupe_key=f"pulse:{schedule.id}:{run}",
        run_at=schedule.next_run_at,
        payload={"schedule_id": str(schedule.id), "run": run},
        organisation_id=schedule.organisation_id,
    )


@handles(PULSE_RUN)
async def _run(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    schedule = await session.get(PulseSchedule, uuid.UUID(payload["schedule_id"]))
    run = int(payload["run"])
    # A stopped pulse, or a run that is not the next one, does nothing.
    if schedule is None or not schedule.active or run != schedule.runs + 1:
        return
    organisation = await session.get(Organisation, schedule.organisation_id)
    assert organisation is not None
    if not is_working_time(now, timezone=organisation.timezone):
        raise Deferred(next_working_time(now, timezone=organisation.timezone))
    await start_pulse(session, schedule=schedule, run=run, now=now, platforms=platforms)
    schedule.runs = run
    schedule.next_run_at = _next_run(schedule, now=now, timezone=organisation.timezone)
    session.add(schedule)
    await _queue_run(session, schedule=schedule, run=run + 1)


def _next_run(schedule: PulseSchedule, *, now: datetime, timezone: str) -> datetime:
    """The next run on the same local weekday and hour; missed runs are skipped."""
    local = schedule.next_run_at.astimezone(ZoneInfo(timezone))
    step = timedelta(weeks=schedule.every_weeks)
    local += step
    while local <= now:
        local += step
    return local


async def start_pulse(
    session: AsyncSession,
    *,
    schedule: PulseSchedule,
    run: int,
    now: datetime,
    platforms: tuple[str, ...],
) -> Campaign | None:
    """Create, open and plan one run's campaign; None if everyone is cooling down.

    Returns:
        The open campaign, or None when nobody in the audience may be asked now.
    """
    audience = Audience.model_validate(schedule.audience)
    people = await audience_people(
        session, organisation_id=schedule.organisation_id, audience=audience
    )
    resting = await cooling_down(
        session,
        organisation_id=schedule.organisation_id,
        now=now,
        days=schedule.cooldown_days,
    )
    if all(person.id in resting for person in people):
        return None
    organisation = await session.get(Organisation, schedule.organisation_id)
    assert organisation is not None
    zone = ZoneInfo(organisation.timezone)
    local = now.astimezone(zone)
    closes_at = local + timedelta(days=schedule.open_days)
    campaign = await create_campaign(
        session,
        organisation_id=schedule.organisation_id,
        template_key=schedule.template_key,
        name=f"{schedule.name} #{run} ({local.day} {local:%b %Y})",
        year=local.year,
        audience=audience,
        closes_at=closes_at,
    )
    definition = await template_definition(session, template_id=campaign.template_id)
    # Count the pulses that ran, not the runs: a skipped run skips no questions.
    earlier = await session.exec(
        select(func.count())
        .select_from(Campaign)
        .where(Campaign.pulse_schedule_id == schedule.id)
    )
    campaign.question_keys = rotation(
        definition, per_pulse=schedule.questions_per_pulse, run=earlier.one()
    )
    campaign.pulse_schedule_id = schedule.id
    await open_campaign(session, campaign=campaign, now=now)
    await session.exec(
        delete(Participation).where(
            col(Participation.campaign_id) == campaign.id,
            col(Participation.person_id).in_(resting),
        )
    )
    await apply_plan(
        session,
        campaign=campaign,
        opens_at=now,
        closes_at=closes_at,
        reminders=_halfway_reminder(schedule, now, closes_at, organisation.timezone),
        now=now,
    )
    await send_invitations(session, campaign=campaign, now=now, platforms=platforms)
    return campaign


def _halfway_reminder(
    schedule: PulseSchedule, opens_at: datetime, closes_at: datetime, timezone: str
) -> list[Reminder]:
    if schedule.open_days < 2:
        return []
    try:
        return plan_reminders(
            [schedule.open_days // 2], opens_at, closes_at, timezone=timezone
        )
    except ScheduleError:
        return []  # a weekend pushed it past the close: no reminder this time


async def cooling_down(
    session: AsyncSession, *, organisation_id: uuid.UUID, now: datetime, days: int
) -> set[uuid.UUID]:
    """People a pulse must leave out now.

    Those invited to a health check that is open, closed within ``days``, or set
    to open within ``days``; and those in another pulse that is still open.
    """
    since, soon = now - timedelta(days=days), now + timedelta(days=days)
    health_check = col(Template.kind) == TemplateKind.HEALTH_CHECK
    invited = await session.exec(
        select(Participation.person_id)
        .join(Campaign, col(Campaign.id) == col(Participation.campaign_id))
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(
            Campaign.organisation_id == organisation_id,
            or_(
                and_(health_check, col(Campaign.status) == CampaignStatus.OPEN),
                and_(
                    health_check,
                    col(Campaign.status) == CampaignStatus.CLOSED,
                    col(Campaign.closes_at) >= since,
                ),
                and_(
                    col(Template.kind) == TemplateKind.PULSE,
                    col(Campaign.status) == CampaignStatus.OPEN,
                ),
            ),
        )
    )
    resting = set(invited.all())
    upcoming = await session.exec(
        select(Campaign)
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(
            Campaign.organisation_id == organisation_id,
            health_check,
            col(Campaign.status) == CampaignStatus.DRAFT,
            col(Campaign.opens_at) <= soon,
        )
    )
    for campaign in upcoming.all():
        people = await audience_people(
            session,
            organisation_id=organisation_id,
            audience=Audience.model_validate(campaign.audience),
        )
        resting.update(person.id for person in people)
    return resting
