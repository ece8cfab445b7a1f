"""Correcting an imported round: removing its answers to import again, or deleting it.

Only imported rounds can be removed this way: a round run in chat holds answers
nobody can collect again. Removing is written to the audit log by the caller,
naming the round, its source file and how many responses went.
"""

from __future__ import annotations

from sqlalchemy import delete, func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import CampaignStateError
from survey.models import Action, Announcement, Answer, Campaign, Comment, Response

IMPORTED = "imported"


def imported_record(campaign: Campaign) -> dict[str, object]:
    """The provenance an imported round keeps, or an error for any other round.

    Raises:
        CampaignStateError: the round was run here, not imported.
    """
    record = campaign.audience.get(IMPORTED)
    if not isinstance(record, dict):
        raise CampaignStateError(
            f"'{campaign.name}' was run here, not imported, so it cannot be "
            "replaced or deleted; its answers could not be collected again."
        )
    return record


async def remove_answers(session: AsyncSession, *, campaign: Campaign) -> int:
    """Delete an imported round's responses, answers and comments; returns how many.

    Raises:
        CampaignStateError: the round was not imported.
    """
    imported_record(campaign)
    responses = select(Response.id).where(Response.campaign_id == campaign.id)
    count = (
        await session.exec(
            select(func.count())
            .select_from(Response)
            .where(Response.campaign_id == campaign.id)
        )
    ).one()
    await session.exec(delete(Answer).where(col(Answer.response_id).in_(responses)))
    await session.exec(delete(Comment).where(col(Comment.response_id).in_(responses)))
    await session.exec(delete(Response).where(col(Response.campaign_id) == campaign.id))
    return int(count)


async def delete_imported_round(session: AsyncSession, *, campaign: Campaign) -> int:
    """Delete an imported round entirely; returns how many responses went.

    Raises:
        CampaignStateError: the round was not imported, or actions are logged
            against it (they would lose the survey they answer).
    """
    imported_record(campaign)
    actions = (
        await session.exec(
            select(func.count())
            .select_from(Action)
            .where(Action.campaign_id == campaign.id)
        )
    ).one()
    if actions:
        raise CampaignStateError(
            f"{actions} action{'' if actions == 1 else 's'} "
            f"{'is' if actions == 1 else 'are'} logged against '{campaign.name}'; "
            "move them to another survey (healthcheck action update N --campaign "
            "...) or re-import the round with --replace instead; nothing was deleted."
        )
    removed = await remove_answers(session, campaign=campaign)
    await session.exec(
        update(Announcement)
        .where(col(Announcement.feedback_campaign_id) == campaign.id)
        .values(feedback_campaign_id=None)
    )
    await session.exec(delete(Campaign).where(col(Campaign.id) == campaign.id))
    return removed
