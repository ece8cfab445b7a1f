"""Block Kit building blocks shared by messages, modals and the App Home.

The limits are Slack's documented ones; all text goes through
:mod:`bot.slack.escape` on its way in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.conversation.messages import Choice, Tone
from bot.slack.escape import plain

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
    """Lines joined into as few chunks of at most ``limit`` characters as fit.

    A line longer than ``limit`` is split between words over several chunks,
    never cut short.
    """
    chunk = ""
    for whole in lines:
        for line in split_long(whole, limit):
            if chunk and len(chunk) + len(gap) + len(line) > limit:
                yield chunk
                chunk = ""
            chunk = f"{chunk}{gap}{line}" if chunk else line
    if chunk:
        yield chunk


def split_long(line: str, limit: int) -> list[str]:
    """``line`` in pieces of at most ``limit`` characters, split between words.

    A piece ends at the last space or newline that fits; a word longer than
    ``limit`` is split inside it, but never inside an entity such as ``&amp;``.
    """
    pieces = []
    while len(line) > limit:
        cut = max(line.rfind(" ", 0, limit + 1), line.rfind("\n", 0, limit + 1))
        if cut <= 0:
            cut = limit
            entity = line.rfind("&", max(0, limit - 6), limit)
            if entity > 0 and ";" not in line[entity:limit]:
                cut = entity
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip(" \n")
    pieces.append(line)
    return [piece for piece in pieces if piece]
