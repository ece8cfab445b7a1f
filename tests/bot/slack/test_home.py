"""The App Home tab: open surveys with progress, "you said, we did", summaries."""

from __future__ import annotations

import json

from builders import NOW
from conftest import Org
from fakes.slack_api import FakeSlack
from slackapp import SlackWorkspace
from test_slack_commands import make_manager

from bot.slack import ids
from survey.models import Announcement, Person


def home_text(fake: FakeSlack, user: str) -> str:
    return json.dumps(fake.home[user], ensure_ascii=False)


async def test_the_home_tab_shows_my_open_surveys_and_starts_one_in_my_dm(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[0]
    user = person.slack_id
    assert user
    slack.open_home(user)
    shown = home_text(fake_slack, user)
    assert "Small check 2026" in shown
    assert "not started" in shown
    assert "No 'you said, we did' updates yet." in shown
    assert "As a manager" not in shown
    slack.click_home(user, ids.START, org.small.campaign.id.hex)
    message = slack.last_dm(user)
    assert "My workload is manageable." in json.dumps(message.blocks)
    slack.click(user, message, ids.ANSWER, value="agree")
    slack.open_home(user)
    assert "1 of 5 answered" in home_text(fake_slack, user)
    async with org.sessions() as session:
        stored = await session.get(Person, person.id)
    assert stored is not None
    assert stored.slack_dm_channel == fake_slack.channel_of(user)


async def test_the_home_tab_shows_the_latest_you_said_we_did_escaped(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    async with org.sessions() as session, session.begin():
        session.add(
            Announcement(
                organisation_id=org.small.organisation.id,
                kind="you_said",
                title="You said workload <!here>",
                body="We did: two new posts & a duty rota.",
                posted_at=NOW,
            )
        )
    user = org.small.people[1].slack_id
    assert user
    slack.open_home(user)
    shown = home_text(fake_slack, user)
    assert "You said workload &lt;!here&gt;" in shown
    assert "two new posts &amp; a duty rota" in shown
    assert "<!here>" not in shown


async def test_a_manager_is_pointed_to_their_summaries(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    manager = org.small.people[2]
    await make_manager(org, manager)
    assert manager.slack_id
    slack.open_home(manager.slack_id)
    assert "/healthcheck summary" in home_text(fake_slack, manager.slack_id)


async def test_someone_not_on_the_roster_sees_who_to_ask(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    fake_slack.add_user("U0VISITOR", email="visitor@elsewhere.example")
    slack.open_home("U0VISITOR")
    shown = home_text(fake_slack, "U0VISITOR")
    assert "not on the Health Check roster" in shown
    assert "Small check" not in shown
