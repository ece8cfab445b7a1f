"""A small forward HTTP proxy on 127.0.0.1 that records what passed through it.

Good enough for the fakes (plain HTTP, one request per connection): it reads a
request in absolute form (``POST http://127.0.0.1:PORT/path HTTP/1.1``), sends
it on to that host with ``Connection: close``, and relays the answer. A client
that ignores the proxy settings never shows up in :attr:`FakeProxy.seen`.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class FakeProxy:
    """The proxy's address and the request targets it forwarded."""

    url: str = ""
    seen: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def targets(self) -> list[str]:
        """``METHOD absolute-url`` of every request forwarded, oldest first."""
        with self.lock:
            return list(self.seen)

    async def handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, target, version = lines[0].split(" ", 2)
            headers = [line for line in lines[1:] if line]
            length = 0
            for line in headers:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            body = await reader.readexactly(length) if length else b""
            with self.lock:
                self.seen.append(f"{method} {target}")
            parts = urlsplit(target)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            kept = [
                line
                for line in headers
                if line.split(":")[0].strip().lower()
                not in ("connection", "proxy-connection", "keep-alive")
            ]
            upstream_reader, upstream_writer = await asyncio.open_connection(
                parts.hostname, parts.port or 80
            )
            request = "\r\n".join(
                [f"{method} {path} {version}", *kept, "Connection: close", "", ""]
            )
            upstream_writer.write(request.encode("latin-1") + body)
            await upstream_writer.drain()
            answer = await upstream_reader.read()
            upstream_writer.close()
            writer.write(answer)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            writer.write(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
        finally:
            writer.close()


@contextmanager
def running_proxy() -> Iterator[FakeProxy]:
    """A proxy serving on a free loopback port for the block."""
    proxy = FakeProxy()
    loop = asyncio.new_event_loop()
    started = threading.Event()
    server: asyncio.Server | None = None

    async def start() -> None:
        nonlocal server
        server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        proxy.url = f"http://127.0.0.1:{port}"
        started.set()

    def run() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("the proxy did not start")
    try:
        yield proxy
    finally:
        assert server is not None
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
