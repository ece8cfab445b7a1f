"""How a round's answers were collected: in chat, through web links, or imported.

The report's background says how the survey was answered; that sentence must be
true for the round, so it is worked out from what the round itself records: an
imported round's provenance, the personal web links issued for it, and whether
the people invited could be reached in Slack or Microsoft Teams.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import Campaign, Participation, Person, PersonalLink

IMPORTED = "imported"
CHAT = "chat"
WEB_LINK = "web link"
CHAT_AND_WEB_LINK = "chat and web link"
WEB_CHAT = "web chat"


@dataclass(frozen=True)
class Collection:
    """How a round was collected.

    Attributes:
        how: One of ``imported``, ``chat``, ``web link``, ``chat and web link``
            or ``web chat`` (the local web channel only).
        source: For an imported round, the file its answers came from.
        imported_on: For an imported round, the ISO date it was imported.
    """

    how: str
    source: str = ""
    imported_on: str = ""


async def collection_of(session: AsyncSession, *, campaign: Campaign) -> Collection:
    """How ``campaign``'s answers were collected, from what the round records."""
    record = campaign.audience.get(IMPORTED)
    if isinstance(record, dict):
        return Collection(
            IMPORTED,
            source=str(record.get("source") or ""),
            imported_on=str(record.get("imported_on") or ""),
        )
    links = (
        await session.exec(
            select(func.count())
            .select_from(PersonalLink)
            .where(PersonalLink.campaign_id == campaign.id)
        )
    ).one()
    in_chat = (
        await session.exec(
            select(func.count())
            .select_from(Participation)
            .join(Person, col(Person.id) == col(Participation.person_id))
            .where(
                Participation.campaign_id == campaign.id,
                col(Person.slack_id).is_not(None) | col(Person.teams_id).is_not(None),
            )
        )
    ).one()
    if in_chat and links:
        return Collection(CHAT_AND_WEB_LINK)
    if in_chat:
        return Collection(CHAT)
    if links:
        return Collection(WEB_LINK)
    return Collection(WEB_CHAT)
