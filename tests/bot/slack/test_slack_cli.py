"""``healthcheck slack link-roster`` and ``import-audience`` against the fake Slack."""

from __future__ import annotations

import pytest
from conftest import Org
from fakes.slack_api import BOT_TOKEN, FakeSlack
from slackapp import SIGNING_SECRET
from sqlmodel import select
from typer.testing import CliRunner

from bot.slack.cli import slack_app
from survey.models import Participation, Person


@pytest.fixture
def environment(
    org: Org, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    from builders import SECRET

    for name, value in {
        "DATABASE_URL": org.url,
        "HEALTHCHECK_SECRET_KEY": SECRET.decode(),
        "HEALTHCHECK_ORGANISATION": "test-org",
        "HEALTHCHECK_SLACK_ENABLED": "true",
        "HEALTHCHECK_SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "HEALTHCHECK_SLACK_BOT_TOKEN": BOT_TOKEN,
        "HEALTHCHECK_SLACK_API_URL": fake_slack.api_url,
    }.items():
        monkeypatch.setenv(name, value)


async def test_link_roster_and_import_audience_from_the_command_line(
    environment: None, org: Org, fake_slack: FakeSlack
) -> None:
    async with org.sessions() as session, session.begin():
        for person in org.small.people[:2]:
            stored = await session.get(Person, person.id)
            assert stored is not None
            stored.slack_id = None
            session.add(stored)
        participation = (await session.exec(select(Participation))).first()
        assert participation is not None
        await session.delete(participation)
    runner = CliRunner()
    linked = await _invoke(runner, ["link-roster"])
    assert "Linked 2 people to Slack by email; 4 were linked already" in linked
    fake_slack.usergroups["S0ALL"] = [p.slack_id or "" for p in org.small.people]
    imported = await _invoke(runner, ["import-audience", "Small check 2026", "S0ALL"])
    assert (
        "S0ALL: 6 members; 1 invited, 5 already invited, 0 not on the roster."
        in imported
    )


async def _invoke(runner: CliRunner, arguments: list[str]) -> str:
    import asyncio

    # The command runs its own event loop, so it runs in a thread of its own.
    result = await asyncio.to_thread(runner.invoke, slack_app, arguments)
    assert result.exit_code == 0, result.output
    return result.output
