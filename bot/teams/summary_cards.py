"""Teams cards for notices, announcements and summary tables."""

from __future__ import annotations

from bot.conversation.messages import Announcement, Notice, SummaryTable, Tone
from bot.conversation.prose import paragraphs, safe_link
from bot.teams import text
from bot.teams.card_blocks import Element, line_blocks, text_block

_TONE_COLOURS = {
    Tone.INFO: "Default",
    Tone.SUCCESS: "Good",
    Tone.WARNING: "Warning",
    Tone.ERROR: "Attention",
}


def notice_card(notice: Notice) -> Element:
    """A notice, coloured by its tone."""
    colour = _TONE_COLOURS[notice.tone]
    items: list[Element] = []
    if notice.title:
        items.append(
            text_block(notice.title, weight="Bolder", size="Medium", color=colour)
        )
    items.extend(line_blocks(notice.text, color=None if notice.title else colour))
    return {"type": "Container", "items": items}


def announcement_card(announcement: Announcement) -> Element:
    """An announcement: title, paragraphs and a button for its web link."""
    items: list[Element] = [
        text_block(announcement.title, weight="Bolder", size="Large", style="heading")
    ]
    items += [text_block(block) for block in paragraphs(announcement.body)]
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


def table_chunks(table: SummaryTable, rows_per_chunk: int = 12) -> list[list[Element]]:
    """A summary table in parts a card may break between, heading repeated."""
    chunks: list[list[Element]] = []
    rows = list(table.rows)
    starts = range(0, max(len(rows), 1), rows_per_chunk)
    for number, start in enumerate(starts):
        title = table.title if number == 0 else f"{table.title} {text.CONTINUED}"
        part = rows[start : start + rows_per_chunk]
        chunk: list[Element] = [
            text_block(title, weight="Bolder", size="Medium", style="heading"),
            _table(table.columns, part),
        ]
        chunks.append(chunk)
    if table.note:
        chunks[-1].append(text_block(table.note, isSubtle=True, size="Small"))
    return chunks


def _table(columns: tuple[str, ...], rows: list[tuple[str, ...]]) -> Element:
    def cell(value: str, *, header: bool = False) -> Element:
        block = text_block(value, weight="Bolder" if header else None)
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
