"""Personal messages about a campaign, which go when its participation goes.

Invitations, reminders and nudges were sent only to people who had not yet
finished, and the "you said, we did" note only to those who had: kept in the
outbox (and in the local channel's delivery rows, and the chat platforms'
delivery receipts) they would say who took part long after the participation
rows are gone. The digest posted to the workforce channel names nobody and stays.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.follow_up.you_said import NOTE, YOU_SAID
from survey.models import Campaign, ChatDelivery, LocalDelivery, OutboxMessage


@dataclass(frozen=True)
class PersonalMessages:
    """One campaign's personal messages, by table."""

    outbox: tuple[uuid.UUID, ...]
    local: tuple[uuid.UUID, ...]
    keys: tuple[str, ...]

    @property
    def count(self) -> int:
        """Messages in all (each sent one counts once, however many copies)."""
        return len(set(self.keys))


def about_campaign(payload: Mapping[str, Any], campaign: Campaign) -> bool:
    """Whether a message is personal and about ``campaign``.

    Notes written before they carried the campaign's id are known by its name
    (unique in the organisation).
    """
    kind = payload.get("kind")
    if kind == YOU_SAID:
        return False
    if payload.get("campaign_id") == str(campaign.id):
        return True
    return kind == NOTE and payload.get("campaign") == campaign.name


async def personal_messages(
    session: AsyncSession, *, campaigns: Sequence[Campaign]
) -> PersonalMessages:
    """Every stored copy of a personal message about any of ``campaigns``."""
    if not campaigns:
        return PersonalMessages((), (), ())
    organisation_id = campaigns[0].organisation_id
    outbox: list[uuid.UUID] = []
    local: list[uuid.UUID] = []
    keys: list[str] = []
    for model, ids in ((OutboxMessage, outbox), (LocalDelivery, local)):
        rows = await session.exec(
            select(model.id, model.idempotency_key, model.payload).where(
                or_(
                    col(model.organisation_id) == organisation_id,
                    col(model.organisation_id).is_(None),
                )
            )
        )
        for row_id, key, payload in rows.all():
            if any(about_campaign(payload, campaign) for campaign in campaigns):
                ids.append(row_id)
                keys.append(key)
    return PersonalMessages(tuple(outbox), tuple(local), tuple(keys))


async def remove_personal_messages(
    session: AsyncSession, *, campaigns: Sequence[Campaign]
) -> int:
    """Delete every copy of the campaigns' personal messages; returns how many."""
    found = await personal_messages(session, campaigns=campaigns)
    if found.outbox:
        await session.exec(
            delete(OutboxMessage).where(col(OutboxMessage.id).in_(found.outbox))
        )
    if found.local:
        await session.exec(
            delete(LocalDelivery).where(col(LocalDelivery.id).in_(found.local))
        )
    if found.keys:
        await session.exec(
            delete(ChatDelivery).where(
                col(ChatDelivery.idempotency_key).in_(set(found.keys))
            )
        )
    return found.count
