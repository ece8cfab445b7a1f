"""Checks the signature of every request to ``/slack/events`` before Bolt sees it.

Bolt checks signatures too, but only says "invalid"; this check tells a forged
body from a replayed one and writes the refusal to the security log. A replay
is a request Slack really signed, sent again more than five minutes later.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Mapping

from slack_sdk.signature import SignatureVerifier

REPLAY_WINDOW = 5 * 60
"""Seconds a signed request stays valid, as Slack documents."""


def signature_problem(
    secret: str | None,
    body: bytes,
    headers: Mapping[str, str],
    *,
    now: float | None = None,
) -> str | None:
    """Why a request's signature is not acceptable, or ``None`` if it is.

    Args:
        secret: The app's signing secret; with none, nothing is accepted.
        body: The raw request body.
        headers: The request headers (any case).
        now: The current Unix time (defaults to the clock).

    Returns:
        ``unsigned``, ``malformed``, ``forged`` or ``replayed``, or ``None``.
    """
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if not secret or not timestamp or not signature:
        return "unsigned"
    try:
        sent_at = int(timestamp)
        text = body.decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return "malformed"
    expected = SignatureVerifier(secret).generate_signature(
        timestamp=timestamp, body=text
    )
    if expected is None or not hmac.compare_digest(expected, signature):
        return "forged"
    clock = time.time() if now is None else now
    if abs(clock - sent_at) > REPLAY_WINDOW:
        return "replayed"
    return None
