"""Who hears from the bot about a campaign, and what the message says.

Only people who have not finished, are still on the roster and have not muted
reminders are reminded. Each message says how far the person has got ("3 of 6
answered") and never what they answered; the count leaves out follow-up
questions, whose presence would hint at an earlier answer.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.answering import participation_of
from survey.delivery.outbox import enqueue
from survey.models import (
    Campaign,
    Organisation,
    Participation,
    ParticipationStatus,
    Person,
    Team,
)
from survey.questions.sets import campaign_definition, everyone_questions

LOCAL = "local"
INVITATION = "invitation"
REMINDER = "reminder"
NUDGE = "nudge"


async def unfinished_participants(
    session: AsyncSession,
    *,
    campaign: Campaign,
    team_id: uuid.UUID | None = None,
    service_id: uuid.UUID | None = None,
) -> list[tuple[Person, Participation]]:
    """Participants to write to: not finished, still on the roster, not muted.

    Args:
        session: The database session.
        campaign: Whose participants.
        team_id: Only people now in this team.
        service_id: Only people now in a team of this service.
    """
    query = (
        select(Person, Participation)
        .join(Participation, col(Participation.person_id) == col(Person.id))
        .join(Team, col(Team.id) == col(Person.team_id))
        .where(
            Participation.campaign_id == campaign.id,
            col(Person.active),
            Participation.status != ParticipationStatus.COMPLETED,
            col(Participation.reminders_muted).is_(False),
        )
    )
    if team_id is not None:
        query = query.where(col(Person.team_id) == team_id)
    if service_id is not None:
        query = query.where(col(Team.service_id) == service_id)
    return list((await session.exec(query.order_by(col(Person.email)))).all())


def platform_for(person: Person, platforms: tuple[str, ...]) -> tuple[str, str]:
    """Where to reach a person: their chat platform if enabled, else the local one."""
    if "slack" in platforms and person.slack_id:
        return "slack", person.slack_id
    if "teams" in platforms and person.teams_id:
        return "teams", person.teams_id
    return LOCAL, f"person:{person.id}"


class Messenger:
    """Writes one campaign's messages to the outbox, each key at most once."""

    def __init__(
        self,
        *,
        campaign: Campaign,
        organisation: Organisation,
        total: int,
        platforms: tuple[str, ...],
        now: datetime,
    ) -> None:
        self.campaign = campaign
        self.zone = ZoneInfo(organisation.timezone)
        self.total = total
        self.platforms = platforms
        self.now = now

    @classmethod
    async def for_campaign(
        cls,
        session: AsyncSession,
        *,
        campaign: Campaign,
        platforms: tuple[str, ...],
        now: datetime,
    ) -> Messenger:
        """A messenger that knows the campaign's time zone and question count."""
        organisation = await session.get(Organisation, campaign.organisation_id)
        assert organisation is not None
        definition = await campaign_definition(session, campaign=campaign)
        total = len(everyone_questions(definition))
        return cls(
            campaign=campaign,
            organisation=organisation,
            total=total,
            platforms=platforms,
            now=now,
        )

    async def send(
        self,
        session: AsyncSession,
        *,
        kind: str,
        key: str,
        person: Person,
        participation: Participation,
        extra: dict[str, Any] | None = None,
        not_before: datetime | None = None,
    ) -> bool:
        """Queue one message to one participant; True if it was not queued before.

        ``not_before`` holds the message in the outbox until then (default: now).
        """
        platform, recipient = platform_for(person, self.platforms)
        answered = min(participation.answered, self.total)
        payload: dict[str, Any] = {
            "kind": kind,
            "campaign_id": str(self.campaign.id),
            "campaign": self.campaign.name,
            "closes_at": self._iso(self.campaign.closes_at),
            "answered": answered,
            "total": self.total,
            "text": self.words(kind, answered),
            **(extra or {}),
        }
        return await enqueue(
            session,
            idempotency_key=key,
            platform=platform,
            recipient=recipient,
            payload=payload,
            organisation_id=self.campaign.organisation_id,
            not_before=not_before or self.now,
        )

    def words(self, kind: str, answered: int) -> str:
        """The message's text (plain; each renderer escapes it)."""
        name = self.campaign.name
        closes = self._closes()
        start = f"Send 'start \"{name}\"' to " + ("carry on." if answered else "begin.")
        if kind == INVITATION:
            return (
                f"'{name}' is open{closes}: {self.total} questions, answered "
                f"anonymously. {start}"
            )
        if kind == NUDGE:
            lead = "It's survey hour: time set aside to answer"
        else:
            lead = "A reminder about"
        progress = (
            f"You have answered {answered} of {self.total} questions."
            if answered
            else "You have not started yet."
        )
        mute = f"Send 'mute \"{name}\"' to stop reminders."
        return f"{lead} '{name}'{closes}. {progress} {start} {mute}"

    def _closes(self) -> str:
        closes_at = self.campaign.closes_at
        if closes_at is None:
            return ""
        local = closes_at.astimezone(self.zone)
        return f" (it closes on {local:%A} {local.day} {local:%B} at {local:%H:%M})"

    @staticmethod
    def _iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None


async def set_muted(
    session: AsyncSession, *, person: Person, campaign: Campaign, muted: bool
) -> bool:
    """Mute or unmute reminders for the person's own participation.

    Returns:
        Whether anything changed.

    Raises:
        NotInvitedError: the person is not in the campaign's audience.
    """
    participation = await participation_of(session, person=person, campaign=campaign)
    if participation.reminders_muted == muted:
        return False
    participation.reminders_muted = muted
    session.add(participation)
    await session.flush()
    return True
