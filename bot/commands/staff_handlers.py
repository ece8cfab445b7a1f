"""What any member of staff may ask: help, privacy, status, start a survey, mute."""

from __future__ import annotations

from bot.commands import text
from bot.commands.access import Standing
from bot.commands.grammar import CommandName
from bot.commands.privacy import privacy_notice
from bot.commands.progress import SurveyProgress, match_surveys, open_surveys
from bot.commands.request import CommandRequest, CommandResult, one_notice
from bot.commands.schedule import mute_messages
from bot.conversation.flow import Start
from bot.conversation.messages import (
    Menu,
    MenuItem,
    Message,
    Notice,
    Prompt,
    Review,
    Tone,
)
from bot.conversation.service import handle_event


def _help_notice(standing: Standing) -> Notice:
    allowed = [name for name in text.USAGE if standing.may(name)]
    return Notice(text.help_text(allowed), title=text.help_title())


async def show_help(request: CommandRequest) -> CommandResult:
    """List the commands this person may use."""
    return CommandResult((_help_notice(request.standing),))


async def not_recognised(request: CommandRequest) -> CommandResult:
    """Say the command was not understood, then show help."""
    problem = Notice(text.not_recognised(request.command.text), Tone.WARNING)
    return CommandResult((problem, _help_notice(request.standing)))


async def privacy(request: CommandRequest) -> CommandResult:
    """Show the privacy notice."""
    return CommandResult((privacy_notice(request.organisation),))


async def _surveys(request: CommandRequest) -> list[SurveyProgress]:
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


async def status(request: CommandRequest) -> CommandResult:
    """Show each open survey and how far this person has got."""
    surveys = await _surveys(request)
    if not surveys:
        return one_notice(text.no_open_surveys())
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


async def start(request: CommandRequest) -> CommandResult:
    """Start or carry on a survey, asking which when several are open."""
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
        begun = [survey for survey in unfinished if survey.in_progress]
        if request.command.name == CommandName.RESUME and begun:
            # "resume" means the survey already begun, not one not yet opened.
            chosen = begun
        if not chosen:
            return one_notice(text.all_sent() if surveys else text.no_open_surveys())
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


async def mute(request: CommandRequest) -> CommandResult:
    """Mute or unmute reminders for the named surveys."""
    messages = await mute_messages(
        request.sessions,
        secret=request.secret,
        person=request.person,
        query=request.command.argument,
        now=request.now,
        muted=request.command.name == CommandName.MUTE,
    )
    return CommandResult(messages)
