"""Keeping proactive sends under Teams' rate limits before Teams has to say 429.

Teams allows a bot about 50 requests a second per tenant, and per conversation
7 messages a second, 8 in two seconds and 60 in thirty seconds. The limiter
holds each send until every window has room. It counts this process's sends
only; Teams' own 429 with ``Retry-After`` (handled by the delivery) covers the
rest when several workers send at once.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

Window = tuple[int, float]
"""At most ``count`` requests in ``seconds``."""

APP_WINDOWS: tuple[Window, ...] = ((50, 1.0),)
CONVERSATION_WINDOWS: tuple[Window, ...] = ((7, 1.0), (8, 2.0), (60, 30.0))


class RateLimiter:
    """Sliding-window limits for the whole app and for each conversation."""

    def __init__(
        self,
        *,
        app_windows: tuple[Window, ...] = APP_WINDOWS,
        conversation_windows: tuple[Window, ...] = CONVERSATION_WINDOWS,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._app_windows = app_windows
        self._conversation_windows = conversation_windows
        self._clock = clock
        self._sleep = sleep
        self._app: deque[float] = deque()
        self._conversations: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    async def wait(self, conversation_id: str) -> float:
        """Wait until a request to ``conversation_id`` may go; returns the wait."""
        waited = 0.0
        async with self._lock:
            while True:
                now = self._clock()
                self._forget_before(now)
                sent = self._conversations.setdefault(conversation_id, deque())
                delay = max(
                    _delay(self._app, self._app_windows, now),
                    _delay(sent, self._conversation_windows, now),
                )
                if delay <= 0:
                    self._app.append(now)
                    sent.append(now)
                    return waited
                await self._sleep(delay)
                waited += delay

    def _forget_before(self, now: float) -> None:
        longest = max(
            (seconds for _, seconds in self._app_windows + self._conversation_windows),
            default=0.0,
        )
        while self._app and self._app[0] <= now - longest:
            self._app.popleft()
        for key in list(self._conversations):
            times = self._conversations[key]
            while times and times[0] <= now - longest:
                times.popleft()
            if not times:
                del self._conversations[key]


def _delay(sent: deque[float], windows: tuple[Window, ...], now: float) -> float:
    """How long until one more request fits every window."""
    delay = 0.0
    for count, seconds in windows:
        inside = [moment for moment in sent if moment > now - seconds]
        if len(inside) >= count:
            # Room opens when the oldest request that still counts leaves.
            delay = max(delay, inside[-count] + seconds - now)
    return delay
