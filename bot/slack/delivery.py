"""Delivering outbox messages to Slack: DMs to people, posts to the workforce channel.

A workforce post goes to its organisation's own channel (``healthcheck slack
workforce-channel``); failing that, the deployment's default organisation uses
``HEALTHCHECK_SLACK_WORKFORCE_CHANNEL``, and any other organisation's post is
parked with the command that fixes it, never posted in another council's channel.
Every call uses the token of the workspace the organisation is linked to.

Each post carries the outbox idempotency key in its message metadata (event type
``healthcheck_outbox``). After a crash between Slack accepting a post and the
worker recording it, :meth:`SlackDelivery.already_delivered` reads the
conversation's recent history for that key, so the post is never made twice.
DM channel ids are stored on the person the first time, so later broadcasts
skip ``conversations.open``. Calls wait for their slot in a per-method and
per-channel throttle, and slack-sdk's retry handler waits out any 429.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from bot.slack import text
from bot.slack.clients import (
    TokenSource,
    installation_store,
    token_rotator,
    web_client,
)
from bot.slack.identity import remember_dm_channels, stored_dm_channels, team_of
from bot.slack.linking import LinkReport, link_roster
from bot.slack.posts import outbox_blocks
from bot.slack.throttle import SlackLimits, Throttle
from survey.db import SessionFactory, create_engine, session_factory
from survey.delivery.outbox import SendResult
from survey.delivery.psw_notes import tell_psws
from survey.models import Organisation, OutboxMessage
from survey.models.columns import utcnow

log = logging.getLogger(__name__)

SLACK = "slack"
EVENT_TYPE = "healthcheck_outbox"
WORKFORCE_CHANNEL = "channel:workforce"
SETTING = "HEALTHCHECK_SLACK_WORKFORCE_CHANNEL"
HISTORY_PAGES = 3
HISTORY_PAGE_SIZE = 15
"""Messages per ``conversations.history`` page when checking a message in doubt.

Slack gives distributed apps that are not in the Marketplace at most 15 messages
a call (and about one call a minute); a message in doubt is minutes old, so three
pages of the newest 15 find it. A 429 is waited out by the retry handler.
"""
SAVE_CHANNELS_EVERY = 100
SAVE_CHANNELS_SECONDS = 2.0
LINK_BUDGET_SECONDS = 240.0
"""Linking before invitations stops after this, well inside the job's lease."""

PERMANENT_ERRORS = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "invalid_arguments",
        "invalid_auth",
        "invalid_blocks",
        "is_archived",
        "msg_too_long",
        "no_text",
        "not_allowed_token_type",
        "not_in_channel",
        "restricted_action",
        "token_revoked",
        "user_disabled",
        "user_not_found",
        "users_not_found",
    }
)
"""Errors that sending again will not fix: the message is parked at once."""


class NoRoute(Exception):
    """There is no way to reach this recipient in Slack (a setting or install)."""


