"""The outbox to Slack: DMs opened once, 429s waited out, nothing sent twice."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import Org, slack_settings, working_clock
from fakes.slack_api import FakeSlack
from sqlalchemy import update
from sqlmodel import select

from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.delivery import EVENT_TYPE, SlackDelivery
from bot.slack.throttle import SlackLimits, Throttle
from bot.worker import Worker
from survey.delivery.jobs import schedule_job
from survey.delivery.outbox import enqueue
from survey.models import OutboxMessage, Person
from survey.schedule.plans import OPEN

FAST = SlackLimits(per_method={}, per_channel_seconds=0.0)


@pytest.fixture
async def worker(org: Org, fake_slack: FakeSlack) -> AsyncIterator[Worker]:
    settings = slack_settings(
        org.url, fake_slack, slack_workforce_channel="C0WORKFORCE"
    )
    runtime = Runtime.build(settings)
    delivery = SlackDelivery.from_settings(settings, limits=FAST)
    yield Worker(
        runtime,
        {"slack": delivery},
        send_lease=timedelta(seconds=2),
        clock=working_clock(),
    )
    await delivery.close()
    await runtime.close()


def now() -> datetime:
    return datetime.now(UTC)


async def invite_everyone(org: Org, key: str = "run-1") -> None:
    async with org.sessions() as session, session.begin():
        await schedule_job(
            session,
            kind=OPEN,
            dedupe_key=f"campaign:{org.small.campaign.id}:open:{key}",
            run_at=now() - timedelta(seconds=1),
            payload={"campaign_id": str(org.small.campaign.id)},
            organisation_id=org.small.organisation.id,
        )


async def drain(worker: Worker, rounds: int = 20) -> None:
    for _ in range(rounds):
        if not await worker.work_once():
            return


async def statuses(org: Org) -> Counter[str]:
    async with org.sessions() as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    return Counter(row.status for row in rows)


def posted_keys(fake: FakeSlack) -> Counter[str]:
    keys: Counter[str] = Counter()
    for messages in fake.messages.values():
        for message in messages:
            assert message.metadata is not None
            assert message.metadata["event_type"] == EVENT_TYPE
            keys[message.metadata["event_payload"]["key"]] += 1
    return keys


async def test_invitations_are_dms_with_a_start_button_and_the_outbox_key(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    await invite_everyone(org)
    await drain(worker)
    assert await statuses(org) == Counter({"done": 6})
    keys = posted_keys(fake_slack)
    assert len(keys) == 6
    assert set(keys.values()) == {1}
    person = org.small.people[0]
    assert person.slack_id
    message = fake_slack.dm_messages(person.slack_id)[0]
    start = message.blocks[-1]["elements"][0]
    assert (start["action_id"], start["value"]) == (
        "hc.start",
        org.small.campaign.id.hex,
    )
    assert "anonymous" in message.text
    assert fake_slack.count("conversations.open") == 6
    async with org.sessions() as session:
        people = (await session.exec(select(Person))).all()
    assert {p.slack_dm_channel for p in people} == {
        fake_slack.channel_of(p.slack_id or "") for p in people
    }


async def test_a_second_broadcast_skips_conversations_open(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    await invite_everyone(org)
    await drain(worker)
    assert fake_slack.count("conversations.open") == 6
    # A new worker process: nothing in memory, the DM ids only in the database.
    settings = slack_settings(org.url, fake_slack)
    delivery = SlackDelivery.from_settings(settings, limits=FAST)
    fresh = Worker(worker.runtime, {"slack": delivery}, clock=worker.clock)
    for person in org.small.people:
        async with org.sessions() as session, session.begin():
            await enqueue(
                session,
                idempotency_key=f"remind:test:{person.id}",
                platform="slack",
                recipient=person.slack_id or "",
                payload={
                    "kind": "reminder",
                    "campaign_id": str(org.small.campaign.id),
                    "campaign": "Small check 2026",
                    "closes_at": None,
                },
                organisation_id=org.small.organisation.id,
                not_before=now(),
            )
    await drain(fresh)
    await delivery.close()
    assert fake_slack.count("conversations.open") == 6
    assert fake_slack.count("chat.postMessage") == 12


async def test_429_with_retry_after_is_waited_out_and_nothing_is_doubled(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("chat.postMessage", times=2, retry_after=1)
    fake_slack.fail_next("conversations.open", times=1, retry_after=1)
    await invite_everyone(org)
    await drain(worker)
    assert fake_slack.refused == Counter(
        {"chat.postMessage": 2, "conversations.open": 1}
    )
    assert await statuses(org) == Counter({"done": 6})
    assert set(posted_keys(fake_slack).values()) == {1}


async def test_a_429_beyond_the_retries_is_retried_later_at_retry_after(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("chat.postMessage", times=4, retry_after=1)
    person = org.small.people[0]
    async with org.sessions() as session, session.begin():
        await enqueue(
            session,
            idempotency_key="note:1",
            platform="slack",
            recipient=person.slack_id or "",
            payload={"kind": "you_said_note", "text": "Thank you for taking part."},
            organisation_id=org.small.organisation.id,
            not_before=now(),
        )
    started = worker.clock()
    await worker.work_once()
    async with org.sessions() as session:
        row = (await session.exec(select(OutboxMessage))).one()
    assert row.status == "pending"
    assert row.last_error == "Slack: ratelimited"
    assert (
        started + timedelta(seconds=0.9)
        <= row.next_attempt_at
        <= worker.clock() + timedelta(seconds=2)
    )
    async with org.sessions() as session, session.begin():
        await session.exec(update(OutboxMessage).values(next_attempt_at=now()))
    await drain(worker)
    assert await statuses(org) == Counter({"done": 1})
    assert posted_keys(fake_slack) == Counter({"note:1": 1})


async def test_a_message_in_doubt_after_a_crash_is_not_posted_again(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    await invite_everyone(org)
    await drain(worker)
    # As if the worker died after Slack took the posts but before recording them.
    async with org.sessions() as session, session.begin():
        await session.exec(
            update(OutboxMessage).values(status="pending", next_attempt_at=now())
        )
    await drain(worker)
    assert await statuses(org) == Counter({"done": 6})
    assert set(posted_keys(fake_slack).values()) == {1}
    assert fake_slack.count("conversations.history") == 6
    assert fake_slack.calls_to("conversations.history")[0].params[
        "include_all_metadata"
    ] in ("1", "true")


async def test_a_message_in_doubt_that_never_arrived_is_sent(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    person = org.small.people[0]
    async with org.sessions() as session, session.begin():
        await enqueue(
            session,
            idempotency_key="note:lost",
            platform="slack",
            recipient=person.slack_id or "",
            payload={"kind": "you_said_note", "text": "Thanks."},
            organisation_id=org.small.organisation.id,
            not_before=now(),
        )
        await session.exec(update(OutboxMessage).values(attempts=1))
    await drain(worker)
    assert posted_keys(fake_slack) == Counter({"note:lost": 1})
    assert fake_slack.count("conversations.history") == 1


async def test_a_user_who_left_slack_is_parked_not_retried(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    person = org.small.people[0]
    assert person.slack_id
    fake_slack.users[person.slack_id]["deleted"] = True
    await invite_everyone(org)
    await drain(worker)
    assert await statuses(org) == Counter({"done": 5, "parked": 1})
    async with org.sessions() as session:
        parked = (
            await session.exec(
                select(OutboxMessage).where(OutboxMessage.status == "parked")
            )
        ).one()
    assert parked.last_error == "Slack: user_disabled"


async def test_workforce_posts_go_to_the_configured_channel_escaped(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    async with org.sessions() as session, session.begin():
        await enqueue(
            session,
            idempotency_key="you_said:abc:slack:channel:workforce",
            platform="slack",
            recipient="channel:workforce",
            payload={
                "kind": "you_said",
                "title": "You said <!channel>",
                "body": "We did @here & more.",
            },
            organisation_id=org.small.organisation.id,
            not_before=now(),
        )
    await drain(worker)
    [message] = fake_slack.messages["C0WORKFORCE"]
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "<!channel>" not in shown
    assert "@here" not in shown
    assert "We did @\u200bhere &amp; more." in shown


async def test_without_a_workforce_channel_a_post_is_parked_saying_why(
    org: Org, fake_slack: FakeSlack
) -> None:
    settings: Settings = slack_settings(org.url, fake_slack)
    delivery = SlackDelivery.from_settings(settings, limits=FAST)
    async with org.sessions() as session, session.begin():
        await enqueue(
            session,
            idempotency_key="brief:1",
            platform="slack",
            recipient="channel:workforce",
            payload={"kind": "briefing", "title": "T", "body": "B"},
            organisation_id=org.small.organisation.id,
            not_before=now(),
        )
    async with org.sessions() as session:
        message = (await session.exec(select(OutboxMessage))).one()
    result = await delivery.send(message)
    await delivery.close()
    assert result.permanent
    assert "HEALTHCHECK_SLACK_WORKFORCE_CHANNEL" in (result.error or "")
    assert fake_slack.count("chat.postMessage") == 0


def test_the_throttle_spaces_calls_per_method_and_per_channel() -> None:
    clock = [100.0]
    throttle = Throttle(
        SlackLimits(
            per_method={"chat.postMessage": 120.0},
            burst_seconds=0.0,
            per_channel_seconds=1.0,
        ),
        clock=lambda: clock[0],
    )
    waits = [throttle.reserve("T1", "chat.postMessage", f"D{n}") for n in range(4)]
    assert waits == [0.0, 0.5, 1.0, 1.5]
    same = [throttle.reserve("T1", "chat.postMessage", "DX") for _ in range(3)]
    assert same == [2.0, 3.0, 4.0]
    assert throttle.reserve("T2", "chat.postMessage", "D0") == 0.0, "per workspace"
    assert throttle.reserve("T1", "users.info") == 0.0, "unlisted methods are free"
    assert SlackLimits().per_method["conversations.open"] == 50.0


def test_the_throttle_lets_a_quiet_spell_be_made_up_but_not_exceeded() -> None:
    clock = [0.0]
    limits = SlackLimits(per_method={"conversations.open": 600.0}, burst_seconds=0.5)
    throttle = Throttle(limits, clock=lambda: clock[0])
    # Ten a second, half a second banked: 5 go at once, then one every 0.1 s.
    waits = [round(throttle.reserve("T", "conversations.open"), 3) for _ in range(8)]
    assert waits == [0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.2, 0.3]
    clock[0] = 10.0  # idle: the bank refills, but never beyond half a second
    waits = [round(throttle.reserve("T", "conversations.open"), 3) for _ in range(7)]
    assert waits == [0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.2]
    # Over any long stretch the average stays at the rate.
    clock[0] = 20.0
    starts = [20.0 + throttle.reserve("T", "conversations.open") for _ in range(105)]
    assert starts[-1] - starts[0] >= (105 - 5) / 10 - 1e-9
