"""Taps on survey messages: answers, back, skip, pause, change, send, start.

Every element's ``block_id`` names the survey and question it was drawn for, so
the shared flow can tell a tap on the current screen from a tap on one already
left behind (a double click, or an old message): the second answer to a
question changes nothing and the person is shown where they are.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.conversation.flow import (
    AllAtOnce,
    Answer,
    AnswerAll,
    Back,
    Edit,
    Event,
    Pause,
    Skip,
    Start,
    Submit,
)
from bot.conversation.messages import InputKind, Notice, Prompt, Tone
from bot.conversation.text import moved_on
from bot.slack import ids, text
from bot.slack.modal import notice_modal
from bot.slack.replies import (
    Asker,
    asker_of,
    campaign_for,
    post_to_dm,
    run_command,
    run_event,
    say_privately,
    show_turn,
    tell_privately,
    user_and_team,
)
from bot.slack.services import SlackServices, services_of
from bot.slack.sheet import sheet_answers

SURVEY_ACTIONS = re.compile(
    r"^hc\.(answer\.\d+|choose|back|skip|pause|submit|edit|start|all|sheet_send)$"
)
COMMAND_ACTIONS = re.compile(r"^hc\.command\.\d+$")
MODAL_KINDS = (InputKind.TEXT, InputKind.NUMBER, InputKind.MULTI_CHOICE)


def event_for(
    action: dict[str, Any], question_id: str, state: dict[str, Any] | None = None
) -> Event:
    """The flow event a tapped element stands for.

    ``state`` is the message's input state Slack sends with a tap, read for
    Send on the one-message form.
    """
    action_id = str(action.get("action_id", ""))
    if action_id == ids.ALL_AT_ONCE:
        return AllAtOnce()
    if action_id == ids.SHEET_SUBMIT:
        return AnswerAll(answers=sheet_answers(state or {})[1])
    selected = (action.get("selected_option") or {}).get("value")
    if action_id.startswith(ids.ANSWER + "."):
        return Answer(question_id=question_id, raw=str(action.get("value", "")))
    if action_id == ids.CHOOSE:
        return Answer(question_id=question_id, raw=str(selected or ""))
    if action_id == ids.BACK:
        return Back(from_question=question_id)
    if action_id == ids.SKIP:
        return Skip(question_id=question_id)
    if action_id == ids.PAUSE:
        return Pause()
    if action_id == ids.SUBMIT:
        return Submit()
    if action_id == ids.EDIT:
        return Edit(question_id=str(selected or ""))
    return Start()


async def _asker(
    services: SlackServices, client: AsyncWebClient, body: dict[str, Any]
) -> Asker | None:
    user_id, team_id = user_and_team(body)
    return await asker_of(services, client, team_id=team_id, user_id=user_id)


async def survey_action(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """Feed a tap to the survey flow and show the next screen in place."""
    await ack()
    services = services_of(context)
    screen = ids.screen_of(action.get("block_id"))
    if action.get("action_id") == ids.START:
        campaign_id = _uuid(action.get("value"))
    else:
        campaign_id = screen.campaign_id if screen else None
    if campaign_id is None:
        return
    asker = await _asker(services, client, body)
    if asker is None:
        await tell_privately(respond, text.workspace_unknown())
        return
    if asker.person is None:
        await tell_privately(respond, text.not_on_roster())
        return
    campaign = await campaign_for(services, asker, campaign_id)
    if campaign is None:
        return
    event = event_for(action, screen.question_id if screen else "", body.get("state"))
    turn = await run_event(services, asker.person, campaign, event)
    await show_turn(services, client, respond, asker, body, turn.messages)


async def open_answer_modal(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """Open the modal for a free-text, number or several-choice answer.

    The modal opens at once, saying it is getting the question, before any
    database work: Slack's ``trigger_id`` lasts about three seconds, and a busy
    database must not use them up. The question is then put in it with
    ``views.update`` (which has no deadline). If the message is out of date (the
    person has moved on), the modal says so and the message is brought up to
    date instead.
    """
    await ack()
    services = services_of(context)
    screen = ids.screen_of(action.get("block_id"))
    if screen is None:
        return
    opened = await client.views_open(
        trigger_id=str(body.get("trigger_id", "")),
        view=notice_modal(text.MODAL_LOADING),
    )
    loading = opened.get("view") or {}

    async def replace(view: dict[str, Any]) -> None:
        await client.views_update(
            view_id=str(loading.get("id", "")),
            hash=str(loading.get("hash", "")),
            view=view,
        )

    asker = await _asker(services, client, body)
    if asker is None or asker.person is None:
        await replace(notice_modal(text.not_on_roster()))
        return
    campaign = await campaign_for(services, asker, screen.campaign_id)
    if campaign is None:
        await replace(notice_modal(text.MODAL_MOVED_ON))
        return
    turn = await run_event(services, asker.person, campaign, Start())
    prompt = next(
        (
            message
            for message in turn.messages
            if isinstance(message, Prompt) and message.question_id == screen.question_id
        ),
        None,
    )
    if prompt is None or prompt.kind not in MODAL_KINDS:
        await replace(notice_modal(text.MODAL_MOVED_ON))
        moved = (Notice(moved_on(), Tone.INFO), *turn.messages)
        await show_turn(services, client, respond, asker, body, moved)
        return
    container = body.get("container") or {}
    origin = ids.ModalOrigin(
        campaign_id=campaign.id,
        question_id=prompt.question_id,
        channel=container.get("channel_id"),
        ts=container.get("message_ts"),
    )
    await replace(services.renderer.answer_modal(prompt, origin))


async def command_button(
    ack: AsyncAck,
    body: dict[str, Any],
    action: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """A menu button: run its command as if it had been typed."""
    await ack()
    services = services_of(context)
    asker = await _asker(services, client, body)
    if asker is None:
        await tell_privately(respond, text.workspace_unknown())
        return
    messages, screen = await run_command(
        services, asker.person, str(action.get("value", ""))
    )
    rendered = services.renderer.render_all(messages)
    if screen and asker.person is not None:
        await post_to_dm(services, client, asker, rendered)
        return
    await say_privately(respond, rendered)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(hex=str(value))
    except ValueError:
        return None


async def sheet_choice(ack: AsyncAck) -> None:
    """A choice on the one-message form: kept by Slack until Send reads it."""
    await ack()


def register(app: AsyncApp) -> None:
    """Listen for every survey and menu tap."""
    app.action(SURVEY_ACTIONS)(survey_action)
    app.action(ids.SHEET_ANSWER)(sheet_choice)
    app.action(ids.OPEN_MODAL)(open_answer_modal)
    app.action(COMMAND_ACTIONS)(command_button)
