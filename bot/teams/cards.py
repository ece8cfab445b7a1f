"""The Adaptive Card renderer for Teams: platform-neutral messages as cards.

Questions become cards with inputs (radio buttons for short scales, a dropdown
for 0-10, a number box, a comment box) and ``Action.Execute`` buttons whose
data names the campaign and the question, so an answered card is replaced in
place and a tap on an old card is a stale event the flow already handles. All
text from people and from the PSW goes through
:func:`bot.teams.card_blocks.escape_markdown`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.conversation.flow import REVIEW
from bot.conversation.messages import (
    Announcement,
    InputKind,
    Menu,
    Message,
    Notice,
    Prompt,
    QuestionSheet,
    Review,
    SummaryTable,
)
from bot.teams import text
from bot.teams.card_actions import Verb
from bot.teams.card_blocks import Element, text_block
from bot.teams.question_inputs import answer_inputs, one_tap, sheet_inputs
from bot.teams.summary_cards import announcement_card, notice_card, table_chunks

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
EXECUTE = "Action.Execute"
SUBMIT = "Action.Submit"
CARD_BUDGET = 24_000
"""Bytes of card JSON per message, under Teams' ~28 KB message limit."""

Card = dict[str, Any]


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
            case QuestionSheet():
                return [[self._sheet(message)]]
            case Notice():
                return [[notice_card(message)]]
            case Menu():
                return [[self._menu(message)]]
            case SummaryTable():
                return table_chunks(message)
            case Announcement():
                return [[announcement_card(message)]]
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
            text_block(
                text.progress(prompt.campaign_name, prompt.progress),
                isSubtle=True,
                size="Small",
            ),
            text_block(prompt.text, weight="Bolder", size="Medium", style="heading"),
        ]
        if prompt.help:
            items.append(text_block(prompt.help, isSubtle=True, spacing="Small"))
        if prompt.problem:
            items.append(text_block(prompt.problem, color="Attention", weight="Bolder"))
        if one_tap(prompt):
            # One tap: each option is a button that answers and moves on.
            items.append({"type": "ActionSet", "actions": self._options(prompt)})
            actions: list[Element] = []
        else:
            items.extend(answer_inputs(prompt))
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
        if prompt.controls.all_at_once:
            actions.append(self.action(text.ALL_AT_ONCE, Verb.ALL_AT_ONCE, where))
        items.append({"type": "ActionSet", "actions": actions})
        return {"type": "Container", "items": items}

    def _sheet(self, sheet: QuestionSheet) -> Element:
        """A short survey in one card: every question's input and one Send."""
        items: list[Element] = [
            text_block(
                sheet.campaign_name, weight="Bolder", size="Medium", style="heading"
            ),
            text_block(text.sheet_hint(len(sheet.prompts)), isSubtle=True),
        ]
        if sheet.problem:
            items.append(text_block(sheet.problem, color="Attention", weight="Bolder"))
        for prompt in sheet.prompts:
            items.extend(sheet_inputs(prompt))
        data = {
            "campaign": sheet.campaign_id.hex,
            "question": REVIEW,
            "questions": ",".join(prompt.question_id for prompt in sheet.prompts),
            "multiple": ",".join(
                prompt.question_id
                for prompt in sheet.prompts
                if prompt.kind == InputKind.MULTI_CHOICE
            ),
        }
        send = self.action(text.SEND, Verb.SEND_ALL, data, inputs=True)
        items.append({"type": "ActionSet", "actions": [send]})
        return {"type": "Container", "items": items}

    def _options(self, prompt: Prompt) -> list[Element]:
        where = {"campaign": prompt.campaign_id.hex, "question": prompt.question_id}
        buttons = []
        for choice in prompt.choices:
            button = self.action(
                choice.label, Verb.ANSWER, {**where, "special": choice.value}
            )
            if choice.value == prompt.current:
                # The answer given before (after Back): marked, and said in words.
                button["style"] = "positive"
                button["title"] = text.chosen(choice.label)
            buttons.append(button)
        return buttons

    def _review(self, review: Review) -> Element:
        where = {"campaign": review.campaign_id.hex, "question": REVIEW}
        items: list[Element] = [
            text_block(
                text.review_heading(review.campaign_name),
                weight="Bolder",
                size="Medium",
                style="heading",
            ),
            text_block(text.review_hint(), isSubtle=True, spacing="Small"),
        ]
        if review.problem:
            items.append(text_block(review.problem, color="Attention", weight="Bolder"))
        if review.missing:
            items.append(
                text_block(text.still_needed(len(review.missing)), color="Warning")
            )
        missing = set(review.missing)
        for row in review.rows:
            answer = text.NOT_ANSWERED if row.question_id in missing else row.answer
            edit = {"campaign": review.campaign_id.hex, "question": row.question_id}
            items.append(
                {
                    "type": "Container",
                    "separator": True,
                    "items": [
                        text_block(row.question, isSubtle=True, size="Small"),
                        text_block(
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
            items.append(text_block(menu.title, weight="Bolder"))
        for item in menu.items:
            if item.detail:
                items.append(
                    text_block(f"{item.label}: {item.detail}", spacing="Small")
                )
        actions = [
            self.action(item.label, Verb.COMMAND, {"command": item.command})
            for item in menu.items
        ]
        if actions:
            items.append({"type": "ActionSet", "actions": actions})
        return {"type": "Container", "items": items}


def _size(card: Card) -> int:
    return len(json.dumps(card, ensure_ascii=False).encode())


def attachment(card: Card) -> dict[str, Any]:
    """The activity attachment that carries ``card``."""
    return {"contentType": CONTENT_TYPE, "content": card}
