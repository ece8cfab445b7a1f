"""Previews of posts as Slack will show them: the real Block Kit, read back plainly."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from bot.platforms.previews import (
    BUTTON,
    HEADING,
    LINK,
    NOTE,
    PARAGRAPH,
    ChannelPreview,
    PreviewPart,
)
from bot.slack.blocks import Block
from bot.slack.posts import outbox_blocks

_WHOLE_LINK = re.compile(r"^<([^|<>]+)\|([^<>]+)>$")
_INLINE_LINK = re.compile(r"<([^|<>]+)\|([^<>]+)>")


def slack_preview(payload: dict[str, Any]) -> ChannelPreview:
    """The blocks :mod:`bot.slack.delivery` sends for ``payload``, and how they read."""
    fallback, blocks = outbox_blocks(payload)
    parts = [part for block in blocks for part in _parts(block)]
    source = json.dumps(
        {"text": fallback, "blocks": blocks}, indent=2, ensure_ascii=False
    )
    return ChannelPreview("Slack", "Block Kit", tuple(parts), source)


def _parts(block: Block) -> list[PreviewPart]:
    kind = block.get("type")
    if kind == "header":
        return [PreviewPart(HEADING, str(block["text"]["text"]))]
    if kind == "section":
        return [_section(str(block["text"]["text"]))]
    if kind == "context":
        return [
            PreviewPart(NOTE, _plain(str(element.get("text", ""))))
            for element in block.get("elements", [])
        ]
    if kind == "actions":
        return [
            PreviewPart(BUTTON, str(element["text"]["text"]))
            for element in block.get("elements", [])
            if element.get("type") == "button"
        ]
    return [PreviewPart(NOTE, f"({kind} block)")]


def _section(markdown: str) -> PreviewPart:
    whole = _WHOLE_LINK.match(markdown)
    if whole is not None:
        return PreviewPart(LINK, _plain(whole.group(2)), _plain(whole.group(1)))
    return PreviewPart(PARAGRAPH, _plain(markdown))


def _plain(markdown: str) -> str:
    """Slack mrkdwn as a person reads it: entities decoded, links as their label."""
    return html.unescape(_INLINE_LINK.sub(r"\2 (\1)", markdown))
