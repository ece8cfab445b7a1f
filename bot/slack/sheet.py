"""A short survey as one Slack message: a radio group per question and one Send.

Each single-choice question is a group of radio buttons (a select past ten
options), a several-choice one checkboxes, in an ``actions`` block whose
``block_id`` names the survey and the question; Send reads them all back from
the ``state.values`` Slack posts with the tap. A group left empty is skipped,
unless the bank marks the question required. A comment or a number cannot be
typed into a message, so those questions are asked next, one at a time. Inside
Slack's limits: two blocks a question (a short survey has at most ten, so
under 25 in all), options of 75 characters, ten radio buttons.
"""

from __future__ import annotations

from typing import Any

from bot.conversation.flow import REVIEW
from bot.conversation.messages import InputKind, Prompt, QuestionSheet, Tone
from bot.slack import ids, text
from bot.slack.blocks import (
    ICONS,
    MAX_RADIO,
    MAX_SELECT,
    Block,
    button,
    context,
    header,
    option,
    plain_text,
    section,
)
from bot.slack.escape import mrkdwn
from bot.slack.modal import question_text

SHEET_PART = "sheet"
TAPPED = (InputKind.CHOICE, InputKind.MULTI_CHOICE)


def sheet_blocks(sheet: QuestionSheet) -> list[Block]:
    """The whole survey as blocks: a header, a group per question, and Send."""
    blocks: list[Block] = [
        header(sheet.campaign_name),
        context(mrkdwn(text.sheet_hint(len(sheet.prompts)))),
    ]
    if sheet.problem:
        blocks.append(section(f"{ICONS[Tone.WARNING]} {mrkdwn(sheet.problem)}"))
    later = []
    for prompt in sheet.prompts:
        if prompt.kind not in TAPPED:
            later.append(prompt.text)
            continue
        words = question_text(prompt)
        if prompt.problem:
            words += f"\n{ICONS[Tone.WARNING]} {mrkdwn(prompt.problem)}"
        blocks.append(section(words))
        blocks.append(
            {
                "type": "actions",
                "block_id": ids.block_id(
                    prompt.campaign_id, prompt.question_id, SHEET_PART
                ),
                "elements": [_element(prompt)],
            }
        )
    if later:
        blocks.append(context(mrkdwn(text.sheet_later(later))))
    blocks.append(
        {
            "type": "actions",
            "block_id": ids.block_id(sheet.campaign_id, REVIEW, "sheet-send"),
            "elements": [button(text.SEND, ids.SHEET_SUBMIT, "send", style="primary")],
        }
    )
    return blocks


def _element(prompt: Prompt) -> Block:
    current = prompt.current
    options = [option(choice) for choice in prompt.choices[:MAX_SELECT]]
    chosen = set(current) if isinstance(current, list) else {str(current)}
    initial = [item for item in options if item["value"] in chosen]
    element: Block
    if prompt.kind == InputKind.MULTI_CHOICE:
        element = {"type": "checkboxes", "options": options[:MAX_RADIO]}
        if initial:
            element["initial_options"] = initial
    else:
        kind = "radio_buttons" if len(options) <= MAX_RADIO else "static_select"
        element = {"type": kind, "options": options}
        if kind == "static_select":
            element["placeholder"] = plain_text(text.CHOOSE, 150)
        if initial:
            element["initial_option"] = initial[0]
    element["action_id"] = ids.SHEET_ANSWER
    return element


def sheet_answers(state: dict[str, Any]) -> tuple[Any, dict[str, str | list[str]]]:
    """The survey and each question's answer from a tap's ``state.values``.

    Returns the campaign id the groups were drawn for (``None`` if none are
    ours) and the answers by question id; a group left empty gives an empty
    answer.
    """
    campaign_id = None
    answers: dict[str, str | list[str]] = {}
    for block_id, elements in (state.get("values") or {}).items():
        screen = ids.screen_of(block_id)
        element = (elements or {}).get(ids.SHEET_ANSWER)
        if screen is None or not block_id.endswith(f"|{SHEET_PART}") or not element:
            continue
        campaign_id = screen.campaign_id
        answers[screen.question_id] = _value(element)
    return campaign_id, answers


def _value(element: dict[str, Any]) -> str | list[str]:
    if element.get("type") == "checkboxes":
        return [
            str(item.get("value", "")) for item in element.get("selected_options") or []
        ]
    chosen = element.get("selected_option")
    if chosen:
        return str(chosen.get("value", ""))
    value = element.get("value")
    return "" if value is None else str(value)
