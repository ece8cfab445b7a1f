"""Pulse trends: % favourable per question and LGA standard scores, round by round.

Each round (a closed pulse campaign of one recurring pulse or one template) goes
through the results engine on its own, so a round with too few responses, or a
question too few answered, shows nothing for that round. A pulse asks a rotating
share of its questions, so a question has no figure in rounds that did not ask it.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, replace
from datetime import date
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.data import Round, load_round
from analytics.groups import Group, everyone
from analytics.results import ResultsEngine
from analytics.scoring import points
from analytics.suppression import Policy
from survey.models import Campaign, CampaignStatus, Organisation, Template
from survey.questions.definitions import Scale
from survey.questions.sets import asked_only
from survey.questions.themes import STANDARDS

MOST_ROUNDS = 6
NOT_ASKED = "not asked in this round"
TOO_FEW = "too few answers to show"


@dataclass(frozen=True)
class TrendCell:
    """One figure for one round; None with ``hidden`` saying why when not shown."""

    value: float | None
    hidden: str | None = None


@dataclass(frozen=True)
class TrendRow:
    """A question's % favourable, or a standard's 0-100 score, across the rounds."""

    key: str
    label: str
    cells: tuple[TrendCell, ...]


@dataclass(frozen=True)
class RoundLabel:
    """Which campaign a column is, and how many responded (None when hidden)."""

    campaign: str
    opened_on: date | None
    respondents: int | None
    hidden: str | None = None


@dataclass(frozen=True)
class PulseTrends:
    """Trends over successive rounds, oldest first."""

    title: str
    rounds: tuple[RoundLabel, ...]
    questions: tuple[TrendRow, ...]
    standards: tuple[TrendRow, ...]
    min_group_size: int


async def pulse_rounds(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    template_key: str | None = None,
    schedule_id: uuid.UUID | None = None,
    most: int = MOST_ROUNDS,
) -> list[Campaign]:
    """The latest ``most`` closed campaigns of a recurring pulse or a template."""
    query = (
        select(Campaign)
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(
            Campaign.organisation_id == organisation_id,
            Campaign.status == CampaignStatus.CLOSED,
        )
    )
    if schedule_id is not None:
        query = query.where(Campaign.pulse_schedule_id == schedule_id)
    if template_key is not None:
        query = query.where(Template.key == template_key)
    rows = await session.exec(
        query.order_by(col(Campaign.opens_at).desc(), col(Campaign.created_at).desc())
    )
    return list(reversed(rows.all()[:most]))


async def pulse_trends(
    session: AsyncSession,
    *,
    title: str,
    campaigns: list[Campaign],
    group: Group | None = None,
) -> PulseTrends:
    """Trends over ``campaigns`` (oldest first) for ``group`` (default: everyone).

    Each round's figures for the group pass that round's own disclosure gate.
    """
    organisation_id = campaigns[0].organisation_id if campaigns else None
    organisation = (
        await session.get(Organisation, organisation_id) if organisation_id else None
    )
    min_size = organisation.min_group_size if organisation else 5
    zone = ZoneInfo(organisation.timezone if organisation else "Europe/London")
    rounds = []
    order: list[str] = []
    for campaign in campaigns:
        loaded = await load_round(session, campaign=campaign)
        order = [question.id for question in loaded.definition.questions]
        asked = asked_only(loaded.definition, campaign.question_keys)
        rounds.append(replace(loaded, definition=asked))
    return await asyncio.to_thread(
        trends_of, title, rounds, Policy(min_size), zone, organisation, order, group
    )


def trends_of(
    title: str,
    rounds: list[Round],
    policy: Policy,
    zone: ZoneInfo,
    organisation: Organisation | None,
    order: list[str],
    group: Group | None = None,
) -> PulseTrends:
    """The trends from loaded rounds (no database), each through the engine.

    Questions are listed in ``order`` (the newest template's), then any others.
    """
    name = organisation.name if organisation else "Whole organisation"
    chosen = group if group is not None else everyone(name)
    labels: list[RoundLabel] = []
    favourable: dict[str, dict[int, TrendCell]] = {}
    scores: dict[int, dict[int, TrendCell]] = {}
    texts: dict[str, str] = {}
    for index, current in enumerate(rounds):
        campaign = current.campaign
        opened = (
            campaign.opens_at.astimezone(zone).date() if campaign.opens_at else None
        )
        result = ResultsEngine(current, policy=policy).group(chosen)
        labels.append(
            RoundLabel(campaign.name, opened, result.respondents, result.hidden)
        )
        for question in current.definition.questions:
            if question.scale == Scale.TEXT or not question.reported_codes():
                continue
            texts.setdefault(question.id, question.text)
            favourable.setdefault(question.id, {})[index] = TrendCell(
                None, result.hidden
            )
            if question.standard is not None and points(question) is not None:
                scores.setdefault(question.standard, {})[index] = TrendCell(
                    None, result.hidden or TOO_FEW
                )
        for shown in result.questions:
            if shown.question_id in favourable:
                favourable[shown.question_id][index] = TrendCell(
                    shown.favourable, shown.hidden
                )
        for standard in result.standards:
            scores.setdefault(standard.standard, {})[index] = TrendCell(
                standard.score, standard.hidden
            )
    count = len(rounds)
    position = {key: place for place, key in enumerate(order)}
    listed = sorted(favourable, key=lambda key: position.get(key, len(position)))
    return PulseTrends(
        title=title,
        rounds=tuple(labels),
        questions=tuple(
            TrendRow(key, texts[key], _cells(favourable[key], count)) for key in listed
        ),
        standards=tuple(
            TrendRow(str(number), STANDARDS[number], _cells(cells, count))
            for number, cells in sorted(scores.items())
        ),
        min_group_size=policy.min_size,
    )


def _cells(found: dict[int, TrendCell], count: int) -> tuple[TrendCell, ...]:
    return tuple(found.get(index, TrendCell(None, NOT_ASKED)) for index in range(count))
