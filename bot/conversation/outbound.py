"""Turning an outbox payload into platform-neutral messages, alike on every platform."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.conversation.messages import Announcement, Message, Notice, Tone


def messages_for(payload: dict[str, Any]) -> tuple[Message, ...]:
    """What a delivered outbox payload says, as messages any renderer can draw."""
    kind = str(payload.get("kind", ""))
    campaign = str(payload.get("campaign", "a survey"))
    if kind == "invitation":
        return (
            Notice(
                f"'{campaign}' is open{_closing(payload)}. It takes a few minutes and "
                f"your answers are anonymous. Type 'start {campaign}' to begin.",
                Tone.INFO,
                title="A new survey for you",
            ),
        )
    if kind in ("reminder", "nudge"):
        progress = payload.get("progress")
        done = f" You have answered {progress}." if progress else ""
        return (
            Notice(
                f"A reminder: '{campaign}' is still open{_closing(payload)}.{done} "
                f"Type 'resume {campaign}' to carry on, or 'mute {campaign}' to stop "
                "reminders.",
                Tone.INFO,
                title="Reminder",
            ),
        )
    if "title" in payload and "body" in payload:
        link = payload.get("link")
        return (
            Announcement(
                title=str(payload["title"]),
                body=str(payload["body"]),
                link=str(link) if link else None,
            ),
        )
    return (Notice(str(payload.get("text", "")), Tone.INFO),)


def _closing(payload: dict[str, Any]) -> str:
    closes = payload.get("closes_at")
    if not closes:
        return ""
    try:
        when = datetime.fromisoformat(str(closes))
    except ValueError:
        return ""
    return f" until {when:%A %-d %B}"
