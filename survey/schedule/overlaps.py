"""Pulses never run at the same time for the same people.

A pulse campaign may not be open at the same time as another pulse (a one-off or
a run of a recurring pulse) for anyone in both; a recurring pulse may not share
people with another recurring pulse at all, since both run for ever. Messages
give how many people are shared, never who.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.campaigns import Audience, audience_people
from survey.errors import ScheduleError
from survey.models import (
    Campaign,
    CampaignStatus,
    Participation,
    PulseSchedule,
    Template,
)
from survey.questions.bank import TemplateKind


async def people_of(session: AsyncSession, *, campaign: Campaign) -> set[uuid.UUID]:
    """Ids of a campaign's people: those invited once open, its audience before."""
    if campaign.status == CampaignStatus.DRAFT:
        return await audience_ids(
            session,
            organisation_id=campaign.organisation_id,
            audience=Audience.model_validate(campaign.audience),
        )
    rows = await session.exec(
        select(Participation.person_id).where(Participation.campaign_id == campaign.id)
    )
    return set(rows.all())


async def audience_ids(
    session: AsyncSession, *, organisation_id: uuid.UUID, audience: Audience
) -> set[uuid.UUID]:
    """Ids of the active people in an audience."""
    people = await audience_people(
        session, organisation_id=organisation_id, audience=audience
    )
    return {person.id for person in people}


async def refuse_overlapping_pulse(
    session: AsyncSession,
    *,
    campaign: Campaign,
    opens_at: datetime,
    closes_at: datetime,
) -> None:
    """Refuse to run a pulse campaign over another pulse for some of its people.

    Campaigns of other kinds (the health check) are not checked here: pulses keep
    clear of them through their cool-down.

    Raises:
        ScheduleError: naming the other pulse and how many people it shares.
    """
    template = await session.get(Template, campaign.template_id)
    assert template is not None
    if template.kind != TemplateKind.PULSE:
        return
    mine = await people_of(session, campaign=campaign)
    others = await session.exec(
        select(Campaign)
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(
            Campaign.organisation_id == campaign.organisation_id,
            col(Campaign.id) != campaign.id,
            col(Template.kind) == TemplateKind.PULSE,
            col(Campaign.status) != CampaignStatus.CLOSED,
        )
    )
    for other in others.all():
        if other.opens_at is None or other.opens_at >= closes_at:
            continue
        if other.closes_at is not None and other.closes_at <= opens_at:
            continue
        _refuse_shared(other.name, mine & await people_of(session, campaign=other))
    schedules = await active_schedules(
        session, organisation_id=campaign.organisation_id
    )
    for schedule in schedules:
        if campaign.pulse_schedule_id == schedule.id:
            continue
        if not any(
            start < closes_at and opens_at < end
            for start, end in run_windows(schedule, until=closes_at)
        ):
            continue
        theirs = await audience_ids(
            session,
            organisation_id=schedule.organisation_id,
            audience=Audience.model_validate(schedule.audience),
        )
        _refuse_shared(schedule.name, mine & theirs)


async def refuse_overlapping_schedule(
    session: AsyncSession, *, organisation_id: uuid.UUID, audience: Audience
) -> None:
    """Refuse a recurring pulse that shares people with one already running.

    Raises:
        ScheduleError: naming the other pulse and how many people it shares.
    """
    mine = await audience_ids(
        session, organisation_id=organisation_id, audience=audience
    )
    for schedule in await active_schedules(session, organisation_id=organisation_id):
        theirs = await audience_ids(
            session,
            organisation_id=organisation_id,
            audience=Audience.model_validate(schedule.audience),
        )
        _refuse_shared(schedule.name, mine & theirs)


async def active_schedules(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[PulseSchedule]:
    """The organisation's recurring pulses that are still running."""
    rows = await session.exec(
        select(PulseSchedule).where(
            PulseSchedule.organisation_id == organisation_id, col(PulseSchedule.active)
        )
    )
    return list(rows.all())


def run_windows(
    schedule: PulseSchedule, *, until: datetime
) -> Iterator[tuple[datetime, datetime]]:
    """The open periods of a recurring pulse's runs starting before ``until``."""
    start = schedule.next_run_at
    while start < until:
        yield start, start + timedelta(days=schedule.open_days)
        start += timedelta(weeks=schedule.every_weeks)


def _refuse_shared(name: str, shared: set[uuid.UUID]) -> None:
    if shared:
        people = "person" if len(shared) == 1 else "people"
        raise ScheduleError(
            f"'{name}' is a pulse for {len(shared)} of the same {people} at the same "
            "time; pulses must not overlap for anyone. Change the audience or dates."
        )
