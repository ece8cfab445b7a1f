"""Signing requests between our own processes (worker -> local channel inbox)."""

from __future__ import annotations

import hashlib
import hmac
import time

MAX_SKEW_SECONDS = 300


def sign(secret: bytes, body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    """Headers proving the body came from a holder of ``secret`` just now."""
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Healthcheck-Timestamp": stamp, "X-Healthcheck-Signature": digest}


def verify(secret: bytes, body: bytes, *, timestamp: str, signature: str) -> bool:
    """True if the signature matches and the timestamp is recent."""
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > MAX_SKEW_SECONDS:
        return False
    expected = sign(secret, body, timestamp=int(timestamp))["X-Healthcheck-Signature"]
    return hmac.compare_digest(expected, signature)
