"""Checking a briefing before it is stored, and previewing what it will post.

:func:`check_briefing` is every check :func:`survey.follow_up.briefings.create_briefing`
makes; :func:`preview_briefing` builds the exact outbox payload from it, so a
preview shows what will be sent without storing anything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.campaigns import audience_people
from survey.errors import NotFoundError
from survey.follow_up.announcements import (
    LOCAL,
    WORKFORCE,
    AnnouncementError,
    Reach,
    announcement_payload,
    channel_targets,
    check_link,
    check_title_and_body,
    content_key,
)
from survey.models import Announcement, Organisation, Person, Service, Team
from survey.roster.roles import get_role, role_label
from survey.schedule.plans import platform_for

BRIEFING = "briefing"
# A time typed for "now" may have just passed by the time it is read.
_GRACE = timedelta(minutes=1)


@dataclass(frozen=True)
class CheckedBriefing:
    """A briefing that passed every check, not yet stored.

    Attributes:
        title: The title, trimmed.
        body: The body, trimmed.
        link: The link, trimmed, if any.
        reach: Who it is for, named as stored.
        people: The active people it reaches personally (none for the channel).
        at: When it is to be posted; ``None`` for now.
        key: The content key that makes a repeat of it post nothing.
    """

    title: str
    body: str
    link: str | None
    reach: Reach
    people: list[Person]
    at: datetime | None
    key: str


async def check_briefing(
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
) -> CheckedBriefing:
    """Check a briefing as :func:`create_briefing` would, storing nothing.

    Raises:
        AnnouncementError: empty or overlong text, a malformed link or a time in
            the past.
        NotFoundError: an unknown team, service or role.
    """
    title, body = check_title_and_body(title, body)
    link = check_link(link)
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFoundError("That organisation no longer exists.")
    if at is not None and at < now - _GRACE:
        local = at.astimezone(ZoneInfo(organisation.timezone))
        raise AnnouncementError(
            f"{local:%H:%M on %-d %B %Y} has already passed; choose a later time."
        )
    reach, people = await resolve_reach(
        session, organisation_id=organisation_id, reach=reach
    )
    when = at.isoformat() if at is not None else "now"
    key = content_key(organisation_id, title, body, link, reach, when, feedback)
    return CheckedBriefing(title, body, link, reach, people, at, key)


@dataclass(frozen=True)
class BriefingPreview:
    """What a briefing will post, before anything is stored.

    Attributes:
        checked: The checked briefing.
        payload: The outbox payload every channel draws, exactly as it will be
            sent (its announcement id is a placeholder until it is stored).
        targets: Where the messages go: (platform, recipient) pairs.
    """

    checked: CheckedBriefing
    payload: dict[str, Any]
    targets: list[tuple[str, str]]


async def preview_briefing(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    title: str,
    body: str,
    now: datetime,
    link: str | None = None,
    reach: Reach = WORKFORCE,
    at: datetime | None = None,
    platforms: tuple[str, ...] = (LOCAL,),
) -> BriefingPreview:
    """Everything :func:`create_briefing` would post, checked the same way, unstored.

    Raises:
        AnnouncementError: as :func:`create_briefing`, including nobody to send
            it to.
        NotFoundError: an unknown team, service or role.
    """
    checked = await check_briefing(
        session,
        organisation_id=organisation_id,
        title=title,
        body=body,
        link=link,
        reach=reach,
        at=at,
        now=now,
    )
    require_people(checked)
    announcement = Announcement(
        organisation_id=organisation_id,
        kind=BRIEFING,
        title=checked.title,
        body=checked.body,
        link=checked.link,
        scheduled_for=at,
    )
    return BriefingPreview(
        checked,
        announcement_payload(announcement),
        reach_targets(checked.reach, checked.people, platforms),
    )


def require_people(checked: CheckedBriefing) -> None:
    """Refuse a briefing for a team, service or role with nobody active in it.

    Raises:
        AnnouncementError: nobody to send it to.
    """
    if checked.reach.is_channel or checked.people:
        return
    if checked.reach.kind == "role":
        label = role_label(str(checked.reach.name)).lower()
        raise AnnouncementError(f"Nobody active on the roster is a {label}.")
    raise AnnouncementError(f"Nobody active on the roster is in {checked.reach.name}.")


def reach_targets(
    reach: Reach, people: list[Person], platforms: tuple[str, ...]
) -> list[tuple[str, str]]:
    """Where a briefing's messages go: the channel on each platform, or each person."""
    if reach.is_channel:
        return channel_targets(platforms)
    return [platform_for(person, platforms) for person in people]


async def resolve_reach(
    session: AsyncSession, *, organisation_id: uuid.UUID, reach: Reach
) -> tuple[Reach, list[Person]]:
    """The reach with its team or service named as stored, and its active people.

    Names match in any case. For the workforce channel the people list is empty.

    Raises:
        NotFoundError: no team or service of that name, naming those there are.
    """
    if reach.is_channel:
        return WORKFORCE, []
    if reach.kind == "role":
        role = get_role((reach.name or "").strip())
        resolved = Reach("role", role.code)
        people = await audience_people(
            session,
            organisation_id=organisation_id,
            audience=resolved.campaign_audience(),
        )
        return resolved, sorted(people, key=lambda person: person.email)
    model: type[Team] | type[Service] = Team if reach.kind == "team" else Service
    typed = (reach.name or "").strip()
    stored = (
        await session.exec(
            select(model.name).where(
                model.organisation_id == organisation_id,
                func.lower(model.name) == typed.lower(),
            )
        )
    ).first()
    if stored is None:
        names = (
            await session.exec(
                select(model.name)
                .where(model.organisation_id == organisation_id)
                .order_by(col(model.name))
            )
        ).all()
        raise NotFoundError(
            f"There is no {reach.kind} '{typed}'. "
            f"{reach.kind.capitalize()}s: {', '.join(names) or 'none yet'}."
        )
    resolved = Reach(reach.kind, stored)
    people = await audience_people(
        session,
        organisation_id=organisation_id,
        audience=resolved.campaign_audience(),
    )
    return resolved, sorted(people, key=lambda person: person.email)
