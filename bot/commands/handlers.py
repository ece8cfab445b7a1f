"""Running a parsed command for a person: checks their access, then answers.

Every platform calls :func:`dispatch` with the text a person sent and who the
roster says they are; what comes back is platform-neutral messages.
"""

from __future__ import annotations

from datetime import datetime

from bot.commands import controls, psw_handlers, staff_handlers, text
from bot.commands.access import (
    REQUIRED_ACCESS,
    psw_names,
    standing_of,
)
from bot.commands.grammar import Command, CommandName, parse
from bot.commands.insights import (
    UNKNOWN_CHANNEL,
    summary_messages,
    target_messages,
    themes_messages,
)
from bot.commands.participation import participation_messages
from bot.commands.privacy import privacy_notice
from bot.commands.request import CommandRequest, CommandResult, Handler, one_notice
from bot.commands.trends import trends_messages
from bot.conversation.messages import (
    Notice,
    Tone,
)
from survey.db import SessionFactory
from survey.errors import SurveyError
from survey.models import Organisation, Person


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
        if not standing.permits(command.name):
            psws = await psw_names(session, organisation_id=organisation.id)
            return _refused(command.name, psws)
    request = CommandRequest(
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
        return one_notice(str(error), Tone.ERROR)


def _refused(name: CommandName, psws: list[str]) -> CommandResult:
    return one_notice(text.refused(name, REQUIRED_ACCESS[name], psws), Tone.WARNING)


def _stranger(command: Command) -> CommandResult:
    roster = Notice(text.not_on_roster(), Tone.WARNING)
    if command.name == CommandName.PRIVACY:
        return CommandResult((privacy_notice(None), roster))
    return CommandResult((roster,))


async def _summary(request: CommandRequest) -> CommandResult:
    messages = await summary_messages(
        request.sessions,
        standing=request.standing,
        organisation=request.organisation,
        args=request.command.args,
        channel=request.channel,
    )
    return CommandResult(messages)


async def _themes(request: CommandRequest) -> CommandResult:
    messages = await themes_messages(
        request.sessions,
        standing=request.standing,
        organisation=request.organisation,
        args=request.command.args,
        channel=request.channel,
    )
    return CommandResult(messages)


async def _participation(request: CommandRequest) -> CommandResult:
    messages = await participation_messages(
        request.sessions,
        standing=request.standing,
        organisation=request.organisation,
        args=request.command.args,
        channel=request.channel,
    )
    return CommandResult(messages)


async def _trends(request: CommandRequest) -> CommandResult:
    messages = await trends_messages(
        request.sessions,
        organisation=request.organisation,
        args=request.command.args,
        standing=request.standing,
        channel=request.channel,
    )
    return CommandResult(messages)


async def _target(request: CommandRequest) -> CommandResult:
    messages = await target_messages(
        request.sessions,
        organisation=request.organisation,
        args=request.command.args,
        standing=request.standing,
        channel=request.channel,
    )
    return CommandResult(messages)


_HANDLERS: dict[CommandName, Handler] = {
    CommandName.TARGET: _target,
    CommandName.SUMMARY: _summary,
    CommandName.THEMES: _themes,
    CommandName.HELP: staff_handlers.show_help,
    CommandName.UNKNOWN: staff_handlers.not_recognised,
    CommandName.PRIVACY: staff_handlers.privacy,
    CommandName.STATUS: staff_handlers.status,
    CommandName.START: staff_handlers.start,
    CommandName.RESUME: staff_handlers.start,
    CommandName.BACK: controls.survey_control,
    CommandName.SKIP: controls.survey_control,
    CommandName.PAUSE: controls.survey_control,
    CommandName.CAMPAIGN: psw_handlers.campaign,
    CommandName.CAMPAIGN_OPEN: psw_handlers.campaign_open,
    CommandName.CAMPAIGN_CLOSE: psw_handlers.campaign_close,
    CommandName.WHO_HAS_ACCESS: psw_handlers.who_has_access,
    CommandName.ACTION: psw_handlers.action,
    CommandName.YOU_SAID: psw_handlers.you_said,
    CommandName.POST_YOU_SAID: psw_handlers.post_you_said,
    CommandName.BRIEF: psw_handlers.brief,
    CommandName.CAMPAIGN_SCHEDULE: psw_handlers.campaign_schedule,
    CommandName.REMIND: psw_handlers.remind,
    CommandName.MUTE: staff_handlers.mute,
    CommandName.UNMUTE: staff_handlers.mute,
    CommandName.PARTICIPATION: _participation,
    CommandName.PULSE_SCHEDULE: psw_handlers.pulse_schedule,
    CommandName.TRENDS: _trends,
}
