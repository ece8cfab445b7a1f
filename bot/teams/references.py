"""Teams conversation references: read from an incoming activity, replayed later.

A reference names the Bot Connector's address for the tenant (``serviceUrl``),
the conversation, the bot and the tenant; it is all a bot needs to write into a
conversation later. Channel references point at the channel itself, not at the
thread a message came from, so later posts start new threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Activity, ConversationReference

from survey.delivery.conversations import CHANNEL, GROUP, PERSONAL

TEAMS = "teams"
_KINDS = {"personal": PERSONAL, "channel": CHANNEL, "groupChat": GROUP}

CHANNEL_CREATED = "channelCreated"
CHANNEL_DELETED = "channelDeleted"
CHANNEL_RENAMED = "channelRenamed"
CHANNEL_RESTORED = "channelRestored"
CHANNEL_EVENTS = frozenset(
    {CHANNEL_CREATED, CHANNEL_DELETED, CHANNEL_RENAMED, CHANNEL_RESTORED}
)
"""``conversationUpdate`` event types about a team's channels, not about the bot."""


@dataclass(frozen=True)
class ChannelEvent:
    """A team channel was created, deleted, renamed or restored.

    Attributes:
        event: One of :data:`CHANNEL_EVENTS`.
        channel_id: The channel it is about (``channelData.channel.id``), which
            is not the conversation the event arrives in.
        name: The channel's name as Teams gives it (the new one on a rename).
    """

    event: str
    channel_id: str
    name: str | None = None


@dataclass(frozen=True)
class ConversationInfo:
    """What is stored about one Teams conversation."""

    conversation_id: str
    kind: str
    reference: dict[str, Any]
    tenant_id: str | None = None
    user_key: str | None = None
    title: str | None = None


def tenant_of(activity: Activity) -> str | None:
    """The Microsoft 365 tenant an activity comes from."""
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return conversation.tenant_id
    data = _channel_data(activity)
    tenant = data.get("tenant")
    if isinstance(tenant, dict) and tenant.get("id"):
        return str(tenant["id"])
    return None


def kind_of(activity: Activity) -> str:
    """personal, channel or group (a chat of several people)."""
    conversation = activity.conversation
    typed = conversation.conversation_type if conversation is not None else None
    if typed in _KINDS:
        return _KINDS[typed]
    if conversation is not None and conversation.is_group:
        return GROUP
    return PERSONAL


def channel_event(activity: Activity) -> ChannelEvent | None:
    """The channel event a ``conversationUpdate`` carries, if it is one."""
    data = _channel_data(activity)
    event = data.get("eventType")
    channel = data.get("channel")
    if event not in CHANNEL_EVENTS or not isinstance(channel, dict):
        return None
    if not channel.get("id"):
        return None
    name = channel.get("name")
    return ChannelEvent(
        event=str(event),
        channel_id=str(channel["id"]),
        name=str(name)[:200] if name else None,
    )


def conversation_info(activity: Activity) -> ConversationInfo | None:
    """The reference to keep for the conversation ``activity`` came from."""
    conversation = activity.conversation
    if conversation is None or not conversation.id or not activity.service_url:
        return None
    kind = kind_of(activity)
    tenant_id = tenant_of(activity)
    data = _channel_data(activity)
    conversation_id = conversation.id
    title = None
    if kind == CHANNEL:
        channel = data.get("channel")
        if isinstance(channel, dict) and channel.get("id"):
            conversation_id = str(channel["id"])
        else:
            conversation_id = conversation_id.split(";messageid=")[0]
        team = data.get("team")
        if isinstance(team, dict) and team.get("name"):
            title = str(team["name"])[:200]
    reference = activity.get_conversation_reference().model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    # A stored reference must not reply to the message it came from: later
    # posts are new messages (and, in a channel, new threads).
    reference.pop("activityId", None)
    reference.pop("requestId", None)
    reference["conversation"] = {
        **reference.get("conversation", {}),
        "id": conversation_id,
    }
    if tenant_id:
        reference["conversation"]["tenantId"] = tenant_id
    user_key = None
    sender = activity.from_property
    if kind == PERSONAL and sender is not None:
        user_key = user_key_of(sender.aad_object_id or sender.id)
    return ConversationInfo(
        conversation_id=conversation_id,
        kind=kind,
        reference=reference,
        tenant_id=tenant_id,
        user_key=user_key,
        title=title,
    )


def user_key_of(value: str | None) -> str | None:
    """How a person's Teams id is filed: object ids in lower case."""
    if not value:
        return None
    return value.lower() if not value.startswith("29:") else value


def stored_reference(reference: dict[str, Any]) -> ConversationReference:
    """A stored reference as the SDK's model."""
    return ConversationReference.model_validate(reference)


def _channel_data(activity: Activity) -> dict[str, Any]:
    data = activity.channel_data
    if isinstance(data, dict):
        return data
    if data is not None and hasattr(data, "model_dump"):
        dumped = data.model_dump(by_alias=True)
        return dumped if isinstance(dumped, dict) else {}
    return {}
