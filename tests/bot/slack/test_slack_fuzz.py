"""Correctly signed but hostile Slack requests: never a 5xx, never a failed listener.

Every body is signed with the app's secret, so it gets past the signature check
and reaches our listeners: slash commands, ``block_actions``,
``view_submission`` and events built from documented shapes with fields
replaced by random values, wrong types, huge strings and unicode, and bodies
that are not Slack's at all.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

import pytest
from conftest import Org
from fakes.slack_api import APP_ID, TEAM_ID, FakeSlack
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from slackapp import SlackWorkspace, block_actions, event_callback, slash_command

from bot.slack import ids

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.just("x" * 5000),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
words = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "start",
            "status",
            "help",
            "resume",
            "<!channel> start",
            "<@U0BOT> status",
            "\u0000",
            "\ud7ff" * 300,
            "x" * 4000,
        ]
    ),
)


def send(slack: SlackWorkspace, body: str, content_type: str) -> int:
    """Post a correctly signed body; the status, once every listener finished."""
    slack.errors.clear()
    response = slack.post(body, content_type=content_type, wait=False)
    assert response.status_code < 500, response.text
    # Bolt answers at ack(); give a listener that has not started yet a moment
    # to start, so its failure is charged to this body and not the next one.
    time.sleep(0.02)
    slack.settle()
    return int(response.status_code)


def _user(org: Org) -> st.SearchStrategy[Any]:
    known = [person.slack_id for person in org.small.people]
    return st.sampled_from(known) | st.text(max_size=12) | junk


def _campaign(org: Org) -> st.SearchStrategy[str]:
    return st.sampled_from([org.small.campaign.id.hex, "0" * 32]) | st.text(max_size=34)


def _tweak(payload: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """The payload with up to three fields replaced by junk or removed."""
    for _ in range(data.draw(st.integers(0, 3))):
        key = data.draw(st.sampled_from(sorted(payload)))
        if data.draw(st.booleans()):
            payload.pop(key)
        else:
            payload[key] = data.draw(junk)
        if not payload:
            break
    return payload


@FUZZ
@given(data=st.data())
def test_hostile_slash_commands(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org, data: st.DataObject
) -> None:
    fields = slash_command(
        str(data.draw(_user(org))),
        data.draw(words),
        channel=data.draw(st.sampled_from(["C0GENERAL", "D0DM"]) | st.text(max_size=5)),
        response_url=fake_slack.response_url(),
    )
    fields = _tweak(fields, data)
    fields.setdefault("command", "/healthcheck")
    send(slack, urlencode(fields), "application/x-www-form-urlencoded")


@FUZZ
@given(data=st.data())
def test_hostile_block_actions(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org, data: st.DataObject
) -> None:
    campaign = data.draw(_campaign(org))
    question = data.draw(st.sampled_from(["Q1", "HOURS", "WHO", "TX1", "review"]))
    action: dict[str, Any] = {
        "action_id": data.draw(
            st.sampled_from(
                [
                    "hc.answer.0",
                    ids.CHOOSE,
                    ids.BACK,
                    ids.SKIP,
                    ids.PAUSE,
                    ids.SUBMIT,
                    ids.EDIT,
                    ids.START,
                    ids.OPEN_MODAL,
                    "hc.command.0",
                    "hc.command.99",
                ]
            )
        ),
        "block_id": data.draw(
            st.just(f"hc|{campaign}|{question}|x") | st.text(max_size=40)
        ),
        "type": data.draw(st.sampled_from(["button", "static_select"])),
        "value": data.draw(st.just(campaign) | words | junk),
        "selected_option": data.draw(
            st.none() | st.fixed_dictionaries({"value": words}) | junk
        ),
        "action_ts": "1.0",
    }
    action = _tweak(action, data)
    payload = block_actions(
        str(data.draw(_user(org))),
        action,
        container={"type": "message", "message_ts": "1.1", "channel_id": "D0DM"},
        channel={"id": "D0DM"},
        response_url=fake_slack.response_url(),
    )
    payload = _tweak(payload, data)
    payload["type"] = "block_actions"
    send(slack, *_interaction(payload))


@FUZZ
@given(data=st.data())
def test_hostile_view_submissions(
    slack: SlackWorkspace, org: Org, data: st.DataObject
) -> None:
    campaign = data.draw(_campaign(org))
    metadata = data.draw(
        st.builds(
            lambda q, ch, ts: json.dumps({"c": campaign, "q": q, "ch": ch, "ts": ts}),
            st.sampled_from(["Q1", "HOURS", "WHO", "TX1"]) | junk,
            junk,
            junk,
        )
        | st.text(max_size=30)
    )
    state = data.draw(
        st.fixed_dictionaries(
            {
                ids.ANSWER_BLOCK: st.fixed_dictionaries(
                    {
                        ids.ANSWER_ELEMENT: st.fixed_dictionaries(
                            {
                                "type": st.sampled_from(
                                    ["plain_text_input", "checkboxes"]
                                )
                            },
                            optional={"value": words | junk, "selected_options": junk},
                        )
                    }
                )
            }
        )
        | junk
    )
    view: dict[str, Any] = {
        "id": "V0FUZZ",
        "type": "modal",
        "callback_id": ids.ANSWER_MODAL,
        "private_metadata": metadata,
        "blocks": data.draw(st.just([]) | junk),
        "state": {"values": state},
        "team_id": TEAM_ID,
    }
    view = _tweak(view, data)
    view.setdefault("callback_id", ids.ANSWER_MODAL)
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "westmere"},
        "user": {"id": data.draw(_user(org)), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "trigger_id": "1.2.3",
        "view": view,
    }
    payload = _tweak(payload, data)
    payload["type"] = "view_submission"
    send(slack, *_interaction(payload))


@FUZZ
@given(data=st.data())
def test_hostile_events(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org, data: st.DataObject
) -> None:
    user = data.draw(_user(org))
    kind = data.draw(st.sampled_from(["message", "app_home_opened", "app_mention"]))
    event: dict[str, Any] = {
        "type": kind,
        "user": user,
        "channel": data.draw(st.sampled_from(["D0DM", "C0GENERAL"]) | junk),
        "channel_type": data.draw(st.sampled_from(["im", "channel"]) | junk),
        "text": data.draw(words | junk),
        "tab": data.draw(st.sampled_from(["home", "messages"]) | junk),
        "ts": "1700000000.000100",
        "event_ts": "1700000000.000100",
    }
    if data.draw(st.booleans()):
        event["subtype"] = data.draw(
            st.sampled_from(["bot_message", "message_changed"])
        )
    event = _tweak(event, data)
    event["type"] = kind
    body = event_callback(event, event_id=None, team_id=TEAM_ID)
    body = _tweak(body, data)
    body.setdefault("type", "event_callback")
    if isinstance(body.get("event_id"), str):
        # A fresh id each time: a repeated one is (rightly) dropped as a retry,
        # which would make a replayed example behave differently.
        body["event_id"] = f"Ev{uuid.uuid4().hex}"
    send(slack, json.dumps(body), "application/json")


@FUZZ
@given(
    st.one_of(
        st.text(max_size=200).map(lambda text: (text, "application/json")),
        st.text(max_size=200).map(
            lambda text: (text, "application/x-www-form-urlencoded")
        ),
        junk.map(lambda value: (json.dumps(value), "application/json")),
        junk.map(
            lambda value: (
                urlencode({"payload": json.dumps(value)}),
                "application/x-www-form-urlencoded",
            )
        ),
        st.text(max_size=50).map(
            lambda text: (
                urlencode({"payload": text}),
                "application/x-www-form-urlencoded",
            )
        ),
        st.text(max_size=80).map(lambda text: (text, "text/plain")),
    )
)
@example(("payload=%7B%7D", "application/x-www-form-urlencoded"))
@example(('{"type": "event_callback"}', "application/json"))
@example(('{"type": "event_callback", "event": null}', "application/json"))
@example(("[]", "application/json"))
@example(("payload=null", "application/x-www-form-urlencoded"))
def test_bodies_that_are_not_slacks_at_all(
    slack: SlackWorkspace, given: tuple[str, str]
) -> None:
    body, content_type = given
    send(slack, body, content_type)


@pytest.mark.parametrize("count", [1])
def test_a_normal_command_still_works_after_the_fuzz_helpers(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org, count: int
) -> None:
    user = org.small.people[0].slack_id
    assert user
    slack.command(user, "status")
    assert len(fake_slack.responses) == count


def _interaction(payload: dict[str, Any]) -> tuple[str, str]:
    return urlencode({"payload": json.dumps(payload)}), FORM


FORM = "application/x-www-form-urlencoded"


@pytest.mark.parametrize(
    "case",
    [
        # Bolt itself raised (a 500) on each of these before our check ran.
        "user is true",
        "no actions",
        "actions is null",
        "an action without an id",
        # A listener failed on each of these.
        "slash command without a response URL",
        "response URL that is not a URL",
        "tap on a message that is gone",
        "DM event in a channel the bot cannot post to",
        "payload that is not JSON",
    ],
)
def test_bodies_fuzzing_found_are_handled(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org, case: str
) -> None:
    user = org.small.people[0].slack_id
    assert user
    tap = block_actions(
        user,
        {
            "action_id": ids.START,
            "block_id": "b",
            "type": "button",
            "value": org.small.campaign.id.hex,
        },
        container={"type": "message", "message_ts": "1.1", "channel_id": "D0GONE"},
        channel={"id": "D0GONE"},
        response_url=fake_slack.response_url(),
    )
    command = slash_command(
        user, "status", channel="C0GENERAL", response_url=fake_slack.response_url()
    )
    bodies: dict[str, tuple[str, str]] = {
        "user is true": _interaction({**tap, "user": True}),
        "no actions": _interaction({**tap, "actions": []}),
        "actions is null": _interaction({**tap, "actions": None}),
        "an action without an id": _interaction({**tap, "actions": [{"value": "x"}]}),
        "slash command without a response URL": (
            urlencode({k: v for k, v in command.items() if k != "response_url"}),
            FORM,
        ),
        "response URL that is not a URL": (
            urlencode({**command, "response_url": "[]"}),
            FORM,
        ),
        "tap on a message that is gone": _interaction(tap),
        "DM event in a channel the bot cannot post to": (
            json.dumps(
                event_callback(
                    {
                        "type": "message",
                        "user": user,
                        "channel": "D0NOTOURS",
                        "channel_type": "im",
                        "text": "status",
                        "ts": "1.2",
                    },
                    event_id=None,
                    team_id=TEAM_ID,
                )
            ),
            "application/json",
        ),
        "payload that is not JSON": (urlencode({"payload": "{not json"}), FORM),
    }
    body, content_type = bodies[case]
    status = send(slack, body, content_type)
    assert status in (200, 400, 404)
