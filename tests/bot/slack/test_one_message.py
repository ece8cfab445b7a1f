"""A short pulse answered as one Slack message: radio groups and a single Send.

Through the real Bolt app and slack-sdk, Slack faked only at HTTP: the blocks the
bot posts are checked against Block Kit's limits by the fake Web API, and Send is
the ``block_actions`` Slack posts with the message's ``state.values``.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from builders import NOW, close_round
from conftest import Org
from fakes.slack_api import FakeSlack, Posted
from slackapp import SlackWorkspace, block_actions, find_element, tapped
from sqlmodel import col, select

from bot.slack import ids
from survey.campaigns import Audience, create_campaign, open_campaign
from survey.models import Answer, Campaign, Comment, Response
from survey.questions.bank import parse_template
from survey.questions.catalogue import sync_templates

QUICK = {
    "key": "quick-pulse",
    "version": 1,
    "title": "Quick pulse",
    "kind": "pulse",
    "audience": "everyone",
    "questions": [
        {
            "id": "Q1",
            "text": "My workload is manageable.",
            "scale": "agree5",
            "theme": "workload",
        },
        {
            "id": "BULLIED",
            "text": "Have you been bullied?",
            "scale": "yes_no_unsure",
            "theme": "equality_diversity",
            "prefer_not_to_say": True,
        },
        {
            "id": "NPS",
            "text": "Recommend us?",
            "scale": "zero_to_ten",
            "theme": "recruitment_retention",
        },
        {
            "id": "TX1",
            "text": "One change?",
            "scale": "text",
            "theme": "workload",
            "max_length": 500,
        },
    ],
}


@pytest.fixture
async def quick(org: Org) -> Campaign:
    """A short pulse with no follow-ups, open for the small organisation."""
    async with org.sessions() as session, session.begin():
        await sync_templates(session, templates=[parse_template(QUICK, source="test")])
        campaign = await create_campaign(
            session,
            organisation_id=org.small.organisation.id,
            template_key="quick-pulse",
            name="Quick pulse",
            year=2026,
            audience=Audience(),
        )
        await open_campaign(session, campaign=campaign, now=NOW)
    return campaign


def send(
    slack: SlackWorkspace, user: str, message: Posted, chosen: dict[str, str]
) -> Any:
    """Tap Send on the one-message form with radio choices in ``state.values``."""
    values: dict[str, Any] = {}
    for block in message.blocks:
        screen = ids.screen_of(block.get("block_id"))
        if screen is None or not block["block_id"].endswith("|sheet"):
            continue
        element = block["elements"][0]
        value = chosen.get(screen.question_id)
        picked = next((o for o in element["options"] if o["value"] == value), None)
        values[block["block_id"]] = {
            ids.SHEET_ANSWER: {"type": element["type"], "selected_option": picked}
        }
    block, element = find_element(message.blocks, ids.SHEET_SUBMIT)
    channel = slack.fake.channel_of(user) or "D0UNKNOWN"
    payload = block_actions(
        user,
        tapped(block, element, value=None),
        container={
            "type": "message",
            "message_ts": message.ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        channel=channel,
        message={"type": "message", "ts": message.ts, "blocks": message.blocks},
        response_url=slack.fake.response_url(),
        state={"values": values},
    )
    payload["actions"][0]["action_ts"] = f"{time.time():.6f}"
    return slack.interaction(payload)


async def test_a_short_pulse_is_answered_as_one_message_with_one_send(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org, quick: Campaign
) -> None:
    user = org.small.people[0].slack_id
    assert user
    slack.command(user, 'start "Quick pulse"')
    first = slack.last_dm(user)
    find_element(first.blocks, ids.ALL_AT_ONCE)

    slack.click(user, first, ids.ALL_AT_ONCE)
    sheet = slack.last_dm(user)
    groups = [
        block["elements"][0]["type"]
        for block in sheet.blocks
        if str(block.get("block_id", "")).endswith("|sheet")
    ]
    assert groups == ["radio_buttons", "radio_buttons", "static_select"]
    shown = json.dumps(sheet.blocks)
    assert "After you send, you can type an answer to 'One change?'" in shown
    assert len(fake_slack.dm_messages(user)) == 1, "the message is replaced in place"

    # A choice on its own is kept by Slack until Send (acknowledged, not stored).
    slack.click(user, sheet, ids.SHEET_ANSWER, value="agree")
    send(slack, user, sheet, {"Q1": "agree", "NPS": "9"})

    # The comment can't be typed into a message: it is asked next, on its own.
    after = slack.last_dm(user)
    asked = ids.screen_of(after.blocks[-1]["block_id"])
    assert asked is not None
    assert asked.question_id == "TX1"
    slack.click(user, after, ids.SKIP)
    review = slack.last_dm(user)
    assert "Skipped" in json.dumps(review.blocks)
    slack.click(user, review, ids.SUBMIT)
    assert "Thank you" in json.dumps(slack.last_dm(user).blocks)

    await close_round(org.sessions, quick.id)
    async with org.sessions() as session:
        stored = (
            await session.exec(select(Response).where(Response.campaign_id == quick.id))
        ).all()
        assert len(stored) == 1
        answers = {
            row.question_key: row.option or row.number
            for row in (
                await session.exec(
                    select(Answer).where(col(Answer.response_id) == stored[0].id)
                )
            ).all()
        }
        comments = (await session.exec(select(Comment))).all()
    assert answers == {"Q1": "agree", "NPS": 9}
    assert comments == []
