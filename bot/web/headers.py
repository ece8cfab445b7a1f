"""Security headers on every response of the web app.

- ``Content-Security-Policy``: our own scripts, styles and images only (chart
  images are ``data:``), forms post only to us, and ``frame-ancestors 'none'``:
  no other site may frame a page (the Teams app is a bot with no tab, so no
  Teams host needs to either). ``X-Frame-Options: DENY`` says the same to old
  browsers.
- ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin`` (a
  personal link's address never leaves for another site; our own forms still
  name their origin, which the CSRF check reads).
- ``Strict-Transport-Security`` when the request came over TLS, directly or
  through a proxy trusted by ``HEALTHCHECK_FORWARDED_ALLOW_IPS``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000"
"""One year; not ``includeSubDomains``, since a council's other hosts are not ours."""

ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class SecurityHeadersMiddleware:
    """Add the security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, adding the headers as the response starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(ALWAYS)
        if scope.get("scheme") == "https":
            extra.append((b"strict-transport-security", HSTS.encode()))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *((name, value) for name, value in extra if name not in present),
                ]
            await send(message)

        await self.app(scope, receive, sending)
