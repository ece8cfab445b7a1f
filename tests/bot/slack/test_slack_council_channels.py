"""A regional deployment on Slack: each council's workforce posts in its own channel.

Ashford (the deployment's default) and Brookvale each have their own workspace,
installed through OAuth with a bot token of its own, in one database
(``tests/two_councils.py``). The Web API is the loopback fake.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from builders import NOW, SECRET
from conftest import working_clock
from council_copies import councils_in
from fakes.slack_api import BOT_USER_ID, CLIENT_ID, CLIENT_SECRET, FakeSlack
from slack_sdk.oauth.installation_store import Installation
from slackapp import SIGNING_SECRET
from sqlmodel import select
from two_councils import B_MARK, HEALTH_CHECK, SHARED_SLACK_ID, Council, TwoCouncils

from bot.commands import dispatch
from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from bot.slack.clients import TokenSource, installation_store
from bot.slack.delivery import SlackDelivery
from bot.slack.identity import link_workspace
from bot.slack.throttle import SlackLimits
from bot.worker import Worker
from survey.follow_up.actions import add_action
from survey.models import OutboxMessage
from survey.organisations import set_workforce_channel

TOKENS = {"T0ASHFORD": "xoxb-ashford", "T0BROOKVALE": "xoxb-brookvale"}
DEFAULT_CHANNEL = "C0DEFAULT"


@dataclass
class Region:
    """The two councils, the deployment's settings and its runtime."""

    councils: TwoCouncils
    settings: Settings
    runtime: Runtime


@pytest.fixture
async def region(database_url: str, fake_slack: FakeSlack) -> AsyncIterator[Region]:
    councils = await asyncio.to_thread(councils_in, database_url)
    settings = load_settings(
        database_url=database_url,
        secret_key=SECRET.decode(),
        seed_demo=False,
        organisation="ashford",
        slack_enabled=True,
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        slack_api_url=fake_slack.api_url,
        slack_workforce_channel=DEFAULT_CHANNEL,
    )
    runtime = Runtime.build(settings)
    store = installation_store(settings, runtime.engine)
    for (team_id, token), council in zip(
        TOKENS.items(), (councils.a, councils.b), strict=True
    ):
        await store.async_save(
            Installation(
                app_id="A0HEALTH",
                team_id=team_id,
                bot_token=token,
                bot_id="B0" + team_id[2:],
                bot_user_id=BOT_USER_ID,
                user_id=council.psw.slack_id or "",
            )
        )
        async with runtime.sessions() as session, session.begin():
            await link_workspace(
                session,
                team_id=team_id,
                enterprise_id=None,
                organisation_id=council.id,
            )
        for person in council.people:
            assert person.slack_id is not None
            fake_slack.add_user(person.slack_id, email=person.email, name=person.name)
    try:
        yield Region(councils, settings, runtime)
    finally:
        await runtime.close()


async def psw_says(region: Region, council: Council, typed: str) -> str:
    """What the council's PSW is told after typing ``typed``."""
    result = await dispatch(
        region.runtime.sessions,
        secret=SECRET,
        person=council.psw,
        text=typed,
        now=NOW,
        platforms=("slack",),
    )
    return repr(result.messages)


async def deliver(region: Region) -> None:
    """Run a worker with a Slack delivery until nothing is left to do."""
    delivery = SlackDelivery(
        region.settings,
        sessions=region.runtime.sessions,
        tokens=TokenSource(
            region.settings,
            installation_store(region.settings, region.runtime.engine),
        ),
        limits=SlackLimits(per_method={}, per_channel_seconds=0.0),
    )
    worker = Worker(region.runtime, {"slack": delivery}, clock=working_clock())
    try:
        for _ in range(20):
            if not await worker.work_once():
                return
        raise AssertionError("the worker was still busy after 20 rounds")
    finally:
        await delivery.close()


def posts_in(fake: FakeSlack, channel: str) -> list[tuple[str | None, str]]:
    """(token, text and blocks) of each accepted post in ``channel``."""
    return [
        (call.token, json.dumps(call.params, default=str))
        for call in fake.calls_to("chat.postMessage")
        if call.params.get("channel") == channel
    ]


