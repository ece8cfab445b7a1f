"""Slack in a regional round: each workspace reaches its own council's data only.

Ashford's and Brookvale's workspaces are linked to their councils in one database
(``tests/two_councils.py``); the deployment's default council is Ashford. Someone
with the same Slack id in both (an Enterprise Grid member) gets Ashford's surveys
in Ashford's workspace and Brookvale's in Brookvale's.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from builders import NOW, SECRET
from council_copies import councils_in
from fakes.slack_api import BOT_TOKEN, FakeSlack
from row_snapshots import changes, snapshot
from slackapp import (
    SIGNING_SECRET,
    SlackWorkspace,
    block_actions,
    slack_workspace,
    slash_command,
)
from sqlmodel import select
from two_councils import B_MARK, HEALTH_CHECK, SHARED_SLACK_ID, TwoCouncils

from bot.commands import dispatch
from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from bot.slack.delivery import SlackDelivery
from bot.slack.identity import link_workspace
from bot.slack.ids import START
from bot.slack.throttle import SlackLimits
from bot.worker import Worker
from survey.db import create_engine, session_factory
from survey.models import OutboxMessage
from survey.organisations import set_workforce_channel
from survey.schedule.working_hours import next_working_time

ASHFORD_TEAM = "T0ASHFORD"
BROOKVALE_TEAM = "T0BROOKVALE"


@pytest.fixture
def councils(database_url: str) -> TwoCouncils:
    councils = councils_in(database_url)

    async def link() -> None:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session, session.begin():
                for team_id, council in (
                    (ASHFORD_TEAM, councils.a),
                    (BROOKVALE_TEAM, councils.b),
                ):
                    await link_workspace(
                        session,
                        team_id=team_id,
                        enterprise_id="E0REGION",
                        organisation_id=council.id,
                    )
        finally:
            await engine.dispose()

    asyncio.run(link())
    return councils


@pytest.fixture
def region(
    database_url: str, councils: TwoCouncils, fake_slack: FakeSlack
) -> Iterator[SlackWorkspace]:
    for council in (councils.a, councils.b):
        for person in council.people:
            assert person.slack_id is not None
            fake_slack.add_user(person.slack_id, email=person.email, name=person.name)
    settings = ashford_settings(database_url, fake_slack)
    with slack_workspace(settings, fake_slack) as workspace:
        yield workspace


def ashford_settings(database_url: str, fake: FakeSlack) -> Settings:
    """A deployment for Ashford whose one bot token serves both workspaces."""
    return load_settings(
        database_url=database_url,
        secret_key=SECRET.decode(),
        seed_demo=False,
        organisation="ashford",
        slack_enabled=True,
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token=BOT_TOKEN,
        slack_api_url=fake.api_url,
    )


def ask(
    region: SlackWorkspace, fake: FakeSlack, team_id: str, user: str, typed: str
) -> str:
    """``/healthcheck typed`` from ``user`` in ``team_id``; the private reply."""
    seen = len(fake.responses)
    region.form(
        slash_command(
            user,
            typed,
            channel="C0GENERAL",
            response_url=fake.response_url(),
            team_id=team_id,
        )
    )
    reply: dict[str, Any] = fake.wait_for_responses(seen + 1)[seen]
    shown = {"text": reply.get("text"), "blocks": reply.get("blocks")}
    return json.dumps(shown, ensure_ascii=False)


def test_each_workspace_gets_its_own_council_s_answers(
    region: SlackWorkspace, fake_slack: FakeSlack, councils: TwoCouncils
) -> None:
    a, b = councils.a, councils.b
    assert a.psw.slack_id
    assert b.psw.slack_id

    # Brookvale's workspace: Brookvale's figures, surveys and actions.
    summary = ask(region, fake_slack, BROOKVALE_TEAM, b.psw.slack_id, "summary")
    assert "Brookvale Council" in summary
    assert "23 of 24" in summary
    status = ask(region, fake_slack, BROOKVALE_TEAM, SHARED_SLACK_ID, "status")
    assert "Brook pulse 2026" in status

    # Ashford's workspace: the same questions, only Ashford's answers.
    for user, typed in (
        (a.psw.slack_id, "summary"),
        (a.psw.slack_id, 'summary "Team North"'),
        (a.psw.slack_id, "participation"),
        (a.psw.slack_id, "action list"),
        (a.psw.slack_id, "who-has-access"),
        (SHARED_SLACK_ID, "status"),
        (SHARED_SLACK_ID, "you-said"),
    ):
        reply = ask(region, fake_slack, ASHFORD_TEAM, user, typed)
        assert B_MARK not in reply.casefold(), (typed, reply)
        assert not re.search(r"\b(23|24) of\b", reply), (typed, reply)
    assert "14 of 14" in ask(
        region, fake_slack, ASHFORD_TEAM, a.psw.slack_id, "summary"
    )
    assert "Pulse 2026" in ask(
        region, fake_slack, ASHFORD_TEAM, SHARED_SLACK_ID, "status"
    )

    # The App Home tab of the person both workspaces know: each council's own.
    for team_id, council in ((BROOKVALE_TEAM, "Brookvale"), (ASHFORD_TEAM, "Ashford")):
        region.team_id = team_id
        region.open_home(SHARED_SLACK_ID)
        home = json.dumps(fake_slack.home[SHARED_SLACK_ID]["blocks"])
        assert council in home
        assert (B_MARK in home.casefold()) == (council == "Brookvale")

    # Brookvale's PSW writing from Ashford's workspace is nobody there.
    stranger = ask(region, fake_slack, ASHFORD_TEAM, b.psw.slack_id, "summary")
    assert "roster" in stranger
    assert B_MARK not in stranger.casefold()
    assert fake_slack.calls_to("chat.postMessage") == []


def test_a_button_naming_brookvale_s_survey_starts_nothing_at_ashford(
    database_url: str,
    region: SlackWorkspace,
    fake_slack: FakeSlack,
    councils: TwoCouncils,
) -> None:
    before = snapshot(database_url)
    for name in ("Brook pulse 2026", "Pulse 2026"):
        forged = {
            "action_id": START,
            "block_id": "start",
            "type": "button",
            "value": councils.b.campaigns[name].id.hex,
            "text": {"type": "plain_text", "text": "Start"},
            "action_ts": "1700000000.000100",
        }
        channel = fake_slack.open_dm(SHARED_SLACK_ID)
        region.interaction(
            block_actions(
                SHARED_SLACK_ID,
                forged,
                container={"type": "message", "channel_id": channel},
                channel={"id": channel},
                team_id=ASHFORD_TEAM,
            )
        )
    assert changes(before, snapshot(database_url)) == []
    sent = json.dumps([call.params for call in fake_slack.calls], default=str)
    assert B_MARK not in sent.casefold()
    assert councils.b.campaigns["Pulse 2026"].name not in sent


async def test_brookvale_s_digest_is_never_posted_in_ashford_s_channel(
    database_url: str, councils: TwoCouncils, fake_slack: FakeSlack
) -> None:
    for person in councils.b.people:
        assert person.slack_id is not None
        fake_slack.add_user(person.slack_id, email=person.email, name=person.name)
    settings = ashford_settings(database_url, fake_slack)
    # Ashford's channel is both the deployment's setting and Ashford's own;
    # Brookvale has none of its own.
    settings = settings.model_copy(update={"slack_workforce_channel": "C0ASHFORD"})
    runtime = Runtime.build(settings)
    async with runtime.sessions() as session, session.begin():
        await set_workforce_channel(
            session, organisation_id=councils.a.id, channel="C0ASHFORD"
        )
    delivery = SlackDelivery.from_settings(
        settings, limits=SlackLimits(per_method={}, per_channel_seconds=0.0)
    )
    real = datetime.now(UTC)
    ahead = next_working_time(real, timezone="Europe/London") - real
    worker = Worker(
        runtime, {"slack": delivery}, clock=lambda: datetime.now(UTC) + ahead
    )
    try:
        posted = await dispatch(
            runtime.sessions,
            secret=SECRET,
            person=councils.b.psw,
            text=f'post you-said "{HEALTH_CHECK}"',
            now=NOW,
            platforms=("slack",),
        )
        assert "posted" in repr(posted.messages).casefold()
        for _ in range(10):
            if not await worker.work_once():
                break
        async with runtime.sessions() as session:
            digest = (
                await session.exec(
                    select(OutboxMessage).where(
                        OutboxMessage.recipient == "channel:workforce"
                    )
                )
            ).one()
    finally:
        await delivery.close()
        await runtime.close()
    # Brookvale's own people do get their notes (in their DMs).
    assert len(fake_slack.calls_to("chat.postMessage")) >= 20
    # Its digest is held, naming the fix, and Ashford's channel got nothing.
    assert digest.organisation_id == councils.b.id
    assert digest.status == "parked"
    assert "'brookvale' has no Slack workforce channel of its own" in (
        digest.last_error or ""
    )
    assert "healthcheck slack workforce-channel CHANNEL_ID --org brookvale" in (
        digest.last_error or ""
    )
    assert fake_slack.messages.get("C0ASHFORD", []) == []
    channels = {call.params.get("channel") for call in fake_slack.calls}
    assert {channel for channel in channels if str(channel).startswith("C")} == set()
