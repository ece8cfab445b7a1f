"""Keeping under Slack's rate limits before Slack has to say so.

Slack limits each Web API method per workspace (``conversations.open`` is tier 3,
about 50 a minute; ``chat.postMessage`` about one a second per channel, with an
unpublished workspace-wide ceiling) and allows short bursts. Every call first
takes the next free slot for its method and, for posts, its channel: a token
bucket per method (the generic cell rate algorithm: calls spaced at the rate,
with up to ``burst_seconds`` of calls banked while idle, so a pause between
batches is made up without ever exceeding the rate on average) and strict
spacing per channel. A 429 that still happens (another process sharing the
workspace's limit) is waited out by slack-sdk's retry handler using
``Retry-After``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SlackLimits:
    """What the delivery allows itself, per workspace.

    Attributes:
        per_method: Calls a minute for each method (missing: unthrottled).
        burst_seconds: How many seconds' worth of calls of a method may go at
            once after a quiet spell (Slack tolerates short bursts).
        per_channel_seconds: The gap between two posts to the same channel.
    """

    per_method: dict[str, float] = field(
        default_factory=lambda: {
            "chat.postMessage": 300.0,
            "conversations.open": 50.0,
            "conversations.history": 50.0,
            "users.lookupByEmail": 50.0,
            "users.info": 100.0,
        }
    )
    burst_seconds: float = 1.0
    per_channel_seconds: float = 1.0


class Throttle:
    """Hands out slots per key; ``wait`` sleeps until the call's slot."""

    def __init__(
        self,
        limits: SlackLimits,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limits = limits
        self._clock = clock
        # The theoretical arrival time of the next call, per key.
        self._due: dict[tuple[str, ...], float] = {}

    def reserve(self, team: str, method: str, channel: str | None = None) -> float:
        """Take the next slot for a call; returns how long to wait for it."""
        keys: list[tuple[tuple[str, ...], float, float]] = []
        per_minute = self.limits.per_method.get(method)
        if per_minute:
            gap = 60.0 / per_minute
            banked = max(0.0, self.limits.burst_seconds - gap)
            keys.append(((team, method), gap, banked))
        if channel is not None and method == "chat.postMessage":
            keys.append(((team, method, channel), self.limits.per_channel_seconds, 0.0))
        now = self._clock()
        start = now
        for key, _, banked in keys:
            start = max(start, self._due.get(key, now) - banked)
        for key, gap, _ in keys:
            self._due[key] = max(self._due.get(key, now), start) + gap
        return start - now

    async def wait(self, team: str, method: str, channel: str | None = None) -> None:
        """Sleep until this call's slot comes round."""
        delay = self.reserve(team, method, channel)
        if delay > 0:
            await asyncio.sleep(delay)
