"""``participation [campaign] [team|service]``: who has finished, as counts and rates.

The PSW may ask about any group; a manager about their own teams only. Groups
below the minimum size (or hidden so they cannot be worked out by subtraction)
show no figures, and nobody is ever named (README.md, anonymity rule 6).
"""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.participation import ParticipationRow, Scope, live_participation
from bot.commands import schedule_text as text
from bot.commands.access import Standing
from bot.commands.insights import UNKNOWN_CHANNEL, record_view
from bot.commands.naming import read_names
from bot.conversation.messages import Message, Notice, SummaryTable, Tone
from survey.campaigns import open_campaigns
from survey.db import SessionFactory
from survey.errors import NotFoundError
from survey.models import Campaign, CampaignStatus, Organisation, Team
from survey.roster.roles import Access
from survey.schedule.nudges import GroupKind


async def participation_messages(
    sessions: SessionFactory,
    *,
    standing: Standing,
    organisation: Organisation,
    args: tuple[str, ...],
    channel: str = UNKNOWN_CHANNEL,
) -> tuple[Message, ...]:
    """The participation table for the campaign and groups asked about; logged."""
    async with sessions() as session, session.begin():
        named = await read_names(
            session, organisation_id=organisation.id, words=list(args)
        )
        group = named.group
        if standing.access == Access.PSW:
            scope = Scope()
            if group is not None and group.kind == GroupKind.SERVICE:
                scope = Scope(service_id=str(group.id))
            elif group is not None:
                scope = Scope(team_ids={str(group.id)})
        else:
            if group is not None and (
                group.kind != GroupKind.TEAM or not standing.manages(group.name)
            ):
                return (Notice(text.not_your_team(group.name, standing.teams)),)
            if not standing.teams:
                return (Notice(text.no_teams_managed(), Tone.WARNING),)
            wanted = [group.name] if group is not None else list(standing.teams)
            scope = Scope(team_ids=await _team_ids(session, organisation, wanted))
        campaign = named.campaign or await _latest(session, organisation)
        rows = await live_participation(session, campaign=campaign, scope=scope)
        if group is not None:
            groups = f"{group.kind.value} {group.name}"
        elif standing.access == Access.PSW:
            groups = "whole organisation"
        else:
            groups = ", ".join(f"team {team}" for team in standing.teams)
        await record_view(
            session,
            standing=standing,
            channel=channel,
            action="participation.viewed",
            subject=f"{campaign.name} · {groups}",
        )
    return (_table(campaign, rows, organisation.min_group_size),)


async def _team_ids(
    session: AsyncSession, organisation: Organisation, names: list[str]
) -> set[str]:
    rows = await session.exec(
        select(Team.id).where(
            Team.organisation_id == organisation.id, col(Team.name).in_(names)
        )
    )
    return {str(team_id) for team_id in rows.all()}


async def _latest(session: AsyncSession, organisation: Organisation) -> Campaign:
    """The newest open campaign, else the newest campaign of all."""
    open_now = await open_campaigns(session, organisation_id=organisation.id)
    if open_now:
        return open_now[-1]
    latest = (
        await session.exec(
            select(Campaign)
            .where(
                Campaign.organisation_id == organisation.id,
                Campaign.status == CampaignStatus.CLOSED,
            )
            .order_by(col(Campaign.closes_at).desc())
        )
    ).first()
    if latest is None:
        raise NotFoundError(text.no_campaign_to_show())
    return latest


def _table(
    campaign: Campaign, rows: list[ParticipationRow], min_size: int
) -> SummaryTable:
    lines = []
    for row in rows:
        rate = row.rate
        if rate.rate is None or rate.invited is None or rate.responded is None:
            figures = ("", "", text.not_shown(rate.hidden))
        else:
            figures = (str(rate.invited), str(rate.responded), f"{rate.rate:.0f}%")
        lines.append((row.level, rate.label, *figures))
    return SummaryTable(
        title=text.participation_title(campaign.name, campaign.status),
        columns=text.PARTICIPATION_COLUMNS,
        rows=tuple(lines),
        note=text.participation_note(
            min_size, live=campaign.status == CampaignStatus.OPEN
        ),
    )
