"""A fake Slack Web API on 127.0.0.1, in the manner of bolt-python's mock server.

slack-sdk's ``AsyncWebClient(base_url=fake.api_url)`` talks to it over real HTTP.
It records every call, keeps the state the bot can observe (users, DM channels,
messages with their metadata, views, user groups, channel members), checks Block
Kit payloads against Slack's documented limits (so a renderer mistake fails the
way Slack would fail it), can enforce a per-method rate limit, and answers 429
with ``Retry-After`` on demand. A method it does not know is recorded in
``unknown`` and answered ``unknown_method``; tests assert that stays empty.
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import math
import threading
import time
import uuid
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from fakes.block_kit import message_problems, view_problems
from fakes.flaky_platform import ServerThread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

RESPONSE_URL_USES = 5
"""Slack takes at most five replies through one response URL."""
TEAM_ID = "T0HEALTH1"
TEAM_NAME = "Westmere Council"
APP_ID = "A0HEALTH1"
BOT_ID = "B0HEALTH1"
BOT_USER_ID = "U0BOTUSER"
BOT_TOKEN = "xoxb-fake-bot-token"
CLIENT_ID = "1111.2222"
CLIENT_SECRET = "fake-client-secret"

Payload = dict[str, Any]


@dataclass(frozen=True)
class Call:
    """One request the fake answered (or refused with 429)."""

    method: str
    params: Payload
    token: str | None
    status: int
    at: float


@dataclass
class Posted:
    """A message in a channel, as conversations.history shows it."""

    ts: str
    text: str
    blocks: list[Payload]
    metadata: Payload | None
    user: str = BOT_USER_ID

    def as_history(self, *, with_metadata: bool) -> Payload:
        message: Payload = {
            "type": "message",
            "ts": self.ts,
            "text": self.text,
            "blocks": self.blocks,
            "user": self.user,
            "bot_id": BOT_ID,
        }
        if with_metadata and self.metadata is not None:
            message["metadata"] = self.metadata
        return message


@dataclass
class FakeSlack:
    """The fake's state and its ASGI app; run it with :func:`running_fake_slack`."""

    team_id: str = TEAM_ID
    url: str = ""
    calls: list[Call] = field(default_factory=list)
    users: dict[str, Payload] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    channel_members: dict[str, list[str]] = field(default_factory=dict)
    dm_channels: dict[str, str] = field(default_factory=dict)
    messages: dict[str, list[Posted]] = field(default_factory=dict)
    ephemeral: list[Payload] = field(default_factory=list)
    responses: list[Payload] = field(default_factory=list)
    views: dict[str, Payload] = field(default_factory=dict)
    home: dict[str, Payload] = field(default_factory=dict)
    oauth_codes: dict[str, str] = field(default_factory=dict)
    refresh_tokens: dict[str, tuple[str, str]] = field(default_factory=dict)
    expired_tokens: set[str] = field(default_factory=set)
    socket_url: str | None = None
    unknown: list[str] = field(default_factory=list)
    invalid: list[tuple[str, list[str]]] = field(default_factory=list)
    limits: dict[str, tuple[int, float]] = field(default_factory=dict)
    refused: Counter[str] = field(default_factory=Counter)
    answered: Counter[str] = field(default_factory=Counter)
    latency: float = 0.0
    _scripted: dict[str, deque[int]] = field(default_factory=dict)
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _clock: Callable[[], float] = time.monotonic
    lock: threading.Lock = field(default_factory=threading.Lock)

    # -- set up -------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """The ``base_url`` to give slack-sdk (ends with a slash)."""
        return f"{self.url}/api/"

    def add_user(
        self, user_id: str, *, email: str, name: str = "", deleted: bool = False
    ) -> None:
        """A member of the workspace."""
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": email.split("@")[0],
            "deleted": deleted,
            "is_bot": False,
            "real_name": name,
            "profile": {"email": email, "real_name": name, "display_name": name},
        }

    def limit(self, method: str, count: int, per_seconds: float) -> None:
        """Allow ``count`` calls of ``method`` per ``per_seconds``; 429 beyond.

        A token bucket, as Slack describes its tiers: on average no more than
        the rate, with bursts of up to ``count`` calls.
        """
        self.limits[method] = (count, per_seconds)

    def fail_next(self, method: str, *, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with 429 + Retry-After."""
        self._scripted.setdefault(method, deque()).extend([retry_after] * times)

    def register_oauth_code(self, code: str, *, installer: str) -> None:
        """A code the OAuth redirect may exchange at oauth.v2.access."""
        self.oauth_codes[code] = installer

    # -- reading what happened -----------------------------------------------

    def calls_to(self, method: str, *, ok_only: bool = True) -> list[Call]:
        """The recorded calls of ``method`` (answered ones unless told otherwise)."""
        with self.lock:
            return [
                call
                for call in self.calls
                if call.method == method and (call.status == 200 or not ok_only)
            ]

    def count(self, method: str) -> int:
        """How many calls of ``method`` were answered."""
        return len(self.calls_to(method))

    def wait_for(
        self, method: str, count: int = 1, *, timeout: float = 10.0
    ) -> list[Call]:
        """Block until ``count`` calls of ``method`` were answered; return them."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls_to(method)
            if len(calls) >= count:
                return calls
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} calls of {method}, saw {len(calls)}: "
                    f"{Counter(call.method for call in self.calls)}"
                )
            time.sleep(0.01)

    def wait_for_responses(self, count: int, *, timeout: float = 10.0) -> list[Payload]:
        """Block until ``count`` posts to response URLs arrived."""
        deadline = time.monotonic() + timeout
        while len(self.responses) < count:
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"expected {count} responses, saw {len(self.responses)}"
                )
            time.sleep(0.01)
        return list(self.responses)

    def open_dm(self, user_id: str) -> str:
        """The DM between the bot and a user, as when the user opens it in Slack."""
        with self.lock:
            return self._open(user_id)

    def wait_for_dm(self, user_id: str, *, timeout: float = 10.0) -> list[Posted]:
        """Block until the bot has posted in its DM with ``user_id``."""
        deadline = time.monotonic() + timeout
        while not self.dm_messages(user_id):
            if time.monotonic() > deadline:
                raise AssertionError(f"nothing was posted to {user_id}")
            time.sleep(0.01)
        return self.dm_messages(user_id)

    def channel_of(self, user_id: str) -> str | None:
        """The DM channel id opened with a user, if one was."""
        return self.dm_channels.get(user_id)

    def dm_messages(self, user_id: str) -> list[Posted]:
        """Messages the bot posted in its DM with a user, oldest first."""
        channel = self.dm_channels.get(user_id)
        return list(self.messages.get(channel, [])) if channel else []

    def response_url(self) -> str:
        """A fresh response URL (slash commands and actions carry one)."""
        return f"{self.url}/response/{uuid.uuid4().hex}"

    # -- the ASGI app ----------------------------------------------------------

    def app(self) -> Starlette:
        """The Starlette app serving ``/api/{method}`` and response URLs."""
        return Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["GET", "POST"]),
                Route("/response/{key}", self._response, methods=["POST"]),
            ]
        )

    async def _response(self, request: Request) -> Response:
        body = json.loads(await request.body() or b"{}")
        key = request.path_params["key"]
        with self.lock:
            # As Slack: a response URL takes five replies, each a valid message.
            used = sum(1 for response in self.responses if response["key"] == key)
            if used >= RESPONSE_URL_USES:
                return Response("used_url", status_code=404)
            problems = message_problems(body)
            if problems:
                self.invalid.append(("response_url", problems))
                return Response("invalid_blocks", status_code=400)
            self.responses.append({"url": str(request.url), "key": key, **body})
        return Response("ok")

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        params = await _params(request)
        token = _bearer(request)
        if self.latency:
            await asyncio.sleep(self.latency)
        with self.lock:
            retry_after = self._throttled(method)
            status = 429 if retry_after is not None else 200
            self.calls.append(Call(method, params, token, status, self._clock()))
            if status == 200:
                self.answered[method] += 1
            if retry_after is not None:
                self.refused[method] += 1
                return JSONResponse(
                    {"ok": False, "error": "ratelimited"},
                    status_code=429,
                    headers={"Retry-After": str(retry_after)},
                )
            handler = getattr(self, "_m_" + method.replace(".", "_"), None)
            if handler is None:
                self.unknown.append(method)
                return JSONResponse({"ok": False, "error": "unknown_method"})
            if method not in ("oauth.v2.access",) and not token:
                return JSONResponse({"ok": False, "error": "not_authed"})
            if token in self.expired_tokens:
                return JSONResponse({"ok": False, "error": "token_expired"})
            answer: Payload = handler(params)
        return JSONResponse(answer)

    def _throttled(self, method: str) -> int | None:
        scripted = self._scripted.get(method)
        if scripted:
            return scripted.popleft()
        if method not in self.limits:
            return None
        count, window = self.limits[method]
        rate = count / window
        now = self._clock()
        tokens, then = self._buckets.get(method, (float(count), now))
        tokens = min(float(count), tokens + (now - then) * rate)
        if tokens < 1.0:
            self._buckets[method] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / rate))
        self._buckets[method] = (tokens - 1.0, now)
        return None

    # -- methods (called with the lock held) -----------------------------------

    def _next_ts(self) -> str:
        return f"{1700000000 + next(self._ids)}.000100"

    def _m_auth_test(self, params: Payload) -> Payload:
        return {
            "ok": True,
            "url": "https://westmere.slack.com/",
            "team": TEAM_NAME,
            "user": "healthcheck",
            "team_id": self.team_id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _channel(self, channel: str) -> str | None:
        if channel.startswith(("U", "W")):
            if channel not in self.users:
                return None
            return self._open(channel)
        if channel.startswith("D") and channel not in self.dm_channels.values():
            return None
        return channel

    def _open(self, user_id: str) -> str:
        if user_id not in self.dm_channels:
            self.dm_channels[user_id] = "D" + user_id[1:]
            self.messages.setdefault(self.dm_channels[user_id], [])
        return self.dm_channels[user_id]

    def _m_chat_postMessage(self, params: Payload) -> Payload:
        channel = self._channel(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        problems = message_problems(params)
        if problems:
            self.invalid.append(("chat.postMessage", problems))
            return {"ok": False, "error": "invalid_blocks", "errors": problems}
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        posted = Posted(
            ts=self._next_ts(),
            text=str(params.get("text", "")),
            blocks=list(params.get("blocks") or []),
            metadata=metadata,
        )
        self.messages.setdefault(channel, []).append(posted)
        return {
            "ok": True,
            "channel": channel,
            "ts": posted.ts,
            "message": posted.as_history(with_metadata=True),
        }

    def _m_chat_update(self, params: Payload) -> Payload:
        channel = str(params.get("channel", ""))
        for posted in self.messages.get(channel, []):
            if posted.ts == params.get("ts"):
                problems = message_problems(params)
                if problems:
                    self.invalid.append(("chat.update", problems))
                    return {"ok": False, "error": "invalid_blocks", "errors": problems}
                posted.text = str(params.get("text", posted.text))
                posted.blocks = list(params.get("blocks") or [])
                return {"ok": True, "channel": channel, "ts": posted.ts}
        return {"ok": False, "error": "message_not_found"}

    def _m_chat_postEphemeral(self, params: Payload) -> Payload:
        problems = message_problems(params)
        if problems:
            self.invalid.append(("chat.postEphemeral", problems))
            return {"ok": False, "error": "invalid_blocks", "errors": problems}
        self.ephemeral.append(params)
        return {"ok": True, "message_ts": self._next_ts()}

    def _m_conversations_open(self, params: Payload) -> Payload:
        users = str(params.get("users", "")).split(",")
        if len(users) != 1 or users[0] not in self.users:
            return {"ok": False, "error": "user_not_found"}
        if self.users[users[0]]["deleted"]:
            return {"ok": False, "error": "user_disabled"}
        return {"ok": True, "channel": {"id": self._open(users[0])}}

    def _m_conversations_history(self, params: Payload) -> Payload:
        channel = str(params.get("channel", ""))
        if channel not in self.messages:
            return {"ok": False, "error": "channel_not_found"}
        limit = int(params.get("limit", 100))
        start = int(params.get("cursor") or 0)
        newest_first = list(reversed(self.messages[channel]))
        page = newest_first[start : start + limit]
        more = start + limit < len(newest_first)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in (
            "1",
            "true",
        )
        return {
            "ok": True,
            "messages": [m.as_history(with_metadata=with_metadata) for m in page],
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _m_users_lookupByEmail(self, params: Payload) -> Payload:
        email = str(params.get("email", "")).casefold()
        for user in self.users.values():
            if user["profile"]["email"].casefold() == email:
                return {"ok": True, "user": user}
        return {"ok": False, "error": "users_not_found"}

    def _m_users_info(self, params: Payload) -> Payload:
        user = self.users.get(str(params.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": user}

    def _view(self, params: Payload) -> tuple[Payload | None, list[str]]:
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict):
            return None, ["no view"]
        return view, view_problems(view)

    def _m_views_open(self, params: Payload) -> Payload:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        view, problems = self._view(params)
        if view is None or problems:
            self.invalid.append(("views.open", problems))
            return {"ok": False, "error": "invalid_arguments", "errors": problems}
        view_id = f"V{next(self._ids):08d}"
        stored = {**view, "id": view_id, "hash": uuid.uuid4().hex}
        self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _m_views_update(self, params: Payload) -> Payload:
        view_id = str(params.get("view_id", ""))
        if view_id not in self.views:
            return {"ok": False, "error": "not_found"}
        if params.get("hash") and params["hash"] != self.views[view_id]["hash"]:
            return {"ok": False, "error": "hash_conflict"}
        view, problems = self._view(params)
        if view is None or problems:
            self.invalid.append(("views.update", problems))
            return {"ok": False, "error": "invalid_arguments", "errors": problems}
        stored = {**view, "id": view_id, "hash": uuid.uuid4().hex}
        self.views[view_id] = stored
        return {"ok": True, "view": stored}

    def _m_views_publish(self, params: Payload) -> Payload:
        user_id = str(params.get("user_id", ""))
        if user_id not in self.users:
            return {"ok": False, "error": "user_not_found"}
        view, problems = self._view(params)
        if view is None or problems or view.get("type") != "home":
            self.invalid.append(("views.publish", problems))
            return {"ok": False, "error": "invalid_arguments", "errors": problems}
        stored = {**view, "id": f"V{next(self._ids):08d}", "hash": uuid.uuid4().hex}
        self.home[user_id] = stored
        return {"ok": True, "view": stored}

    def _m_apps_connections_open(self, params: Payload) -> Payload:
        if self.socket_url is None:
            return {"ok": False, "error": "not_allowed_token_type"}
        return {"ok": True, "url": self.socket_url}

    def _m_oauth_v2_access(self, params: Payload) -> Payload:
        if (params.get("client_id"), params.get("client_secret")) != (
            CLIENT_ID,
            CLIENT_SECRET,
        ):
            return {"ok": False, "error": "invalid_client_id"}
        if params.get("grant_type") == "refresh_token":
            return self._refresh(str(params.get("refresh_token", "")))
        installer = self.oauth_codes.pop(str(params.get("code", "")), None)
        if installer is None:
            return {"ok": False, "error": "invalid_code"}
        return {
            "ok": True,
            "app_id": APP_ID,
            "authed_user": {"id": installer},
            "scope": "commands,chat:write,im:write",
            "token_type": "bot",
            "access_token": BOT_TOKEN,
            "bot_user_id": BOT_USER_ID,
            "team": {"id": self.team_id, "name": TEAM_NAME},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _refresh(self, refresh_token: str) -> Payload:
        """Token rotation: a refresh token buys a new bot token (12 hours) once."""
        issued = self.refresh_tokens.pop(refresh_token, None)
        if issued is None:
            return {"ok": False, "error": "invalid_refresh_token"}
        access, refresh = issued
        return {
            "ok": True,
            "app_id": APP_ID,
            "token_type": "bot",
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": 43200,
            "scope": "commands,chat:write,im:write",
            "bot_user_id": BOT_USER_ID,
            "team": {"id": self.team_id, "name": TEAM_NAME},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def issue_refresh_token(
        self, refresh_token: str, *, access: str, then: str
    ) -> None:
        """Let ``refresh_token`` buy bot token ``access`` and refresh ``then``."""
        self.refresh_tokens[refresh_token] = (access, then)

    def _m_usergroups_users_list(self, params: Payload) -> Payload:
        group = str(params.get("usergroup", ""))
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}

    def _m_conversations_members(self, params: Payload) -> Payload:
        channel = str(params.get("channel", ""))
        if channel not in self.channel_members:
            return {"ok": False, "error": "channel_not_found"}
        limit = int(params.get("limit", 100))
        start = int(params.get("cursor") or 0)
        members = self.channel_members[channel]
        more = start + limit < len(members)
        return {
            "ok": True,
            "members": members[start : start + limit],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }


async def _params(request: Request) -> Payload:
    params: Payload = dict(request.query_params)
    body = await request.body()
    kind = request.headers.get("content-type", "")
    if body and "json" in kind:
        params.update(json.loads(body))
    elif body:
        params.update(dict(parse_qsl(body.decode())))
    for name in ("blocks", "metadata", "view"):
        value = params.get(name)
        if isinstance(value, str) and value.startswith(("[", "{")):
            params[name] = json.loads(value)
    basic = request.headers.get("authorization", "")
    if basic.lower().startswith("basic "):
        client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        params.setdefault("client_id", client_id)
        params.setdefault("client_secret", secret)
    return params


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:]
    return None


@contextmanager
def running_fake_slack(fake: FakeSlack | None = None) -> Iterator[FakeSlack]:
    """Serve a fake Slack on a free loopback port for the ``with`` block."""
    fake = fake or FakeSlack()
    with ServerThread(fake.app()) as server:  # type: ignore[arg-type]
        fake.url = server.url
        yield fake
