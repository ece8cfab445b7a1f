"""The Adaptive Card renderer for Teams: platform-neutral messages as cards.

Questions become cards with inputs (radio buttons for short scales, a dropdown
for 0-10, a number box, a comment box) and ``Action.Execute`` buttons whose
data names the campaign and the question, so an answered card is replaced in
place and a tap on an old card is a stale event the flow already handles. All
text from people and from the PSW goes through :func:`escape_markdown`.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.conversation.flow import REVIEW
from bot.conversation.messages import (
    Announcement,
    InputKind,
    Menu,
    Message,
    Notice,
    Prompt,
    Review,
    SummaryTable,
    Tone,
)
from bot.conversation.prose import paragraphs, safe_link
from bot.teams import text

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
EXECUTE = "Action.Execute"
SUBMIT = "Action.Submit"
ANSWER_INPUT = "answer"
EXPANDED_LIMIT = 7
"""Scales with at most this many options show as radio buttons; longer ones
(0-10) as a compact dropdown."""
CARD_BUDGET = 24_000
"""Bytes of card JSON per message, under Teams' ~28 KB message limit."""

Card = dict[str, Any]
Element = dict[str, Any]

_TONE_COLOURS = {
    Tone.INFO: "Default",
    Tone.SUCCESS: "Good",
    Tone.WARNING: "Warning",
    Tone.ERROR: "Attention",
}


class Verb(StrEnum):
    """What a card button asks the bot to do."""

    ANSWER = "answer"
    SKIP = "skip"
    BACK = "back"
    PAUSE = "pause"
    EDIT = "edit"
    SUBMIT = "submit"
    COMMAND = "command"


@dataclass(frozen=True)
class CardAction:
    """A tap on a card, read back from its data (and the inputs Teams adds).

    Attributes:
        verb: What was asked for.
        campaign_id: The survey the card was about, if any.
        question_id: The question on the card (``REVIEW`` for the review card).
        raw: What the person chose or typed, for ``ANSWER``.
        command: The command a menu button sends, for ``COMMAND``.
    """

    verb: Verb
    campaign_id: uuid.UUID | None = None
    question_id: str | None = None
    raw: str | list[str] | None = None
    command: str | None = None

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
        return cls(
            verb=chosen,
            campaign_id=campaign_id,
            question_id=str(question) if question else None,
            raw=raw,
            command=str(command) if command else None,
        )


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


_INLINE = re.compile(r"([\\`*_~\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)(#|>|[-+*]\s|\d+[.)]\s)")
_FUNCTION = re.compile(r"\{\{")


def escape_markdown(value: str) -> str:
    """Make text show as typed in a TextBlock: no markdown, mentions or functions.

    Adaptive Card TextBlocks read a markdown subset (``**bold**``, ``_italic_``,
    ``[link](url)``, lists) and ``{{DATE(...)}}`` functions; Teams reads
    ``<at>name</at>`` as a mention. Each of these is escaped.
    """
    lines = []
    for line in value.replace("\r\n", "\n").split("\n"):
        line = _INLINE.sub(r"\\\1", line)
        line = _FUNCTION.sub("{\\{", line)
        match = _LINE_START.match(line)
        if match is not None:
            lead, marker = match.groups()
            rest = line[match.end() :]
            if marker[0].isdigit():
                number = marker.rstrip()[:-1]
                marker = f"{number}\\{marker.rstrip()[-1]} "
            else:
                marker = "\\" + marker
            line = lead + marker + rest
        lines.append(line)
    return "\n".join(lines)


def _text(value: str, **style: Any) -> Element:
    """A TextBlock showing ``value`` exactly (styles given as None are left out)."""
    given = {key: setting for key, setting in style.items() if setting is not None}
    return {"type": "TextBlock", "text": escape_markdown(value), "wrap": True, **given}


def _lines(value: str, **style: Any) -> list[Element]:
    """One TextBlock per line: Teams joins single newlines inside a TextBlock."""
    blocks = [line for line in value.replace("\r\n", "\n").split("\n") if line.strip()]
    return [
        _text(line, spacing="None" if index else "Default", **style)
        for index, line in enumerate(blocks)
    ]


