"""``summary`` and ``themes``: what managers and the PSW can learn, suppressed first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.comment_themes import (
    group_themes,
    load_comments,
    organisation_words,
    roster_names,
)
from analytics.data import Names, Round, earlier_campaign, load_names, load_round
from analytics.groups import Group, everyone, team_group
from analytics.model import Change, GroupResults, QuestionResult, ThemeSummary
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from bot.commands import insights_text as text
from bot.commands.access import Standing
from bot.commands.naming import read_names, read_target
from bot.conversation.messages import Message, Notice, SummaryTable, Tone
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


async def summary_messages(
    sessions: SessionFactory,
    *,
    standing: Standing,
    organisation: Organisation,
    args: tuple[str, ...],
    channel: str = UNKNOWN_CHANNEL,
) -> tuple[Message, ...]:
    """The ``summary [team] [campaign]`` answer for a manager or the PSW; logged."""
    async with sessions() as session, session.begin():
        subjects = await _subjects(session, standing, organisation, args)
        names = await roster_names(session, organisation_id=organisation.id)
        messages: list[Message] = []
        for subject in subjects:
            messages += await _summary(session, organisation, subject, names)
        await record_view(
            session,
            standing=standing,
            channel=channel,
            action="summary.viewed",
            subject=_audit_subject(subjects),
        )
    return tuple(messages)


async def themes_messages(
    sessions: SessionFactory,
    *,
    standing: Standing,
    organisation: Organisation,
    args: tuple[str, ...],
    channel: str = UNKNOWN_CHANNEL,
) -> tuple[Message, ...]:
    """The ``themes [team] [campaign]`` answer: themes with quotes; logged."""
    async with sessions() as session, session.begin():
        subjects = await _subjects(session, standing, organisation, args)
        names = await roster_names(session, organisation_id=organisation.id)
        keep = await organisation_words(session, organisation_id=organisation.id)
        messages: list[Message] = []
        for subject in subjects:
            engine, round_ = await _engine(session, organisation, subject.campaign)
            comments = await load_comments(session, campaign_id=subject.campaign.id)
            found = group_themes(
                engine, round_, comments, subject.group, names=names, keep=keep
            )
            messages.append(_themes_table(subject, found, quotes=True))
        await record_view(
            session,
            standing=standing,
            channel=channel,
            action="themes.viewed",
            subject=_audit_subject(subjects),
        )
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
    named = await read_names(
        session, organisation_id=organisation.id, words=list(args), several_groups=True
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
    if campaign is None:
        campaign = await _default_campaign(session, organisation, chosen)
    return [Subject(group, campaign, _service_of(group, names)) for group in chosen]


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


async def _engine(
    session: AsyncSession, organisation: Organisation, campaign: Campaign
) -> tuple[ResultsEngine, Round]:
    policy = Policy(organisation.min_group_size)
    round_ = await load_round(session, campaign=campaign)
    before = await earlier_campaign(session, campaign=campaign)
    previous = await load_round(session, campaign=before) if before else None
    return ResultsEngine(round_, policy=policy, previous=previous), round_


async def _summary(
    session: AsyncSession,
    organisation: Organisation,
    subject: Subject,
    names: list[str],
) -> list[Message]:
    engine, round_ = await _engine(session, organisation, subject.campaign)
    own = engine.group(subject.group)
    service = engine.group(subject.service) if subject.service else None
    whole = None
    if not subject.group.is_everyone:
        whole = engine.group(everyone(organisation.name))
    comparators = [r for r in (own, service, whole) if r is not None]
    messages: list[Message] = [
        Notice(
            text.summary_intro(subject.group.label, subject.campaign.name, own),
            Tone.INFO,
            title=text.summary_title(subject.group.label),
        ),
        _rates_table(comparators),
    ]
    if own.hidden is not None:
        messages.append(
            Notice(text.hidden_note(own.hidden, organisation.min_group_size))
        )
        return messages
    messages.append(_standards_table(comparators))
    messages.append(_questions_table(text.STRONGEST, own.strongest(5)))
    messages.append(_questions_table(text.WEAKEST, own.weakest(5)))
    comments = await load_comments(session, campaign_id=subject.campaign.id)
    found = group_themes(engine, round_, comments, subject.group, names=names)
    messages.append(_themes_table(subject, found, quotes=False))
    return messages


def _percent(value: float | None) -> str:
    return "hidden" if value is None else f"{value:.0f}%"


def _change(change: Change | None) -> str:
    if change is None:
        return "–"
    return f"{change.arrow} {change.points:+.0f} pts since {change.year}"


def _rates_table(results: list[GroupResults]) -> SummaryTable:
    rows = []
    for result in results:
        rate = result.response_rate
        if rate is None or rate.rate is None:
            rows.append((result.label, "hidden", "hidden"))
        else:
            rows.append(
                (
                    result.label,
                    f"{rate.responded} of {rate.invited}",
                    _percent(rate.rate),
                )
            )
    return SummaryTable(
        title=text.RATES,
        columns=("Group", "Responses", "Response rate"),
        rows=tuple(rows),
    )


def _standards_table(results: list[GroupResults]) -> SummaryTable:
    standards = {s.standard: s.name for r in results for s in r.standards}
    rows = []
    for number, name in sorted(standards.items()):
        cells = [f"{number}. {name}"]
        for result in results:
            score = next((s for s in result.standards if s.standard == number), None)
            if score is None or score.score is None:
                cells.append("hidden")
            else:
                cells.append(f"{score.score:.0f} {score.band} {_change(score.change)}")
        rows.append(tuple(cells))
    return SummaryTable(
        title=text.STANDARDS,
        columns=("Standard", *(r.label for r in results)),
        rows=tuple(rows),
        note=text.BANDS_NOTE,
    )


def _questions_table(title: str, questions: list[QuestionResult]) -> SummaryTable:
    rows = tuple(
        (q.text, _percent(q.favourable), _change(q.change), _skipped(q))
        for q in questions
    )
    return SummaryTable(
        title=title, columns=("Question", "Favourable", "Change", "Skipped"), rows=rows
    )


def _skipped(question: QuestionResult) -> str:
    return "" if question.skipped is None else f"{question.skipped} skipped"


def _themes_table(
    subject: Subject, found: tuple[ThemeSummary, ...], *, quotes: bool
) -> SummaryTable:
    columns = ("Theme", "Comments", "Positive", "Neutral", "Negative")
    rows: list[tuple[str, ...]] = []
    for theme in found:
        row: tuple[str, ...] = (
            theme.label,
            str(theme.comments),
            str(theme.positive),
            str(theme.neutral),
            str(theme.negative),
        )
        if quotes:
            row = (*row, " / ".join(f"“{quote}”" for quote in theme.quotes))
        rows.append(row)
    return SummaryTable(
        title=text.themes_title(subject.group.label),
        columns=(*columns, "Quotes (redacted)") if quotes else columns,
        rows=tuple(rows),
        note=None if found else text.NO_THEMES,
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