class SlackDelivery:
    """Sends outbox messages through the Slack Web API (see the module docstring)."""

    platform = SLACK

    def __init__(
        self,
        settings: Settings,
        *,
        sessions: SessionFactory,
        tokens: TokenSource,
        limits: SlackLimits | None = None,
        engine: AsyncEngine | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.tokens = tokens
        self.throttle = Throttle(limits or SlackLimits())
        self._engine = engine
        self._http: aiohttp.ClientSession | None = None
        self._clients: dict[str, AsyncWebClient] = {}
        self._teams: dict[uuid.UUID | None, str] = {}
        self._channels: dict[tuple[uuid.UUID | None, str], str] = {}
        self._loaded: set[uuid.UUID] = set()
        self._unsaved: dict[tuple[uuid.UUID, str], str] = {}
        self._saved_at = time.monotonic()
        self._in_flight = 0

    @classmethod
    def from_settings(
        cls, settings: Settings, *, limits: SlackLimits | None = None
    ) -> SlackDelivery:
        """A delivery with its own database engine (the worker's composition root)."""
        engine = create_engine(settings.database_url)
        store = installation_store(settings, engine) if settings.slack_oauth else None
        return cls(
            settings,
            sessions=session_factory(engine),
            tokens=TokenSource(settings, store, rotator=token_rotator(settings)),
            limits=limits,
            engine=engine,
        )

    async def send(self, message: OutboxMessage) -> SendResult:
        """Post the message; never raises for Slack or network errors."""
        self._in_flight += 1
        try:
            return await self._send(message)
        finally:
            self._in_flight -= 1
            if not self._in_flight and self._unsaved:
                # The end of a batch: store the DM ids it opened.
                await self._save_channels()

    async def _send(self, message: OutboxMessage) -> SendResult:
        try:
            team, client = await self._client(message.organisation_id)
            channel = await self._channel(team, client, message)
            text, blocks = outbox_blocks(message.payload)
            await self.throttle.wait(team, "chat.postMessage", channel)
            await client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata={
                    "event_type": EVENT_TYPE,
                    "event_payload": {"key": message.idempotency_key},
                },
            )
        except NoRoute as error:
            return SendResult(ok=False, error=str(error), permanent=True)
        except SlackApiError as error:
            return _failure(error)
        except (aiohttp.ClientError, TimeoutError) as error:
            return SendResult(ok=False, error=f"Slack unreachable: {error!r}")
        return SendResult(ok=True)

    async def already_delivered(self, message: OutboxMessage) -> bool | None:
        """Look for the message's key in its conversation's recent history."""
        try:
            team, client = await self._client(message.organisation_id)
            channel = await self._channel(team, client, message)
            cursor = None
            for _ in range(HISTORY_PAGES):
                await self.throttle.wait(team, "conversations.history")
                page = await client.conversations_history(
                    channel=channel,
                    limit=HISTORY_PAGE_SIZE,
                    include_all_metadata=True,
                    cursor=cursor,
                )
                for posted in page.get("messages") or []:
                    if _key_of(posted) == message.idempotency_key:
                        return True
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not page.get("has_more") or not cursor:
                    return False
        except (NoRoute, SlackApiError, aiohttp.ClientError, TimeoutError) as error:
            log.warning(
                "cannot tell whether %s reached Slack: %r",
                message.idempotency_key,
                error,
            )
            return None
        # Older than the pages read: a message in doubt is minutes old, not this old.
        return False

    async def link_people(
        self, organisation_id: uuid.UUID, *, occasion: str
    ) -> LinkReport | None:
        """Link people without a Slack id by email, before invitations go out.

        Paced at ``users.lookupByEmail``'s limit, for at most
        :data:`LINK_BUDGET_SECONDS`; the PSWs are told the outcome when there is
        news (``occasion`` keys that note, so a job run twice tells them once).
        None when the organisation has no Slack workspace.
        """
        try:
            team, client = await self._client(organisation_id)
        except NoRoute:
            return None

        async def pace() -> None:
            await self.throttle.wait(team, "users.lookupByEmail")

        report = await link_roster(
            self.sessions,
            client,
            organisation_id=organisation_id,
            pace=pace,
            budget_seconds=LINK_BUDGET_SECONDS,
        )
        if report.news:
            platforms: tuple[str, ...] = ("local", "slack")
            if self.settings.teams_enabled:
                platforms = (*platforms, "teams")
            async with self.sessions() as session, session.begin():
                await tell_psws(
                    session,
                    organisation_id=organisation_id,
                    event=f"slack-link:{occasion}",
                    text=text.linked_before_invitations(report.summary()),
                    platforms=platforms,
                    now=utcnow(),
                )
        return report

    async def close(self) -> None:
        """Store DM ids not yet stored; close the HTTP pool and any own engine."""
        await self._save_channels()
        if self._http is not None:
            await self._http.close()
        if self._engine is not None:
            await self._engine.dispose()

    async def _client(
        self, organisation_id: uuid.UUID | None
    ) -> tuple[str, AsyncWebClient]:
        team = self._teams.get(organisation_id)
        if team is None:
            team = await self._team(organisation_id)
            self._teams[organisation_id] = team
        token = await self.tokens.for_team(team or None)
        if token is None:
            raise NoRoute(f"the Slack app is not installed in workspace {team or '?'}")
        if token not in self._clients:
            if self._http is None:
                self._http = aiohttp.ClientSession(
                    timeout=aiohttp.ClientTimeout(total=30)
                )
            self._clients[token] = web_client(
                self.settings, token=token, session=self._http
            )
        return team, self._clients[token]

    async def _team(self, organisation_id: uuid.UUID | None) -> str:
        if organisation_id is None:
            return ""
        async with self.sessions() as session:
            return await team_of(session, organisation_id=organisation_id) or ""

    async def _channel(
        self, team: str, client: AsyncWebClient, message: OutboxMessage
    ) -> str:
        recipient = message.recipient
        if recipient == WORKFORCE_CHANNEL:
            return await self._workforce_channel(message.organisation_id)
        if not recipient.startswith(("U", "W")):
            return recipient
        organisation_id = message.organisation_id
        if organisation_id is not None and organisation_id not in self._loaded:
            # One query for the whole organisation, not one per message.
            async with self.sessions() as session:
                stored = await stored_dm_channels(
                    session, organisation_id=organisation_id
                )
            for slack_id, stored_channel in stored.items():
                self._channels.setdefault((organisation_id, slack_id), stored_channel)
            self._loaded.add(organisation_id)
        channel = self._channels.get((organisation_id, recipient))
        if channel is not None:
            return channel
        await self.throttle.wait(team, "conversations.open")
        opened = await client.conversations_open(users=recipient)
        channel = str((opened.get("channel") or {})["id"])
        self._channels[(organisation_id, recipient)] = channel
        if organisation_id is not None:
            self._unsaved[(organisation_id, recipient)] = channel
            due = time.monotonic() - self._saved_at > SAVE_CHANNELS_SECONDS
            if len(self._unsaved) >= SAVE_CHANNELS_EVERY or due:
                await self._save_channels()
        return channel

    async def _workforce_channel(self, organisation_id: uuid.UUID | None) -> str:
        """The organisation's own channel, else the setting for the default one.

        Read on every workforce post (they are few), so a channel set with
        ``healthcheck slack workforce-channel`` is used by a running worker.

        Raises:
            NoRoute: the organisation has no channel of its own and the setting
                is not its channel; the reason names the command that fixes it.
        """
        setting = self.settings.slack_workforce_channel
        if organisation_id is None:
            if setting:
                return setting
            raise NoRoute(f"no Slack workforce channel is set ({SETTING})")
        async with self.sessions() as session:
            organisation = await session.get(Organisation, organisation_id)
        if organisation is None:
            raise NoRoute(f"organisation {organisation_id} no longer exists")
        if organisation.slack_workforce_channel:
            return organisation.slack_workforce_channel
        fix = (
            "run `healthcheck slack workforce-channel CHANNEL_ID "
            f"--org {organisation.slug}`"
        )
        if organisation.slug != self.settings.organisation:
            raise NoRoute(
                f"'{organisation.slug}' has no Slack workforce channel of its own "
                f"({SETTING} serves only '{self.settings.organisation}', "
                "the default organisation): "
                f"{fix}"
            )
        if setting:
            return setting
        raise NoRoute(
            f"no Slack workforce channel is set for '{organisation.slug}': "
            f"{fix}, or set {SETTING}"
        )

    async def _save_channels(self) -> None:
        """Store newly opened DM ids, many to a transaction.

        Losing some in a crash costs only a repeated (idempotent)
        ``conversations.open`` later.
        """
        unsaved, self._unsaved = self._unsaved, {}
        self._saved_at = time.monotonic()
        if not unsaved:
            return
        by_organisation: dict[uuid.UUID, dict[str, str]] = {}
        for (organisation_id, slack_id), channel in unsaved.items():
            by_organisation.setdefault(organisation_id, {})[slack_id] = channel
        async with self.sessions() as session, session.begin():
            for organisation_id, channels in by_organisation.items():
                await remember_dm_channels(
                    session, organisation_id=organisation_id, channels=channels
                )


def _key_of(posted: dict[str, Any]) -> str | None:
    metadata = posted.get("metadata") or {}
    if metadata.get("event_type") != EVENT_TYPE:
        return None
    key = (metadata.get("event_payload") or {}).get("key")
    return str(key) if key is not None else None


def _failure(error: SlackApiError) -> SendResult:
    response = error.response
    code = str(response.get("error") or "unknown_error")
    if response.status_code == 429:
        retry_after = response.headers.get("Retry-After") or response.headers.get(
            "retry-after"
        )
        seconds = _seconds(retry_after)
        return SendResult(ok=False, error=f"Slack: {code}", retry_after=seconds)
    if code in PERMANENT_ERRORS:
        return SendResult(ok=False, error=f"Slack: {code}", permanent=True)
    return SendResult(ok=False, error=f"Slack: {code}")


def _seconds(value: Any) -> float | None:
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