async def workforce_rows(region: Region, council: Council) -> list[OutboxMessage]:
    async with region.runtime.sessions() as session:
        rows = await session.exec(
            select(OutboxMessage).where(
                OutboxMessage.organisation_id == council.id,
                OutboxMessage.recipient == "channel:workforce",
            )
        )
        return list(rows)


async def test_each_council_s_digest_goes_to_its_own_channel_once(
    region: Region, fake_slack: FakeSlack
) -> None:
    a, b = region.councils.a, region.councils.b
    async with region.runtime.sessions() as session, session.begin():
        await set_workforce_channel(session, organisation_id=a.id, channel="C0ASHFORD")
        await set_workforce_channel(session, organisation_id=b.id, channel="G0BROOK")
        await add_action(
            session,
            organisation_id=a.id,
            campaign=HEALTH_CHECK,
            theme="workload",
            you_said="Ashford caseloads are too high",
            we_did="Ashford duty rota review",
            owner="Ashford head of service",
            today=NOW.date(),
        )
    for _ in range(2):  # posting again is a repeat, never a second post
        for council in (a, b):
            told = await psw_says(region, council, f'post you-said "{HEALTH_CHECK}"')
            assert "posted" in told.casefold(), told
        await deliver(region)

    in_ashford = posts_in(fake_slack, "C0ASHFORD")
    in_brookvale = posts_in(fake_slack, "G0BROOK")
    assert len(in_ashford) == 1
    assert len(in_brookvale) == 1
    assert in_ashford[0][0] == TOKENS["T0ASHFORD"]
    assert in_brookvale[0][0] == TOKENS["T0BROOKVALE"]
    assert "Ashford duty rota review" in in_ashford[0][1]
    assert B_MARK not in in_ashford[0][1].casefold()
    assert "Brook rota review" in in_brookvale[0][1]
    assert "Ashford" not in in_brookvale[0][1]
    assert posts_in(fake_slack, DEFAULT_CHANNEL) == []
    for council in (a, b):
        rows = await workforce_rows(region, council)
        assert [(row.status, row.last_error) for row in rows] == [("done", None)]
    # Each council's people got their notes with their own workspace's token
    # (the person in both councils shares one DM channel in the one fake).
    for council, team in ((a, "T0ASHFORD"), (b, "T0BROOKVALE")):
        dms = {
            fake_slack.channel_of(person.slack_id or "")
            for person in council.people
            if person.slack_id != SHARED_SLACK_ID
        }
        tokens = {
            call.token
            for call in fake_slack.calls_to("chat.postMessage")
            if call.params.get("channel") in dms
        }
        assert tokens == {TOKENS[team]}


async def test_a_council_without_a_channel_of_its_own_is_parked_saying_how_to_fix_it(
    region: Region, fake_slack: FakeSlack
) -> None:
    a, b = region.councils.a, region.councils.b
    for council in (a, b):
        told = await psw_says(
            region,
            council,
            f'brief title="{council.organisation.name} rota" body="New rota from May"',
        )
        assert "rota" in told, told
    await deliver(region)

    # Ashford is the default: without a channel of its own it uses the setting.
    in_default = posts_in(fake_slack, DEFAULT_CHANNEL)
    assert len(in_default) == 1
    assert in_default[0][0] == TOKENS["T0ASHFORD"]
    assert "Ashford Council rota" in in_default[0][1]
    # Brookvale's briefing is held, saying why and what to run.
    [held] = await workforce_rows(region, b)
    assert held.status == "parked"
    assert held.last_error == (
        "'brookvale' has no Slack workforce channel of its own "
        "(HEALTHCHECK_SLACK_WORKFORCE_CHANNEL serves only 'ashford', the default "
        "organisation): run `healthcheck slack workforce-channel CHANNEL_ID "
        "--org brookvale`"
    )
    everything = json.dumps([c.params for c in fake_slack.calls], default=str)
    assert "Brookvale Council rota" not in everything
