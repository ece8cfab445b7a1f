"""Fixtures for the Slack tests: the fake Web API, a small organisation, the app."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from builders import SECRET, SmallOrg, small_org
from fakes.slack_api import BOT_TOKEN, FakeSlack, running_fake_slack
from slackapp import SIGNING_SECRET, SlackWorkspace, slack_workspace

from bot.settings import Settings, load_settings
from survey.db import SessionFactory, create_engine, session_factory
from survey.schedule.working_hours import next_working_time


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    """A fake Slack Web API on loopback; fails the test on unknown or invalid calls."""
    with running_fake_slack() as fake:
        yield fake
    assert fake.unknown == [], f"calls to methods the fake lacks: {fake.unknown}"
    assert fake.invalid == [], f"Slack would refuse: {fake.invalid}"


@dataclass
class Org:
    """A migrated SQLite database with a small organisation whose people use Slack."""

    url: str
    sessions: SessionFactory
    small: SmallOrg


@pytest.fixture
async def org(sqlite_url: str, fake_slack: FakeSlack) -> AsyncIterator[Org]:
    engine = create_engine(sqlite_url)
    sessions = session_factory(engine)
    small = await small_org(sessions, size=6)
    for person in small.people:
        assert person.slack_id is not None
        fake_slack.add_user(person.slack_id, email=person.email, name=person.name)
    yield Org(sqlite_url, sessions, small)
    await engine.dispose()


def working_clock(timezone: str = "Europe/London") -> Callable[[], datetime]:
    """A worker clock moved on to working hours (invitations wait for them)."""
    real = datetime.now(UTC)
    ahead = next_working_time(real, timezone=timezone) - real
    return lambda: datetime.now(UTC) + ahead


def slack_settings(url: str, fake: FakeSlack, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": url,
        "secret_key": SECRET.decode(),
        "seed_demo": False,
        "organisation": "test-org",
        "slack_enabled": True,
        "slack_signing_secret": SIGNING_SECRET,
        "slack_bot_token": BOT_TOKEN,
        "slack_api_url": fake.api_url,
    }
    values.update(overrides)
    return load_settings(**values)


@pytest.fixture
def settings(org: Org, fake_slack: FakeSlack) -> Settings:
    return slack_settings(org.url, fake_slack)


@pytest.fixture
def slack(settings: Settings, fake_slack: FakeSlack) -> Iterator[SlackWorkspace]:
    with slack_workspace(settings, fake_slack) as workspace:
        yield workspace
