"""Driving the real FastAPI app as Slack would: signed requests, documented payloads.

Payload shapes follow Slack's reference pages (slash commands, ``block_actions``,
``view_submission``, ``event_callback``). A click is built from the blocks the
bot really posted (read back from the fake Web API), so a test taps exactly what
a person would see.
"""

from __future__ import annotations

import copy
import json
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import urlencode

from fakes.slack_api import APP_ID, TEAM_ID, FakeSlack, Posted
from slack_bolt.listener.async_listener_completion_handler import (
    AsyncListenerCompletionHandler,
)
from slack_bolt.listener.async_listener_start_handler import (
    AsyncListenerStartHandler,
)
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

from bot.app import create_app
from bot.settings import Settings
from bot.slack.app import slack_runtime

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette")
    from fastapi.testclient import TestClient

SIGNING_SECRET = "slack-signing-secret-for-the-tests"
_ids = count(1)

Payload = dict[str, Any]


def signed_headers(
    body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    """The headers Slack sends: a v0 signature of the body at a timestamp."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": signature}


class Inflight:
    """Counts listeners started and finished, so a test can wait for the rest.

    With ``process_before_response`` off (as in production) Bolt answers Slack at
    ``ack()`` and finishes the listener afterwards.
    """

    def __init__(self) -> None:
        self.started = 0
        self.finished = 0
        self.lock = threading.Lock()


class _Started(AsyncListenerStartHandler):
    def __init__(self, inflight: Inflight) -> None:
        self.inflight = inflight

    async def handle(
        self, request: AsyncBoltRequest, response: BoltResponse | None
    ) -> None:
        with self.inflight.lock:
            self.inflight.started += 1


class _Finished(AsyncListenerCompletionHandler):
    def __init__(self, inflight: Inflight) -> None:
        self.inflight = inflight

    async def handle(
        self, request: AsyncBoltRequest, response: BoltResponse | None
    ) -> None:
        with self.inflight.lock:
            self.inflight.finished += 1


@dataclass
class SlackWorkspace:
    """A Slack workspace talking to the app: people type, tap and open tabs."""

    client: TestClient
    fake: FakeSlack
    team_id: str = TEAM_ID
    inflight: Inflight = field(default_factory=Inflight)
    errors: list[BaseException] = field(default_factory=list)

    def attach(self) -> None:
        """Watch Bolt's listeners (call once the app has started)."""
        bolt = slack_runtime(self.client.app).bolt  # type: ignore[arg-type]
        runner = bolt.listener_runner
        runner.listener_start_handler = _Started(self.inflight)
        runner.listener_completion_handler = _Finished(self.inflight)

        async def record(error: BaseException) -> None:
            self.errors.append(error)

        bolt.error(record)

    # -- sending ------------------------------------------------------------

    def post(
        self,
        body: str,
        *,
        content_type: str,
        headers: dict[str, str] | None = None,
        extra_headers: dict[str, str] | None = None,
        wait: bool = True,
    ) -> Any:
        """POST a signed body to /slack/events, then wait for listeners to finish."""
        response = self.client.post(
            "/slack/events",
            content=body.encode(),
            headers={
                "Content-Type": content_type,
                **(signed_headers(body) if headers is None else headers),
                **(extra_headers or {}),
            },
        )
        if wait:
            self.settle()
        return response

    def settle(self, timeout: float = 15.0) -> None:
        """Wait until every listener started has finished."""
        deadline = time.monotonic() + timeout
        while True:
            with self.inflight.lock:
                done = self.inflight.started == self.inflight.finished
            if done:
                break
            if time.monotonic() > deadline:
                raise AssertionError("Slack listeners still running")
            time.sleep(0.005)
        if self.errors:
            raise AssertionError(f"listener failed: {self.errors[0]!r}")

    def form(self, fields: Payload, **kwargs: Any) -> Any:
        return self.post(
            urlencode(fields),
            content_type="application/x-www-form-urlencoded",
            **kwargs,
        )

    def interaction(self, payload: Payload, **kwargs: Any) -> Any:
        return self.form({"payload": json.dumps(payload)}, **kwargs)

    def event(
        self, event: Payload, *, event_id: str | None = None, **kwargs: Any
    ) -> Any:
        body = json.dumps(
            event_callback(event, event_id=event_id, team_id=self.team_id)
        )
        return self.post(body, content_type="application/json", **kwargs)

    # -- what people do -------------------------------------------------------

    def command(self, user: str, text: str, *, channel: str = "C0GENERAL") -> Any:
        """``/healthcheck <text>`` typed by ``user`` in ``channel``."""
        return self.form(
            slash_command(
                user, text, channel=channel, response_url=self.fake.response_url()
            )
        )

    def click(
        self,
        user: str,
        message: Posted,
        action_id: str,
        *,
        value: str | None = None,
        channel: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Tap an element of a message the bot posted (``value``: which option)."""
        block, element = find_element(message.blocks, action_id, value=value)
        action = tapped(block, element, value=value)
        channel = channel or self.fake.channel_of(user) or "D0UNKNOWN"
        payload = block_actions(
            user,
            action,
            container={
                "type": "message",
                "message_ts": message.ts,
                "channel_id": channel,
                "is_ephemeral": False,
            },
            channel=channel,
            message={"type": "message", "ts": message.ts, "blocks": message.blocks},
            response_url=self.fake.response_url(),
        )
        return self.interaction(payload, **kwargs)

    def click_home(self, user: str, action_id: str, value: str) -> Any:
        """Tap a button on the person's App Home tab."""
        view = self.fake.home[user]
        block, element = find_element(view["blocks"], action_id, value=value)
        action = tapped(block, element, value=value)
        payload = block_actions(
            user,
            action,
            container={"type": "view", "view_id": view["id"]},
            view=view,
        )
        return self.interaction(payload)

    def submit_view(self, user: str, view: Payload, value: Any, **kwargs: Any) -> Any:
        """Submit an open modal with ``value`` in its one input."""
        payload = view_submission(user, view, value)
        return self.interaction(payload, **kwargs)

    def open_home(self, user: str) -> Any:
        channel = self.fake.open_dm(user)
        return self.event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": channel,
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            }
        )

    def dm(
        self, user: str, text: str, *, event_id: str | None = None, **kwargs: Any
    ) -> Any:
        channel = self.fake.open_dm(user)
        return self.event(
            {
                "type": "message",
                "channel": channel,
                "user": user,
                "text": text,
                "ts": f"{time.time():.6f}",
                "event_ts": f"{time.time():.6f}",
                "channel_type": "im",
            },
            event_id=event_id,
            **kwargs,
        )

    # -- what people see ------------------------------------------------------

    def last_dm(self, user: str) -> Posted:
        """The newest message in the bot's DM with ``user``, as it looks now.

        A copy: a later ``chat.update`` does not change what the test holds, just
        as an old screen stays in a person's memory of where they clicked.
        """
        messages = self.fake.dm_messages(user)
        assert messages, f"nothing was posted to {user}"
        return copy.deepcopy(messages[-1])


