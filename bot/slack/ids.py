"""The ids carried by Block Kit elements: which survey and question a tap is about.

A ``block_id`` names the campaign and the question (``hc|<campaign>|<question>|
<part>``), so every tap says which screen it came from. The flow treats a tap on
a screen already left behind as stale, which is how a double click, or Slack
retrying a request, records one answer.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

PREFIX = "hc"

ANSWER = "hc.answer"
"""Buttons, one per option: ``hc.answer.<n>``; the option code is the value."""
CHOOSE = "hc.choose"
"""Radio buttons or a select: the chosen option's value is the answer."""
OPEN_MODAL = "hc.open"
"""Opens the modal for free text, numbers and several choices."""
BACK = "hc.back"
SKIP = "hc.skip"
PAUSE = "hc.pause"
SUBMIT = "hc.submit"
EDIT = "hc.edit"
SHEET_ANSWER = "hc.sheet"
"""An input of the one-message form (never dispatched on its own)."""
SHEET_SUBMIT = "hc.sheet_send"
"""Send on the one-message form: the answers come in ``state.values``."""
ALL_AT_ONCE = "hc.all"
"""Show a short survey's questions in one message."""
START = "hc.start"
"""Start or resume a survey; the value is the campaign id."""
COMMAND = "hc.command"
"""Runs a command of the shared grammar; ``hc.command.<n>``, the value is the text."""

ANSWER_MODAL = "hc.answer_modal"
NOTICE_MODAL = "hc.notice_modal"
"""The ``callback_id`` of the answer modal."""
ANSWER_BLOCK = "answer"
ANSWER_ELEMENT = "value"


@dataclass(frozen=True)
class Screen:
    """The campaign and question (or review) a block belongs to."""

    campaign_id: uuid.UUID
    question_id: str


def block_id(campaign_id: uuid.UUID, question_id: str, part: str) -> str:
    """The ``block_id`` of one part of a screen."""
    return f"{PREFIX}|{campaign_id.hex}|{question_id}|{part}"


def screen_of(block: str | None) -> Screen | None:
    """The screen a ``block_id`` names, or None if it is not one of ours."""
    if not block:
        return None
    parts = block.split("|")
    if len(parts) != 4 or parts[0] != PREFIX:
        return None
    try:
        return Screen(uuid.UUID(hex=parts[1]), parts[2])
    except ValueError:
        return None


@dataclass(frozen=True)
class ModalOrigin:
    """Where an answer modal was opened from, kept in its ``private_metadata``."""

    campaign_id: uuid.UUID
    question_id: str
    channel: str | None
    ts: str | None

    def encode(self) -> str:
        """As ``private_metadata`` (well under Slack's 3,000 characters)."""
        return json.dumps(
            {
                "c": self.campaign_id.hex,
                "q": self.question_id,
                "ch": self.channel,
                "ts": self.ts,
            }
        )

    @classmethod
    def decode(cls, metadata: str) -> ModalOrigin | None:
        """Read ``private_metadata`` back; None if it is not ours."""
        try:
            data: dict[str, Any] = json.loads(metadata)
            return cls(
                campaign_id=uuid.UUID(hex=str(data["c"])),
                question_id=str(data["q"]),
                channel=data.get("ch"),
                ts=data.get("ts"),
            )
        except (ValueError, KeyError, TypeError):
            return None
