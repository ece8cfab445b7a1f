"""Block Kit building blocks shared by messages, modals and the App Home.

The limits are Slack's documented ones; all text goes through
:mod:`bot.slack.escape` on its way in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.conversation.messages import Choice, Tone
from bot.slack.escape import plain, shorten

Block = dict[str, Any]

MAX_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION = 3000
MAX_BUTTON = 75
MAX_OPTION = 75
MAX_HEADER = 150
MAX_RADIO = 10
MAX_SELECT = 100
MAX_FALLBACK = 3000

ICONS = {
    Tone.INFO: ":information_source:",
    Tone.SUCCESS: ":white_check_mark:",
    Tone.WARNING: ":warning:",
    Tone.ERROR: ":x:",
}


def plain_text(words: str, limit: int) -> Block:
    """A ``plain_text`` object, made safe and cut to ``limit``."""
    return {"type": "plain_text", "text": plain(words, limit) or " ", "emoji": True}


def section(markdown: str) -> Block:
    """A section of already-escaped ``mrkdwn``."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": markdown}}


def context(markdown: str) -> Block:
    """A context line of already-escaped ``mrkdwn``."""
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": markdown}]}


def header(words: str) -> Block:
    """A header block (plain text, at most 150 characters)."""
    return {"type": "header", "text": plain_text(words, MAX_HEADER)}


def button(
    label: str,
    action_id: str,
    value: str,
    *,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    """A button element."""
    element: Block = {
        "type": "button",
        "text": plain_text(label, MAX_BUTTON),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def option(choice: Choice) -> Block:
    """An option object for radio buttons, checkboxes and selects."""
    return {"text": plain_text(choice.label, MAX_OPTION), "value": choice.value}


def packed(
    lines: list[str], limit: int = MAX_SECTION, *, gap: str = "\n\n"
) -> Iterator[str]:
    """Lines joined into as few chunks of at most ``limit`` characters as fit."""
    chunk = ""
    for line in lines:
        line = shorten(line, limit)
        if chunk and len(chunk) + len(gap) + len(line) > limit:
            yield chunk
            chunk = ""
        chunk = f"{chunk}{gap}{line}" if chunk else line
    if chunk:
        yield chunk
