"""Teams activities in, cards out: one listener per kind of activity.

- A message is a command in the shared grammar (an ``Action.Submit`` tap
  arrives as a message with a ``value`` and is a card action instead).
- An ``adaptiveCard/action`` invoke (``Action.Execute``) is a card action; its
  answer is the card that replaces the tapped one.
- ``conversationUpdate`` and ``installationUpdate`` store or retire the
  conversation reference; every other activity refreshes it too.
- A channel created, deleted, renamed or restored (a ``conversationUpdate``
  with that ``eventType``) stores nothing: only a change to the workforce
  channel the PSW chose matters, and it is reported to the PSW.
- ``@Health Check workforce channel`` from the PSW in a channel makes it the
  workforce channel; nothing else does.
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus
from typing import Any

from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    AdaptiveCardInvokeResponse,
    Attachment,
    ContentTypes,
)
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from bot.conversation.messages import Message, Notice
from bot.teams import text
from bot.teams.card_actions import CardAction
from bot.teams.cards import CONTENT_TYPE, Card
from bot.teams.identity import EmailLookup
from bot.teams.references import channel_event, conversation_info, kind_of
from bot.teams.service import TeamsService
from bot.teams.workforce import is_workforce_channel_command
from survey.delivery.conversations import PERSONAL

log = logging.getLogger(__name__)

_ANY_VERB = re.compile(".*")


def register(agent: AgentApplication[TurnState], service: TeamsService) -> None:
    """Add the Teams listeners to ``agent``."""

    @agent.activity(ActivityTypes.message)
    async def on_message(context: TurnContext, state: TurnState) -> None:
        activity = context.activity
        if not await _admitted(context, service):
            return
        await service.remember(activity)
        person = await service.person(activity, _email_lookup(context))
        personal = kind_of(activity) == PERSONAL
        typed = (activity.text or "").strip()
        if isinstance(activity.value, dict) and not typed:
            await _submitted_card(context, service, person, personal=personal)
            return
        if is_workforce_channel_command(typed):
            messages = await service.choose_workforce_channel(person, activity)
            await _send(context, service, messages)
            return
        messages = await service.command(person, typed, personal=personal)
        await _send(context, service, messages)

    @agent.adaptive_card.action_execute(_ANY_VERB)
    async def on_card_action(
        context: TurnContext, state: TurnState, data: Any
    ) -> AdaptiveCardInvokeResponse:
        activity = context.activity
        if not service.serves(activity):
            return _toast(text.wrong_tenant())
        await service.remember(activity)
        if kind_of(activity) != PERSONAL:
            # A card in a channel is shared: its questions are never shown there.
            return _toast(text.personal_chat_only())
        verb = _verb(activity)
        action = CardAction.from_data(verb, data)
        if action is None:
            return _replacement(service, (Notice(text.card_out_of_date()),))
        person = await service.person(activity, _email_lookup(context))
        return _replacement(service, await service.card_action(person, action))

    @agent.activity(ActivityTypes.conversation_update)
    async def on_conversation_update(context: TurnContext, state: TurnState) -> None:
        activity = context.activity
        if not service.serves(activity):
            return
        event = channel_event(activity)
        if event is not None:
            await service.channel_changed(activity, event)
            return
        bot_id = activity.recipient.id if activity.recipient else None
        removed = [member.id for member in activity.members_removed or []]
        if bot_id and bot_id in removed:
            await service.forget(activity)
            return
        await service.remember(activity)
        added = [member.id for member in activity.members_added or []]
        if bot_id and bot_id in added:
            personal = kind_of(activity) == PERSONAL
            welcome = text.welcome() if personal else text.team_welcome()
            await _send(context, service, (Notice(welcome),))

    @agent.activity(ActivityTypes.installation_update)
    async def on_installation_update(context: TurnContext, state: TurnState) -> None:
        activity = context.activity
        if not service.serves(activity):
            return
        if (activity.action or "").startswith("remove"):
            await service.forget(activity)
        else:
            await service.remember(activity)

    @agent.error
    async def on_error(context: TurnContext, error: Exception) -> None:
        await apologise(context, error)


async def apologise(context: TurnContext, error: Exception) -> None:
    """Log a failed turn and tell the person, without any detail of the error."""
    log.error("Teams turn failed", exc_info=error)
    if context.activity.type != ActivityTypes.message:
        return
    try:
        await context.send_activity(
            Activity(type=ActivityTypes.message, text=text.something_went_wrong())
        )
    except Exception:  # noqa: BLE001 (the connector may be what failed)
        log.warning("Teams: could not send the apology", exc_info=True)


async def _admitted(context: TurnContext, service: TeamsService) -> bool:
    """Refuse, once and politely, a message from a tenant this app does not serve."""
    if service.serves(context.activity):
        return True
    await _send(context, service, (Notice(text.wrong_tenant()),))
    return False


async def _submitted_card(
    context: TurnContext,
    service: TeamsService,
    person: Any,
    *,
    personal: bool,
) -> None:
    """An ``Action.Submit`` tap: apply it and redraw the tapped card in place."""
    activity = context.activity
    if not personal:
        await _send(context, service, (Notice(text.personal_chat_only()),))
        return
    action = CardAction.from_data(None, activity.value)
    if action is None:
        messages: tuple[Message, ...] = (Notice(text.card_out_of_date()),)
    else:
        messages = await service.card_action(person, action)
    card = service.renderer.render(messages)
    if activity.reply_to_id:
        await context.update_activity(
            Activity(
                type=ActivityTypes.message,
                id=activity.reply_to_id,
                attachments=[_attachment(card)],
            )
        )
    else:
        await _send(context, service, messages)


async def _send(
    context: TurnContext, service: TeamsService, messages: tuple[Message, ...]
) -> None:
    cards = service.renderer.render_cards(messages)
    await context.send_activities(
        [
            Activity(type=ActivityTypes.message, attachments=[_attachment(card)])
            for card in cards
        ]
    )


def _attachment(card: Card) -> Attachment:
    return Attachment(content_type=CONTENT_TYPE, content=card)


def _replacement(
    service: TeamsService, messages: tuple[Message, ...]
) -> AdaptiveCardInvokeResponse:
    """The invoke answer that replaces the tapped card with ``messages``."""
    return AdaptiveCardInvokeResponse(
        status_code=HTTPStatus.OK,
        type=ContentTypes.adaptive_card,
        value=service.renderer.render(messages),
    )


def _toast(message: str) -> AdaptiveCardInvokeResponse:
    """An invoke answer shown to the tapper only; the card stays as it was."""
    return AdaptiveCardInvokeResponse(
        status_code=HTTPStatus.OK, type=ContentTypes.message, value=message
    )


def _verb(activity: Activity) -> str | None:
    value = activity.value
    if isinstance(value, dict):
        action = value.get("action")
        if isinstance(action, dict) and action.get("verb"):
            return str(action["verb"])
    return None


def _email_lookup(context: TurnContext) -> EmailLookup:
    """Asks the Bot Connector for the sender's email (or user principal name)."""

    async def lookup() -> str | None:
        activity = context.activity
        info = conversation_info(activity)
        sender = activity.from_property
        client = context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
        if info is None or sender is None or not sender.id:
            return None
        if not isinstance(client, TeamsConnectorClient):
            return None
        try:
            member = await client.get_conversation_member(
                info.conversation_id, sender.id
            )
        except Exception:  # noqa: BLE001 (an unknown person is simply a stranger)
            log.info("Teams: could not look up a sender's email", exc_info=True)
            return None
        return member.email or member.user_principal_name or None

    return lookup
