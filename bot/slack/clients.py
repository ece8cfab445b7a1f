"""Slack Web API clients with rate-limit retries, and where their tokens come from.

One workspace: the bot token from the settings. Many workspaces: the token the
OAuth install stored in slack-sdk's installation store (our database), found by
the workspace an organisation is linked to.
"""

from __future__ import annotations

import time

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.oauth.installation_store.sqlalchemy import (
    AsyncSQLAlchemyInstallationStore,
)
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.platforms.proxies import proxy_for
from bot.settings import Settings

RATE_LIMIT_RETRIES = 3
TOKEN_CACHE_SECONDS = 60.0
STATE_EXPIRY_SECONDS = 600


def web_client(
    settings: Settings,
    *,
    token: str | None = None,
    session: aiohttp.ClientSession | None = None,
    rate_limit_retries: int = RATE_LIMIT_RETRIES,
) -> AsyncWebClient:
    """A client for ``settings.slack_api_url`` that waits out 429s (Retry-After)."""
    client = AsyncWebClient(
        token=token,
        base_url=settings.slack_api_url,
        session=session,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=2),
            AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
        ],
    )
    # slack-sdk reads HTTPS_PROXY but not NO_PROXY: decide here, as urllib does.
    client.proxy = proxy_for(settings.slack_api_url)
    return client


def installation_store(
    settings: Settings, engine: AsyncEngine
) -> AsyncSQLAlchemyInstallationStore:
    """slack-sdk's store on our database (its tables come from our migrations)."""
    return AsyncSQLAlchemyInstallationStore(
        client_id=settings.slack_client_id or "single-workspace", engine=engine
    )


def state_store(engine: AsyncEngine) -> AsyncSQLAlchemyOAuthStateStore:
    """slack-sdk's OAuth state store on our database."""
    return AsyncSQLAlchemyOAuthStateStore(
        expiration_seconds=STATE_EXPIRY_SECONDS, engine=engine
    )


class TokenSource:
    """The bot token for a workspace."""

    def __init__(
        self,
        settings: Settings,
        store: AsyncSQLAlchemyInstallationStore | None,
    ) -> None:
        self._single = (
            settings.slack_bot_token.get_secret_value()
            if settings.slack_bot_token
            else None
        )
        self._store = store
        self._found: dict[str, tuple[float, str | None]] = {}

    async def for_team(self, team_id: str | None) -> str | None:
        """The token to act in ``team_id`` (the single token if there is one).

        Installed tokens are remembered for a minute, so a broadcast does not
        read the installation store once per message.
        """
        if self._single is not None:
            return self._single
        if self._store is None or team_id is None:
            return None
        found = self._found.get(team_id)
        if found is not None and time.monotonic() - found[0] < TOKEN_CACHE_SECONDS:
            return found[1]
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        token = bot.bot_token if bot is not None else await self._in_grid(team_id)
        self._found[team_id] = (time.monotonic(), token)
        return token

    async def _in_grid(self, team_id: str) -> str | None:
        """The token of a workspace installed as part of an Enterprise Grid.

        slack-sdk's store finds a bot by enterprise id and team id together, and
        a workspace of a Grid is stored with its enterprise id; the workspace id
        alone is unique in Slack, so look for it under any enterprise.
        """
        assert self._store is not None
        bots = self._store.bots.c
        query = (
            select(bots.bot_token)
            .where(
                bots.client_id == self._store.client_id,
                bots.team_id == team_id,
                bots.bot_token.is_not(None),
            )
            .order_by(bots.installed_at.desc())
            .limit(1)
        )
        async with self._store.engine.connect() as connection:
            token: str | None = (await connection.execute(query)).scalar()
        return token