@dataclass
class AdaptiveCardRenderer:
    """Draws messages as Adaptive Cards (schema 1.5).

    Attributes:
        action_type: ``Action.Execute`` (universal actions; the card is replaced
            by the bot's answer) or ``Action.Submit`` (a message with the data).
    """

    action_type: str = EXECUTE

    def render(self, messages: Sequence[Message]) -> Card:
        """Draw ``messages`` in order as one card."""
        body: list[Element] = []
        for message in messages:
            for chunk in self._elements(message):
                body.extend(chunk)
        return self.card(body)

    def render_cards(self, messages: Sequence[Message]) -> list[Card]:
        """Draw ``messages`` as few cards as fit Teams' size limit, in order.

        A long summary table is split across cards, its heading repeated.
        """
        cards: list[Card] = []
        body: list[Element] = []
        for message in messages:
            for chunk in self._elements(message):
                if body and _size(self.card([*body, *chunk])) > CARD_BUDGET:
                    cards.append(self.card(body))
                    body = []
                body.extend(chunk)
        if body or not cards:
            cards.append(self.card(body))
        return cards

    @staticmethod
    def card(body: list[Element]) -> Card:
        """A card around ``body``."""
        return {
            "type": "AdaptiveCard",
            "$schema": SCHEMA,
            "version": VERSION,
            "body": body,
            "msteams": {"width": "Full"},
        }

    def _elements(self, message: Message) -> list[list[Element]]:
        """The message as chunks of elements; a card may break between chunks."""
        match message:
            case Prompt():
                return [[self._prompt(message)]]
            case Review():
                return [[self._review(message)]]
            case Notice():
                return [[_notice(message)]]
            case Menu():
                return [[self._menu(message)]]
            case SummaryTable():
                return _table_chunks(message)
            case Announcement():
                return [[_announcement(message)]]
        raise AssertionError(f"no card for {message!r}")

    def action(
        self, title: str, verb: Verb, data: dict[str, Any], *, inputs: bool = False
    ) -> Element:
        """A button that sends ``verb`` with ``data`` (and the inputs if asked)."""
        payload = {"verb": verb.value, **data}
        action: Element = {"type": self.action_type, "title": title, "data": payload}
        if self.action_type == EXECUTE:
            action["verb"] = verb.value
        action["associatedInputs"] = "auto" if inputs else "none"
        return action

    def _prompt(self, prompt: Prompt) -> Element:
        where = {"campaign": prompt.campaign_id.hex, "question": prompt.question_id}
        items: list[Element] = [
            _text(
                text.progress(prompt.campaign_name, prompt.progress),
                isSubtle=True,
                size="Small",
            ),
            _text(prompt.text, weight="Bolder", size="Medium", style="heading"),
        ]
        if prompt.help:
            items.append(_text(prompt.help, isSubtle=True, spacing="Small"))
        if prompt.problem:
            items.append(_text(prompt.problem, color="Attention", weight="Bolder"))
        items.extend(_input(prompt))
        data = dict(where)
        if prompt.kind == InputKind.MULTI_CHOICE:
            data["multiple"] = "1"
        actions = [self.action(text.CONTINUE, Verb.ANSWER, data, inputs=True)]
        if prompt.kind in (InputKind.NUMBER, InputKind.TEXT):
            actions += [
                self.action(
                    choice.label, Verb.ANSWER, {**where, "special": choice.value}
                )
                for choice in prompt.choices
            ]
        if prompt.controls.skip:
            actions.append(self.action(text.SKIP, Verb.SKIP, where))
        if prompt.controls.back:
            actions.append(self.action(text.BACK, Verb.BACK, where))
        if prompt.controls.pause:
            actions.append(self.action(text.PAUSE, Verb.PAUSE, where))
        items.append({"type": "ActionSet", "actions": actions})
        return {"type": "Container", "items": items}

    def _review(self, review: Review) -> Element:
        where = {"campaign": review.campaign_id.hex, "question": REVIEW}
        items: list[Element] = [
            _text(
                text.review_heading(review.campaign_name),
                weight="Bolder",
                size="Medium",
                style="heading",
            ),
            _text(text.review_hint(), isSubtle=True, spacing="Small"),
        ]
        if review.problem:
            items.append(_text(review.problem, color="Attention", weight="Bolder"))
        if review.missing:
            items.append(_text(text.still_needed(len(review.missing)), color="Warning"))
        missing = set(review.missing)
        for row in review.rows:
            answer = text.NOT_ANSWERED if row.question_id in missing else row.answer
            edit = {"campaign": review.campaign_id.hex, "question": row.question_id}
            items.append(
                {
                    "type": "Container",
                    "separator": True,
                    "items": [
                        _text(row.question, isSubtle=True, size="Small"),
                        _text(
                            answer,
                            weight="Bolder",
                            spacing="None",
                            color="Warning" if row.question_id in missing else None,
                        ),
                    ],
                    "selectAction": self.action(row.question, Verb.EDIT, edit),
                }
            )
        actions = [
            self.action(text.SEND, Verb.SUBMIT, where),
            self.action(text.BACK, Verb.BACK, where),
            self.action(text.PAUSE, Verb.PAUSE, where),
        ]
        items.append({"type": "ActionSet", "actions": actions})
        return {"type": "Container", "items": items}

    def _menu(self, menu: Menu) -> Element:
        items: list[Element] = []
        if menu.title:
            items.append(_text(menu.title, weight="Bolder"))
        for item in menu.items:
            if item.detail:
                items.append(_text(f"{item.label}: {item.detail}", spacing="Small"))
        actions = [
            self.action(item.label, Verb.COMMAND, {"command": item.command})
            for item in menu.items
        ]
        if actions:
            items.append({"type": "ActionSet", "actions": actions})
        return {"type": "Container", "items": items}


