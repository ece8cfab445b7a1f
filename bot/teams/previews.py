"""Previews of posts as Teams will show them: the real Adaptive Cards, read plainly."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.platforms.previews import (
    BREAK,
    BUTTON,
    HEADING,
    LINK,
    PARAGRAPH,
    ChannelPreview,
    PreviewPart,
)
from bot.teams.card_blocks import Element
from bot.teams.cards import AdaptiveCardRenderer, attachment
from bot.teams.outgoing import outbox_messages

_ESCAPED = re.compile(r"\\(.)")


def teams_preview(payload: dict[str, Any]) -> ChannelPreview:
    """The cards :mod:`bot.teams.delivery` sends for ``payload``, and how they read."""
    cards = AdaptiveCardRenderer().render_cards(outbox_messages(payload))
    parts: list[PreviewPart] = []
    for index, card in enumerate(cards):
        if index:
            parts.append(PreviewPart(BREAK))
        parts += _parts(card.get("body", []))
        parts += _actions(card.get("actions", []))
    source = json.dumps(
        [attachment(card) for card in cards], indent=2, ensure_ascii=False
    )
    return ChannelPreview("Microsoft Teams", "Adaptive Card", tuple(parts), source)


def _parts(elements: list[Element]) -> list[PreviewPart]:
    parts: list[PreviewPart] = []
    for element in elements:
        kind = element.get("type")
        if kind == "TextBlock":
            words = _ESCAPED.sub(r"\1", str(element.get("text", "")))
            heading = element.get("style") == "heading" or (
                element.get("weight") == "Bolder"
            )
            parts.append(PreviewPart(HEADING if heading else PARAGRAPH, words))
        elif kind == "ActionSet":
            parts += _actions(element.get("actions", []))
        else:
            parts += _parts(element.get("items", []))
    return parts


def _actions(actions: list[Element]) -> list[PreviewPart]:
    return [
        PreviewPart(LINK, str(action.get("title", "")), str(action["url"]))
        if action.get("type") == "Action.OpenUrl"
        else PreviewPart(BUTTON, str(action.get("title", "")))
        for action in actions
    ]
