"""Messages carried across a POST-redirect-GET in a short-lived signed cookie.

After a form post the browser is sent back to the chat page with a 303, so a
refresh never posts twice. What the post said (a notice, command results) rides
along in this cookie and is shown once. Prompts and reviews are never carried:
the page draws the current screen afresh from the stored draft.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from dataclasses import dataclass
from typing import Any

from fastapi import Request, Response

from bot.conversation.messages import (
    Announcement,
    Menu,
    MenuItem,
    Message,
    Notice,
    SummaryTable,
    Tone,
)
from bot.web.keys import purpose_key, sign, verify

COOKIE = "hc_flash"
MAX_COOKIE = 3800
"""Browsers keep at least 4096 bytes per cookie, name and attributes included."""


@dataclass(frozen=True)
class Flash:
    """What to show once on the next page: the command typed and the replies."""

    messages: tuple[Message, ...] = ()
    typed: str | None = None


def carried(messages: tuple[Message, ...]) -> tuple[Message, ...]:
    """The messages a flash can carry (everything but prompts and reviews)."""
    return tuple(
        message
        for message in messages
        if isinstance(message, Notice | Menu | SummaryTable | Announcement)
    )


def encode(secret: bytes, flash: Flash) -> str | None:
    """The cookie value for ``flash``, or None if it is too big for a cookie."""
    data = {
        "t": flash.typed,
        "m": [_to_dict(message) for message in carried(flash.messages)],
    }
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    packed = base64.urlsafe_b64encode(zlib.compress(raw, 6)).rstrip(b"=").decode()
    value = f"{packed}.{sign(purpose_key(secret, 'flash'), packed)}"
    return value if len(value) <= MAX_COOKIE else None


def decode(secret: bytes, value: str | None) -> Flash:
    """The flash in a cookie value; nothing if it is missing, forged or broken."""
    if not value:
        return Flash()
    packed, _, signature = value.rpartition(".")
    if not packed or not verify(purpose_key(secret, "flash"), packed, signature):
        return Flash()
    try:
        raw = zlib.decompress(
            base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
        )
        data = json.loads(raw)
        messages = tuple(_from_dict(item) for item in data["m"])
        typed = data.get("t")
    except (binascii.Error, zlib.error, ValueError, KeyError, TypeError):
        return Flash()
    return Flash(messages=messages, typed=typed if isinstance(typed, str) else None)


def set_flash(response: Response, request: Request, value: str) -> None:
    """Put a flash on a redirect."""
    response.set_cookie(
        COOKIE,
        value,
        max_age=120,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def read_flash(request: Request, secret: bytes) -> Flash:
    """The flash a request brings (clear it on the response with clear_flash)."""
    return decode(secret, request.cookies.get(COOKIE))


def clear_flash(response: Response) -> None:
    """Remove the flash, so it is shown only once."""
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax")


def _to_dict(message: Message) -> dict[str, Any]:
    match message:
        case Notice(text=text, tone=tone, title=title):
            return {"k": "notice", "text": text, "tone": tone.value, "title": title}
        case Menu(title=title, items=items):
            return {
                "k": "menu",
                "title": title,
                "items": [[item.label, item.command, item.detail] for item in items],
            }
        case SummaryTable(title=title, columns=columns, rows=rows, note=note):
            return {
                "k": "table",
                "title": title,
                "columns": list(columns),
                "rows": [list(row) for row in rows],
                "note": note,
            }
        case Announcement(title=title, body=body, link=link):
            return {"k": "announcement", "title": title, "body": body, "link": link}
    raise ValueError(f"a flash cannot carry {type(message).__name__}")


def _from_dict(data: dict[str, Any]) -> Message:
    kind = data["k"]
    if kind == "notice":
        return Notice(data["text"], Tone(data["tone"]), data.get("title"))
    if kind == "menu":
        items = tuple(
            MenuItem(label=label, command=command, detail=detail)
            for label, command, detail in data["items"]
        )
        return Menu(title=data["title"], items=items)
    if kind == "table":
        return SummaryTable(
            title=data["title"],
            columns=tuple(data["columns"]),
            rows=tuple(tuple(row) for row in data["rows"]),
            note=data.get("note"),
        )
    if kind == "announcement":
        return Announcement(data["title"], data["body"], data.get("link"))
    raise ValueError(f"unknown flash message {kind!r}")
