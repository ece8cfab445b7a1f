"""A fake Bot Connector (Teams' outbound API) on 127.0.0.1 that records every call.

Activities posted to ``/api/messages`` name this server as their ``serviceUrl``,
so every reply, card update, proactive send and new conversation the bot makes
lands here. It can answer the next requests with 429 (and ``Retry-After``) or
any other status, and it fails loudly (404, recorded) on any path it does not
know, so a test sees an unexpected call instead of a silent success.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fakes.flaky_platform import ServerThread
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

REGION = "amer"


@dataclass(frozen=True)
class ConnectorCall:
    """One request the bot made to the connector."""

    method: str
    path: str
    body: dict[str, Any] | None
    status: int
    authorization: str | None = None

    @property
    def conversation(self) -> str | None:
        """The conversation id in the path, if any."""
        parts = self.path.split("/")
        if "conversations" in parts:
            index = parts.index("conversations") + 1
            return parts[index] if index < len(parts) else None
        return None

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards the request carried."""
        if not self.body:
            return []
        return [
            attachment["content"]
            for attachment in self.body.get("attachments") or []
            if attachment.get("contentType")
            == "application/vnd.microsoft.card.adaptive"
        ]


@dataclass
class FakeConnector:
    """The Bot Connector's conversation routes, recorded."""

    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[ConnectorCall] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _refusals: list[tuple[int, str | None]] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    url: str = ""

    @property
    def service_url(self) -> str:
        """What activities carry as ``serviceUrl`` (with a region, as Teams' do)."""
        return f"{self.url}/{REGION}/"

    def refuse(
        self, times: int, *, status: int = 429, retry_after: str | None = "1"
    ) -> None:
        """Answer the next ``times`` activity posts with ``status``."""
        with self.lock:
            self._refusals += [(status, retry_after)] * times

    def add_member(self, user_id: str, **account: Any) -> None:
        """Let ``GET .../members/{user_id}`` find this account (email and so on)."""
        self.members[user_id] = {"id": user_id, **account}

    def app(self) -> Starlette:
        """The ASGI app."""
        routes = [
            Route("/v3/conversations", self._create, methods=["POST"]),
            Route(
                "/v3/conversations/{conversation}/activities",
                self._post,
                methods=["POST"],
            ),
            Route(
                "/v3/conversations/{conversation}/activities/{activity}",
                self._post,
                methods=["POST"],
            ),
            Route(
                "/v3/conversations/{conversation}/activities/{activity}",
                self._update,
                methods=["PUT"],
            ),
            Route(
                "/v3/conversations/{conversation}/members/{member}",
                self._member,
                methods=["GET"],
            ),
            Route(
                "/{rest:path}", self._unknown, methods=["GET", "POST", "PUT", "DELETE"]
            ),
        ]
        return Starlette(routes=[Mount(f"/{REGION}", routes=routes), *routes[-1:]])

    # Reading what was recorded -------------------------------------------------

    def posts(self, conversation: str | None = None) -> list[ConnectorCall]:
        """Accepted activity posts (new messages and replies), oldest first."""
        with self.lock:
            return [
                call
                for call in self.calls
                if call.method == "POST"
                and "/activities" in call.path
                and call.status < 300
                and (conversation is None or call.conversation == conversation)
            ]

    def updates(self, conversation: str | None = None) -> list[ConnectorCall]:
        """Accepted card updates (PUT), oldest first."""
        with self.lock:
            return [
                call
                for call in self.calls
                if call.method == "PUT"
                and call.status < 300
                and (conversation is None or call.conversation == conversation)
            ]

    def refused(self) -> list[ConnectorCall]:
        """Calls answered with an error status."""
        with self.lock:
            return [call for call in self.calls if call.status >= 400]

    def created(self) -> list[ConnectorCall]:
        """Accepted ``POST /v3/conversations`` calls."""
        with self.lock:
            return [
                call
                for call in self.calls
                if call.method == "POST"
                and call.path.endswith("/v3/conversations")
                and call.status < 300
            ]

    def reset(self) -> None:
        """Forget the calls recorded so far."""
        with self.lock:
            self.calls.clear()

    # Routes --------------------------------------------------------------------

    async def _record(self, request: Request, status: int) -> dict[str, Any] | None:
        raw = await request.body()
        body = None
        if raw:
            body = json.loads(raw)
        with self.lock:
            self.calls.append(
                ConnectorCall(
                    method=request.method,
                    path=request.url.path,
                    body=body,
                    status=status,
                    authorization=request.headers.get("Authorization"),
                )
            )
        return body

    def _refusal(self) -> tuple[int, str | None] | None:
        with self.lock:
            return self._refusals.pop(0) if self._refusals else None

    async def _post(self, request: Request) -> Response:
        refusal = self._refusal()
        if refusal is not None:
            status, retry_after = refusal
            await self._record(request, status)
            headers = {"Retry-After": retry_after} if retry_after else {}
            return JSONResponse(
                {"error": {"code": "Throttled", "message": "slow down"}},
                status_code=status,
                headers=headers,
            )
        await self._record(request, 201)
        return JSONResponse({"id": f"1:{next(self._ids)}"}, status_code=201)

    async def _update(self, request: Request) -> Response:
        await self._record(request, 200)
        return JSONResponse({"id": request.path_params["activity"]})

    async def _create(self, request: Request) -> Response:
        await self._record(request, 201)
        number = next(self._ids)
        return JSONResponse(
            {"id": f"a:created-{number}", "activityId": f"1:{number}"},
            status_code=201,
        )

    async def _member(self, request: Request) -> Response:
        member = self.members.get(request.path_params["member"])
        await self._record(request, 200 if member else 404)
        if member is None:
            return JSONResponse(
                {"error": {"code": "MemberNotFoundInConversation"}}, status_code=404
            )
        return JSONResponse(member)

    async def _unknown(self, request: Request) -> Response:
        await self._record(request, 404)
        return JSONResponse({"error": "the fake connector has no such route"}, 404)


@contextmanager
def running_connector() -> Iterator[FakeConnector]:
    """A fake connector serving on a free loopback port for the block."""
    connector = FakeConnector()
    with ServerThread(connector.app()) as server:
        connector.url = server.url
        yield connector
