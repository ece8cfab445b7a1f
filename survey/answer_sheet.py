"""What one step of answering reads: the campaign, the participation, the draft."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import bindparam
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.anonymity import draft_key
from survey.answering import DraftState, state_of
from survey.errors import NotFoundError
from survey.models import Campaign, Draft, Organisation, Participation, Person


@dataclass
class AnswerSheet:
    """A person's place in one campaign, read in two queries inside a transaction.

    Made by :func:`answer_sheet` for the answer path: the campaign as it is now,
    its organisation, the person's participation (``None`` if not invited; its
    row locked on PostgreSQL) and their draft, if any.
    """

    campaign: Campaign
    organisation: Organisation
    participation: Participation | None
    draft_key: str
    draft: Draft | None

    @property
    def state(self) -> DraftState:
        """The saved answers (empty if there is no draft)."""
        return state_of(self.draft)


_SHEET = (
    select(Campaign, Organisation, Participation)
    .join(Organisation, col(Organisation.id) == col(Campaign.organisation_id))
    .join(
        Participation,
        (col(Participation.campaign_id) == col(Campaign.id))
        & (col(Participation.person_id) == bindparam("sheet_person")),
    )
    .where(
        col(Campaign.id) == bindparam("sheet_campaign"),
        col(Campaign.organisation_id) == bindparam("sheet_organisation"),
    )
    .with_for_update(of=Participation)
)
"""Built once: building a statement costs more than running a cached one."""


class UnknownCampaignError(NotFoundError):
    """The campaign does not exist, or belongs to another organisation."""


async def answer_sheet(
    session: AsyncSession, *, secret: bytes, person: Person, campaign_id: uuid.UUID
) -> AnswerSheet:
    """Read what one step of answering needs, without checking anything yet.

    Check with :func:`may_answer` before storing. The participation row is taken
    ``FOR UPDATE`` first, as :func:`participation_of` does, and the draft read
    after it, so a concurrent step for the same person is waited for and seen.

    Raises:
        UnknownCampaignError: the campaign does not exist, or is not one of the
            person's organisation's (which is not told apart from missing).
    """
    row = (
        await session.exec(
            _SHEET,
            params={
                "sheet_campaign": campaign_id,
                "sheet_organisation": person.organisation_id,
                "sheet_person": person.id,
            },
        )
    ).first()
    if row is not None:
        campaign, organisation, participation = row
    else:
        found = await session.get(Campaign, campaign_id)
        if found is None or found.organisation_id != person.organisation_id:
            raise UnknownCampaignError("That survey no longer exists.")
        owner = await session.get(Organisation, found.organisation_id)
        assert owner is not None
        campaign, organisation, participation = found, owner, None
    key = draft_key(secret, person_id=person.id, campaign_id=campaign.id)
    return AnswerSheet(
        campaign=campaign,
        organisation=organisation,
        participation=participation,
        draft_key=key,
        draft=await session.get(Draft, key),
    )
