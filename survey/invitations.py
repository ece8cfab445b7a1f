"""What one person has been asked to answer, and how far they have got."""

from __future__ import annotations

from sqlalchemy import Table, bindparam, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.anonymity import draft_key
from survey.answering import DraftState
from survey.models import Campaign, CampaignStatus, Draft, Participation, Person
from survey.models.rows import RowReader

_CAMPAIGNS: Table = Campaign.__table__  # type: ignore[attr-defined]
_PARTICIPATIONS: Table = Participation.__table__  # type: ignore[attr-defined]
_DRAFT_ROWS: Table = Draft.__table__  # type: ignore[attr-defined]
_CAMPAIGN_ROW = RowReader(Campaign, "c")
_PARTICIPATION_ROW = RowReader(Participation, "p")
_OPEN_INVITATIONS = (
    select(*_CAMPAIGN_ROW.columns, *_PARTICIPATION_ROW.columns)
    .join_from(
        _CAMPAIGNS,
        _PARTICIPATIONS,
        _PARTICIPATIONS.c.campaign_id == _CAMPAIGNS.c.id,
    )
    .where(
        _CAMPAIGNS.c.organisation_id == bindparam("organisation"),
        _CAMPAIGNS.c.status == CampaignStatus.OPEN,
        _PARTICIPATIONS.c.person_id == bindparam("person"),
    )
    .order_by(_CAMPAIGNS.c.created_at, _CAMPAIGNS.c.name)
)
_DRAFTS = select(
    _DRAFT_ROWS.c.key,
    _DRAFT_ROWS.c.answers,
    _DRAFT_ROWS.c.current,
    _DRAFT_ROWS.c.updated_at,
    _DRAFT_ROWS.c.sent_at,
).where(_DRAFT_ROWS.c.key.in_(bindparam("keys", expanding=True)))
"""Built once, in Core: every chat page runs both (see :mod:`survey.models.rows`)."""


async def open_invitations(
    session: AsyncSession, *, person: Person
) -> list[tuple[Campaign, Participation]]:
    """The open campaigns the person is in the audience of, oldest first.

    The rows are read-only (see :mod:`survey.models.rows`).
    """
    connection = await session.connection()
    result = await connection.execute(
        _OPEN_INVITATIONS,
        {"organisation": person.organisation_id, "person": person.id},
    )
    return [
        (_CAMPAIGN_ROW.read(row), _PARTICIPATION_ROW.read(row))
        for row in result.mappings()
    ]


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
    connection = await session.connection()
    drafts = await connection.execute(_DRAFTS, {"keys": list(keys)})
    return {
        keys[key].id.hex: DraftState(
            answers=dict(answers),
            current=current,
            updated_at=updated_at,
            sent_at=sent_at,
        )
        for key, answers, current, updated_at, sent_at in drafts
    }
