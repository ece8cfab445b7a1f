"""What a post will look like on a chat platform, in a form any page can draw.

Each chat channel turns an outbox payload into its own markup (Block Kit, an
Adaptive Card) with the same code its delivery uses, then describes that markup
here as plain parts: headings, paragraphs, notes, buttons and links. The web
channel draws the parts, and shows the markup itself beside them, so the PSW
sees exactly what each platform will be sent. The composition root hands the
web channel one previewer per chat platform; the channels never import each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

HEADING = "heading"
PARAGRAPH = "paragraph"
NOTE = "note"
BUTTON = "button"
LINK = "link"
BREAK = "break"


@dataclass(frozen=True)
class PreviewPart:
    """One readable piece of a platform's message.

    Attributes:
        kind: :data:`HEADING`, :data:`PARAGRAPH`, :data:`NOTE`, :data:`BUTTON`,
            :data:`LINK`, or :data:`BREAK` between two messages or cards.
        text: The words as the platform shows them.
        href: Where a link goes.
    """

    kind: str
    text: str = ""
    href: str | None = None


@dataclass(frozen=True)
class ChannelPreview:
    """A post as one platform will show it.

    Attributes:
        platform: The platform's name, e.g. "Slack".
        markup: What the markup is, e.g. "Block Kit".
        parts: The message, readably.
        source: The markup exactly as it will be sent, as indented JSON.
    """

    platform: str
    markup: str
    parts: tuple[PreviewPart, ...]
    source: str


PostPreviewer = Callable[[dict[str, Any]], ChannelPreview]
"""Draws an outbox payload as one platform would send it."""
