"""What one step of answering reads: the campaign, the participation, the draft."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Table, bindparam, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.anonymity import draft_key
from survey.answering import DraftState, state_of
from survey.errors import NotFoundError
from survey.models import Campaign, Draft, Organisation, Participation, Person
from survey.models.rows import RowReader


@dataclass
class AnswerSheet:
    """A person's place in one campaign, read in two queries inside a transaction.

    Made by :func:`answer_sheet` for the answer path: the campaign as it is now,
    its organisation, the person's participation (``None`` if not invited; its
    row locked on PostgreSQL) and their draft, if any. They are read with Core
    and belong to no session (see :mod:`survey.models.rows`): the answer path
    changes them only through its own ``UPDATE`` statements.
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


_CAMPAIGNS: Table = Campaign.__table__  # type: ignore[attr-defined]
_ORGANISATIONS: Table = Organisation.__table__  # type: ignore[attr-defined]
_PARTICIPATIONS: Table = Participation.__table__  # type: ignore[attr-defined]
_DRAFTS: Table = Draft.__table__  # type: ignore[attr-defined]
_CAMPAIGN_ROW = RowReader(Campaign, "c")
_ORGANISATION_ROW = RowReader(Organisation, "o")
_PARTICIPATION_ROW = RowReader(Participation, "p")
_DRAFT_ROW = RowReader(Draft, "d")
_SHEET = (
    select(
        *_CAMPAIGN_ROW.columns,
        *_ORGANISATION_ROW.columns,
        *_PARTICIPATION_ROW.columns,
    )
    .join_from(
        _CAMPAIGNS,
        _ORGANISATIONS,
        _ORGANISATIONS.c.id == _CAMPAIGNS.c.organisation_id,
    )
    .join(
        _PARTICIPATIONS,
        (_PARTICIPATIONS.c.campaign_id == _CAMPAIGNS.c.id)
        & (_PARTICIPATIONS.c.person_id == bindparam("sheet_person")),
    )
    .where(
        _CAMPAIGNS.c.id == bindparam("sheet_campaign"),
        _CAMPAIGNS.c.organisation_id == bindparam("sheet_organisation"),
    )
    .with_for_update(of=_PARTICIPATIONS)
)
_DRAFT = select(*_DRAFT_ROW.columns).where(_DRAFTS.c.key == bindparam("draft_key"))
"""Built once, in Core: building a statement costs more than running a cached
one, and loading rows through the ORM more than reading them."""


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
    connection = await session.connection()
    row = (
        (
            await connection.execute(
                _SHEET,
                {
                    "sheet_campaign": campaign_id,
                    "sheet_organisation": person.organisation_id,
                    "sheet_person": person.id,
                },
            )
        )
        .mappings()
        .first()
    )
    if row is not None:
        campaign = _CAMPAIGN_ROW.read(row)
        organisation = _ORGANISATION_ROW.read(row)
        participation: Participation | None = _PARTICIPATION_ROW.read(row)
    else:
        found = await session.get(Campaign, campaign_id)
        if found is None or found.organisation_id != person.organisation_id:
            raise UnknownCampaignError("That survey no longer exists.")
        owner = await session.get(Organisation, found.organisation_id)
        assert owner is not None
        campaign, organisation, participation = found, owner, None
    key = draft_key(secret, person_id=person.id, campaign_id=campaign.id)
    stored = (await connection.execute(_DRAFT, {"draft_key": key})).mappings().first()
    return AnswerSheet(
        campaign=campaign,
        organisation=organisation,
        participation=participation,
        draft_key=key,
        draft=_DRAFT_ROW.read(stored) if stored is not None else None,
    )
