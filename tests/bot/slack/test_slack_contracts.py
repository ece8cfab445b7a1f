"""Contract tests: Slack's own documented request bodies, signed as Slack signs them.

Each body is in ``tests/contracts/slack/`` with the documentation page it follows
(``_source``); only ids are filled in (``${USER}`` and the like), and the parts
Slack echoes from our own messages (a tapped button, an open modal) are the ones
the bot really posted. Each is POSTed to ``/slack/events`` of the running app with
Slack's v0 signature, and must be answered within Slack's three seconds.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from conftest import Org
from fakes.slack_api import TEAM_ID, FakeSlack
from slackapp import SlackWorkspace, find_element, tapped
from test_answering import begin, ids_of, last_view

from bot.slack import ids

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "slack"
DEADLINE = 3.0


def documented(name: str, **values: str) -> dict[str, Any]:
    """The documented body ``name`` with its ``${...}`` ids filled in."""
    text = (CONTRACTS / f"{name}.json").read_text(encoding="utf-8")
    for key, value in {"TEAM": TEAM_ID, **values}.items():
        text = text.replace("${" + key + "}", value)
    contract: dict[str, Any] = json.loads(text)
    assert "${" not in json.dumps(contract["body"]), f"{name}: an id left unfilled"
    assert contract["_source"].startswith("Slack API docs")
    return contract


def send(slack: SlackWorkspace, contract: dict[str, Any], **headers: str) -> Any:
    """POST the body as Slack would (form, payload form or JSON), signed; timed."""
    kind = contract["_content_type"]
    body = contract["body"]
    if kind == "application/json":
        raw, content_type = json.dumps(body), "application/json"
    elif kind.endswith("; payload"):
        raw = urlencode({"payload": json.dumps(body)})
        content_type = "application/x-www-form-urlencoded"
    else:
        raw, content_type = urlencode(body), "application/x-www-form-urlencoded"
    started = time.monotonic()
    response = slack.post(
        raw, content_type=content_type, extra_headers=headers, wait=False
    )
    assert time.monotonic() - started < DEADLINE
    slack.settle()
    return response


def test_url_verification(slack: SlackWorkspace) -> None:
    contract = documented("url_verification")
    response = send(slack, contract)
    assert response.status_code == 200
    assert response.json() == {"challenge": contract["body"]["challenge"]}


def test_a_slash_command(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[0].slack_id or ""
    contract = documented(
        "slash_command", USER=user, RESPONSE_URL=fake_slack.response_url()
    )
    response = send(slack, contract)
    assert response.status_code == 200
    [reply] = fake_slack.wait_for_responses(1)
    assert "Small check 2026" in json.dumps(reply)


def test_block_actions_and_view_submission(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[0].slack_id or ""
    message = begin(slack, user)
    channel = fake_slack.channel_of(user) or ""
    contract = documented(
        "block_actions",
        USER=user,
        CHANNEL=channel,
        TS=message.ts,
        RESPONSE_URL=fake_slack.response_url(),
    )
    block, element = find_element(message.blocks, ids.ANSWER, value="agree")
    contract["body"]["actions"] = [tapped(block, element, value="agree")]
    contract["body"]["message"]["blocks"] = message.blocks
    assert send(slack, contract).status_code == 200
    message = slack.last_dm(user)
    assert ids_of(message) == "HOURS"

    slack.click(user, message, ids.OPEN_MODAL)
    view = last_view(fake_slack)
    [block] = [b for b in view["blocks"] if b.get("type") == "input"]
    element = block["element"]

    def submitted(value: str) -> dict[str, Any]:
        contract = documented("view_submission", USER=user)
        state = {
            block["block_id"]: {
                element["action_id"]: {"type": element["type"], "value": value}
            }
        }
        contract["body"]["view"] = {
            **view,
            "state": {"values": state},
            "team_id": TEAM_ID,
        }
        return contract

    refused = send(slack, submitted("99"))
    assert refused.json() == {
        "response_action": "errors",
        "errors": {ids.ANSWER_BLOCK: "Please give a whole number from 0 to 40."},
    }
    taken = send(slack, submitted("4"))
    assert (taken.status_code, taken.text) == (200, "")
    assert ids_of(slack.last_dm(user)) == "BULLIED"


def test_app_home_opened(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[0].slack_id or ""
    contract = documented(
        "app_home_opened", USER=user, CHANNEL=fake_slack.open_dm(user)
    )
    assert send(slack, contract).status_code == 200
    [published] = fake_slack.calls_to("views.publish")
    assert published.params["user_id"] == user
    assert "Small check 2026" in json.dumps(fake_slack.home[user])


def test_an_event_and_its_retries_are_answered_once(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    user = org.small.people[0].slack_id or ""
    contract = documented(
        "message_im_retry", USER=user, CHANNEL=fake_slack.open_dm(user)
    )
    assert send(slack, contract).status_code == 200
    for attempt in ("1", "2", "3"):
        retry = {**contract["_retry_headers"], "X-Slack-Retry-Num": attempt}
        assert send(slack, contract, **retry).status_code == 200
    [reply] = fake_slack.calls_to("chat.postMessage")
    assert "Small check 2026" in json.dumps(reply.params)
