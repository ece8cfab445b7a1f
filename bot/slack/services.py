"""What every Slack listener needs: the database, the secret, the renderer, a clock.

Bolt passes listeners only Slack's objects; a global middleware puts these
services in the request context, and :func:`services_of` takes them out.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_bolt.context.async_context import AsyncBoltContext

from bot.settings import Settings
from bot.slack.render import BlockKitRenderer
from survey.db import SessionFactory

CONTEXT_KEY = "healthcheck"


def utc_now() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


@dataclass
class SlackServices:
    """The app's side of a Slack request.

    Attributes:
        settings: The deployment's settings.
        sessions: Database sessions for writing.
        read_sessions: Database sessions for reading only.
        clock: The current time (tests pin it).
        writers: How many requests may write at once (one on SQLite, so
            writers queue here rather than on the database lock).
    """

    settings: Settings
    sessions: SessionFactory
    read_sessions: SessionFactory
    clock: Callable[[], datetime] = utc_now
    writers: int = 8
    renderer: BlockKitRenderer = field(default_factory=BlockKitRenderer)
    _gate: asyncio.Semaphore | None = None

    @property
    def platforms(self) -> tuple[str, ...]:
        """Where messages can go: posts reach every chat platform in use."""
        chats = ["slack"]
        if self.settings.teams_enabled:
            chats.append("teams")
        return ("local", *chats)

    @property
    def secret(self) -> bytes:
        """The server secret that keys drafts."""
        return self.settings.secret

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Hold while writing to the database."""
        if self._gate is None:
            self._gate = asyncio.Semaphore(self.writers)
        async with self._gate:
            yield


def services_of(context: AsyncBoltContext) -> SlackServices:
    """The services the middleware attached to this request."""
    services = context[CONTEXT_KEY]
    assert isinstance(services, SlackServices)
    return services
