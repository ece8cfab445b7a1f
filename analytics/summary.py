"""A manager's team summary: their group beside its service and the organisation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.data import Round, earlier_campaign, load_names, load_round
from analytics.groups import Group, everyone
from analytics.manager_view import ManagerView, manager_view
from analytics.model import GroupResults, ThemeSummary
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from survey.models import Campaign, CampaignStatus, Organisation, Template

PULSE = "pulse"
"""The template kind of a pulse survey."""


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


async def previous_round(
    session: AsyncSession, *, campaign: Campaign
) -> Campaign | None:
    """The round a campaign's changes are measured from.

    For a pulse, the closed round of the same pulse survey opened just before;
    for a health check, the latest campaign of the same template in an earlier
    year (:func:`analytics.data.earlier_campaign`).
    """
    template = await session.get(Template, campaign.template_id)
    assert template is not None
    if template.kind != PULSE or campaign.opens_at is None:
        return await earlier_campaign(session, campaign=campaign)
    rows = await session.exec(
        select(Campaign)
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(
            col(Campaign.organisation_id) == campaign.organisation_id,
            col(Template.key) == template.key,
            col(Campaign.status) == CampaignStatus.CLOSED,
            col(Campaign.opens_at) < campaign.opens_at,
        )
        .order_by(col(Campaign.opens_at).desc())
    )
    return rows.first()


@dataclass(frozen=True)
class LoadedView:
    """A manager's view with the engine and round it came from (for themes)."""

    view: ManagerView
    engine: ResultsEngine
    round: Round


async def load_manager_view(
    session: AsyncSession,
    *,
    organisation: Organisation,
    campaign: Campaign,
    group: Group,
    service: Group | None,
) -> LoadedView:
    """The manager's view of ``group`` in ``campaign``, with changes since before."""
    policy = Policy(organisation.min_group_size)
    current = await load_round(session, campaign=campaign)
    before = await previous_round(session, campaign=campaign)
    previous = await load_round(session, campaign=before) if before else None
    engine = ResultsEngine(current, policy=policy, previous=previous)
    whole = everyone(organisation.name)
    view = manager_view(
        engine,
        group,
        organisation=whole,
        service=service,
        previous=before.name if before is not None and engine.compared else None,
    )
    return LoadedView(view, engine, current)
