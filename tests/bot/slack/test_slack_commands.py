"""``/healthcheck`` and messages to the bot: the shared grammar, answered privately."""

from __future__ import annotations

import asyncio
import json
import time

from builders import NOW, SECRET, answer_as, close_round, full_answers
from conftest import Org
from fakes.slack_api import FakeSlack
from slackapp import SlackWorkspace
from sqlmodel import select

from bot.commands import dispatch
from bot.slack.render import BlockKitRenderer
from survey.models import ManagerOf, Person


def channel_posts(fake: FakeSlack) -> list[str]:
    """Channels (not DMs) the bot posted into with chat.postMessage."""
    return [
        str(call.params["channel"])
        for call in fake.calls_to("chat.postMessage")
        if not str(call.params["channel"]).startswith("D")
    ]


async def make_manager(org: Org, person: Person) -> None:
    async with org.sessions() as session, session.begin():
        stored = await session.get(Person, person.id)
        assert stored is not None
        stored.access = "manager"
        session.add(stored)
        session.add(ManagerOf(person_id=person.id, team_id=org.small.team.id))


async def test_status_help_and_privacy_are_ephemeral_replies(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[0].slack_id
    assert user
    for typed in ("status", "help", "privacy", "nonsense words"):
        slack.command(user, typed)
    replies = fake_slack.wait_for_responses(4)
    assert [reply["response_type"] for reply in replies] == ["ephemeral"] * 4
    assert "Small check 2026" in replies[0]["text"]
    assert "not recognised" in json.dumps(replies[3]) or "recognise" in json.dumps(
        replies[3]
    )
    assert channel_posts(fake_slack) == []


async def test_a_managers_summary_is_only_ever_shown_to_the_manager(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    manager = org.small.people[0]
    await make_manager(org, manager)
    for person in org.small.people[1:]:
        await answer_as(org.sessions, person, org.small.campaign, full_answers())
    assert manager.slack_id
    for typed in ("summary", "themes", "participation"):
        slack.command(manager.slack_id, typed, channel="C0GENERAL")
    replies = fake_slack.wait_for_responses(3)
    assert all(reply["response_type"] == "ephemeral" for reply in replies)
    assert all(reply["replace_original"] is False for reply in replies)
    assert channel_posts(fake_slack) == []
    assert fake_slack.count("chat.postEphemeral") == 0
    assert (
        "Team A" in json.dumps(replies[0]) or "not available yet" in replies[0]["text"]
    )


async def test_staff_are_refused_a_summary_politely_and_privately(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[1].slack_id
    assert user
    slack.command(user, "summary", channel="C0GENERAL")
    reply = fake_slack.wait_for_responses(1)[0]
    assert reply["response_type"] == "ephemeral"
    assert "manager" in reply["text"].lower()
    assert channel_posts(fake_slack) == []


async def test_a_person_without_a_slack_id_is_matched_by_email_once(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[2]
    async with org.sessions() as session, session.begin():
        stored = await session.get(Person, person.id)
        assert stored is not None
        stored.slack_id = None
        session.add(stored)
    fake_slack.add_user("U0NEWLINK", email=person.email.upper(), name=person.name)
    slack.command("U0NEWLINK", "status")
    slack.command("U0NEWLINK", "status")
    assert "Small check 2026" in fake_slack.wait_for_responses(2)[0]["text"]
    async with org.sessions() as session:
        linked = await session.get(Person, person.id)
    assert linked is not None
    assert linked.slack_id == "U0NEWLINK"
    assert fake_slack.count("users.info") == 1, "looked up once, then by Slack id"


async def test_a_slack_id_already_held_by_someone_else_is_not_taken(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    holder, other = org.small.people[0], org.small.people[1]
    async with org.sessions() as session, session.begin():
        stored = await session.get(Person, other.id)
        assert stored is not None
        stored.slack_id = "U0OTHERID"
        session.add(stored)
    # Slack says U0OTHERID's email is the holder's: the roster wins, nobody matches.
    fake_slack.add_user("U0STRANGE", email=holder.email)
    slack.command("U0STRANGE", "status")
    assert "roster" in fake_slack.wait_for_responses(1)[0]["text"]
    async with org.sessions() as session:
        people = (
            await session.exec(select(Person).where(Person.slack_id == "U0STRANGE"))
        ).all()
    assert people == []


async def test_start_from_a_channel_puts_the_survey_in_a_dm(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[3]
    assert person.slack_id
    slack.command(person.slack_id, "start", channel="C0GENERAL")
    assert fake_slack.count("conversations.open") == 1
    assert channel_posts(fake_slack) == []
    assert "direct message" in fake_slack.wait_for_responses(1)[0]["text"]
    async with org.sessions() as session:
        stored = await session.get(Person, person.id)
    assert stored is not None
    assert stored.slack_dm_channel == fake_slack.channel_of(person.slack_id)
    slack.command(person.slack_id, "start", channel="C0GENERAL")
    assert fake_slack.count("conversations.open") == 1, "the stored DM is reused"


async def test_a_message_to_the_bot_is_a_command_and_a_retry_is_answered_once(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[4]
    user = person.slack_id
    assert user
    slack.dm(user, "status", event_id="Ev0STATUS01")
    for attempt in (1, 2, 3):
        slack.dm(
            user,
            "status",
            event_id="Ev0STATUS01",
            extra_headers={
                "X-Slack-Retry-Num": str(attempt),
                "X-Slack-Retry-Reason": "http_timeout",
            },
        )
    replies = fake_slack.calls_to("chat.postMessage")
    assert len(replies) == 1
    assert replies[0].params["channel"].startswith("D")
    assert "Small check 2026" in json.dumps(replies[0].params)


async def test_the_bots_own_messages_and_edits_are_ignored(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[4].slack_id
    assert user
    channel = "D" + user[1:]
    slack.event(
        {
            "type": "message",
            "channel": channel,
            "user": user,
            "text": "status",
            "bot_id": "B0HEALTH1",
            "channel_type": "im",
            "ts": "1.1",
        }
    )
    slack.event(
        {
            "type": "message",
            "subtype": "message_changed",
            "channel": channel,
            "channel_type": "im",
            "ts": "1.2",
            "message": {"text": "status"},
        }
    )
    assert fake_slack.count("chat.postMessage") == 0


async def test_a_long_summary_arrives_whole_in_several_messages(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    for person in org.small.people[1:]:
        await answer_as(org.sessions, person, org.small.campaign, full_answers())
    await close_round(org.sessions, org.small.campaign.id)
    psw = org.small.people[0]
    async with org.sessions() as session, session.begin():
        stored = await session.get(Person, psw.id)
        assert stored is not None
        stored.access = "psw"
        session.add(stored)
    assert psw.slack_id
    # The PSW asks for one team and its service, four times over: a reply far
    # longer than Slack's 50 blocks.
    typed = 'summary "Team A" Adults "Team A" Adults "Team A" Adults "Team A" Adults'
    slack.dm(psw.slack_id, typed)
    expected = len(
        BlockKitRenderer().render_all(
            (
                await dispatch(
                    org.sessions,
                    secret=SECRET,
                    person=stored,
                    text=typed,
                    now=NOW,
                )
            ).messages
        )
    )
    assert expected >= 2
    posted = fake_slack.wait_for_dm(psw.slack_id)
    deadline = time.monotonic() + 10
    while len(posted) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
        posted = fake_slack.dm_messages(psw.slack_id)
    assert len(posted) == expected
    assert fake_slack.invalid == []
    shown = json.dumps([message.blocks for message in posted], ensure_ascii=False)
    assert "…" not in shown
    assert shown.count("Summary for Team A") == 4
    assert shown.count("Summary for Adults") == 4
    assert [m.text.rsplit("(part ", 1)[1] for m in posted][-1] == (
        f"{expected} of {expected})"
    )

    # The same reply to /healthcheck comes back privately in as many parts.
    slack.command(psw.slack_id, typed, channel="C0GENERAL")
    replies = fake_slack.wait_for_responses(expected)
    assert len(replies) == expected
    assert all(reply["response_type"] == "ephemeral" for reply in replies)
    assert channel_posts(fake_slack) == []
