"""The registry of job kinds: each module that schedules work registers its handler."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

Handler = Callable[
    [AsyncSession, dict[str, Any], datetime, tuple[str, ...]], Awaitable[None]
]

KeyedHandler = Callable[
    [AsyncSession, dict[str, Any], datetime, bytes], Awaitable[None]
]
"""A handler that needs the server secret (to open sealed responses)."""

HANDLERS: dict[str, Handler] = {}
KEYED_HANDLERS: dict[str, KeyedHandler] = {}


class Deferred(Exception):
    """A job that must wait (e.g. until working hours); carries the new time."""

    def __init__(self, until: datetime) -> None:
        self.until = until
        super().__init__(f"deferred until {until.isoformat()}")


def handles(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated coroutine as the handler of jobs of ``kind``."""

    def register(handler: Handler) -> Handler:
        _check_new(kind)
        HANDLERS[kind] = handler
        return handler

    return register


def handles_with_secret(kind: str) -> Callable[[KeyedHandler], KeyedHandler]:
    """Register the decorated coroutine for jobs of ``kind``; it gets the secret.

    The secret is handed over by the worker at run time and never stored with
    the job, so a database reader cannot open what the job opens.
    """

    def register(handler: KeyedHandler) -> KeyedHandler:
        _check_new(kind)
        KEYED_HANDLERS[kind] = handler
        return handler

    return register


def _check_new(kind: str) -> None:
    if kind in HANDLERS or kind in KEYED_HANDLERS:
        raise ValueError(f"two handlers for job kind {kind!r}")
