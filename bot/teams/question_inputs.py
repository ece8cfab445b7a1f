"""The answer inputs on a Teams question card: choices, number box, comment box."""

from __future__ import annotations

from bot.conversation.messages import InputKind, Prompt
from bot.teams import text
from bot.teams.card_actions import ANSWER_INPUT, SHEET_INPUT
from bot.teams.card_blocks import Element, text_block

EXPANDED_LIMIT = 7
"""Scales with at most this many options show as radio buttons; longer ones
(0-10) as a compact dropdown."""
ONE_TAP_LIMIT = 6
"""A single-choice question with at most this many options shows one button per
option, which answers and moves on (Teams keeps six buttons out of the overflow
menu); a longer one (0-10) a compact dropdown and Continue."""


def one_tap(prompt: Prompt) -> bool:
    """Whether the question is answered by tapping one of its option buttons."""
    return prompt.kind == InputKind.CHOICE and len(prompt.choices) <= ONE_TAP_LIMIT


def sheet_inputs(prompt: Prompt) -> list[Element]:
    """``prompt`` on the one-card form: its input labelled with the question.

    Each input's id names its question (``answer_<id>``); a problem with what
    was given is said above it.
    """
    elements = answer_inputs(prompt)
    for element in elements:
        if element["type"].startswith("Input."):
            element["id"] = SHEET_INPUT + prompt.question_id
            element["label"] = prompt.text
            element["separator"] = True
    if prompt.help:
        elements.insert(1, text_block(prompt.help, isSubtle=True, spacing="Small"))
    if prompt.problem:
        elements.insert(0, text_block(prompt.problem, color="Attention"))
    return elements


def answer_inputs(prompt: Prompt) -> list[Element]:
    """The inputs that take the answer to ``prompt``, with its current answer."""
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
            elements.insert(
                0, text_block(text.choose_all(), isSubtle=True, spacing="Small")
            )
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
        return [number, text_block(hint, isSubtle=True, size="Small", spacing="Small")]
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
    return [box, text_block(hint, isSubtle=True, size="Small", spacing="Small")]


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
