"""``summary`` and ``themes``: what managers and the PSW can learn, suppressed first."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.comment_themes import (
    group_themes,
    load_comments,
    organisation_words,
    roster_names,
)
from analytics.data import Names, load_names
from analytics.groups import Group, everyone, team_group
from analytics.manager_view import ManagerView
from analytics.model import ThemeSummary
from analytics.summary import PULSE, LoadedView, load_manager_view
from analytics.trends import PulseTrends, pulse_rounds, pulse_trends
from bot.commands import insights_text as text
from bot.commands.access import Standing
from bot.commands.insights_summary import page_messages, themes_of
from bot.commands.naming import read_names, read_target
from bot.conversation.messages import Message, Notice, Tone
from survey.audit import record_event
from survey.db import SessionFactory
from survey.errors import NotFoundError, SurveyError
from survey.follow_up.targets import set_target
from survey.models import (
    Campaign,
    CampaignStatus,
    Organisation,
    Template,
)
from survey.retention.tallies import invited_in_teams
from survey.roster.roles import Access
from survey.schedule.nudges import GroupKind, NudgeGroup

DEFAULT_TEMPLATE = "social-worker-health-check"
UNKNOWN_CHANNEL = "chat"
"""The channel recorded when the caller does not say which chat platform it is."""


class NotYours(SurveyError):
    """A manager asked about a team they do not manage."""


@dataclass(frozen=True)
class Subject:
    """The group asked about and the campaign it is asked about."""

    group: Group
    campaign: Campaign
    service: Group | None = None
    pulse: bool = False


@dataclass(frozen=True)
class SummaryPage:
    """Everything one summary shows about one group, each figure through the gate.

    Attributes:
        subject: the group and survey asked about.
        view: the manager's view (the group's figures, or its service's).
        themes: comment themes of the group the view shows.
        trends: for a pulse, its recent rounds for the group the view shows.
    """

    subject: Subject
    view: ManagerView
    themes: tuple[ThemeSummary, ...]
    trends: PulseTrends | None


async def summary_pages(
    sessions: SessionFactory,
    *,
    standing: Standing,
    organisation: Organisation,
    args: tuple[str, ...],
    channel: str = UNKNOWN_CHANNEL,
    action: str = "summary.viewed",
) -> list[SummaryPage]:
    """What ``summary [pulse] [team] [survey]`` shows, for the chat or the web.

    The view is written to the audit log as ``action`` in the same transaction.
    """
    async with sessions() as session, session.begin():
        subjects = await _subjects(session, standing, organisation, args)
        names = await roster_names(session, organisation_id=organisation.id)
        keep = await organisation_words(session, organisation_id=organisation.id)
        pages = [
            await _page(session, organisation, subject, names, keep)
            for subject in subjects
        ]
        await record_view(
            session,
            standing=standing,
            channel=channel,
            action=action,
            subject=_audit_subject(subjects),
        )
    return pages


async def summary_messages(
    sessions: SessionFactory,
    *,
    standing: Standing,
    organisation: Organisation,
    args: tuple[str, ...],
    channel: str = UNKNOWN_CHANNEL,
) -> tuple[Message, ...]:
    """The ``summary [pulse] [team] [survey]`` answer for a manager or the PSW."""
    pages = await summary_pages(
        sessions,
        standing=standing,
        organisation=organisation,
        args=args,
        channel=channel,
    )
    messages: list[Message] = []
    for found in pages:
        messages += page_messages(found.view, found.trends)
        messages += themes_of(found.view, found.themes, quotes=False)
    messages.append(Notice(text.NEXT_STEPS))
    return tuple(messages)


async def themes_messages(
    sessions: SessionFactory,
    *,
    standing: Standing,
    organisation: Organisation,
    args: tuple[str, ...],
    channel: str = UNKNOWN_CHANNEL,
) -> tuple[Message, ...]:
    """The ``themes [team] [survey]`` answer: themes with quotes; logged."""
    pages = await summary_pages(
        sessions,
        standing=standing,
        organisation=organisation,
        args=args,
        channel=channel,
        action="themes.viewed",
    )
    messages: list[Message] = []
    for found in pages:
        if found.view.fallback is not None:
            messages.append(Notice(text.where_from(found.view)))
        messages += themes_of(found.view, found.themes, quotes=True)
    return tuple(messages)


async def record_view(
    session: AsyncSession,
    *,
    standing: Standing,
    channel: str,
    action: str,
    subject: str,
) -> None:
    """Log in the command's own transaction that this person saw (or set) results.

    ``subject`` names the campaign and groups, never a respondent or an answer.
    """
    await record_event(
        session,
        organisation_id=standing.person.organisation_id,
        actor=standing.person.name,
        actor_person_id=standing.person.id,
        channel=channel,
        action=action,
        subject=subject,
    )


def _audit_subject(subjects: list[Subject]) -> str:
    groups = [text.group_words(subject.group) for subject in subjects]
    return text.audit_subject(subjects[0].campaign.name, groups)


async def _subjects(
    session: AsyncSession,
    standing: Standing,
    organisation: Organisation,
    args: tuple[str, ...],
) -> list[Subject]:
    names = await load_names(session, organisation_id=organisation.id)
    # `summary pulse`: the latest closed pulse survey instead of the health check.
    pulse = bool(args) and args[0].casefold() == PULSE
    named = await read_names(
        session,
        organisation_id=organisation.id,
        words=list(args[1:] if pulse else args),
        several_groups=True,
    )
    campaign = named.campaign
    groups = [_group_of(group, names) for group in named.groups]
    if standing.access == Access.PSW:
        chosen = groups or [everyone(organisation.name)]
    else:
        for group in groups:
            if not standing.manages(group.label) or group.value("team_id") is None:
                raise NotYours(text.not_your_team(group.label, standing.teams))
        chosen = groups or [_group_named(team, names) for team in standing.teams]
    if campaign is None and pulse:
        campaign = await _latest_pulse(session, organisation)
    if campaign is None:
        campaign = await _default_campaign(session, organisation, chosen)
    return [
        Subject(group, campaign, _service_of(group, names), pulse) for group in chosen
    ]


async def _latest_pulse(session: AsyncSession, organisation: Organisation) -> Campaign:
    """The pulse survey that closed most recently."""
    rows = await session.exec(
        select(Campaign)
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(
            Campaign.organisation_id == organisation.id,
            Campaign.status == CampaignStatus.CLOSED,
            Template.kind == PULSE,
        )
        .order_by(col(Campaign.opens_at).desc(), col(Campaign.created_at).desc())
    )
    found = rows.first()
    if found is None:
        raise NotFoundError(text.NO_PULSE_YET)
    return found


def _group_named(name: str, names: Names) -> Group:
    wanted = name.casefold()
    for tid, team in names.teams.items():
        if team.casefold() == wanted:
            return team_group(tid, names.team_service[tid], team)
    raise NotFoundError(text.unknown_group(name, names))


def _group_of(group: NudgeGroup, names: Names) -> Group:
    """A team or service the words named, as analysis groups it."""
    key = str(group.id)
    if group.kind == GroupKind.TEAM:
        return team_group(key, names.team_service[key], group.name)
    return Group.of(group.name, service_id=key)


def _service_of(group: Group, names: Names) -> Group | None:
    service_id = group.value("service_id")
    if service_id is None or group.value("team_id") is None:
        return None
    return Group.of(names.services.get(service_id, "Service"), service_id=service_id)


async def _default_campaign(
    session: AsyncSession, organisation: Organisation, groups: list[Group]
) -> Campaign:
    """The latest closed health check that most of the groups asked about took.

    With no groups (the PSW asking about everyone), the social work health check
    comes before the wider workforce one. Falls back to the latest campaign.
    """
    rows = await session.exec(
        select(Campaign, Template)
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(Campaign.organisation_id == organisation.id)
        .order_by(col(Campaign.year).desc(), col(Campaign.created_at).desc())
    )
    pairs = list(rows.all())
    if not pairs:
        raise NotFoundError(text.no_campaigns())
    closed = [
        (campaign, template)
        for campaign, template in pairs
        if campaign.status == CampaignStatus.CLOSED and template.kind == "health_check"
    ]
    if not closed:
        return pairs[0][0]
    latest = [pair for pair in closed if pair[0].year == closed[0][0].year]
    team_ids = [
        uuid.UUID(g.value("team_id") or "") for g in groups if g.value("team_id")
    ]
    scored = []
    for campaign, template in latest:
        invited = 0
        if team_ids:
            invited = await invited_in_teams(
                session, campaign_id=campaign.id, team_ids=team_ids
            )
        social_work_first = template.audience == "social_workers"
        scored.append((invited, social_work_first, campaign))
    return max(scored, key=lambda item: (item[0], item[1]))[2]


async def _load(
    session: AsyncSession, organisation: Organisation, subject: Subject
) -> LoadedView:
    return await load_manager_view(
        session,
        organisation=organisation,
        campaign=subject.campaign,
        group=subject.group,
        service=subject.service,
    )


async def _page(
    session: AsyncSession,
    organisation: Organisation,
    subject: Subject,
    names: list[str],
    keep: Sequence[str],
) -> SummaryPage:
    loaded = await _load(session, organisation, subject)
    view = loaded.view
    if view.shown.hidden is not None:
        return SummaryPage(subject, view, (), None)
    trends = None
    if subject.pulse:
        trends = await _pulse_trends(session, organisation, subject, loaded)
    comments = await load_comments(session, campaign_id=subject.campaign.id)
    found = group_themes(
        loaded.engine, loaded.round, comments, view.shown_group, names=names, keep=keep
    )
    return SummaryPage(subject, view, found, trends)


async def _pulse_trends(
    session: AsyncSession,
    organisation: Organisation,
    subject: Subject,
    loaded: LoadedView,
) -> PulseTrends:
    """The pulse's recent rounds for the group the summary shows."""
    template = await session.get(Template, subject.campaign.template_id)
    assert template is not None
    campaigns = await pulse_rounds(
        session, organisation_id=organisation.id, template_key=template.key
    )
    return await pulse_trends(
        session,
        title=f"{template.title}: {loaded.view.shown.label}",
        campaigns=campaigns,
        group=loaded.view.shown_group,
    )


async def target_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    args: tuple[str, ...],
    standing: Standing | None = None,
    channel: str = UNKNOWN_CHANNEL,
) -> tuple[Message, ...]:
    """``target QUESTION PERCENT [template]``: set a RAG target (logged if who).

    The question is its id or some of its words: ``target workload is
    manageable 70%``.
    """
    question, percent, template = read_target(args, default=DEFAULT_TEMPLATE)
    async with sessions() as session, session.begin():
        target = await set_target(
            session,
            organisation_id=organisation.id,
            template_key=template,
            question_key=question,
            percent=percent,
        )
        if standing is not None:
            await record_view(
                session,
                standing=standing,
                channel=channel,
                action="target.set",
                subject=text.target_subject(template, target.question_key, percent),
            )
    return (
        Notice(text.target_set(target.question_key, percent, template), Tone.SUCCESS),
    )
