"""Installing into workspaces through OAuth; slack-sdk's stores in our database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from builders import SECRET
from conftest import Org, slack_settings, working_clock
from fakes.slack_api import BOT_TOKEN, CLIENT_ID, CLIENT_SECRET, TEAM_ID, FakeSlack
from slackapp import SIGNING_SECRET, SlackWorkspace, slack_workspace
from sqlalchemy import select as sql_select
from sqlmodel import select

from bot.cli import main
from bot.runtime import Runtime
from bot.slack import install_links
from bot.slack.delivery import SlackDelivery
from bot.worker import Worker
from survey.delivery.jobs import schedule_job
from survey.models import OutboxMessage, Participation
from survey.models import SlackWorkspace as LinkedWorkspace
from survey.models.slack import slack_bots, slack_installations, slack_oauth_states
from survey.organisations import create_organisation
from survey.schedule.plans import OPEN

# slack-sdk 3.47 sends client credentials with aiohttp.BasicAuth, which aiohttp
# 3.14 deprecates; the exchange itself works (this is what is under test).
pytestmark = pytest.mark.filterwarnings(
    "ignore:BasicAuth is deprecated:DeprecationWarning"
)


@pytest.fixture
def oauth(org: Org, fake_slack: FakeSlack) -> Iterator[SlackWorkspace]:
    settings = slack_settings(
        org.url,
        fake_slack,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
    )
    with slack_workspace(settings, fake_slack) as workspace:
        yield workspace


def install_link(slug: str = "test-org", *, days: int = 7) -> str:
    """The path of an install link for ``slug``, as ``install-link`` makes it."""
    expires = datetime.now(UTC) + timedelta(days=days)
    token = install_links.issue(SECRET, slug=slug, expires=expires)
    return f"/slack/install?org={token}"


def install(
    slack: SlackWorkspace, fake: FakeSlack, installer: str, *, link: str | None = None
) -> None:
    page = slack.client.get(link or install_link())
    assert page.status_code == 200
    link = re.search(r'href="(https://slack.com/oauth/v2/authorize\?[^"]+)"', page.text)
    assert link is not None, page.text
    assert f"client_id={CLIENT_ID}" in link.group(1)
    assert "scope=commands,chat:write,im:write" in link.group(1).replace(
        "%3A", ":"
    ).replace("%2C", ",")
    state = re.search(r"state=([^&\"]+)", link.group(1))
    assert state is not None
    fake.register_oauth_code("code-123", installer=installer)
    done = slack.client.get(
        f"/slack/oauth_redirect?code=code-123&state={state.group(1)}"
    )
    assert done.status_code == 200, done.text
    assert "Thank you" in done.text or "success" in done.text.lower()


async def test_install_stores_the_installation_and_links_the_workspace(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    installer = org.small.people[0].slack_id or ""
    install(oauth, fake_slack, installer)
    assert fake_slack.count("oauth.v2.access") == 1
    async with org.sessions() as session:
        installations = (await session.exec(sql_select(slack_installations))).all()
        bots = (await session.exec(sql_select(slack_bots))).all()
        states = (await session.exec(sql_select(slack_oauth_states))).all()
        linked = (await session.exec(select(LinkedWorkspace))).one()
    assert [(row.team_id, row.bot_token, row.user_id) for row in installations] == [
        (TEAM_ID, BOT_TOKEN, installer)
    ]
    assert [row.bot_token for row in bots] == [BOT_TOKEN]
    assert states == [], "the state is used up"
    assert (linked.team_id, linked.organisation_id) == (
        TEAM_ID,
        org.small.organisation.id,
    )

    # Requests from the installed workspace are authorised with the stored token.
    oauth.command(installer, "status")
    reply = fake_slack.wait_for_responses(1)[0]
    assert "Small check 2026" in reply["text"]
    assert all(
        call.token == BOT_TOKEN
        for call in fake_slack.calls
        if call.method != "oauth.v2.access"
    )


async def test_a_replayed_or_forged_state_installs_nothing(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    fake_slack.register_oauth_code("code-999", installer="U0ATTACKER")
    response = oauth.client.get(
        "/slack/oauth_redirect?code=code-999&state=forged-state"
    )
    assert response.status_code in (400, 401, 403)
    assert fake_slack.count("oauth.v2.access") == 0
    async with org.sessions() as session:
        assert (await session.exec(sql_select(slack_installations))).all() == []


async def test_a_workspace_that_never_installed_is_not_served(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[0].slack_id or ""
    oauth.command(user, "start")
    [reply] = fake_slack.wait_for_responses(1)
    assert "not installed in this Slack workspace" in reply["text"]
    assert fake_slack.count("chat.postMessage") == 0
    async with org.sessions() as session:
        assert (
            await session.exec(
                select(Participation).where(Participation.status != "invited")
            )
        ).all() == []


async def test_after_install_the_worker_sends_with_the_installed_token(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    install(oauth, fake_slack, org.small.people[0].slack_id or "")
    settings = slack_settings(
        org.url,
        fake_slack,
        slack_bot_token=None,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
    )
    runtime = Runtime.build(settings)
    delivery = SlackDelivery.from_settings(settings)
    async with org.sessions() as session, session.begin():
        await schedule_job(
            session,
            kind=OPEN,
            dedupe_key="oauth-open",
            run_at=datetime.now(UTC) - timedelta(seconds=1),
            payload={"campaign_id": str(org.small.campaign.id)},
            organisation_id=org.small.organisation.id,
        )
    worker = Worker(runtime, {"slack": delivery}, clock=working_clock())
    while await worker.work_once():
        pass
    await delivery.close()
    await runtime.close()
    async with org.sessions() as session:
        statuses = {
            row.status for row in (await session.exec(select(OutboxMessage))).all()
        }
    assert statuses == {"done"}
    posts = fake_slack.calls_to("chat.postMessage")
    assert len(posts) == 6
    assert {call.token for call in posts} == {BOT_TOKEN}


async def stored_installations(org: Org) -> list[object]:
    async with org.sessions() as session:
        return list((await session.exec(sql_select(slack_installations))).all())


@pytest.mark.parametrize(
    "link",
    [
        "/slack/install",
        "/slack/install?org=not-a-token",
        # Signed for test-org, then altered to name another organisation.
        install_link().replace("org=", "org=x"),
        install_link(days=-1),
    ],
    ids=["no-link", "garbage", "altered", "expired"],
)
async def test_install_without_a_valid_link_is_refused(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org, link: str
) -> None:
    page = oauth.client.get(link)
    assert page.status_code == 403
    assert "install link made for your organisation" in page.text
    assert "slack.com/oauth" not in page.text
    async with org.sessions() as session:
        assert (await session.exec(sql_select(slack_oauth_states))).all() == []


async def test_the_redirect_without_the_link_s_cookie_installs_nothing(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    """A state issued through a valid link, completed in another browser."""
    page = oauth.client.get(install_link())
    state = re.search(r"state=([^&\"]+)", page.text)
    assert state is not None
    oauth.client.cookies.delete(install_links.COOKIE, path="/slack")
    fake_slack.register_oauth_code("code-123", installer="U0SOMEONE")
    done = oauth.client.get(f"/slack/oauth_redirect?code=code-123&state={state[1]}")
    assert done.status_code == 403
    assert fake_slack.count("oauth.v2.access") == 0
    assert await stored_installations(org) == []


async def test_a_link_for_another_organisation_links_the_workspace_there(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    async with org.sessions() as session, session.begin():
        other = await create_organisation(session, slug="brookvale", name="Brookvale")
    install(oauth, fake_slack, "U0ADMIN", link=install_link("brookvale"))
    async with org.sessions() as session:
        linked = (await session.exec(select(LinkedWorkspace))).one()
    assert (linked.team_id, linked.organisation_id) == (TEAM_ID, other.id)
    # Brookvale's workspace is not the default council's: test-org's people there
    # are strangers, and test-org's survey is not offered.
    user = org.small.people[0].slack_id or ""
    oauth.command(user, "status")
    [reply] = fake_slack.wait_for_responses(1)
    assert "Small check 2026" not in reply["text"]


async def test_a_workspace_of_another_organisation_cannot_be_taken_by_a_link(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    install(oauth, fake_slack, "U0ADMIN")
    async with org.sessions() as session, session.begin():
        await create_organisation(session, slug="brookvale", name="Brookvale")
    page = oauth.client.get(install_link("brookvale"))
    state = re.search(r"state=([^&\"]+)", page.text)
    assert state is not None
    fake_slack.register_oauth_code("code-456", installer="U0ADMIN")
    done = oauth.client.get(f"/slack/oauth_redirect?code=code-456&state={state[1]}")
    assert done.status_code == 500
    async with org.sessions() as session:
        linked = (await session.exec(select(LinkedWorkspace))).one()
    assert linked.organisation_id == org.small.organisation.id
    assert len(await stored_installations(org)) == 1


async def test_an_installed_workspace_with_no_organisation_is_not_the_default_one(
    oauth: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    install(oauth, fake_slack, org.small.people[0].slack_id or "")
    async with org.sessions() as session, session.begin():
        linked = (await session.exec(select(LinkedWorkspace))).one()
        await session.delete(linked)
    oauth.command(org.small.people[0].slack_id or "", "status")
    [reply] = fake_slack.wait_for_responses(1)
    assert "not linked to a Health Check organisation" in reply["text"]


def test_the_command_line_prints_a_working_install_link(
    oauth: SlackWorkspace,
    fake_slack: FakeSlack,
    org: Org,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {
        "DATABASE_URL": org.url,
        "HEALTHCHECK_SECRET_KEY": SECRET.decode(),
        "HEALTHCHECK_ORGANISATION": "test-org",
        "HEALTHCHECK_SLACK_ENABLED": "true",
        "HEALTHCHECK_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "HEALTHCHECK_SLACK_CLIENT_ID": CLIENT_ID,
        "HEALTHCHECK_SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "HEALTHCHECK_PUBLIC_URL": "https://healthcheck.example.org/",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("HEALTHCHECK_SLACK_BOT_TOKEN", raising=False)
    assert main(["slack", "install-link", "--org", "test-org", "--days", "2"]) == 0
    out = capsys.readouterr().out
    assert "Install link for Test Council (test-org), valid until" in out
    url = re.search(r"https://healthcheck\.example\.org(/slack/install\?org=\S+)", out)
    assert url is not None, out
    install(oauth, fake_slack, "U0ADMIN", link=url[1])
