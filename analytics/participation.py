"""Live participation: how many have finished, as counts and rates per group.

README.md anonymity rule 6: participation is shown only as counts and rates for
groups meeting the minimum size (and differencing protection), never as names.
Every figure comes from :meth:`analytics.results.ResultsEngine.response_rate`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.data import Names, Round, load_names, load_round
from analytics.groups import Group, everyone
from analytics.model import ResponseRate
from analytics.report import service_groups, team_groups
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from survey.models import Campaign, Organisation
from survey.roster.roles import role_label


@dataclass(frozen=True)
class ParticipationRow:
    """One group's participation; figures are None when the group is hidden."""

    level: str
    rate: ResponseRate


@dataclass(frozen=True)
class Scope:
    """Which groups to show.

    Attributes:
        team_ids: Only these teams (a manager's own); None for every team.
        service_id: Only this service and its teams; None for all.
        roles: Whether to break down by role too.
    """

    team_ids: Collection[str] | None = None
    service_id: str | None = None
    roles: bool = True


async def live_participation(
    session: AsyncSession, *, campaign: Campaign, scope: Scope
) -> list[ParticipationRow]:
    """Participation in ``campaign`` for the whole organisation and the groups in scope.

    Hidden groups come back with their figures None and the reason in
    ``rate.hidden``.
    """
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    names = await load_names(session, organisation_id=organisation.id)
    current = await load_round(session, campaign=campaign)
    return await asyncio.to_thread(
        participation_rows, organisation, names, current, scope
    )


def participation_rows(
    organisation: Organisation, names: Names, current: Round, scope: Scope
) -> list[ParticipationRow]:
    """The rows of :func:`live_participation` from a loaded round (no database)."""
    engine = ResultsEngine(current, policy=Policy(organisation.min_group_size))
    invited = current.invited
    services = set(invited["service_id"]) if "service_id" in invited else set()
    teams = set(invited["team_id"]) if "team_id" in invited else set()
    groups: list[tuple[str, Group]] = [("Organisation", everyone(organisation.name))]
    if scope.team_ids is None:
        groups += [
            ("Service", group)
            for group in service_groups(names)
            if group.value("service_id") in services
            and scope.service_id in (None, group.value("service_id"))
        ]
    groups += [
        ("Team", group)
        for group in team_groups(names)
        if group.value("team_id") in teams
        and (scope.team_ids is None or group.value("team_id") in scope.team_ids)
        and scope.service_id in (None, group.value("service_id"))
    ]
    if scope.roles and scope.team_ids is None and scope.service_id is None:
        roles = sorted(invited["role"].dropna().unique()) if "role" in invited else []
        groups += [("Role", Group.of(role_label(role), role=role)) for role in roles]
    return [
        ParticipationRow(level, engine.response_rate(group)) for level, group in groups
    ]
