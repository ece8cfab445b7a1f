"""A fake Socket Mode server: Slack's WebSocket end, on 127.0.0.1.

``apps.connections.open`` on the fake Web API hands out this server's URL. It
greets each connection with ``hello``, sends the envelopes a test queues, and
records the acknowledgements (``{"envelope_id": ...}``) the app sends back.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from typing import Any

from aiohttp import WSMsgType, web
from fakes.flaky_platform import free_port


class FakeSocketMode:
    """Runs an aiohttp WebSocket server in a thread of its own."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"ws://127.0.0.1:{self.port}/link"
        self.acks: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._queue: asyncio.Queue[dict[str, Any]] | None = None
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> FakeSocketMode:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *_: object) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(
                10
            )
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _start(self) -> None:
        self._queue = asyncio.Queue()
        app = web.Application()
        app.router.add_get("/link", self._link)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"}}
        )
        self.connected.set()
        assert self._queue is not None
        queue = self._queue

        async def send() -> None:
            while True:
                await socket.send_json(await queue.get())

        sender = asyncio.ensure_future(send())
        try:
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self.acks.append(json.loads(message.data))
        finally:
            sender.cancel()
        return socket

    def send(self, envelope: dict[str, Any]) -> None:
        """Deliver one envelope to the connected app."""
        assert self._queue is not None
        queue = self._queue
        asyncio.run_coroutine_threadsafe(queue.put(envelope), self._loop).result(5)

    def wait_for_ack(self, envelope_id: str, timeout: float = 10.0) -> dict[str, Any]:
        """Block until the app acknowledged ``envelope_id``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ack in list(self.acks):
                if ack.get("envelope_id") == envelope_id:
                    return ack
            time.sleep(0.01)
        raise AssertionError(f"no ack for {envelope_id}; acks: {self.acks}")
