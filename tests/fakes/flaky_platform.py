"""A loopback stand-in for a platform that misbehaves for a while.

It sits in front of the real local channel inbox: it can answer 429 (with
``Retry-After``) or 500 to the first requests, then forwards everything, and it
records every message handed to it so tests can count deliveries per key.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


@dataclass
class FlakyPlatform:
    """Forwards to ``upstream`` after ``failures`` scripted failures."""

    upstream: str
    failures: list[int] = field(default_factory=list)
    retry_after: int = 1
    posted: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    client: httpx.AsyncClient | None = None

    def app(self) -> Starlette:
        """The ASGI app."""
        return Starlette(
            routes=[
                Route("/local/inbox", self._post, methods=["POST"]),
                Route("/local/inbox/{key}", self._get, methods=["GET"]),
            ],
            lifespan=self._lifespan,
        )

    @contextlib.asynccontextmanager
    async def _lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        yield
        if self.client is not None:
            await self.client.aclose()

    async def _post(self, request: Request) -> Response:
        body = await request.body()
        with self.lock:
            if self.failures:
                status = self.failures.pop(0)
                self.refused += 1
                headers = (
                    {"Retry-After": str(self.retry_after)} if status == 429 else {}
                )
                return Response("busy", status_code=status, headers=headers)
        forwarded = await self._forward(request, body)
        if forwarded.status_code == 200:
            key = json.loads(body)["idempotency_key"]
            with self.lock:
                self.posted[key] += 1
        return forwarded

    async def _get(self, request: Request) -> Response:
        return await self._forward(request, b"")

    async def _forward(self, request: Request, body: bytes) -> Response:
        headers = {
            name: value
            for name, value in request.headers.items()
            if name.lower().startswith("x-healthcheck")
            or name.lower() == "content-type"
        }
        if self.client is None:
            self.client = httpx.AsyncClient(base_url=self.upstream, timeout=30)
        upstream = await self.client.request(
            request.method, request.url.path, content=body, headers=headers
        )
        return Response(upstream.content, status_code=upstream.status_code)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerThread:
    """Runs an ASGI app with uvicorn on a loopback port in a background thread."""

    def __init__(self, app: Starlette) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake platform did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
