"""Running a parsed command for a person: checks their access, then answers.

Every platform calls :func:`dispatch` with the text a person sent and who the
roster says they are; what comes back is platform-neutral messages.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.commands import text
from bot.commands.access import (
    REQUIRED_ACCESS,
    Standing,
    access_holders,
    psw_names,
    standing_of,
)
from bot.commands.briefing import brief_messages
from bot.commands.follow_up import (
    action_messages,
    post_you_said_messages,
    you_said_messages,
)
from bot.commands.grammar import NOT_YET_AVAILABLE, Command, CommandName, parse
from bot.commands.insights import (
    UNKNOWN_CHANNEL,
    summary_messages,
    target_messages,
    themes_messages,
)
from bot.commands.participation import participation_messages
from bot.commands.privacy import privacy_notice
from bot.commands.progress import SurveyProgress, match_surveys, open_surveys
from bot.commands.schedule import (
    campaign_schedule_messages,
    mute_messages,
    pulse_schedule_messages,
    remind_messages,
)
from bot.commands.trends import trends_messages
from bot.conversation.flow import Start
from bot.conversation.messages import (
    Menu,
    MenuItem,
    Message,
    Notice,
    Prompt,
    Review,
    SummaryTable,
    Tone,
)
from bot.conversation.service import handle_event
from survey.campaigns import close_campaign, find_campaign, open_campaign
from survey.db import SessionFactory
from survey.errors import SurveyError
from survey.models import Organisation, Person
from survey.roster.roles import access_label


@dataclass(frozen=True)
class CommandResult:
    """What a command produced.

    Attributes:
        messages: What to show the person, in order.
        campaign_id: The survey that was started or resumed, if one was.
    """

    messages: tuple[Message, ...]
    campaign_id: uuid.UUID | None = None


@dataclass(frozen=True)
class _Request:
    sessions: SessionFactory
    secret: bytes
    standing: Standing
    organisation: Organisation
    command: Command
    now: datetime
    # Where announcements go (the chat platforms in use) and the raw text, so
    # quoted settings keep their line breaks.
    platforms: tuple[str, ...] = ("local",)
    typed: str = ""
    channel: str = UNKNOWN_CHANNEL

    @property
    def person(self) -> Person:
        return self.standing.person


_Handler = Callable[[_Request], Awaitable[CommandResult]]


async def dispatch(
    sessions: SessionFactory,
    *,
    secret: bytes,
    person: Person | None,
    text: str,
    now: datetime,
    platforms: tuple[str, ...] = ("local",),
    channel: str = UNKNOWN_CHANNEL,
) -> CommandResult:
    """Parse ``text`` and run it for ``person``.

    Args:
        sessions: The database session factory.
        secret: The server's draft secret (see :mod:`survey.anonymity`).
        person: Who sent it, as the roster knows them; ``None`` if nobody.
        text: What they typed, with or without a mention or ``/healthcheck``.
        now: The current time (timezone-aware).
        platforms: The platforms messages can be delivered to; posts to the
            workforce channel go to each chat platform among them.
        channel: Where the person typed it (``slack``, ``teams``, ``local``),
            as the audit log records views of results.

    Someone not on the roster (or no longer active) is told who to ask, and
    nothing is stored for them. A command their access does not allow is
    refused politely, naming who can do it, and changes nothing.
    """
    command = parse(text)
    if person is None:
        return _stranger(command)
    async with sessions() as session:
        standing = await standing_of(session, person=person)
        organisation = await session.get(Organisation, person.organisation_id)
        if standing is None or organisation is None:
            return _stranger(command)
        if command.name in NOT_YET_AVAILABLE:
            return _not_yet(command.name)
        if not standing.permits(command.name):
            psws = await psw_names(session, organisation_id=organisation.id)
            return _refused(command.name, psws)
    request = _Request(
        sessions,
        secret,
        standing,
        organisation,
        command,
        now,
        platforms=platforms,
        typed=text,
        channel=channel,
    )
    try:
        return await _HANDLERS[command.name](request)
    except SurveyError as error:
        return _notice(str(error), Tone.ERROR)


def _refused(name: CommandName, psws: list[str]) -> CommandResult:
    return _notice(text.refused(name, REQUIRED_ACCESS[name], psws), Tone.WARNING)


def _stranger(command: Command) -> CommandResult:
    roster = Notice(text.not_on_roster(), Tone.WARNING)
    if command.name == CommandName.PRIVACY:
        return CommandResult((privacy_notice(None), roster))
    return CommandResult((roster,))


def _notice(words: str, tone: Tone = Tone.INFO) -> CommandResult:
    return CommandResult((Notice(words, tone),))


def _not_yet(name: CommandName) -> CommandResult:
    return _notice(text.not_available_yet(name, REQUIRED_ACCESS[name]))


def _help_notice(standing: Standing) -> Notice:
    allowed = [name for name in text.USAGE if standing.may(name)]
    available = [name for name in allowed if name not in NOT_YET_AVAILABLE]
    coming = [name for name in allowed if name in NOT_YET_AVAILABLE]
    return Notice(text.help_text(available, coming), title=text.help_title())


async def _help(request: _Request) -> CommandResult:
    return CommandResult((_help_notice(request.standing),))


async def _unknown(request: _Request) -> CommandResult:
    problem = Notice(text.not_recognised(request.command.text), Tone.WARNING)
    return CommandResult((problem, _help_notice(request.standing)))


async def _privacy(request: _Request) -> CommandResult:
    return CommandResult((privacy_notice(request.organisation),))


async def _surveys(request: _Request) -> list[SurveyProgress]:
    async with request.sessions() as session:
        return await open_surveys(
            session, secret=request.secret, person=request.person, now=request.now
        )


def _progress_words(survey: SurveyProgress) -> str:
    return text.progress(sent=survey.sent, answered=survey.answered, total=survey.total)


def _menu(title: str, surveys: list[SurveyProgress]) -> Menu:
    items = tuple(
        MenuItem(
            label=survey.campaign.name,
            command=text.start_command(survey.campaign.name),
            detail=_progress_words(survey),
        )
        for survey in surveys
    )
    return Menu(title=title, items=items)


async def _status(request: _Request) -> CommandResult:
    surveys = await _surveys(request)
    if not surveys:
        return _notice(text.no_open_surveys())
    lines = [
        text.status_line(
            survey.campaign.name, _progress_words(survey), survey.closes_on
        )
        for survey in surveys
    ]
    messages: list[Message] = [Notice("\n".join(lines), title=text.status_title())]
    unfinished = [survey for survey in surveys if not survey.sent]
    if unfinished:
        messages.append(_menu(text.carry_on_title(), unfinished))
    return CommandResult(tuple(messages))


async def _start(request: _Request) -> CommandResult:
    surveys = await _surveys(request)
    unfinished = [survey for survey in surveys if not survey.sent]
    query = request.command.argument
    if query:
        chosen = match_surveys(surveys, query)
        if not chosen:
            messages: list[Message] = [Notice(text.no_match(query), Tone.WARNING)]
            if unfinished:
                messages.append(_menu(text.choose_survey(), unfinished))
            return CommandResult(tuple(messages))
    else:
        chosen = unfinished
        if not chosen:
            return _notice(text.all_sent() if surveys else text.no_open_surveys())
    if len(chosen) > 1:
        return CommandResult((_menu(text.choose_survey(), chosen),))
    campaign = chosen[0].campaign
    turn = await handle_event(
        request.sessions,
        secret=request.secret,
        person=request.person,
        campaign=campaign,
        event=Start(),
        now=request.now,
    )
    started = any(isinstance(message, Prompt | Review) for message in turn.messages)
    return CommandResult(turn.messages, campaign.id if started else None)


async def _campaign(request: _Request) -> CommandResult:
    return _notice(text.campaign_usage())


async def _campaign_open(request: _Request) -> CommandResult:
    name = request.command.argument
    if not name:
        return _notice(text.campaign_name_needed(CommandName.CAMPAIGN_OPEN))
    async with request.sessions() as session, session.begin():
        campaign = await find_campaign(
            session, organisation_id=request.organisation.id, name=name
        )
        invited = await open_campaign(session, campaign=campaign, now=request.now)
    return _notice(text.campaign_opened(campaign.name, invited), Tone.SUCCESS)


async def _campaign_close(request: _Request) -> CommandResult:
    name = request.command.argument
    if not name:
        return _notice(text.campaign_name_needed(CommandName.CAMPAIGN_CLOSE))
    async with request.sessions() as session, session.begin():
        campaign = await find_campaign(
            session, organisation_id=request.organisation.id, name=name
        )
        await close_campaign(session, campaign=campaign, now=request.now)
    return _notice(text.campaign_closed(campaign.name), Tone.SUCCESS)


async def _who_has_access(request: _Request) -> CommandResult:
    organisation = request.organisation
    async with request.sessions() as session:
        holders = await access_holders(session, organisation_id=organisation.id)
    if not holders:
        return _notice(text.nobody_has_access())
    table = SummaryTable(
        title=text.access_title(organisation.name),
        columns=text.ACCESS_COLUMNS,
        rows=tuple(
            (
                holder.name,
                access_label(holder.access),
                text.access_scope(holder.access, holder.teams),
            )
            for holder in holders
        ),
        note=text.access_note(organisation.min_group_size),
    )
    return CommandResult((table,))


async def _summary(request: _Request) -> CommandResult:
    messages = await summary_messages(
        request.sessions,
        standing=request.standing,
        organisation=request.organisation,
        args=request.command.args,
        channel=request.channel,
    )
    return CommandResult(messages)


async def _themes(request: _Request) -> CommandResult:
    messages = await themes_messages(
        request.sessions,
        standing=request.standing,
        organisation=request.organisation,
        args=request.command.args,
        channel=request.channel,
    )
    return CommandResult(messages)


async def _action(request: _Request) -> CommandResult:
    messages = await action_messages(
        request.sessions,
        organisation=request.organisation,
        command=request.command,
        typed=request.typed or request.command.text,
        now=request.now,
    )
    return CommandResult(messages)


async def _you_said(request: _Request) -> CommandResult:
    messages = await you_said_messages(
        request.sessions, organisation=request.organisation, command=request.command
    )
    return CommandResult(messages)


async def _post_you_said(request: _Request) -> CommandResult:
    messages = await post_you_said_messages(
        request.sessions,
        organisation=request.organisation,
        command=request.command,
        now=request.now,
        platforms=request.platforms,
    )
    return CommandResult(messages)


async def _brief(request: _Request) -> CommandResult:
    messages = await brief_messages(
        request.sessions,
        organisation=request.organisation,
        typed=request.typed or request.command.text,
        now=request.now,
        platforms=request.platforms,
    )
    return CommandResult(messages)


async def _campaign_schedule(request: _Request) -> CommandResult:
    messages = await campaign_schedule_messages(
        request.sessions,
        organisation=request.organisation,
        args=request.command.args,
        typed=request.typed or request.command.text,
        now=request.now,
    )
    return CommandResult(messages)


async def _remind(request: _Request) -> CommandResult:
    messages = await remind_messages(
        request.sessions,
        organisation=request.organisation,
        args=request.command.args,
        typed=request.typed or request.command.text,
        now=request.now,
    )
    return CommandResult(messages)


async def _mute(request: _Request) -> CommandResult:
    messages = await mute_messages(
        request.sessions,
        secret=request.secret,
        person=request.person,
        query=request.command.argument,
        now=request.now,
        muted=request.command.name == CommandName.MUTE,
    )
    return CommandResult(messages)


async def _participation(request: _Request) -> CommandResult:
    messages = await participation_messages(
        request.sessions,
        standing=request.standing,
        organisation=request.organisation,
        args=request.command.args,
        channel=request.channel,
    )
    return CommandResult(messages)


async def _pulse_schedule(request: _Request) -> CommandResult:
    messages = await pulse_schedule_messages(
        request.sessions,
        organisation=request.organisation,
        typed=request.typed or request.command.text,
        now=request.now,
    )
    return CommandResult(messages)


async def _trends(request: _Request) -> CommandResult:
    messages = await trends_messages(
        request.sessions,
        organisation=request.organisation,
        args=request.command.args,
        standing=request.standing,
        channel=request.channel,
    )
    return CommandResult(messages)


async def _target(request: _Request) -> CommandResult:
    messages = await target_messages(
        request.sessions,
        organisation=request.organisation,
        args=request.command.args,
        standing=request.standing,
        channel=request.channel,
    )
    return CommandResult(messages)


_HANDLERS: dict[CommandName, _Handler] = {
    CommandName.TARGET: _target,
    CommandName.SUMMARY: _summary,
    CommandName.THEMES: _themes,
    CommandName.HELP: _help,
    CommandName.UNKNOWN: _unknown,
    CommandName.PRIVACY: _privacy,
    CommandName.STATUS: _status,
    CommandName.START: _start,
    CommandName.RESUME: _start,
    CommandName.CAMPAIGN: _campaign,
    CommandName.CAMPAIGN_OPEN: _campaign_open,
    CommandName.CAMPAIGN_CLOSE: _campaign_close,
    CommandName.WHO_HAS_ACCESS: _who_has_access,
    CommandName.ACTION: _action,
    CommandName.YOU_SAID: _you_said,
    CommandName.POST_YOU_SAID: _post_you_said,
    CommandName.BRIEF: _brief,
    CommandName.CAMPAIGN_SCHEDULE: _campaign_schedule,
    CommandName.REMIND: _remind,
    CommandName.MUTE: _mute,
    CommandName.UNMUTE: _mute,
    CommandName.PARTICIPATION: _participation,
    CommandName.PULSE_SCHEDULE: _pulse_schedule,
    CommandName.TRENDS: _trends,
}
