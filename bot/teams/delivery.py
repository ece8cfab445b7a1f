"""Delivering outbox messages to Teams: proactive cards through stored references.

Each message goes to a person's personal chat (found by the roster's Teams id;
created with the Bot Connector if the app is installed for them but they have
not written yet) or to a channel (``channel:workforce`` is the channel the
organisation's PSW chose; with none chosen, or that channel deleted, the post is
parked with the fix named, never sent somewhere else). Sends wait for
:class:`RateLimiter`, and a throttled send (429, and 412, 502, 504) is retried
after ``Retry-After`` or a jittered backoff; a longer wait is handed back to the
outbox.

Idempotency: the outbox key travels in the activity's ``channelData`` and the
accepted send is written to ``chat_delivery`` at once. The Bot Connector has no
way to look a message up by our key, so :meth:`TeamsDelivery.already_delivered`
answers True only from that record and otherwise None ("cannot tell"). The
at-least-once window is the moment between Teams accepting a message and that
record being written: a worker killed exactly there sends the message again.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
from microsoft_agents.activity import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationAccount,
    ConversationParameters,
    ConversationReference,
)
from microsoft_agents.hosting.core import (
    AuthenticationConstants,
    ChannelServiceAdapter,
    ClaimsIdentity,
    Connections,
    TurnContext,
)
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.settings import Settings
from bot.teams.cards import CONTENT_TYPE, AdaptiveCardRenderer
from bot.teams.connector import ProxyAwareClientFactory
from bot.teams.outgoing import UnknownPayload, outbox_messages, summary_of
from bot.teams.references import TEAMS, stored_reference, user_key_of
from bot.teams.throttle import RateLimiter
from bot.teams.workforce import WorkforceChannels
from survey.db import SessionFactory
from survey.delivery.conversations import (
    PERSONAL,
    any_conversation,
    find_conversation,
    personal_conversation,
    record_delivery,
    remember_conversation,
    was_delivered,
)
from survey.delivery.outbox import SendResult
from survey.models import Organisation, OutboxMessage

log = logging.getLogger(__name__)

CHANNEL_PREFIX = "channel:"
WORKFORCE = "workforce"
THROTTLED = frozenset({429, 412, 502, 504})
"""Statuses Teams uses for "slow down" or a passing fault: retried here."""
PASSING = frozenset({500, 503})
"""Faults retried later by the outbox, not at once."""
OUTBOX_KEY = "healthcheckOutboxKey"
GONE = frozenset({403, 404})
"""A channel post refused like this: the app is out of the team or the channel gone."""
CHOOSE = (
    "the PSW writes '@Health Check workforce channel' in the channel, or run "
    "`healthcheck teams workforce-channel CHANNEL_ID --org {slug}`"
)


class NoRoute(Exception):
    """Nowhere to send the message; the reason names the fix."""


Sleep = Callable[[float], Awaitable[None]]
Clock = Callable[[], datetime]


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Target:
    """Where one message goes."""

    conversation_id: str
    reference: ConversationReference | None = None
    create_for: str | None = None
    tenant_id: str | None = None
    organisation_id: uuid.UUID | None = None
    workforce_of: uuid.UUID | None = None


@dataclass(frozen=True)
class Attempt:
    """How one try at the Bot Connector went."""

    ok: bool
    activity_id: str | None = None
    conversation_id: str | None = None
    status: int | None = None
    error: str | None = None
    retry_after: float | None = None

    @property
    def throttled(self) -> bool:
        """Teams asked us to slow down or had a passing fault: try again soon."""
        return self.status in THROTTLED

    @property
    def retryable(self) -> bool:
        """Worth trying again later (as opposed to parking the message)."""
        return self.status is None or self.throttled or self.status in PASSING


class TeamsDelivery:
    """Sends outbox messages to Teams (the worker's ``teams`` delivery)."""

    platform = TEAMS

    def __init__(
        self,
        *,
        adapter: ChannelServiceAdapter,
        connections: Connections,
        sessions: SessionFactory,
        app_id: str | None,
        limiter: RateLimiter | None = None,
        renderer: AdaptiveCardRenderer | None = None,
        retries: int = 4,
        longest_wait: float = 30.0,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = _now,
        on_close: Callable[[], Awaitable[None]] | None = None,
        platforms: tuple[str, ...] = ("local", "teams"),
    ) -> None:
        self._adapter = adapter
        self._clients = ProxyAwareClientFactory(connections)
        self._sessions = sessions
        self._app_id = app_id
        self._limiter = limiter or RateLimiter()
        self._renderer = renderer or AdaptiveCardRenderer()
        self._retries = retries
        self._longest_wait = longest_wait
        self._sleep = sleep
        self._clock = clock
        self._on_close = on_close
        self._workforce = WorkforceChannels(sessions, platforms)

    async def send(self, message: OutboxMessage) -> SendResult:
        """Deliver ``message``, retrying throttled sends; never raises."""
        try:
            messages = outbox_messages(message.payload)
        except UnknownPayload as error:
            return SendResult(ok=False, error=str(error), permanent=True)
        try:
            target = await self._target(message)
        except NoRoute as error:
            return SendResult(ok=False, error=str(error), permanent=True)
        if target is None:
            return SendResult(
                ok=False,
                error=f"no Teams conversation for {message.recipient} (the app is "
                "not installed there)",
                permanent=True,
            )
        activities = [
            self._activity(card, message.idempotency_key, summary_of(messages))
            for card in self._renderer.render_cards(messages)
        ]
        attempt = Attempt(ok=False)
        for tries in range(self._retries + 1):
            await self._limiter.wait(target.conversation_id)
            attempt = await self._post(target, activities)
            if attempt.ok:
                await self._recorded(message, attempt)
                return SendResult(ok=True)
            if not attempt.throttled or tries == self._retries:
                break
            wait = _wait(attempt.retry_after, tries)
            if wait > self._longest_wait:
                break
            log.info("Teams throttled (%s); retrying in %.1fs", attempt.status, wait)
            await self._sleep(wait)
        if attempt.status in GONE and target.workforce_of is not None:
            await self._workforce.refusing(
                organisation_id=target.workforce_of,
                channel_id=target.conversation_id,
                status=attempt.status,
                message_key=message.idempotency_key,
                now=self._clock(),
            )
        return SendResult(
            ok=False,
            error=attempt.error,
            retry_after=attempt.retry_after,
            permanent=not attempt.retryable,
        )

    async def already_delivered(self, message: OutboxMessage) -> bool | None:
        """True if Teams is known to have accepted it; None when we cannot tell."""
        async with self._sessions() as session:
            if await was_delivered(session, idempotency_key=message.idempotency_key):
                return True
        return None

    async def close(self) -> None:
        """Release what the delivery opened."""
        if self._on_close is not None:
            await self._on_close()

    async def _target(self, message: OutboxMessage) -> Target | None:
        recipient = message.recipient
        async with self._sessions() as session:
            if recipient.startswith(CHANNEL_PREFIX):
                name = recipient.removeprefix(CHANNEL_PREFIX)
                if name == WORKFORCE:
                    return await self._workforce_target(session, message)
                else:
                    found = await find_conversation(
                        session, platform=TEAMS, conversation_id=name
                    )
                    found = found if found is not None and found.active else None
                if found is None:
                    return None
                reference = stored_reference(found.reference)
                return Target(found.conversation_id, reference)
            key = user_key_of(recipient) or recipient
            chat = await personal_conversation(session, platform=TEAMS, user_key=key)
            if chat is not None:
                return Target(chat.conversation_id, stored_reference(chat.reference))
            if message.organisation_id is None:
                return None
            # Installed for them but never written to: a new 1:1 chat can be made
            # with the service address and tenant of any conversation we know.
            known = await any_conversation(
                session, platform=TEAMS, organisation_id=message.organisation_id
            )
            if known is None:
                return None
            return Target(
                conversation_id=f"new:{recipient}",
                reference=stored_reference(known.reference),
                create_for=recipient,
                tenant_id=known.tenant_id,
                organisation_id=message.organisation_id,
            )

    async def _workforce_target(
        self, session: AsyncSession, message: OutboxMessage
    ) -> Target:
        """The channel the organisation's PSW chose for workforce posts.

        Raises:
            NoRoute: none chosen, or the chosen channel is deleted or the app
                removed from it; the reason names the fix.
        """
        organisation = (
            await session.get(Organisation, message.organisation_id)
            if message.organisation_id is not None
            else None
        )
        if organisation is None:
            raise NoRoute("a Teams workforce post belongs to no organisation")
        fix = CHOOSE.format(slug=organisation.slug)
        channel = organisation.teams_workforce_channel
        if not channel:
            raise NoRoute(
                f"no Teams workforce channel is chosen for '{organisation.slug}': {fix}"
            )
        found = await find_conversation(
            session, platform=TEAMS, conversation_id=channel
        )
        if found is None or not found.active:
            raise NoRoute(
                f"the Teams workforce channel of '{organisation.slug}' was deleted or "
                f"the app removed from its team: {fix}"
            )
        return Target(
            found.conversation_id,
            stored_reference(found.reference),
            workforce_of=organisation.id,
        )

    def _activity(self, card: dict[str, Any], key: str, summary: str) -> Activity:
        return Activity(
            type=ActivityTypes.message,
            summary=summary,
            attachments=[Attachment(content_type=CONTENT_TYPE, content=card)],
            channel_data={OUTBOX_KEY: key},
        )

    async def _post(self, target: Target, activities: list[Activity]) -> Attempt:
        reference = target.reference
        assert reference is not None
        try:
            if target.create_for is not None:
                reference = await self._create(target, reference)
            return await self._continue(reference, activities)
        except aiohttp.ClientResponseError as error:
            return _refused(error)
        except (aiohttp.ClientError, TimeoutError, OSError) as error:
            return Attempt(ok=False, error=f"Teams unreachable: {error!r}")

    async def _continue(
        self, reference: ConversationReference, activities: list[Activity]
    ) -> Attempt:
        sent: list[str | None] = []
        failures: list[BaseException] = []

        async def deliver(context: TurnContext) -> None:
            try:
                for activity in activities:
                    response = await context.send_activity(activity.model_copy())
                    sent.append(response.id if response else None)
            except Exception as error:  # noqa: BLE001 (classified by the caller)
                failures.append(error)

        continuation = reference.get_continuation_activity()
        # Without an id the sends are new messages (in a channel, new threads),
        # not replies to the made-up continuation event.
        continuation.id = None
        if self._app_id:
            await self._adapter.continue_conversation(
                self._app_id, continuation, deliver
            )
        else:
            # No app id: local testing against a fake connector, no tokens.
            await self._adapter.continue_conversation_with_claims(
                ClaimsIdentity({}), continuation, deliver
            )
        if failures:
            raise failures[0]
        return Attempt(
            ok=True,
            activity_id=sent[-1] if sent else None,
            conversation_id=reference.conversation.id,
        )

    async def _create(
        self, target: Target, known: ConversationReference
    ) -> ConversationReference:
        """Open a 1:1 chat with ``target.create_for`` and remember it."""
        anonymous = not self._app_id
        identity = (
            ClaimsIdentity({})
            if anonymous
            else self._adapter.create_claims_identity(self._app_id or "")
        )
        client = await self._clients.create_connector_client(
            None,
            identity,
            known.service_url,
            AuthenticationConstants.AGENTS_SDK_SCOPE,
            use_anonymous=anonymous,
        )
        member = str(target.create_for)
        try:
            created = await client.conversations.create_conversation(
                ConversationParameters(
                    is_group=False,
                    agent=known.agent,
                    members=[ChannelAccount(id=member)],
                    tenant_id=target.tenant_id,
                    channel_data={"tenant": {"id": target.tenant_id}},
                )
            )
        finally:
            await client.close()
        reference = ConversationReference(
            conversation=ConversationAccount(
                id=created.id,
                conversation_type="personal",
                tenant_id=target.tenant_id,
            ),
            agent=known.agent,
            user=ChannelAccount(id=member),
            channel_id=known.channel_id,
            service_url=created.service_url or known.service_url,
        )
        async with self._sessions() as session, session.begin():
            await remember_conversation(
                session,
                platform=TEAMS,
                conversation_id=str(created.id),
                kind=PERSONAL,
                reference=reference.model_dump(
                    mode="json", by_alias=True, exclude_none=True
                ),
                organisation_id=target.organisation_id,
                user_key=user_key_of(member),
                tenant_id=target.tenant_id,
                now=self._clock(),
            )
        return reference

    async def _recorded(self, message: OutboxMessage, attempt: Attempt) -> None:
        try:
            async with self._sessions() as session, session.begin():
                await record_delivery(
                    session,
                    platform=TEAMS,
                    idempotency_key=message.idempotency_key,
                    conversation_id=attempt.conversation_id or "",
                    activity_id=attempt.activity_id,
                    now=self._clock(),
                )
        except Exception:  # noqa: BLE001 (the send itself succeeded)
            log.warning("Teams: could not note a delivery", exc_info=True)


def _refused(error: aiohttp.ClientResponseError) -> Attempt:
    retry_after = retry_after_seconds(
        error.headers.get("Retry-After") if error.headers else None
    )
    return Attempt(
        ok=False,
        status=error.status,
        error=f"Teams answered {error.status}",
        retry_after=retry_after,
    )


def retry_after_seconds(
    value: str | None, *, now: datetime | None = None
) -> float | None:
    """A ``Retry-After`` header in seconds (it may be seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or _now())).total_seconds())


def _wait(retry_after: float | None, tries: int) -> float:
    """Teams' Retry-After if given, else exponential backoff with full jitter."""
    if retry_after is not None:
        return retry_after
    return random.uniform(0, min(8.0, 0.5 * 2**tries))  # noqa: S311 (jitter)


def build_delivery(settings: Settings) -> TeamsDelivery:
    """The worker's Teams delivery for ``settings``, with its own database pool."""
    from bot.runtime import Runtime
    from bot.teams.app import build_adapter, connection_manager

    runtime = Runtime.build(settings)
    connections = connection_manager(settings)
    return TeamsDelivery(
        adapter=build_adapter(connections),
        connections=connections,
        sessions=runtime.sessions,
        app_id=settings.teams_app_id,
        on_close=runtime.close,
        platforms=("local", "teams", "slack")
        if settings.slack_enabled
        else ("local", "teams"),
    )
