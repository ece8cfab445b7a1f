"""People link themselves: before a campaign's invitations go out, the worker looks
up everyone without a Slack id by email, within the method's rate limit, and tells
the PSW what it found."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from conftest import Org, slack_settings, working_clock
from fakes.slack_api import FakeSlack
from sqlmodel import select

from bot.runtime import Runtime
from bot.slack.delivery import SlackDelivery
from bot.slack.throttle import SlackLimits
from bot.worker import Worker
from survey.delivery.jobs import schedule_job
from survey.models import OutboxMessage, Person
from survey.schedule.plans import OPEN

LOOKUPS_PER_MINUTE = 600.0
"""Our pace in the test: one lookup every 0.1 s (Slack's tier 3 is 50 a minute)."""


@pytest.fixture
async def worker(org: Org, fake_slack: FakeSlack) -> AsyncIterator[Worker]:
    settings = slack_settings(org.url, fake_slack)
    runtime = Runtime.build(settings)
    limits = SlackLimits(
        per_method={"users.lookupByEmail": LOOKUPS_PER_MINUTE},
        burst_seconds=0.0,
        per_channel_seconds=0.0,
    )
    delivery = SlackDelivery.from_settings(settings, limits=limits)
    yield Worker(runtime, {"slack": delivery}, clock=working_clock())
    await delivery.close()
    await runtime.close()


async def prepare(org: Org, fake_slack: FakeSlack) -> tuple[Person, list[Person]]:
    """The last person is the PSW; the first three lost their Slack ids on the
    roster, and the third has no Slack account at all."""
    people = org.small.people
    async with org.sessions() as session, session.begin():
        for index, person in enumerate(people):
            stored = await session.get(Person, person.id)
            assert stored is not None
            if index < 3:
                stored.slack_id = None
            if index == len(people) - 1:
                stored.access = "psw"
            session.add(stored)
    del fake_slack.users[people[2].slack_id or ""]
    return people[-1], people[:3]


async def open_campaign_job(org: Org) -> None:
    async with org.sessions() as session, session.begin():
        await schedule_job(
            session,
            kind=OPEN,
            dedupe_key=f"campaign:{org.small.campaign.id}:open:link",
            run_at=datetime.now(UTC) - timedelta(seconds=1),
            payload={"campaign_id": str(org.small.campaign.id)},
            organisation_id=org.small.organisation.id,
        )


async def outbox(org: Org) -> list[OutboxMessage]:
    async with org.sessions() as session:
        return list((await session.exec(select(OutboxMessage))).all())


async def test_unlinked_people_are_found_by_email_before_invitations_go_out(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    psw, unlinked = await prepare(org, fake_slack)
    # Slack would refuse a second lookup within 0.05 s; our pace is one per 0.1 s.
    fake_slack.limit("users.lookupByEmail", count=1, per_seconds=0.05)
    await open_campaign_job(org)
    while await worker.work_once():
        pass
    lookups = fake_slack.calls_to("users.lookupByEmail", ok_only=False)
    assert [call.params["email"] for call in lookups] == [p.email for p in unlinked]
    assert {call.status for call in lookups} == {200}
    gaps = [later.at - earlier.at for earlier, later in pairwise(lookups)]
    assert min(gaps) >= 0.05
    # The two found got their invitation in Slack; the one with no account locally.
    for person in unlinked[:2]:
        assert person.slack_id
        [invitation] = fake_slack.dm_messages(person.slack_id)
        assert "anonymous" in invitation.text
    messages = await outbox(org)
    local = [m for m in messages if m.platform == "local"]
    assert [m.recipient for m in local] == [f"person:{unlinked[2].id}"]
    # The PSW hears what was found, in Slack.
    [note] = [m for m in messages if m.payload.get("kind") == "psw-note"]
    assert note.recipient == psw.slack_id
    assert "Linked 2 people to Slack by email" in note.payload["text"]
    assert "1 have no Slack account" in note.payload["text"]
    assert note.status == "done"
    posted = fake_slack.dm_messages(psw.slack_id or "")
    assert any("Linked 2 people" in message.text for message in posted)


async def test_a_roster_already_linked_asks_slack_nothing_and_tells_nobody(
    worker: Worker, org: Org, fake_slack: FakeSlack
) -> None:
    await open_campaign_job(org)
    while await worker.work_once():
        pass
    assert fake_slack.calls_to("users.lookupByEmail", ok_only=False) == []
    assert [m for m in await outbox(org) if m.payload.get("kind") == "psw-note"] == []
    assert len(await outbox(org)) == len(org.small.people)
