"""Plain message text every renderer shares: paragraphs, and links safe to show."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_link(link: str | None) -> str | None:
    """Only http(s) and site-relative links; never ``javascript:`` or ``data:``."""
    if not link:
        return None
    parts = urlsplit(link.strip())
    if parts.scheme in ("http", "https") and parts.netloc:
        return link.strip()
    if not parts.scheme and not parts.netloc and link.strip().startswith("/"):
        return link.strip()
    return None


def paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]