def find_element(
    blocks: list[Payload], action_id: str, *, value: str | None = None
) -> tuple[Payload, Payload]:
    """The block and element with ``action_id`` (and ``value``, for buttons)."""
    for block in blocks:
        elements = list(block.get("elements") or [])
        if block.get("accessory"):
            elements.append(block["accessory"])
        for element in elements:
            if not str(element.get("action_id", "")).startswith(action_id):
                continue
            is_button = element.get("type") == "button"
            if is_button and value is not None and element.get("value") != value:
                continue
            return block, element
    found = [
        (element.get("action_id"), element.get("value"))
        for block in blocks
        for element in [*(block.get("elements") or []), block.get("accessory") or {}]
        if element
    ]
    raise AssertionError(f"no element {action_id} {value!r} among {found}")


def tapped(block: Payload, element: Payload, *, value: str | None) -> Payload:
    """The ``actions[0]`` Slack sends for a tap on ``element``."""
    action: Payload = {
        "action_id": element["action_id"],
        "block_id": block.get("block_id", "unnamed"),
        "type": element["type"],
        "action_ts": f"{time.time():.6f}",
    }
    if element["type"] == "button":
        action["value"] = element.get("value", "")
        action["text"] = element["text"]
    else:
        options = element.get("options") or []
        chosen = next((option for option in options if option["value"] == value), None)
        assert chosen is not None, f"{value!r} is not an option of {element['type']}"
        action["selected_option"] = chosen
        if element["type"] == "static_select":
            action["placeholder"] = element.get("placeholder")
    return action


def slash_command(
    user: str, text: str, *, channel: str, response_url: str, team_id: str = TEAM_ID
) -> Payload:
    """The form fields of a slash command request."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "team_domain": "westmere",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "general",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/healthcheck",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": f"{next(_ids)}.1234.abcdef",
    }


def _user(user: str, team_id: str) -> Payload:
    return {
        "id": user,
        "username": user.lower(),
        "name": user.lower(),
        "team_id": team_id,
    }


def block_actions(
    user: str,
    action: Payload,
    *,
    container: Payload,
    team_id: str = TEAM_ID,
    **extra: Any,
) -> Payload:
    """A ``block_actions`` interaction payload."""
    return {
        "type": "block_actions",
        "team": {"id": team_id, "domain": "westmere"},
        "user": _user(user, team_id),
        "api_app_id": APP_ID,
        "token": "deprecated-verification-token",
        "container": container,
        "trigger_id": f"{next(_ids)}.1234.abcdef",
        "actions": [action],
        "state": {"values": {}},
        **extra,
    }


def view_submission(
    user: str, view: Payload, value: Any, *, team_id: str = TEAM_ID
) -> Payload:
    """A ``view_submission`` payload for a modal with one input block."""
    values: Payload = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element = block["element"]
        state: Payload = {"type": element["type"]}
        if element["type"] in ("checkboxes", "multi_static_select"):
            wanted = value if isinstance(value, list) else []
            state["selected_options"] = [
                option for option in element["options"] if option["value"] in wanted
            ]
        else:
            state["value"] = value
        values[block["block_id"]] = {element["action_id"]: state}
    return {
        "type": "view_submission",
        "team": {"id": team_id, "domain": "westmere"},
        "user": _user(user, team_id),
        "api_app_id": APP_ID,
        "token": "deprecated-verification-token",
        "trigger_id": f"{next(_ids)}.1234.abcdef",
        "view": {**view, "state": {"values": values}, "team_id": team_id},
        "response_urls": [],
    }


def event_callback(event: Payload, *, event_id: str | None, team_id: str) -> Payload:
    """An Events API ``event_callback`` envelope."""
    return {
        "token": "deprecated-verification-token",
        "team_id": team_id,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):010d}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": "U0BOTUSER",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


@contextmanager
def slack_workspace(settings: Settings, fake: FakeSlack) -> Iterator[SlackWorkspace]:
    """The real app (lifespan and all) with Slack enabled, driven as Slack would."""
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        workspace = SlackWorkspace(client=client, fake=fake)
        workspace.attach()
        yield workspace
        workspace.settle()
