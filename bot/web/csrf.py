"""Cross-site request forgery: every form that changes something carries a token.

The token is an HMAC, under a key of its own derived from the server secret, of
what identifies the browser's session: the session cookie once someone is
signed in, else a random ``hc_csrf`` cookie (so the sign-in forms are covered
too, against login CSRF). A page on another site, or on another port of the
same host, can make a browser post to us with its cookies, but it cannot read
our pages, so it cannot know the token. Posts without it, with a wrong one, or
from another origin are refused with 403 before any route runs, and logged.
Our pages use the ``same-origin`` referrer policy, so the browser names our own
origin on their posts; ``Origin: null`` (what a page that hides its origin
sends) is refused too.

File uploads (multipart forms) carry the token as a field like any other form.

Slack, Teams and the worker's inbox have their own request signatures and are
not forms, so they are left to those checks.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from contextvars import ContextVar
from email import policy as email_policy
from email.parser import BytesParser
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs

from markupsafe import Markup, escape
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse

from bot import security_log
from bot.web import text
from bot.web.identity import COOKIE as SESSION_COOKIE
from bot.web.keys import purpose_key, sign

COOKIE = "hc_csrf"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
EXEMPT_PREFIXES = ("/slack/", "/api/messages", "/local/inbox")
"""Endpoints that authenticate each request by a signature of their own."""
LARGEST_FORM = 1_000_000

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_current: ContextVar[str] = ContextVar("csrf_token", default="")


def token_for(secret: bytes, *, session: str | None, nonce: str | None) -> str:
    """The token the forms of a browser with these cookies must carry."""
    binding = f"session:{session}" if session else f"browser:{nonce or ''}"
    return sign(purpose_key(secret, "csrf"), binding)


def csrf_field() -> Markup:
    """The hidden input every ``method="post"`` form on our pages includes."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        FIELD, escape(_current.get())
    )


class CsrfMiddleware:
    """Refuse forged posts; give each page the token its forms need."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check a state-changing request, then pass it on with its body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        connection = HTTPConnection(scope)
        secret: bytes = connection.app.state.runtime.settings.secret
        nonce = connection.cookies.get(COOKIE)
        new_nonce = None if nonce else secrets.token_urlsafe(24)
        token = token_for(
            secret,
            session=connection.cookies.get(SESSION_COOKIE),
            nonce=nonce or new_nonce,
        )
        reset = _current.set(token)
        try:
            if scope["method"] not in SAFE_METHODS and not _exempt(scope["path"]):
                body = await _read_body(receive)
                reason = _refusal(connection, scope, body, token, had_nonce=bool(nonce))
                if reason is not None or body is None:
                    await _refuse(scope, reason or "too-large", send)
                    return
                receive = _replay(body)
            if new_nonce is not None:
                send = _setting_nonce(send, new_nonce, secure=_https(connection))
            await self.app(scope, receive, send)
        finally:
            _current.reset(reset)


def _exempt(path: str) -> bool:
    return any(path.startswith(prefix) for prefix in EXEMPT_PREFIXES)


def _https(connection: HTTPConnection) -> bool:
    return connection.url.scheme == "https"


def _refusal(
    connection: HTTPConnection,
    scope: Scope,
    body: bytes | None,
    token: str,
    *,
    had_nonce: bool,
) -> str | None:
    """Why a state-changing request is refused, or None if it is genuine."""
    if body is None:
        return "too-large"
    sent = connection.headers.get(HEADER) or _form_token(connection, body)
    if not sent:
        return "missing"
    if not had_nonce and SESSION_COOKIE not in connection.cookies:
        return "no-cookie"
    if not hmac.compare_digest(sent.encode(), token.encode()):
        return "wrong"
    origin = connection.headers.get("origin")
    if origin is not None and origin != _own_origin(connection):
        return "other-origin"
    return None


def _own_origin(connection: HTTPConnection) -> str:
    url = connection.url
    return f"{url.scheme}://{url.netloc}"


def _form_token(connection: HTTPConnection, body: bytes) -> str | None:
    content_type = connection.headers.get("content-type", "")
    kind = content_type.split(";")[0].strip()
    if kind == "application/x-www-form-urlencoded":
        values = parse_qs(body.decode("latin-1"), keep_blank_values=True).get(FIELD)
        return values[0] if values else None
    if kind == "multipart/form-data":
        return _multipart_token(content_type, body)
    return None


def _multipart_token(content_type: str, body: bytes) -> str | None:
    """The token field of a file upload form (multipart/form-data)."""
    header = f"Content-Type: {content_type}\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=email_policy.HTTP).parsebytes(header + body)
    if not message.is_multipart():
        return None
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == FIELD:
            value = part.get_payload(decode=True)
            return value.decode("latin-1") if isinstance(value, bytes) else None
    return None


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None past :data:`LARGEST_FORM` bytes."""
    chunks = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > LARGEST_FORM:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


def _setting_nonce(send: Send, nonce: str, *, secure: bool) -> Send:
    cookie: SimpleCookie = SimpleCookie()
    cookie[COOKIE] = nonce
    cookie[COOKIE]["path"] = "/"
    cookie[COOKIE]["httponly"] = True
    cookie[COOKIE]["samesite"] = "Lax"
    if secure:
        cookie[COOKIE]["secure"] = True
    header = cookie.output(header="").strip().encode("latin-1")

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            message.setdefault("headers", [])
            message["headers"] = [*message["headers"], (b"set-cookie", header)]
        await send(message)

    return sending


async def _refuse(scope: Scope, reason: str, send: Send) -> None:
    request = Request(scope, _replay(b""))
    security_log.forged_post_refused(
        reason=reason,
        path=scope["path"],
        client=request.client.host if request.client else None,
    )
    # Drawn here rather than with bot.web.pages, which imports this module.
    channel = request.app.state.channel
    organisation = channel.organisation
    large = reason == "too-large"
    html = channel.environment.get_template("notice_page.html").render(
        heading=text.too_large_heading() if large else text.forged_post_heading(),
        text=text.too_large(LARGEST_FORM // 1_000_000) if large else text.forged_post(),
        tone="error",
        next_href="/",
        next_label="Back to the chat",
        organisation_name=organisation.name if organisation else "",
        min_group_size=organisation.min_group_size if organisation else 5,
        has_problem=False,
    )
    response = HTMLResponse(html, status_code=413 if large else 403)
    response.headers["Cache-Control"] = "no-store"
    await response(scope, _replay(b""), send)
