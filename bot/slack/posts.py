"""Block Kit for figures, announcements and the messages the outbox sends.

The outbox carries plain data (``kind``, names, titles, bodies), never markup;
:func:`outbox_blocks` draws it here, escaping everything on the way.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from bot.conversation.messages import Announcement, Notice, SummaryTable, Tone
from bot.conversation.prose import paragraphs, safe_link
from bot.slack import ids, text
from bot.slack.blocks import (
    ICONS,
    MAX_SECTION,
    Block,
    button,
    context,
    header,
    packed,
    section,
)
from bot.slack.escape import mrkdwn, shorten

INVITATION = "invitation"
REMINDER = "reminder"
NUDGE = "nudge"
SURVEY_KINDS = (INVITATION, REMINDER, NUDGE)
COLUMN_WIDTH = 40
"""The widest cell drawn as an aligned column; wider tables become paragraphs."""
MAX_CONTEXT = 2000


def table_blocks(table: SummaryTable) -> list[Block]:
    """A table as aligned columns in a code block (Slack has no table block).

    A table with a cell too wide for a column (a question's wording, a quote)
    is drawn as one short paragraph per row instead, so no cell is cut. A long
    table runs over as many blocks as it needs; the renderer splits messages.
    """
    blocks: list[Block] = [header(table.title)]
    rows = [table.columns, *table.rows]
    widest = max((len(str(cell)) for row in rows for cell in row), default=0)
    if widest > COLUMN_WIDTH:
        blocks.extend(section(chunk) for chunk in packed(_records(table)))
    else:
        widths = [
            max(len(str(row[column])) for row in rows if column < len(row))
            for column in range(len(table.columns))
        ]
        lines = [
            "  ".join(
                str(cell).ljust(widths[column])
                for column, cell in enumerate(row[: len(widths)])
            ).rstrip()
            for row in rows
        ]
        # Each block is a code block of whole lines.
        for chunk in _lines(lines, MAX_SECTION - 8):
            blocks.append(section(f"```{chunk}```"))
    if table.note:
        blocks.extend(
            context(chunk) for chunk in packed([mrkdwn(table.note)], MAX_CONTEXT)
        )
    return blocks


def _records(table: SummaryTable) -> list[str]:
    """Each row as a bold first cell, then ``column: value`` pairs."""
    records = []
    for row in table.rows:
        first, *rest = (mrkdwn(str(cell)) for cell in row)
        pairs = [
            f"{mrkdwn(column)}: {value}"
            for column, value in zip(table.columns[1:], rest, strict=False)
            if value
        ]
        records.append(f"*{first}*" + (f"\n{' · '.join(pairs)}" if pairs else ""))
    return records


def _lines(lines: list[str], limit: int) -> Iterator[str]:
    escaped = [mrkdwn(line) for line in lines]
    return packed(escaped, limit, gap="\n")


def announcement_blocks(announcement: Announcement) -> list[Block]:
    """A briefing or "you said, we did" post: title, paragraphs, a safe link."""
    blocks: list[Block] = [header(announcement.title)]
    body = [mrkdwn(paragraph) for paragraph in paragraphs(announcement.body)]
    blocks.extend(section(chunk) for chunk in packed(body))
    link = safe_link(announcement.link)
    if link and link.startswith("http"):
        blocks.append(section(f"<{_link_target(link)}|{text.READ_MORE}>"))
    return blocks


def _link_target(link: str) -> str:
    """A link safe inside Slack's ``<url|label>``: no ``|``, ``<``, ``>`` or space."""
    quoted = quote(link, safe=":/?#[]@!$&'()*+,;=%-._~")
    return quoted.replace("&", "&amp;")


def start_button(campaign_id: uuid.UUID, label: str, part: str) -> Block:
    """An actions block with one button that starts (or resumes) a survey."""
    return {
        "type": "actions",
        "block_id": ids.block_id(campaign_id, "start", part),
        "elements": [button(label, ids.START, campaign_id.hex, style="primary")],
    }


def outbox_blocks(payload: dict[str, Any]) -> tuple[str, list[Block]]:
    """The fallback text and blocks for one outbox message's payload."""
    kind = str(payload.get("kind", ""))
    campaign_id = _uuid(payload.get("campaign_id"))
    if kind in SURVEY_KINDS and campaign_id is not None:
        # The core's own wording (with progress and how to mute) when it sent
        # one; the button does what its "send start" line says.
        words = str(payload.get("text") or "") or (
            text.invitation if kind == INVITATION else text.reminder
        )(str(payload.get("campaign", "")), payload.get("closes_at"))
        started = bool(payload.get("answered")) or (
            kind != INVITATION and "answered" not in payload
        )
        label = text.RESUME if started else text.START
        blocks = [
            section(f"{ICONS[Tone.INFO]} {mrkdwn(words)}"),
            start_button(campaign_id, label, kind),
        ]
        return mrkdwn(words), blocks
    if payload.get("title") and payload.get("body"):
        announcement = Announcement(
            title=str(payload["title"]),
            body=str(payload["body"]),
            link=payload.get("link"),
        )
        blocks = announcement_blocks(announcement)
        feedback = _uuid(payload.get("feedback_campaign_id"))
        if feedback is not None:
            blocks.append(start_button(feedback, text.GIVE_FEEDBACK, "feedback"))
        return mrkdwn(shorten(announcement.title, 3000)), blocks
    words = str(payload.get("text") or text.message_from_bot(kind))
    notice = Notice(words)
    return mrkdwn(shorten(notice.text, 3000)), [
        section(chunk) for chunk in packed([mrkdwn(notice.text)])
    ]


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None
