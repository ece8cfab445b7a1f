"""A manager's team summary: their group beside its service and the organisation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.data import earlier_campaign, load_names, load_round
from analytics.groups import Group, everyone
from analytics.model import GroupResults, ThemeSummary
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from survey.models import Campaign, Organisation


@dataclass(frozen=True)
class Summary:
    """What ``summary`` shows: the group, its comparators, and last year's figures."""

    group: GroupResults
    service: GroupResults | None
    organisation: GroupResults
    last_year: GroupResults | None
    themes: tuple[ThemeSummary, ...] = ()


async def build_summary(
    session: AsyncSession,
    *,
    campaign: Campaign,
    group: Group,
    themes: tuple[ThemeSummary, ...] = (),
) -> Summary:
    """Results for ``group`` with its service, the organisation and last year.

    Every figure passes the suppression gate; a hidden group comes back with its
    figures ``None`` and the reason in ``hidden``.
    """
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    policy = Policy(organisation.min_group_size)
    current = await load_round(session, campaign=campaign)
    before = await earlier_campaign(session, campaign=campaign)
    previous = await load_round(session, campaign=before) if before else None
    engine = ResultsEngine(current, policy=policy, previous=previous)
    service = None
    service_id = group.value("service_id")
    if service_id is not None and group.value("team_id") is not None:
        names = await load_names(session, organisation_id=organisation.id)
        label = names.services.get(service_id, "Service")
        service = engine.group(Group.of(label, service_id=service_id))
    last_year = None
    if previous is not None:
        last_year = ResultsEngine(previous, policy=policy).group(group)
    return Summary(
        group=engine.group(group),
        service=service,
        organisation=engine.group(everyone(organisation.name)),
        last_year=last_year,
        themes=themes,
    )
