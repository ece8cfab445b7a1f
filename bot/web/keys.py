"""Purpose-bound keys and signatures derived from the server secret (stdlib hmac)."""

from __future__ import annotations

import base64
import hashlib
import hmac


def purpose_key(secret: bytes, purpose: str) -> bytes:
    """A key for one use only, so a signature made for one thing fits no other."""
    return hmac.new(
        secret, f"healthcheck-web:{purpose}".encode(), hashlib.sha256
    ).digest()


def sign(key: bytes, message: str) -> str:
    """An HMAC-SHA256 of ``message`` in URL-safe base64 without padding."""
    digest = hmac.new(key, message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def verify(key: bytes, message: str, signature: str) -> bool:
    """Whether ``signature`` is ours for ``message`` (constant-time compare)."""
    return hmac.compare_digest(sign(key, message), signature)
