"""Checks an activity's shape before the Agents SDK sees it.

The SDK raises (a 500) on some activities the Bot Framework would never send:
``conversation`` set to null, no ``channelId``, a card action invoke without
its ``action``. A body that does not fit is refused with 400 and a short
reason naming the field (never its value), so nothing reaches a listener half
read.
"""

from __future__ import annotations

import json

from microsoft_agents.activity import Activity, ActivityTypes
from pydantic import ValidationError

CARD_ACTION = "adaptiveCard/action"
"""The only invoke this app handles (its manifest declares no others)."""


def activity_problem(body: bytes) -> str | None:
    """Why ``body`` is not an activity this app can handle, or ``None``."""
    try:
        raw = json.loads(body)
    except (ValueError, RecursionError):
        return "the body is not JSON"
    if not isinstance(raw, dict):
        return "the body is not an activity"
    try:
        activity = Activity.model_validate(raw)
    except (ValidationError, ValueError, TypeError) as error:
        where = _where(error)
        return f"the activity's {where} is not as documented"
    if not isinstance(activity.type, str) or not activity.type:
        return "the activity has no type"
    if not activity.channel_id or not activity.service_url:
        return "the activity has no channelId or serviceUrl"
    if activity.conversation is None or not activity.conversation.id:
        return "the activity has no conversation"
    # The SDK keys its turn state by the sender, whatever the activity's type.
    if activity.from_property is None or not activity.from_property.id:
        return "the activity has no sender"
    if activity.recipient is None or not activity.recipient.id:
        return "the activity has no recipient"
    if activity.type == ActivityTypes.invoke:
        return _invoke_problem(activity)
    return None


def _invoke_problem(activity: Activity) -> str | None:
    if activity.name != CARD_ACTION:
        return "an invoke this app does not handle"
    value = activity.value
    action = value.get("action") if isinstance(value, dict) else None
    if not isinstance(action, dict) or not isinstance(action.get("verb"), str):
        return "a card action without its action"
    if not isinstance(action.get("data", {}), dict):
        return "a card action whose data is not an object"
    return None


def _where(error: Exception) -> str:
    if isinstance(error, ValidationError) and error.errors():
        return ".".join(str(part) for part in error.errors()[0]["loc"]) or "body"
    return "body"
