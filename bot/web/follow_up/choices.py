"""The pick lists of the posts pages, and reading back what was picked or typed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.web.follow_up import text
from survey.errors import ScheduleError
from survey.follow_up.announcements import (
    REACH_KINDS,
    WORKFORCE,
    AnnouncementError,
    Reach,
)
from survey.models import Campaign, Organisation, Person, Service, Team
from survey.roster.roles import find_role, role_label
from survey.schedule.working_hours import parse_local_time

CHANNEL = "channel"


@dataclass(frozen=True)
class Choice:
    """One option of a pick list."""

    value: str
    label: str


@dataclass(frozen=True)
class ChoiceGroup:
    """Options under one heading (an ``<optgroup>``)."""

    label: str
    choices: tuple[Choice, ...]


async def audience_choices(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[ChoiceGroup]:
    """Who a briefing can be for: the channel, each service, team and role."""
    services = await session.exec(
        select(Service.name)
        .where(Service.organisation_id == organisation_id)
        .order_by(col(Service.name))
    )
    teams = await session.exec(
        select(Team.name)
        .where(Team.organisation_id == organisation_id)
        .order_by(col(Team.name))
    )
    codes = await session.exec(
        select(Person.role)
        .where(Person.organisation_id == organisation_id, col(Person.active))
        .distinct()
    )
    roles = sorted(
        (role_label(code), code) for code in codes.all() if find_role(code) is not None
    )
    return [
        ChoiceGroup(
            "Everyone",
            (Choice(CHANNEL, "The workforce channel (everyone)"),),
        ),
        ChoiceGroup(
            "A service",
            tuple(Choice(f"service:{name}", name) for name in services.all()),
        ),
        ChoiceGroup(
            "A team", tuple(Choice(f"team:{name}", name) for name in teams.all())
        ),
        ChoiceGroup(
            "Everyone in a role",
            tuple(Choice(f"role:{code}", label) for label, code in roles),
        ),
    ]


def reach_of(value: str) -> Reach:
    """The reach a pick-list value names.

    Raises:
        AnnouncementError: a value the list never offers.
    """
    if value in ("", CHANNEL):
        return WORKFORCE
    kind, _, name = value.partition(":")
    if kind not in REACH_KINDS or not name:
        raise AnnouncementError(text.CHOOSE_AUDIENCE)
    return Reach(kind, name)


def scheduled_at(
    *, when: str, day: str, typed: str, organisation: Organisation, now: datetime
) -> datetime | None:
    """When to post: ``None`` for now, else the picked date and typed time in UTC.

    The time box takes a time on its own ("9am", "14:30") to go with the picked
    date, or a day and time in words ("Monday 9am", "tomorrow 14:30") alone.

    Raises:
        ScheduleError: no time, an unreadable one, or a date without a time.
    """
    if when != "later":
        return None
    day, typed = day.strip(), typed.strip()
    if not day and not typed:
        raise ScheduleError(text.SAY_WHEN)
    if not typed:
        raise ScheduleError(text.DATE_NEEDS_TIME)
    attempts = [typed]
    if day:
        try:
            picked = date.fromisoformat(day)
        except ValueError:
            raise ScheduleError(text.NOT_A_DATE) from None
        attempts.insert(0, f"{picked.day}/{picked.month}/{picked.year} {typed}")
    for attempt in attempts[:-1]:
        try:
            return _read(attempt, organisation, now)
        except ScheduleError:
            continue
    return _read(attempts[-1], organisation, now)


def _read(typed: str, organisation: Organisation, now: datetime) -> datetime:
    return parse_local_time(
        typed, timezone=organisation.timezone, what="posting time", now=now
    )


async def surveys(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[Campaign]:
    """The organisation's surveys, newest first (feedback surveys too)."""
    rows = await session.exec(
        select(Campaign)
        .where(Campaign.organisation_id == organisation_id)
        .order_by(col(Campaign.year).desc(), col(Campaign.name))
    )
    return list(rows.all())
