"""What a tap on a Teams card asks the bot to do, read back from the card's data."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

ANSWER_INPUT = "answer"
SHEET_INPUT = "answer_"
"""The one-card form's inputs: ``answer_<question id>``."""


class Verb(StrEnum):
    """What a card button asks the bot to do."""

    ANSWER = "answer"
    SKIP = "skip"
    BACK = "back"
    PAUSE = "pause"
    EDIT = "edit"
    SUBMIT = "submit"
    COMMAND = "command"
    ALL_AT_ONCE = "all"
    SEND_ALL = "send_all"


@dataclass(frozen=True)
class CardAction:
    """A tap on a card, read back from its data (and the inputs Teams adds).

    Attributes:
        verb: What was asked for.
        campaign_id: The survey the card was about, if any.
        question_id: The question on the card (``REVIEW`` for the review card).
        raw: What the person chose or typed, for ``ANSWER``.
        command: The command a menu button sends, for ``COMMAND``.
        answers: Every input of the one-card form by question id, for
            ``SEND_ALL`` (an input left empty comes back empty).
    """

    verb: Verb
    campaign_id: uuid.UUID | None = None
    question_id: str | None = None
    raw: str | list[str] | None = None
    command: str | None = None
    answers: dict[str, str | list[str]] | None = None

    @classmethod
    def from_data(cls, verb: str | None, data: object) -> CardAction | None:
        """Read a tap; ``None`` when the data is not one of our cards'."""
        if not isinstance(data, dict):
            return None
        try:
            chosen = Verb(verb or str(data.get("verb", "")))
        except ValueError:
            return None
        campaign = data.get("campaign")
        try:
            campaign_id = uuid.UUID(str(campaign)) if campaign else None
        except ValueError:
            return None
        question = data.get("question")
        raw: str | list[str] | None = None
        if chosen == Verb.ANSWER:
            raw = _raw_answer(data)
        command = data.get("command")
        answers = None
        if chosen == Verb.SEND_ALL:
            answers = _sheet_answers(data)
        return cls(
            verb=chosen,
            campaign_id=campaign_id,
            question_id=str(question) if question else None,
            raw=raw,
            command=str(command) if command else None,
            answers=answers,
        )


def _sheet_answers(data: dict[str, Any]) -> dict[str, str | list[str]]:
    multiple = set(str(data.get("multiple", "")).split(","))
    # Teams may leave an input nobody touched out of the data: it was skipped.
    answers: dict[str, str | list[str]] = {
        question: ""
        for question in str(data.get("questions", "")).split(",")
        if question
    }
    for key, value in data.items():
        if not key.startswith(SHEET_INPUT):
            continue
        question = key.removeprefix(SHEET_INPUT)
        if question in multiple:
            answers[question] = [part for part in str(value or "").split(",") if part]
        elif isinstance(value, float) and value.is_integer():
            answers[question] = str(int(value))
        else:
            answers[question] = "" if value is None else str(value)
    return answers


def _raw_answer(data: dict[str, Any]) -> str | list[str]:
    special = data.get("special")
    if special:
        return str(special)
    value = data.get(ANSWER_INPUT, "")
    if data.get("multiple"):
        # Teams sends a multi-select ChoiceSet's choices as "a,b,c".
        text_value = str(value or "")
        return [part for part in text_value.split(",") if part]
    if isinstance(value, list):
        return [str(part) for part in value]
    if isinstance(value, float) and value.is_integer():
        # An Input.Number may come back as 4.0 for a whole number.
        return str(int(value))
    return "" if value is None else str(value)
