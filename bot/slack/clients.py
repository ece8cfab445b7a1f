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
from slack_sdk.oauth.installation_store import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import (
    AsyncSQLAlchemyInstallationStore,
)
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
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


ROTATE_MINUTES = 120
"""A rotating bot token is refreshed when it has less than this left (as Bolt)."""


def token_rotator(settings: Settings) -> AsyncTokenRotator | None:
    """slack-sdk's rotator, when the app installs by OAuth (only then can it rotate)."""
    if not settings.slack_oauth or settings.slack_client_secret is None:
        return None
    return AsyncTokenRotator(
        client_id=settings.slack_client_id or "",
        client_secret=settings.slack_client_secret.get_secret_value(),
        client=web_client(settings),
    )


class TokenSource:
    """The bot token for a workspace, refreshed when token rotation is on.

    With token rotation turned on for the Slack app, each installation stores a
    refresh token and an expiry (12 hours) next to the bot token; slack-sdk's
    rotator exchanges the refresh token (``oauth.v2.access`` with
    ``grant_type=refresh_token``) when less than :data:`ROTATE_MINUTES` are left,
    and the new bot is saved to the installation store, where the web app's Bolt
    authorisation (which rotates the same way) finds it too.
    """

    def __init__(
        self,
        settings: Settings,
        store: AsyncSQLAlchemyInstallationStore | None,
        *,
        rotator: AsyncTokenRotator | None = None,
    ) -> None:
        self._single = (
            settings.slack_bot_token.get_secret_value()
            if settings.slack_bot_token
            else None
        )
        self._store = store
        self._rotator = rotator
        self._found: dict[str, tuple[float, str | None]] = {}

    async def for_team(self, team_id: str | None) -> str | None:
        """The token to act in ``team_id`` (the single token if there is one).

        Installed tokens are remembered for a minute (never past the point where
        they are due for rotation), so a broadcast does not read the
        installation store once per message.
        """
        if self._single is not None:
            return self._single
        if self._store is None or team_id is None:
            return None
        found = self._found.get(team_id)
        if found is not None and time.monotonic() < found[0]:
            return found[1]
        bot = await self._bot(team_id)
        if bot is not None and self._rotator is not None and bot.bot_refresh_token:
            refreshed = await self._rotator.perform_bot_token_rotation(
                bot=bot, minutes_before_expiration=ROTATE_MINUTES
            )
            if refreshed is not None:
                await self._store.async_save_bot(refreshed)
                bot = refreshed
        token = bot.bot_token if bot is not None else None
        keep = TOKEN_CACHE_SECONDS
        if bot is not None and bot.bot_token_expires_at is not None:
            due = bot.bot_token_expires_at - ROTATE_MINUTES * 60 - time.time()
            keep = max(0.0, min(keep, due))
        self._found[team_id] = (time.monotonic() + keep, token)
        return token

    async def _bot(self, team_id: str) -> Bot | None:
        """The workspace's newest bot, also in a workspace of an Enterprise Grid.

        slack-sdk's store finds a bot by enterprise id and team id together, and
        a workspace of a Grid is stored with its enterprise id; the workspace id
        alone is unique in Slack, so look its enterprise up first.
        """
        assert self._store is not None
        bot = await self._store.async_find_bot(enterprise_id=None, team_id=team_id)
        if bot is not None:
            return bot
        bots = self._store.bots.c
        query = (
            select(bots.enterprise_id)
            .where(
                bots.client_id == self._store.client_id,
                bots.team_id == team_id,
                bots.bot_token.is_not(None),
            )
            .order_by(bots.installed_at.desc())
            .limit(1)
        )
        async with self._store.engine.connect() as connection:
            enterprise: str | None = (await connection.execute(query)).scalar()
        if enterprise is None:
            return None
        return await self._store.async_find_bot(
            enterprise_id=enterprise, team_id=team_id
        )
