"""The "you said, we did" actions logged against a campaign, as the report lists them.

Each action names the theme staff raised and, where the PSW gave one, the
question whose results prompted it; the report shows both beside the action's
owner, due date and status.
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.report import ActionRow
from survey.models import Action, Campaign
from survey.questions.catalogue import template_definition
from survey.questions.themes import THEMES


async def report_actions(
    session: AsyncSession, *, campaign: Campaign
) -> tuple[ActionRow, ...]:
    """The actions logged against ``campaign``, oldest first, with their links.

    Args:
        session: An open session.
        campaign: The health check the report is about.

    Returns:
        One row per action: what staff said, what is being done, the theme's
        label, the question's id and wording (when the action names one), the
        owner, the due date and the status.
    """
    definition = await template_definition(session, template_id=campaign.template_id)
    wording = {question.id: question.text for question in definition.questions}
    rows = await session.exec(
        select(Action)
        .where(Action.campaign_id == campaign.id)
        .order_by(col(Action.created_at), col(Action.id))
    )
    return tuple(
        ActionRow(
            you_said=action.you_said,
            we_did=action.we_did,
            theme=THEMES.get(action.theme, action.theme),
            owner=action.owner,
            due=action.due_on,
            status=action.status,
            question_id=action.question_key,
            question=wording.get(action.question_key or "", ""),
        )
        for action in rows.all()
    )
