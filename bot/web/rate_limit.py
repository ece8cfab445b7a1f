"""Failed sign-in attempts per client address, limited in this process.

Each failed attempt (a personal link that is unknown, used or expired; a
persona or account that is not on the roster; a refused sign-in return) is
counted against the address it came from. Past the limit within the window,
that address gets a 429 page for sign-in routes until its oldest failure is
older than the window. Successful sign-ins are not counted, so a whole office
behind one address can arrive at once.

The counts live in memory, per web process: with N processes behind a load
balancer an address gets up to N times the limit, and a restart forgets them.
That still makes guessing cost time; a shared limit needs a shared store.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque
from datetime import timedelta

from fastapi import Request
from fastapi.responses import HTMLResponse

from bot import security_log
from bot.web import text
from bot.web.pages import notice_page

WINDOW = timedelta(minutes=10)
LARGEST_TABLE = 10_000
"""Addresses remembered at most; the oldest are forgotten past it."""


class FailureLimiter:
    """Counts failures per address in a sliding window."""

    def __init__(self, *, limit: int, window: timedelta = WINDOW) -> None:
        self.limit = limit
        self.window = window.total_seconds()
        self._failures: dict[str, deque[float]] = defaultdict(deque)

    def retry_after(self, address: str | None, *, now: float) -> int | None:
        """Seconds until ``address`` may try again, or None if it may now."""
        failures = self._failures.get(address or "-")
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if len(failures) < self.limit:
            return None
        return max(1, math.ceil(failures[0] + self.window - now))

    def failed(self, address: str | None, *, now: float) -> None:
        """Count one failed attempt from ``address``."""
        if len(self._failures) >= LARGEST_TABLE and address not in self._failures:
            oldest = min(self._failures, key=self._last_failure)
            del self._failures[oldest]
        self._failures[address or "-"].append(now)

    def _last_failure(self, address: str) -> float:
        failures = self._failures[address]
        return failures[-1] if failures else 0.0


def limiter_of(request: Request) -> FailureLimiter:
    """The app's limiter of failed sign-ins (made on first use)."""
    state = request.app.state
    limiter: FailureLimiter | None = getattr(state, "sign_in_limiter", None)
    if limiter is None:
        limit = state.runtime.settings.sign_in_failure_limit
        limiter = state.sign_in_limiter = FailureLimiter(limit=limit)
    return limiter


def client_of(request: Request) -> str | None:
    """The client's address (the proxy's forwarded one when it is trusted)."""
    return request.client.host if request.client else None


def refused_for_too_many(request: Request) -> HTMLResponse | None:
    """A 429 page if this address failed to sign in too often lately, else None."""
    address = client_of(request)
    wait = limiter_of(request).retry_after(address, now=time.monotonic())
    if wait is None:
        return None
    security_log.sign_in_limited(path=request.url.path, client=address)
    refused = notice_page(
        request,
        heading=text.too_many_heading(),
        message=text.too_many(math.ceil(wait / 60)),
        tone="error",
        status_code=429,
    )
    refused.headers["Retry-After"] = str(wait)
    refused.headers["Cache-Control"] = "no-store"
    return refused


def count_failure(request: Request) -> None:
    """Count a failed sign-in attempt against the request's address."""
    limiter_of(request).failed(client_of(request), now=time.monotonic())
