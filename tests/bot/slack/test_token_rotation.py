"""Token rotation: an expiring bot token is refreshed through slack-sdk's rotator
(``oauth.v2.access`` with ``grant_type=refresh_token`` on the fake) and saved in
the installation store, by the worker and by the web app alike."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import Org, slack_settings, working_clock
from fakes.slack_api import CLIENT_ID, CLIENT_SECRET, TEAM_ID, FakeSlack
from slack_sdk.oauth.installation_store import Installation
from slackapp import SlackWorkspace, slack_workspace

from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack.clients import installation_store
from bot.slack.delivery import SlackDelivery
from bot.slack.identity import link_workspace
from bot.worker import Worker
from survey.db import create_engine
from survey.delivery.jobs import schedule_job
from survey.schedule.plans import OPEN

OLD, NEW = "xoxe.xoxb-1-old", "xoxe.xoxb-1-new"

# slack-sdk 3.47 sends client credentials with aiohttp.BasicAuth, which aiohttp
# 3.14 deprecates; the exchange itself works (this is what is under test).
pytestmark = pytest.mark.filterwarnings(
    "ignore:BasicAuth is deprecated:DeprecationWarning"
)


@pytest.fixture
def settings(org: Org, fake_slack: FakeSlack) -> Settings:
    return slack_settings(
        org.url,
        fake_slack,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
    )


@pytest.fixture
async def installed(org: Org, settings: Settings, fake_slack: FakeSlack) -> None:
    """Installed with rotation on; the bot token has ten minutes left."""
    engine = create_engine(org.url)
    await installation_store(settings, engine).async_save(
        Installation(
            app_id="A0HEALTH",
            team_id=TEAM_ID,
            bot_token=OLD,
            bot_refresh_token="xoxe-1-refresh-1",
            bot_token_expires_at=int(time.time()) + 600,
            bot_id="B0HEALTH",
            bot_user_id="U0BOT",
            user_id="U0ADMIN",
            installed_at=time.time(),
        )
    )
    await engine.dispose()
    async with org.sessions() as session, session.begin():
        await link_workspace(
            session,
            team_id=TEAM_ID,
            enterprise_id=None,
            organisation_id=org.small.organisation.id,
        )
    fake_slack.issue_refresh_token("xoxe-1-refresh-1", access=NEW, then="xoxe-1-r2")


async def stored_bot(org: Org, settings: Settings) -> tuple[str, str, int]:
    engine = create_engine(org.url)
    bot = await installation_store(settings, engine).async_find_bot(
        enterprise_id=None, team_id=TEAM_ID
    )
    await engine.dispose()
    assert bot is not None
    return (
        str(bot.bot_token),
        str(bot.bot_refresh_token),
        int(bot.bot_token_expires_at or 0),
    )


def refreshes(fake: FakeSlack) -> list[str]:
    return [
        str(call.params.get("refresh_token"))
        for call in fake.calls_to("oauth.v2.access")
        if call.params.get("grant_type") == "refresh_token"
    ]


async def test_the_worker_refreshes_an_expiring_token_before_sending(
    installed: None, org: Org, settings: Settings, fake_slack: FakeSlack
) -> None:
    # The old token no longer works once it is past its time.
    fake_slack.expired_tokens.add(OLD)
    runtime = Runtime.build(settings)
    delivery = SlackDelivery.from_settings(settings)
    async with org.sessions() as session, session.begin():
        await schedule_job(
            session,
            kind=OPEN,
            dedupe_key="rotation-open",
            run_at=datetime.now(UTC) - timedelta(seconds=1),
            payload={"campaign_id": str(org.small.campaign.id)},
            organisation_id=org.small.organisation.id,
        )
    worker = Worker(runtime, {"slack": delivery}, clock=working_clock())
    try:
        while await worker.work_once():
            pass
    finally:
        await delivery.close()
        await runtime.close()
    assert refreshes(fake_slack) == ["xoxe-1-refresh-1"]
    posts = fake_slack.calls_to("chat.postMessage")
    assert len(posts) == len(org.small.people)
    assert {call.token for call in posts} == {NEW}
    token, refresh, expires = await stored_bot(org, settings)
    assert (token, refresh) == (NEW, "xoxe-1-r2")
    assert expires > time.time() + 43200 - 60


@pytest.fixture
def oauth(settings: Settings, fake_slack: FakeSlack) -> Iterator[SlackWorkspace]:
    with slack_workspace(settings, fake_slack) as workspace:
        yield workspace


async def test_the_web_app_refreshes_it_too_and_keeps_the_workspace_linked(
    installed: None,
    oauth: SlackWorkspace,
    org: Org,
    settings: Settings,
    fake_slack: FakeSlack,
) -> None:
    fake_slack.expired_tokens.add(OLD)
    user = org.small.people[0].slack_id or ""
    oauth.command(user, "status")
    [reply] = fake_slack.wait_for_responses(1)
    assert "Small check 2026" in reply["text"]
    assert refreshes(fake_slack) == ["xoxe-1-refresh-1"]
    assert (await stored_bot(org, settings))[0] == NEW