def _input(prompt: Prompt) -> list[Element]:
    if prompt.kind in (InputKind.CHOICE, InputKind.MULTI_CHOICE):
        multiple = prompt.kind == InputKind.MULTI_CHOICE
        expanded = multiple or len(prompt.choices) <= EXPANDED_LIMIT
        choice_set: Element = {
            "type": "Input.ChoiceSet",
            "id": ANSWER_INPUT,
            "label": text.YOUR_ANSWER,
            "style": "expanded" if expanded else "compact",
            "isMultiSelect": multiple,
            "wrap": True,
            # Choice titles are plain text in Teams, never markdown.
            "choices": [
                {"title": choice.label, "value": choice.value}
                for choice in prompt.choices
            ],
        }
        current = _current_choice(prompt)
        if current:
            choice_set["value"] = current
        elements = [choice_set]
        if multiple:
            elements.insert(0, _text(text.choose_all(), isSubtle=True, spacing="Small"))
        return elements
    if prompt.kind == InputKind.NUMBER:
        number: Element = {
            "type": "Input.Number",
            "id": ANSWER_INPUT,
            "label": text.YOUR_ANSWER,
            "placeholder": text.number_hint(prompt.minimum, prompt.maximum, None),
        }
        if prompt.minimum is not None:
            number["min"] = prompt.minimum
        if prompt.maximum is not None:
            number["max"] = prompt.maximum
        if isinstance(prompt.current, int):
            number["value"] = prompt.current
        hint = text.number_hint(prompt.minimum, prompt.maximum, prompt.unit)
        return [number, _text(hint, isSubtle=True, size="Small", spacing="Small")]
    box: Element = {
        "type": "Input.Text",
        "id": ANSWER_INPUT,
        "label": text.YOUR_ANSWER,
        "isMultiline": True,
    }
    if prompt.max_length:
        box["maxLength"] = prompt.max_length
    typed = _typed(prompt)
    if typed:
        box["value"] = typed
    hint = text.text_hint(prompt.max_length)
    return [box, _text(hint, isSubtle=True, size="Small", spacing="Small")]


def _current_choice(prompt: Prompt) -> str:
    current = prompt.current
    if current is None:
        return ""
    if isinstance(current, list):
        return ",".join(str(code) for code in current)
    return str(current)


def _typed(prompt: Prompt) -> str:
    if prompt.current is None or isinstance(prompt.current, list):
        return ""
    value = str(prompt.current)
    if value in {choice.value for choice in prompt.choices}:
        return ""
    return value


def _notice(notice: Notice) -> Element:
    colour = _TONE_COLOURS[notice.tone]
    items: list[Element] = []
    if notice.title:
        items.append(_text(notice.title, weight="Bolder", size="Medium", color=colour))
    items.extend(_lines(notice.text, color=None if notice.title else colour))
    return {"type": "Container", "items": items}


def _announcement(announcement: Announcement) -> Element:
    items: list[Element] = [
        _text(announcement.title, weight="Bolder", size="Large", style="heading")
    ]
    items += [_text(block) for block in paragraphs(announcement.body)]
    link = safe_link(announcement.link)
    if link and link.startswith("http"):
        items.append(
            {
                "type": "ActionSet",
                "actions": [
                    {"type": "Action.OpenUrl", "title": text.OPEN_LINK, "url": link}
                ],
            }
        )
    return {"type": "Container", "items": items}


def _table_chunks(table: SummaryTable, rows_per_chunk: int = 12) -> list[list[Element]]:
    chunks: list[list[Element]] = []
    rows = list(table.rows)
    starts = range(0, max(len(rows), 1), rows_per_chunk)
    for number, start in enumerate(starts):
        title = table.title if number == 0 else f"{table.title} {text.CONTINUED}"
        part = rows[start : start + rows_per_chunk]
        chunk: list[Element] = [
            _text(title, weight="Bolder", size="Medium", style="heading"),
            _table(table.columns, part),
        ]
        chunks.append(chunk)
    if table.note:
        chunks[-1].append(_text(table.note, isSubtle=True, size="Small"))
    return chunks


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> Element:
    def cell(value: str, *, header: bool = False) -> Element:
        block = _text(value, weight="Bolder" if header else None)
        return {"type": "TableCell", "items": [block]}

    header = {
        "type": "TableRow",
        "cells": [cell(column, header=True) for column in columns],
    }
    body = [
        {"type": "TableRow", "cells": [cell(value) for value in row]} for row in rows
    ]
    return {
        "type": "Table",
        "firstRowAsHeader": True,
        "gridStyle": "accent",
        "columns": [{"width": 2 if index == 0 else 1} for index in range(len(columns))],
        "rows": [header, *body],
    }


def _size(card: Card) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode())


def attachment(card: Card) -> dict[str, Any]:
    """The activity attachment that carries ``card``."""
    return {"contentType": CONTENT_TYPE, "content": card}
