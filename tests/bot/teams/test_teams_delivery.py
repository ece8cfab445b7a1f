"""Proactive delivery to Teams through the outbox: references, rate limits, retries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import PULSE, Council, seed_council_async, teams_settings
from fakes.teams_connector import FakeConnector, running_connector
from microsoft_agents.activity import Activity
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from teamschat import (
    TEAM_CHANNEL,
    TENANT,
    action,
    installation_update,
    team_install,
    words,
)

from bot.runtime import Runtime
from bot.teams.app import build_adapter, connection_manager
from bot.teams.delivery import OUTBOX_KEY, TeamsDelivery, retry_after_seconds
from bot.teams.references import conversation_info
from bot.teams.throttle import RateLimiter
from bot.worker import Worker
from survey.db import SessionFactory
from survey.delivery.conversations import remember_conversation
from survey.delivery.outbox import enqueue
from survey.models import ChatConversation, ChatDelivery, OutboxMessage
from survey.organisations import set_teams_workforce_channel


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    with running_connector() as running:
        yield running


@pytest.fixture
async def council(database_url: str) -> Council:
    return await seed_council_async(database_url, size=4)


class Waits:
    """Records the delivery's sleeps instead of sleeping."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def delivery(
    database_url: str, sessions: SessionFactory, waits: Waits
) -> TeamsDelivery:
    connections = connection_manager(teams_settings(database_url))
    return TeamsDelivery(
        adapter=build_adapter(connections),
        connections=connections,
        sessions=sessions,
        app_id=None,
        sleep=waits,
        limiter=RateLimiter(sleep=waits),
    )


async def remember(
    sessions: SessionFactory, council: Council, activity: dict[str, Any]
) -> None:
    info = conversation_info(Activity.model_validate(activity))
    assert info is not None
    async with sessions() as session, session.begin():
        await remember_conversation(
            session,
            platform="teams",
            conversation_id=info.conversation_id,
            kind=info.kind,
            reference=info.reference,
            organisation_id=council.organisation_id,  # type: ignore[arg-type]
            user_key=info.user_key,
            tenant_id=info.tenant_id,
            title=info.title,
            now=datetime.now(UTC),
        )


async def queue(
    sessions: SessionFactory,
    council: Council,
    *,
    key: str,
    recipient: str,
    payload: dict[str, Any],
) -> OutboxMessage:
    async with sessions() as session, session.begin():
        await enqueue(
            session,
            idempotency_key=key,
            platform="teams",
            recipient=recipient,
            payload=payload,
            organisation_id=council.organisation_id,  # type: ignore[arg-type]
            not_before=datetime.now(UTC) - timedelta(seconds=1),
        )
        return (
            await session.exec(
                select(OutboxMessage).where(OutboxMessage.idempotency_key == key)
            )
        ).one()


def invitation() -> dict[str, Any]:
    return {
        "kind": "invitation",
        "campaign_id": "x",
        "campaign": PULSE,
        "closes_at": "2026-03-20T17:00:00+00:00",
    }


async def test_an_invitation_is_a_new_message_in_the_person_s_chat(
    connector: FakeConnector,
    council: Council,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
) -> None:
    person, member = council.staff[0]
    await remember(
        sessions, council, installation_update(connector.service_url, member)
    )
    message = await queue(
        sessions,
        council,
        key=f"invite:1:{person.id}",
        recipient=str(person.teams_id),
        payload=invitation(),
    )
    assert await delivery.already_delivered(message) is None
    result = await delivery.send(message)
    assert result.ok, result
    [post] = connector.posts(member.conversation_id)
    assert post.path == f"/amer/v3/conversations/{member.conversation_id}/activities"
    assert post.body is not None
    assert post.body["channelData"][OUTBOX_KEY] == message.idempotency_key
    assert post.body["recipient"]["id"] == member.user_id
    card = post.cards[0]
    assert "You're invited: Pulse check March" in words(card)
    assert "Friday 20 March" in words(card)
    assert action(card, "command", "Start")["data"]["command"] == f'start "{PULSE}"'
    assert await delivery.already_delivered(message) is True


