"""Escaping text for Slack, so nobody's words can ping, mention or link."""

from __future__ import annotations

import re

_ZWSP = "\u200b"
_BROADCAST = re.compile(r"@(here|channel|everyone)\b", re.IGNORECASE)


def mrkdwn(words: str) -> str:
    """Plain text made safe inside a ``mrkdwn`` text object.

    ``&``, ``<`` and ``>`` become entities, so ``<!channel>``, ``<@U123>``,
    ``<#C123>`` and ``<https://x|y>`` show as typed; a zero-width space after
    ``@`` in ``@here``, ``@channel`` and ``@everyone`` stops them being read as
    mentions even where Slack links names.
    """
    escaped = words.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST.sub(lambda match: f"@{_ZWSP}{match.group(1)}", escaped)


def plain(words: str, limit: int | None = None) -> str:
    """Plain text made safe inside a ``plain_text`` object, cut to ``limit``.

    Slack shows plain text as typed (entities would show literally), so instead
    a zero-width space after every ``<`` and after ``@`` in broadcast mentions
    keeps any of it from being read as a mention or link.
    """
    safe = _BROADCAST.sub(lambda match: f"@{_ZWSP}{match.group(1)}", words)
    safe = safe.replace("<", f"<{_ZWSP}")
    return shorten(safe, limit) if limit else safe


def shorten(words: str, limit: int) -> str:
    """``words`` cut to ``limit`` characters, with an ellipsis if cut."""
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"
