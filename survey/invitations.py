"""What one person has been asked to answer, and how far they have got."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.anonymity import draft_key
from survey.answering import DraftState
from survey.models import Campaign, CampaignStatus, Draft, Participation, Person

_OPEN_INVITATIONS = (
    select(Campaign, Participation)
    .join(Participation, col(Participation.campaign_id) == col(Campaign.id))
    .where(
        col(Campaign.organisation_id) == bindparam("organisation"),
        col(Campaign.status) == CampaignStatus.OPEN,
        col(Participation.person_id) == bindparam("person"),
    )
    .order_by(col(Campaign.created_at), col(Campaign.name))
)
_DRAFTS = select(Draft).where(col(Draft.key).in_(bindparam("keys", expanding=True)))
"""Built once: every chat page runs both (building costs more than running)."""


async def open_invitations(
    session: AsyncSession, *, person: Person
) -> list[tuple[Campaign, Participation]]:
    """The open campaigns the person is in the audience of, oldest first."""
    rows = await session.exec(
        _OPEN_INVITATIONS,
        params={"organisation": person.organisation_id, "person": person.id},
    )
    return [(campaign, participation) for campaign, participation in rows.all()]


async def drafts_of(
    session: AsyncSession,
    *,
    secret: bytes,
    person: Person,
    campaigns: list[Campaign],
) -> dict[str, DraftState]:
    """The person's drafts for these campaigns, by campaign id (hex), in one query."""
    keys = {
        draft_key(secret, person_id=person.id, campaign_id=campaign.id): campaign
        for campaign in campaigns
    }
    if not keys:
        return {}
    drafts = await session.exec(_DRAFTS, params={"keys": list(keys)})
    return {
        keys[draft.key].id.hex: DraftState(
            answers=dict(draft.answers),
            current=draft.current,
            updated_at=draft.updated_at,
        )
        for draft in drafts.all()
    }
