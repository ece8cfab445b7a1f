"""The answer modal: free text, a number, or several choices, in a Slack modal."""

from __future__ import annotations

from bot.conversation.messages import InputKind, Prompt, Tone
from bot.slack import ids, text
from bot.slack.blocks import (
    ICONS,
    MAX_OPTION,
    MAX_RADIO,
    MAX_SECTION,
    MAX_SELECT,
    Block,
    context,
    option,
    plain_text,
    section,
)
from bot.slack.escape import mrkdwn, shorten

MAX_TITLE = 24


def question_text(prompt: Prompt) -> str:
    """The question in bold with its help underneath, escaped."""
    words = f"*{mrkdwn(prompt.text)}*"
    if prompt.help:
        words += f"\n{mrkdwn(prompt.help)}"
    return shorten(words, MAX_SECTION)


def answer_modal(prompt: Prompt, origin: ids.ModalOrigin) -> Block:
    """The modal view asking for ``prompt``'s answer.

    ``origin`` (the survey, question and message it was opened from) travels in
    ``private_metadata``, so the submission updates that message.
    """
    blocks: list[Block] = [
        context(mrkdwn(text.progress(prompt.progress.position, prompt.progress.total))),
        section(question_text(prompt)),
    ]
    if prompt.problem:
        blocks.append(section(f"{ICONS[Tone.WARNING]} {mrkdwn(prompt.problem)}"))
    blocks.append(
        {
            "type": "input",
            "block_id": ids.ANSWER_BLOCK,
            "label": plain_text(_label(prompt), 2000),
            "element": _element(prompt),
            "optional": prompt.controls.skip,
        }
    )
    return {
        "type": "modal",
        "callback_id": ids.ANSWER_MODAL,
        "title": plain_text(text.MODAL_TITLE, MAX_TITLE),
        "submit": plain_text(text.MODAL_SAVE, MAX_TITLE),
        "close": plain_text(text.MODAL_CANCEL, MAX_TITLE),
        "private_metadata": origin.encode(),
        "blocks": blocks,
    }


def notice_modal(words: str) -> Block:
    """A modal with only words and a close button: while loading, or instead."""
    return {
        "type": "modal",
        "callback_id": ids.NOTICE_MODAL,
        "title": plain_text(text.MODAL_TITLE, MAX_TITLE),
        "close": plain_text(text.MODAL_CLOSE, MAX_TITLE),
        "blocks": [section(mrkdwn(shorten(words, MAX_SECTION)))],
    }


def _label(prompt: Prompt) -> str:
    if prompt.kind == InputKind.NUMBER:
        return text.unit_label(prompt.unit)
    return text.MODAL_TITLE


def _chosen(prompt: Prompt) -> set[str]:
    if prompt.current is None:
        return set()
    if isinstance(prompt.current, list):
        return {str(code) for code in prompt.current}
    return {str(prompt.current)}


def _element(prompt: Prompt) -> Block:
    current = prompt.current
    if prompt.kind == InputKind.MULTI_CHOICE:
        options = [option(choice) for choice in prompt.choices[:MAX_SELECT]]
        few = len(options) <= MAX_RADIO
        element: Block = {
            "type": "checkboxes" if few else "multi_static_select",
            "action_id": ids.ANSWER_ELEMENT,
            "options": options,
        }
        if not few:
            element["placeholder"] = plain_text(text.CHOOSE_SEVERAL, MAX_OPTION)
        initial = [item for item in options if item["value"] in _chosen(prompt)]
        if initial:
            element["initial_options"] = initial
        return element
    if prompt.kind == InputKind.NUMBER:
        element = {
            "type": "number_input",
            "action_id": ids.ANSWER_ELEMENT,
            "is_decimal_allowed": False,
        }
        if prompt.minimum is not None:
            element["min_value"] = str(prompt.minimum)
        if prompt.maximum is not None:
            element["max_value"] = str(prompt.maximum)
        if isinstance(current, int) and not isinstance(current, bool):
            element["initial_value"] = str(current)
        return element
    longest = min(prompt.max_length or MAX_SECTION, MAX_SECTION)
    element = {
        "type": "plain_text_input",
        "action_id": ids.ANSWER_ELEMENT,
        "multiline": True,
        "max_length": longest,
    }
    special = {choice.value for choice in prompt.choices}
    if isinstance(current, str) and current and current not in special:
        element["initial_value"] = current[:longest]
    return element
