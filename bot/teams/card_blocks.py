"""Text blocks on Teams cards that show people's words exactly as typed."""

from __future__ import annotations

import re
from typing import Any

Element = dict[str, Any]

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


def text_block(value: str, **style: Any) -> Element:
    """A TextBlock showing ``value`` exactly (styles given as None are left out)."""
    given = {key: setting for key, setting in style.items() if setting is not None}
    return {"type": "TextBlock", "text": escape_markdown(value), "wrap": True, **given}


def line_blocks(value: str, **style: Any) -> list[Element]:
    """One TextBlock per line: Teams joins single newlines inside a TextBlock."""
    blocks = [line for line in value.replace("\r\n", "\n").split("\n") if line.strip()]
    return [
        text_block(line, spacing="None" if index else "Default", **style)
        for index, line in enumerate(blocks)
    ]
