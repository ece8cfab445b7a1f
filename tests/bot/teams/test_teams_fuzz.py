"""Hostile activities at /api/messages: never a 5xx, never a failed turn.

Activities are built from Teams' documented shapes (a personal message, a card
action invoke, an ``Action.Submit``, installs) with fields replaced by random
values, wrong types, huge strings and unicode, plus JSON that is not an
activity at all. The app runs in anonymous mode so the bodies reach the
listeners (token checks are covered in test_teams_refusals_logged.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from conftest import Council
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from teamschat import (
    Teams,
    execute,
    installation_update,
    message,
    submit,
    team_install,
)

from bot.teams.card_actions import Verb

ACTIVITY_MODEL = "microsoft_agents.activity"
FUZZ = settings(
    max_examples=50,
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
words = st.text(max_size=40) | st.sampled_from(
    [
        "start",
        "status",
        "help",
        "<at>Health Check</at> status",
        "<!channel>",
        "x" * 3000,
    ]
)


def _tweak(payload: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    """The activity with up to three fields replaced by junk or removed."""
    for _ in range(data.draw(st.integers(0, 3))):
        if not payload:
            break
        key = data.draw(st.sampled_from(sorted(payload)))
        if data.draw(st.booleans()):
            payload.pop(key)
        else:
            payload[key] = data.draw(junk)
    return payload


def post(teams: Teams, body: object, caplog: pytest.LogCaptureFixture) -> int:
    caplog.clear()
    response = teams.client.post(
        "/api/messages",
        content=json.dumps(body),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code < 500, response.text
    # A failed turn is logged by our listeners or the SDK's turn machinery; the
    # SDK's Activity model also logs (at ERROR) each body it cannot validate,
    # which is our refusal working, not a failure.
    failed = [
        r
        for r in caplog.records
        if r.levelno >= logging.ERROR and not r.name.startswith(ACTIVITY_MODEL)
    ]
    assert failed == [], [r.getMessage() for r in failed]
    return int(response.status_code)


@FUZZ
@given(data=st.data())
def test_hostile_activities(
    teams: Teams,
    council: Council,
    caplog: pytest.LogCaptureFixture,
    data: st.DataObject,
) -> None:
    _, member = data.draw(st.sampled_from(council.everyone))
    verb = data.draw(st.sampled_from([v.value for v in Verb]) | st.text(max_size=8))
    button = {
        "verb": verb,
        "title": "x",
        "data": data.draw(
            st.fixed_dictionaries(
                {"verb": st.just(verb)},
                optional={
                    "campaign": st.just(str(council.campaign.id))  # type: ignore[union-attr]
                    | st.text(max_size=36),
                    "question": st.sampled_from(["WL02", "WB01"]) | words,
                    "answer": words | junk,
                    "command": words,
                },
            )
        ),
    }
    kind = data.draw(
        st.sampled_from(["message", "execute", "submit", "install", "team"])
    )
    url = teams.service_url
    activity = {
        "message": lambda: message(url, member, data.draw(words)),
        "execute": lambda: execute(
            url,
            member,
            button,
            data.draw(
                st.none() | st.dictionaries(st.text(max_size=8), junk, max_size=3)
            ),
        ),
        "submit": lambda: submit(url, member, button, reply_to="1:card"),
        "install": lambda: installation_update(url, member, data.draw(words)),
        "team": lambda: team_install(url, member, data.draw(words)),
    }[kind]()
    activity = _tweak(activity, data)
    for part in ("from", "conversation", "channelData", "value"):
        if isinstance(activity.get(part), dict) and data.draw(st.booleans()):
            activity[part] = _tweak(dict(activity[part]), data)
    activity["serviceUrl"] = url  # replies only ever go to the fake connector
    post(teams, activity, caplog)


@FUZZ
@given(junk)
@example([])
@example({"type": "message"})
@example({"type": "invoke", "name": "adaptiveCard/action"})
@example({"type": "invoke", "name": "adaptiveCard/action", "value": None})
@example({"type": "message", "from": None, "conversation": None})
def test_json_that_is_not_an_activity(
    teams: Teams, caplog: pytest.LogCaptureFixture, body: object
) -> None:
    post(teams, body, caplog)


def test_a_body_that_is_not_json(teams: Teams) -> None:
    response = teams.client.post(
        "/api/messages",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code < 500


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        # The SDK raised (a 500, or a failed turn) on each of these.
        ({"conversation": None}, "the activity's conversation is not as documented"),
        ({"channelId": None}, "the activity has no channelId or serviceUrl"),
        ({"from": None}, "the activity's from is not as documented"),
        ({"recipient": None}, "the activity has no recipient"),
        ({"value": {"trigger": "manual"}}, "a card action without its action"),
        ({"name": "task/fetch"}, "an invoke this app does not handle"),
    ],
)
def test_activities_fuzzing_found_are_refused_with_400(
    teams: Teams,
    council: Council,
    caplog: pytest.LogCaptureFixture,
    change: dict[str, Any],
    reason: str,
) -> None:
    _, member = council.staff[0]
    button = {
        "verb": Verb.COMMAND.value,
        "title": "Status",
        "data": {"command": "status"},
    }
    activity = {**execute(teams.service_url, member, button), **change}
    if "channelId" in change:
        activity.pop("channelId")
    assert post(teams, activity, caplog) == 400
    assert teams.connector.calls == []
    response = teams.client.post("/api/messages", json=activity)
    assert response.json() == {"error": reason}
