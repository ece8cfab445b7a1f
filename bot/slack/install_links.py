"""Install links: the only way a Slack workspace joins an organisation.

``healthcheck slack install-link --org SLUG`` prints
``https://HOST/slack/install?org=TOKEN``. The token names the organisation and
an expiry, signed with the server secret (HMAC-SHA256), so nobody can make one
for another council or keep using an old one. ``/slack/install`` refuses a
missing, altered or expired token; a valid one is kept in a short-lived cookie
so that Slack's redirect back (``/slack/oauth_redirect``) can say which
organisation the new workspace belongs to. An install without one is refused
before the OAuth code is exchanged, so nothing is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from contextvars import ContextVar
from datetime import datetime, timedelta

COOKIE = "healthcheck-slack-install"
COOKIE_SECONDS = 600
"""How long the cookie lives: one trip to Slack's consent page and back."""
DEFAULT_DAYS = 7
_PURPOSE = b"slack-install-link:"

installing_for: ContextVar[str | None] = ContextVar("installing_for", default=None)
"""The organisation slug of the install being completed in this request."""


def issue(secret: bytes, *, slug: str, expires: datetime) -> str:
    """A token for installing into ``slug``'s organisation until ``expires``."""
    body = f"{slug}|{int(expires.timestamp())}".encode()
    signature = hmac.new(secret, _PURPOSE + body, hashlib.sha256).digest()
    return f"{_encode(body)}.{_encode(signature)}"


def slug_of(secret: bytes, token: str | None, *, now: datetime) -> str | None:
    """The organisation a token was issued for; None if forged, altered or expired."""
    if not token or token.count(".") != 1:
        return None
    encoded_body, encoded_signature = token.split(".")
    try:
        body = _decode(encoded_body)
        signature = _decode(encoded_signature)
    except ValueError:
        return None
    expected = hmac.new(secret, _PURPOSE + body, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        return None
    slug, _, expires = body.decode(errors="replace").rpartition("|")
    if not slug or not expires.isdigit():
        return None
    if int(expires) < now.timestamp():
        return None
    return slug


def expiry(now: datetime, days: int) -> datetime:
    """When a link issued ``now`` for ``days`` stops working."""
    return now + timedelta(days=days)


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as error:
        raise ValueError("not base64") from error