async def test_throttling_is_retried_after_retry_after(
    connector: FakeConnector,
    council: Council,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
    waits: Waits,
) -> None:
    person, member = council.staff[0]
    await remember(
        sessions, council, installation_update(connector.service_url, member)
    )
    message = await queue(
        sessions,
        council,
        key="k1",
        recipient=str(person.teams_id),
        payload=invitation(),
    )
    connector.refuse(2, status=429, retry_after="3")
    result = await delivery.send(message)
    assert result.ok
    assert [call.status for call in connector.calls] == [429, 429, 201]
    assert [wait for wait in waits.seconds if wait >= 1] == [3.0, 3.0]
    assert len(connector.posts(member.conversation_id)) == 1


@pytest.mark.parametrize("status", [412, 502, 504])
async def test_passing_faults_are_retried_with_jittered_backoff(
    connector: FakeConnector,
    council: Council,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
    waits: Waits,
    status: int,
) -> None:
    person, member = council.staff[1]
    await remember(
        sessions, council, installation_update(connector.service_url, member)
    )
    message = await queue(
        sessions,
        council,
        key="k2",
        recipient=str(person.teams_id),
        payload=invitation(),
    )
    connector.refuse(2, status=status, retry_after=None)
    result = await delivery.send(message)
    assert result.ok
    assert [call.status for call in connector.calls] == [status, status, 201]
    assert len(waits.seconds) == 2
    assert all(0 <= wait <= 1.0 for wait in waits.seconds)


async def test_a_long_retry_after_is_handed_back_to_the_outbox(
    connector: FakeConnector,
    council: Council,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
) -> None:
    person, member = council.staff[2]
    await remember(
        sessions, council, installation_update(connector.service_url, member)
    )
    message = await queue(
        sessions,
        council,
        key="k3",
        recipient=str(person.teams_id),
        payload=invitation(),
    )
    connector.refuse(1, status=429, retry_after="120")
    result = await delivery.send(message)
    assert not result.ok
    assert not result.permanent
    assert result.retry_after == 120
    assert len(connector.calls) == 1
    assert await delivery.already_delivered(message) is None


async def test_a_refusal_that_will_not_pass_parks_the_message(
    connector: FakeConnector,
    council: Council,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
) -> None:
    person, member = council.staff[2]
    await remember(
        sessions, council, installation_update(connector.service_url, member)
    )
    message = await queue(
        sessions,
        council,
        key="k4",
        recipient=str(person.teams_id),
        payload=invitation(),
    )
    connector.refuse(1, status=403, retry_after=None)
    result = await delivery.send(message)
    assert not result.ok
    assert result.permanent
    assert result.error == "Teams answered 403"


async def test_nobody_reachable_and_unknown_payloads_are_parked(
    connector: FakeConnector,
    council: Council,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
) -> None:
    person, _ = council.staff[0]
    unreachable = await queue(
        sessions,
        council,
        key="k5",
        recipient=str(person.teams_id),
        payload=invitation(),
    )
    result = await delivery.send(unreachable)
    assert result.permanent
    assert "not installed" in str(result.error)
    odd = await queue(
        sessions,
        council,
        key="k6",
        recipient=str(person.teams_id),
        payload={"kind": "x"},
    )
    assert (await delivery.send(odd)).permanent
    assert connector.calls == []


async def test_a_person_without_a_chat_yet_gets_one_created(
    connector: FakeConnector,
    council: Council,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
) -> None:
    person, member = council.staff[3]
    _, psw = council.psw
    await remember(sessions, council, team_install(connector.service_url, psw))
    message = await queue(
        sessions,
        council,
        key="k7",
        recipient=str(person.teams_id),
        payload=invitation(),
    )
    result = await delivery.send(message)
    assert result.ok, result
    [created] = connector.created()
    assert created.body is not None
    assert created.body["members"] == [{"id": member.aad_object_id}]
    assert created.body["tenantId"] == TENANT
    assert created.body["isGroup"] is False
    [post] = connector.posts()
    assert post.conversation == "a:created-1"
    async with sessions() as session:
        chat = (
            await session.exec(
                select(ChatConversation).where(
                    ChatConversation.conversation_id == "a:created-1"
                )
            )
        ).one()
    assert chat.kind == "personal"
    assert chat.user_key == member.aad_object_id.lower()
    # The next message goes straight to the chat made.
    again = await queue(
        sessions,
        council,
        key="k8",
        recipient=str(person.teams_id),
        payload=invitation(),
    )
    assert (await delivery.send(again)).ok
    assert len(connector.created()) == 1


