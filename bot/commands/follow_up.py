"""``action``, ``you-said`` and ``post you-said``: closing the loop with staff.

The PSW logs and updates actions; anyone on the roster can read the current
"you said, we did" list; the PSW posts it to the workforce channel with a note
to everyone who took part. Supporting figures come from
:mod:`analytics.follow_up_figures`, so they are suppressed like every other.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.follow_up_figures import SupportingFigure, supporting_figures
from bot.commands import follow_up_text as text
from bot.commands.grammar import Command
from bot.commands.options import OptionsError, read_options
from bot.conversation.messages import (
    Announcement,
    Message,
    Notice,
    SummaryTable,
    Tone,
)
from survey.campaigns import find_campaign
from survey.db import SessionFactory
from survey.follow_up.actions import (
    DONE,
    ListedAction,
    add_action,
    find_action,
    list_actions,
    update_action,
)
from survey.follow_up.announcements import BODY_LIMIT
from survey.follow_up.you_said import check_survey_closed, post_you_said
from survey.models import Action, Campaign, Organisation
from survey.questions.themes import THEMES

_FIELDS = ("theme", "campaign", "question", "said", "doing", "owner", "due")
ACTION_OPTIONS = (*_FIELDS, "status", "reason")
ACTION_ALIASES = {
    "did": "doing",
    "we_did": "doing",
    "you_said": "said",
    "survey": "campaign",
}


async def action_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    command: Command,
    typed: str,
    now: datetime,
) -> tuple[Message, ...]:
    """``action add ...``, ``action update N ...`` or ``action list [campaign]``."""
    words = _words_before_settings(command.args)
    verb = words[0].casefold() if words else ""
    if verb == "list":
        return await _list(sessions, organisation, " ".join(words[1:]) or None)
    if verb not in ("add", "update"):
        return (Notice(text.action_usage()),)
    options = read_options(typed, allowed=ACTION_OPTIONS, aliases=ACTION_ALIASES)
    if verb == "add":
        missing = [name for name in ("said", "doing", "owner") if not options.has(name)]
        if missing:
            return (Notice(text.action_needs(missing), Tone.WARNING),)
        if not options.has("theme") and not options.has("question"):
            return (Notice(text.action_theme_needed(), Tone.WARNING),)
    elif len(words) < 2:
        return (Notice(text.which_action(), Tone.WARNING),)
    elif not options.values:
        return (Notice(text.nothing_to_change(), Tone.WARNING),)
    due = _date(options.get("due"))
    async with sessions() as session, session.begin():
        if verb == "add":
            action = await add_action(
                session,
                organisation_id=organisation.id,
                theme=options.get("theme"),
                campaign=options.get("campaign"),
                question=options.get("question"),
                you_said=options.get("said") or "",
                we_did=options.get("doing") or "",
                owner=options.get("owner") or "",
                due_on=due,
                status=options.get("status") or "planned",
                reason=options.get("reason"),
                today=_today(organisation, now),
            )
        else:
            action = await update_action(
                session,
                organisation_id=organisation.id,
                reference=words[1],
                theme=options.get("theme"),
                campaign=options.get("campaign"),
                question=options.get("question"),
                you_said=options.get("said"),
                we_did=options.get("doing"),
                owner=options.get("owner"),
                due_on=due,
                status=options.get("status"),
                reason=options.get("reason"),
            )
        listed = await find_action(
            session, organisation_id=organisation.id, reference=action.id.hex
        )
        figures = await supporting_figures(session, actions=[action])
    if verb == "add":
        reply = text.action_added(listed, figures.get(action.id))
    else:
        reply = text.action_updated(listed)
    return (Notice(reply, Tone.SUCCESS),)


async def you_said_messages(
    sessions: SessionFactory, *, organisation: Organisation, command: Command
) -> tuple[Message, ...]:
    """``you-said [campaign]``: the current list, for anyone on the roster."""
    name = command.argument or None
    async with sessions() as session:
        listed = await list_actions(
            session, organisation_id=organisation.id, campaign=name
        )
        campaign = await _campaign_named(session, organisation, name)
        figures = await supporting_figures(
            session, actions=[item.action for item in listed]
        )
    if not listed:
        return (Notice(text.nothing_said_yet(campaign.name if campaign else None)),)
    title = text.digest_title(campaign.name if campaign else None)
    body = digest_body(listed, figures, campaign=campaign)
    return (Announcement(title=title, body=body),)


async def post_you_said_messages(
    sessions: SessionFactory,
    *,
    organisation: Organisation,
    command: Command,
    now: datetime,
    platforms: tuple[str, ...],
) -> tuple[Message, ...]:
    """``post you-said [campaign]``: the digest to the channel, notes to takers."""
    async with sessions() as session, session.begin():
        campaign = await _campaign_named(session, organisation, command.argument)
        if campaign is None:
            campaign = await _latest_with_actions(session, organisation)
        if campaign is None:
            return (Notice(text.name_the_campaign(), Tone.WARNING),)
        check_survey_closed(campaign, timezone=organisation.timezone)
        listed = await list_actions(
            session, organisation_id=organisation.id, campaign=campaign.name
        )
        if not listed:
            return (Notice(text.no_actions_to_post(campaign.name), Tone.WARNING),)
        figures = await supporting_figures(
            session, actions=[item.action for item in listed]
        )
        done = sum(1 for item in listed if item.action.status == DONE)
        title = text.digest_title(campaign.name)
        posted = await post_you_said(
            session,
            campaign=campaign,
            title=title,
            body=digest_body(listed, figures, campaign=campaign),
            note=text.participant_note(campaign.name, len(listed), done),
            now=now,
            platforms=platforms,
        )
    if posted.repeat:
        posted_at = posted.announcement.posted_at
        local = (
            posted_at.astimezone(ZoneInfo(organisation.timezone)) if posted_at else None
        )
        words = text.you_said_repeat(local, posted.notes)
        return (Notice(words),)
    words = text.you_said_posted(
        title=title,
        actions=len(listed),
        notes=posted.notes,
        channel=posted.channel_posts,
    )
    return (Notice(words, Tone.SUCCESS),)


def digest_body(
    listed: Sequence[ListedAction],
    figures: Mapping[uuid.UUID, SupportingFigure],
    *,
    campaign: Campaign | None,
    limit: int = BODY_LIMIT,
) -> str:
    """The digest as plain text, by theme, within one post's limit.

    When every action does not fit, the last ones are left out and the end says
    how many more there are.
    """
    intro = text.digest_intro(campaign.name if campaign else None)
    by_theme: dict[str, list[str]] = {}
    order = sorted(listed, key=lambda item: (_theme_order(item.action), item.number))
    for item in order:
        entry = text.digest_entry(item, figures.get(item.action.id))
        by_theme.setdefault(text.theme_label(item.action.theme), []).append(entry)
    entries = [(theme, entry) for theme, items in by_theme.items() for entry in items]
    for shown in range(len(entries), -1, -1):
        body = _join(intro, entries[:shown])
        if shown < len(entries):
            body += "\n\n" + text.digest_more(len(entries) - shown)
        if len(body) <= limit:
            return body
    return intro[:limit]


async def _list(
    sessions: SessionFactory, organisation: Organisation, name: str | None
) -> tuple[Message, ...]:
    async with sessions() as session:
        listed = await list_actions(
            session, organisation_id=organisation.id, campaign=name
        )
        campaign = await _campaign_named(session, organisation, name)
        figures = await supporting_figures(
            session, actions=[item.action for item in listed]
        )
    shown_name = campaign.name if campaign else None
    if not listed:
        return (Notice(text.no_actions(shown_name)),)
    rows = []
    for item in listed:
        figure = figures.get(item.action.id)
        rows.append(
            (
                str(item.number),
                text.theme_label(item.action.theme),
                item.action.you_said,
                item.action.we_did,
                item.action.owner,
                text.status_words(item),
                text.figure_words(figure, hidden_too=True) if figure else "",
            )
        )
    table = SummaryTable(
        title=text.actions_title(shown_name),
        columns=text.ACTION_COLUMNS,
        rows=tuple(rows),
        note=text.actions_note(organisation.min_group_size),
    )
    return (table,)


def _join(intro: str, entries: list[tuple[str, str]]) -> str:
    parts = [intro]
    current = None
    for theme, entry in entries:
        parts.append(f"{theme}\n{entry}" if theme != current else entry)
        current = theme
    return "\n\n".join(parts)


def _theme_order(action: Action) -> int:
    themes = list(THEMES)
    return themes.index(action.theme) if action.theme in themes else len(themes)


def _words_before_settings(args: tuple[str, ...]) -> list[str]:
    words = []
    for arg in args:
        if "=" in arg:
            break
        words.append(arg)
    return words


def _date(typed: str | None) -> date | None:
    if typed is None:
        return None
    cleaned = typed.strip()
    for parse in (date.fromisoformat, _uk_date):
        try:
            return parse(cleaned)
        except ValueError:
            continue
    raise OptionsError(text.not_a_date(typed))


def _uk_date(typed: str) -> date:
    return datetime.strptime(typed, "%d/%m/%Y").date()  # noqa: DTZ007


def _today(organisation: Organisation, now: datetime) -> date:
    return now.astimezone(ZoneInfo(organisation.timezone)).date()


async def _campaign_named(
    session: AsyncSession, organisation: Organisation, name: str | None
) -> Campaign | None:
    if not name:
        return None
    return await find_campaign(session, organisation_id=organisation.id, name=name)


async def _latest_with_actions(
    session: AsyncSession, organisation: Organisation
) -> Campaign | None:
    """The newest survey that has actions, for ``post you-said`` with no name."""
    rows = await session.exec(
        select(Campaign)
        .join(Action, col(Action.campaign_id) == col(Campaign.id))
        .where(Campaign.organisation_id == organisation.id)
        .order_by(col(Campaign.created_at).desc())
    )
    return rows.first()
