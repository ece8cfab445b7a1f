"""The annual report's content, assembled once and written out in any format.

Every figure comes from :class:`analytics.results.ResultsEngine`, so everything in
a :class:`Report` has already passed the suppression gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.collection import collection_of
from analytics.comment_themes import (
    group_themes,
    load_comments,
    organisation_words,
    roster_names,
)
from analytics.data import Names, Round, earlier_campaign, load_names, load_round
from analytics.groups import Group, everyone, team_group
from analytics.model import GroupResults, ResponseRate, ThemeSummary
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from survey.follow_up.targets import targets_for
from survey.models import Campaign, Organisation
from survey.roster.roles import role_label, workforce_label


@dataclass(frozen=True)
class ActionRow:
    """One "you said, we did" action for the report's table."""

    you_said: str
    we_did: str
    theme: str
    owner: str
    due: date | None
    status: str
    question_id: str | None = None
    question: str = ""


@dataclass(frozen=True)
class Benchmark:
    """A national comparison figure with its year and source.

    ``question_id`` places the figure beside the question it compares with in the
    report's question table; without it the figure is listed on its own.
    """

    measure: str
    value: str
    population: str
    source: str
    year: str = ""
    question_id: str | None = None


@dataclass(frozen=True)
class Report:
    """Everything the annual report shows for one campaign."""

    organisation: str
    campaign: str
    template_title: str
    year: int
    previous_year: int | None
    overall: GroupResults
    by_service: tuple[GroupResults, ...]
    by_team: tuple[GroupResults, ...]
    by_role: tuple[GroupResults, ...]
    response_rates: tuple[ResponseRate, ...]
    rate_trend: tuple[tuple[int, float | None], ...] = ()
    themes: tuple[ThemeSummary, ...] = ()
    actions: tuple[ActionRow, ...] = ()
    benchmarks: tuple[Benchmark, ...] = ()
    min_group_size: int = 5
    collected: str = ""
    collected_from: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)


def service_groups(names: Names) -> list[Group]:
    """One group per service."""
    return [
        Group.of(name, service_id=sid)
        for sid, name in sorted(names.services.items(), key=lambda item: item[1])
    ]


def team_groups(names: Names) -> list[Group]:
    """One group per team, labelled "Service: Team"."""
    groups = []
    for tid, name in sorted(names.teams.items(), key=lambda item: item[1]):
        sid = names.team_service[tid]
        groups.append(team_group(tid, sid, f"{names.services[sid]}: {name}"))
    return groups


def role_groups(round_: Round) -> list[Group]:
    """One group per workforce and per role in the audience.

    Every role someone was invited in is listed, whether or not anyone in it
    answered, so a role cannot appear the moment its one member submits; a
    round imported without an invitation list falls back to its respondents.
    """
    people = audience_of(round_)
    groups = [
        Group.of(workforce_label(value), workforce=value)
        for value in sorted(people["workforce"].dropna().unique())
    ]
    groups += [
        Group.of(role_label(value), role=value)
        for value in sorted(people["role"].dropna().unique())
    ]
    return groups


def audience_of(round_: Round) -> pd.DataFrame:
    """Who the campaign's groups are drawn from: the invited, else respondents."""
    return round_.invited if not round_.invited.empty else round_.responses


async def build_report(
    session: AsyncSession,
    *,
    campaign: Campaign,
    targets: dict[str, float] | None = None,
    actions: tuple[ActionRow, ...] = (),
    themes: tuple[ThemeSummary, ...] = (),
    benchmarks: tuple[Benchmark, ...] = (),
) -> Report:
    """Assemble the report for a campaign, comparing with the previous round."""
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    names = await load_names(session, organisation_id=organisation.id)
    current = await load_round(session, campaign=campaign)
    before = await earlier_campaign(session, campaign=campaign)
    previous = await load_round(session, campaign=before) if before else None
    if targets is None:
        targets = await targets_for(
            session,
            organisation_id=organisation.id,
            template_key=current.definition.key,
        )
    if not themes:
        comments = await load_comments(session, campaign_id=campaign.id)
        if not comments.empty:
            redact = await roster_names(session, organisation_id=organisation.id)
            keep = await organisation_words(session, organisation_id=organisation.id)
            policy = Policy(organisation.min_group_size)
            engine = ResultsEngine(current, policy=policy)
            themes = group_themes(
                engine, current, comments, everyone(), names=redact, keep=keep
            )
    collection = await collection_of(session, campaign=campaign)
    report = assemble_report(
        organisation,
        names,
        current,
        previous=previous,
        targets=targets,
        actions=actions,
        themes=themes,
        benchmarks=benchmarks,
    )
    return replace(report, collected=collection.how, collected_from=collection.source)


def assemble_report(
    organisation: Organisation,
    names: Names,
    current: Round,
    *,
    previous: Round | None = None,
    targets: dict[str, float] | None = None,
    actions: tuple[ActionRow, ...] = (),
    themes: tuple[ThemeSummary, ...] = (),
    benchmarks: tuple[Benchmark, ...] = (),
) -> Report:
    """Work out every figure of the report from rounds already loaded.

    The CPU-bound half of :func:`build_report`: no database, so callers can run
    it off the event loop.
    """
    campaign = current.campaign
    policy = Policy(organisation.min_group_size)
    engine = ResultsEngine(current, policy=policy, previous=previous, targets=targets)
    services = service_groups(names)
    involved = set(current.invited["team_id"].dropna().unique()) | set(
        current.responses["team_id"].dropna().unique()
    )
    teams = [g for g in team_groups(names) if g.value("team_id") in involved]
    trend: list[tuple[int, float | None]] = []
    if previous is not None:
        earlier_rate = ResultsEngine(previous, policy=policy).response_rate(everyone())
        trend.append((previous.campaign.year, earlier_rate.rate))
    overall = engine.group(everyone())
    trend.append(
        (campaign.year, overall.response_rate.rate if overall.response_rate else None)
    )
    return Report(
        organisation=organisation.name,
        campaign=campaign.name,
        template_title=current.definition.title,
        year=campaign.year,
        previous_year=previous.campaign.year if previous else None,
        overall=overall,
        by_service=tuple(engine.group(group) for group in services),
        by_team=tuple(engine.group(group) for group in teams),
        by_role=tuple(engine.group(group) for group in role_groups(current)),
        response_rates=tuple(
            engine.response_rate(group) for group in [everyone(), *services, *teams]
        ),
        rate_trend=tuple(trend),
        themes=themes,
        actions=actions,
        benchmarks=benchmarks,
        min_group_size=policy.min_size,
    )
