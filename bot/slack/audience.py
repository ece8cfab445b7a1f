"""A Slack user group or channel taken as a survey's audience.

Members are read from Slack (``usergroups.users.list`` for a group ``S...``,
``conversations.members`` for a channel ``C...``/``G...``), matched to the roster
by Slack id or email, and invited to an open campaign: a participation row and an
invitation in the outbox each, keyed as the scheduled invitations are, so an
import repeated (or overlapping the campaign's own audience) invites nobody twice.
Members not on the roster are counted, never stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import select

from bot.slack.identity import identify
from survey.campaigns import invite, require_open
from survey.db import SessionFactory
from survey.delivery.outbox import enqueue
from survey.errors import NotFoundError
from survey.models import Campaign, Participation, Person
from survey.schedule.plans import platform_for

PAGE = 200


@dataclass
class AudienceImport:
    """What importing a group or channel did."""

    members: int = 0
    invited: int = 0
    already: int = 0
    not_on_roster: int = 0
    people: list[Person] = field(default_factory=list)

    def summary(self, source: str) -> str:
        """The outcome in one line."""
        return (
            f"{source}: {self.members} members; {self.invited} invited, "
            f"{self.already} already invited, {self.not_on_roster} not on the roster."
        )


async def slack_members(client: AsyncWebClient, source: str) -> list[str]:
    """The member ids of a user group (``S...``) or a channel (``C...``, ``G...``)."""
    if source.startswith("S"):
        response = await client.usergroups_users_list(usergroup=source)
        return [str(user) for user in response.get("users") or []]
    members: list[str] = []
    cursor: str | None = None
    while True:
        page = await client.conversations_members(
            channel=source, limit=PAGE, cursor=cursor
        )
        members += [str(user) for user in page.get("members") or []]
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return members


async def import_audience(
    sessions: SessionFactory,
    client: AsyncWebClient,
    *,
    campaign_id: uuid.UUID,
    source: str,
    now: datetime,
    platforms: tuple[str, ...] = ("slack",),
) -> AudienceImport:
    """Invite the roster people in a Slack group or channel to an open campaign.

    Raises:
        NotFoundError: no such campaign.
        CampaignClosedError: the campaign is not open.
    """
    async with sessions() as session:
        campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFoundError("There is no such campaign.")
    require_open(campaign, now=now)
    report = AudienceImport()
    seen: set[uuid.UUID] = set()
    for user_id in await slack_members(client, source):
        report.members += 1
        person = await identify(
            sessions, client, organisation_id=campaign.organisation_id, user_id=user_id
        )
        if person is None:
            report.not_on_roster += 1
            continue
        if person.id in seen:
            continue
        seen.add(person.id)
        report.people.append(person)
        if await _invite(sessions, campaign, person, now=now, platforms=platforms):
            report.invited += 1
        else:
            report.already += 1
    return report


async def _invite(
    sessions: SessionFactory,
    campaign: Campaign,
    person: Person,
    *,
    now: datetime,
    platforms: tuple[str, ...],
) -> bool:
    async with sessions() as session, session.begin():
        existing = (
            await session.exec(
                select(Participation).where(
                    Participation.campaign_id == campaign.id,
                    Participation.person_id == person.id,
                )
            )
        ).first()
        if existing is not None:
            return False
        await invite(session, campaign=campaign, person=person)
        platform, recipient = platform_for(person, platforms)
        await enqueue(
            session,
            idempotency_key=f"invite:{campaign.id}:{person.id}",
            platform=platform,
            recipient=recipient,
            payload={
                "kind": "invitation",
                "campaign_id": str(campaign.id),
                "campaign": campaign.name,
                "closes_at": (
                    campaign.closes_at.isoformat() if campaign.closes_at else None
                ),
            },
            organisation_id=campaign.organisation_id,
            not_before=now,
        )
    return True
