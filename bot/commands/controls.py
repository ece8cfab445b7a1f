"""Typed survey controls: ``back``, ``skip`` and ``pause`` in the chat box.

They act on the survey the person is answering (the one with a saved draft),
through the same flow events as the buttons, so every channel behaves alike.
"""

from __future__ import annotations

from bot.commands import text
from bot.commands.grammar import CommandName
from bot.commands.progress import SurveyProgress, match_surveys, open_surveys
from bot.commands.request import CommandRequest, CommandResult, one_notice
from bot.conversation.flow import REVIEW, Back, Event, Pause, Skip
from bot.conversation.messages import Menu, MenuItem, Tone
from bot.conversation.service import handle_event


async def survey_control(request: CommandRequest) -> CommandResult:
    """Go back, skip or pause in the survey this person is answering."""
    name = request.command.name
    async with request.sessions() as session:
        surveys = await open_surveys(
            session, secret=request.secret, person=request.person, now=request.now
        )
    begun = [survey for survey in surveys if survey.in_progress]
    if request.command.argument:
        begun = match_surveys(begun, request.command.argument)
    if not begun:
        return one_notice(text.nothing_in_progress(name), Tone.WARNING)
    if len(begun) > 1:
        return CommandResult((_which(name, begun),))
    survey = begun[0]
    assert survey.current is not None
    if name == CommandName.SKIP and survey.current == REVIEW:
        return one_notice(text.nothing_to_skip(), Tone.WARNING)
    turn = await handle_event(
        request.sessions,
        secret=request.secret,
        person=request.person,
        campaign=survey.campaign,
        event=_event(name, survey.current),
        now=request.now,
    )
    carrying_on = name != CommandName.PAUSE and not turn.submitted
    return CommandResult(turn.messages, survey.campaign.id if carrying_on else None)


def _event(name: CommandName, current: str) -> Event:
    if name == CommandName.BACK:
        return Back(from_question=current)
    if name == CommandName.SKIP:
        return Skip(question_id=current)
    return Pause()


def _which(name: CommandName, surveys: list[SurveyProgress]) -> Menu:
    items = tuple(
        MenuItem(
            label=survey.campaign.name,
            command=f'{name.value} "{survey.campaign.name}"',
        )
        for survey in surveys
    )
    return Menu(title=text.which_survey(name), items=items)
