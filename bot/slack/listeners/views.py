"""The answer modal's submission: one answer, checked by the shared flow.

An answer the question cannot take (a number out of range, text too long) is
shown on the modal's input, which stays open; anything else closes the modal and
moves the survey message on to the next screen. The answer is checked read only
before the ack and written after it, so a busy database writer never holds up
Slack's three-second deadline.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.conversation.flow import Answer, Event, Skip
from bot.conversation.messages import Notice, Prompt
from bot.slack import ids, text
from bot.slack.replies import (
    asker_of,
    campaign_for,
    only_errors,
    post_to_dm,
    preview,
    remember_dm,
    run_event,
    update_message,
    user_and_team,
)
from bot.slack.services import services_of


def answer_of(view: dict[str, Any], question_id: str) -> Event:
    """The flow event a submitted modal stands for (empty and optional: a skip)."""
    values = (view.get("state") or {}).get("values") or {}
    element = (values.get(ids.ANSWER_BLOCK) or {}).get(ids.ANSWER_ELEMENT) or {}
    if "selected_options" in element:
        picked = [str(option["value"]) for option in element["selected_options"] or []]
        if not picked:
            return Skip(question_id=question_id)
        return Answer(question_id=question_id, raw=picked)
    value = element.get("value")
    if value is None or not str(value).strip():
        return Skip(question_id=question_id)
    return Answer(question_id=question_id, raw=str(value))


async def answer_submitted(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Record the modal's answer, or show why it cannot be taken."""
    services = services_of(context)
    origin = ids.ModalOrigin.decode(str(view.get("private_metadata", "")))
    if origin is None:
        await ack()
        return
    user_id, team_id = user_and_team(body)
    asker = await asker_of(services, client, team_id=team_id, user_id=user_id)
    if asker is None or asker.person is None:
        await ack(
            response_action="errors",
            errors={ids.ANSWER_BLOCK: text.not_on_roster()},
        )
        return
    campaign = await campaign_for(services, asker, origin.campaign_id)
    if campaign is None:
        await ack()
        return
    event = answer_of(view, origin.question_id)
    # Checked read only, so the ack never waits for the database's writer; the
    # answer is written after the ack.
    checked = await preview(services, asker.person, campaign, event)
    problem = next(
        (
            message.problem
            for message in checked.messages
            if isinstance(message, Prompt)
            and message.question_id == origin.question_id
            and message.problem
        ),
        None,
    )
    if problem is not None:
        await ack(response_action="errors", errors={ids.ANSWER_BLOCK: problem})
        return
    refusal = checked.messages[0] if only_errors(checked.messages) else None
    if isinstance(refusal, Notice):
        await ack(response_action="errors", errors={ids.ANSWER_BLOCK: refusal.text})
        return
    await ack()
    turn = await run_event(services, asker.person, campaign, event)
    rendered = services.renderer.render(turn.messages)
    if origin.channel and origin.ts:
        await remember_dm(services, asker, origin.channel)
        await update_message(client, origin.channel, origin.ts, rendered)
    else:
        await post_to_dm(services, client, asker, rendered)


def register(app: AsyncApp) -> None:
    """Listen for the answer modal's submissions."""
    app.view(ids.ANSWER_MODAL)(answer_submitted)