async def test_posts_to_the_workforce_channel_start_a_new_thread_escaped(
    connector: FakeConnector,
    council: Council,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
) -> None:
    _, psw = council.psw
    await remember(sessions, council, team_install(connector.service_url, psw))
    async with sessions() as session, session.begin():
        await set_teams_workforce_channel(
            session,
            organisation_id=council.organisation_id,  # type: ignore[arg-type]
            channel=TEAM_CHANNEL,
        )
    message = await queue(
        sessions,
        council,
        key="you_said:abc:teams:channel:workforce",
        recipient="channel:workforce",
        payload={
            "kind": "you_said",
            "title": "You said, we did: <at>everyone</at>",
            "body": "**Caseloads** are capped at 18.\n\nMore from [the plan](https://x).",
        },
    )
    assert (await delivery.send(message)).ok
    [post] = connector.posts(TEAM_CHANNEL)
    assert post.path == f"/amer/v3/conversations/{TEAM_CHANNEL}/activities"
    shown = " ".join(node["text"] for node in _text_blocks(post.cards[0]))
    assert "\\<at\\>everyone\\</at\\>" in shown
    assert "\\*\\*Caseloads\\*\\*" in shown
    assert "\\[the plan\\](https://x)" in shown


def _text_blocks(card: dict[str, Any]) -> list[dict[str, Any]]:
    from teamschat import walk

    return [node for node in walk(card) if node.get("type") == "TextBlock"]


async def test_the_worker_sends_the_outbox_and_never_twice(
    connector: FakeConnector,
    council: Council,
    database_url: str,
    engine: AsyncEngine,
    sessions: SessionFactory,
    delivery: TeamsDelivery,
) -> None:
    runtime = Runtime(
        settings=teams_settings(database_url), engine=engine, sessions=sessions
    )
    worker = Worker(runtime, {"teams": delivery})
    for person, member in council.staff:
        await remember(
            sessions, council, installation_update(connector.service_url, member)
        )
        await queue(
            sessions,
            council,
            key=f"invite:1:{person.id}",
            recipient=str(person.teams_id),
            payload=invitation(),
        )
    connector.refuse(1, status=429, retry_after="1")
    assert await worker.work_once()
    async with sessions() as session:
        statuses = (await session.exec(select(OutboxMessage.status))).all()
        delivered = (await session.exec(select(ChatDelivery.idempotency_key))).all()
    assert statuses == ["done"] * 4
    assert len(delivered) == 4
    assert len(connector.posts()) == 4
    # A message in doubt (handed over, then the worker died before recording it)
    # is not sent again: the delivery record says it went.
    async with sessions() as session, session.begin():
        row = (await session.exec(select(OutboxMessage))).first()
        assert row is not None
        row.status, row.attempts = "pending", 3
        session.add(row)
    assert await worker.work_once()
    assert len(connector.posts()) == 4


async def test_the_rate_limiter_keeps_to_teams_windows() -> None:
    now = [0.0]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(clock=lambda: now[0], sleep=sleep)
    for _ in range(8):
        await limiter.wait("19:channel")
    # Seven a second in one conversation, then the eighth waits for the window.
    assert slept == [pytest.approx(1.0)]
    other = RateLimiter(
        app_windows=((3, 1.0),),
        conversation_windows=(),
        clock=lambda: now[0],
        sleep=sleep,
    )
    slept.clear()
    for index in range(4):
        await other.wait(f"a:{index}")
    assert slept == [pytest.approx(1.0)]


def test_retry_after_may_be_seconds_or_a_date() -> None:
    now = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Mon, 02 Mar 2026 10:30:30 GMT", now=now) == 30.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
