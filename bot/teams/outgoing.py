"""What an outbox message says, as platform-neutral messages for the Teams card.

Outbox payloads are plain data written by ``survey/`` (invitations, reminders,
briefings, "you said, we did" posts and notes); this turns each into messages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.commands.text import start_command
from bot.conversation.messages import Announcement, Menu, MenuItem, Message, Notice
from bot.teams import text

INVITATION = "invitation"
REMINDER = "reminder"


class UnknownPayload(ValueError):
    """An outbox payload this adapter cannot show (it is parked, not retried)."""


def outbox_messages(payload: dict[str, Any]) -> tuple[Message, ...]:
    """The messages an outbox payload stands for.

    Raises:
        UnknownPayload: a payload of no kind known here.
    """
    kind = payload.get("kind")
    if kind in (INVITATION, REMINDER) and payload.get("campaign"):
        campaign = str(payload["campaign"])
        closes_on = _day(payload.get("closes_at"))
        if kind == INVITATION:
            title = text.invitation_title(campaign)
            body = text.invitation(campaign, closes_on)
            button = text.START
        else:
            title = text.reminder_title(campaign)
            body = text.reminder(campaign, closes_on)
            button = text.CARRY_ON
        start = MenuItem(label=button, command=start_command(campaign))
        return (Notice(body, title=title), Menu(title="", items=(start,)))
    if payload.get("title") and payload.get("body"):
        link = payload.get("link")
        return (
            Announcement(
                title=str(payload["title"]),
                body=str(payload["body"]),
                link=str(link) if link else None,
            ),
        )
    if payload.get("text"):
        return (Notice(str(payload["text"])),)
    raise UnknownPayload(f"no Teams message for an outbox payload of kind {kind!r}")


def summary_of(messages: tuple[Message, ...]) -> str:
    """A short line for Teams' notification preview."""
    for message in messages:
        if isinstance(message, Notice):
            return message.title or message.text[:120]
        if isinstance(message, Announcement):
            return message.title
    return text.APP_NAME


def _day(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        return None
