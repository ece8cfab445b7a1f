"""The figures behind "you said, we did" actions, through the suppression gate.

An action may name the question whose results prompted it. Its supporting figure
is that question's % favourable for the whole organisation (and the change since
the previous round), taken from :class:`analytics.results.ResultsEngine`, so a
figure that would be hidden anywhere else is hidden here too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.data import earlier_campaign, load_round
from analytics.groups import everyone
from analytics.model import Change, QuestionResult
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from survey.models import Action, Campaign, Organisation

NO_FAVOURABLE = "this question has no favourable answers to count"


@dataclass(frozen=True)
class SupportingFigure:
    """One question's whole-organisation figure for one action.

    Attributes:
        question_id: The question, e.g. ``WL01``.
        question: Its wording.
        campaign: The survey it was asked in.
        year: That survey's year.
        favourable: Percent favourable, or None when hidden.
        change: Points of change since the previous round, if shown.
        hidden: Why the figure is not shown (too few responses, survey still
            open, ...), or None.
    """

    question_id: str
    question: str
    campaign: str
    year: int
    favourable: float | None
    change: Change | None = None
    hidden: str | None = None


async def supporting_figures(
    session: AsyncSession, *, actions: Sequence[Action]
) -> dict[uuid.UUID, SupportingFigure]:
    """The supporting figure of each action that names a campaign's question.

    Each campaign's answers are read once, however many actions refer to it.
    Actions without a question (or whose question is no longer in the template)
    have no entry.
    """
    by_campaign: dict[uuid.UUID, dict[str, QuestionResult]] = {}
    campaigns: dict[uuid.UUID, Campaign] = {}
    figures: dict[uuid.UUID, SupportingFigure] = {}
    for action in actions:
        if action.campaign_id is None or action.question_key is None:
            continue
        if action.campaign_id not in by_campaign:
            campaign = await session.get(Campaign, action.campaign_id)
            if campaign is None:
                continue
            campaigns[campaign.id] = campaign
            by_campaign[campaign.id] = await _organisation_results(session, campaign)
        result = by_campaign[action.campaign_id].get(action.question_key)
        if result is None:
            continue
        campaign = campaigns[action.campaign_id]
        hidden = result.hidden
        if hidden is None and result.favourable is None:
            hidden = NO_FAVOURABLE
        figures[action.id] = SupportingFigure(
            question_id=result.question_id,
            question=result.text,
            campaign=campaign.name,
            year=campaign.year,
            favourable=result.favourable if hidden is None else None,
            change=result.change if hidden is None else None,
            hidden=hidden,
        )
    return figures


async def _organisation_results(
    session: AsyncSession, campaign: Campaign
) -> dict[str, QuestionResult]:
    """Every question's result for the whole organisation, by question id."""
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    current = await load_round(session, campaign=campaign)
    before = await earlier_campaign(session, campaign=campaign)
    previous = await load_round(session, campaign=before) if before else None
    engine = ResultsEngine(
        current, policy=Policy(organisation.min_group_size), previous=previous
    )
    results = engine.group(everyone(organisation.name))
    if results.hidden is not None:
        return {
            question.id: QuestionResult(
                question_id=question.id,
                text=question.text,
                standard=question.standard,
                theme=question.theme,
                scale=question.scale.value,
                answered=None,
                hidden=results.hidden,
            )
            for question in current.definition.questions
        }
    return {result.question_id: result for result in results.questions}
