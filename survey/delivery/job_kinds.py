"""The registry of job kinds: each module that schedules work registers its handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

Handler = Callable[
    [AsyncSession, dict[str, Any], datetime, tuple[str, ...]], Awaitable[None]
]

HANDLERS: dict[str, Handler] = {}


class Deferred(Exception):
    """A job that must wait (e.g. until working hours); carries the new time."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(f"deferred until {until.isoformat()}")


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated coroutine as the handler of jobs of ``kind``."""

    def register(handler: Handler) -> Handler:
        if kind in HANDLERS:
            raise ValueError(f"two handlers for job kind {kind!r}")
        HANDLERS[kind] = handler
        return handler

    return register
