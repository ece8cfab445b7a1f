"""Teams as a test drives it: activities shaped like Teams' documented ones.

Each builder follows the payloads in Microsoft's Teams bot documentation
(message in a personal chat, @mention in a channel, ``adaptiveCard/action``
invoke, ``Action.Submit`` message, ``installationUpdate``, ``conversationUpdate``
for a team install). ``serviceUrl`` always points at the fake connector.
"""

from __future__ import annotations

import itertools
import uuid
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from fakes.teams_connector import FakeConnector
from sqlalchemy import create_engine, pool
from sqlmodel import Session

from survey.db import sqlite_connect_hook, sync_url

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette")
    from fastapi.testclient import TestClient

SECRET_KEY = "teams-test-secret-0123456789abcdef"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
APP_ID = "8f1c8a2e-3d5b-4e0c-9f7a-1b2c3d4e5f60"
BOT = {"id": f"28:{APP_ID}", "name": "Health Check"}
TEAM_CHANNEL = "19:3f9c1c6d2b0f4f0e8a6b9d2c1e0f7a6b@thread.tacv2"
TEAM_ID = "19:3f9c1c6d2b0f4f0e8a6b9d2c1e0f7a6b@thread.tacv2"
_ids = itertools.count(1_700_000_000_000)


def _next_id() -> str:
    return str(next(_ids))


@dataclass(frozen=True)
class Member:
    """A person's Teams account: their ids and their personal chat with the bot."""

    name: str
    aad_object_id: str
    user_id: str
    conversation_id: str

    @classmethod
    def new(cls, name: str, aad_object_id: str | None = None) -> Member:
        aad = aad_object_id or str(uuid.uuid4())
        token = uuid.uuid4().hex
        return cls(
            name=name,
            aad_object_id=aad,
            user_id=f"29:1{token}",
            conversation_id=f"a:1{token}{token[:8]}",
        )

    @property
    def account(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "name": self.name,
            "aadObjectId": self.aad_object_id,
        }


def _common(service_url: str, conversation: dict[str, Any]) -> dict[str, Any]:
    return {
        "timestamp": "2026-03-02T10:30:00.1234567Z",
        "localTimestamp": "2026-03-02T10:30:00.1234567+00:00",
        "id": _next_id(),
        "channelId": "msteams",
        "serviceUrl": service_url,
        "recipient": dict(BOT),
        "conversation": conversation,
        "entities": [
            {
                "locale": "en-GB",
                "country": "GB",
                "platform": "Web",
                "timezone": "Europe/London",
                "type": "clientInfo",
            }
        ],
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-GB",
        "localTimezone": "Europe/London",
    }


def personal(member: Member) -> dict[str, Any]:
    return {
        "conversationType": "personal",
        "tenantId": TENANT,
        "id": member.conversation_id,
    }


def message(service_url: str, member: Member, text: str) -> dict[str, Any]:
    """A message typed in the person's personal chat with the bot."""
    return {
        **_common(service_url, personal(member)),
        "type": "message",
        "text": text,
        "textFormat": "plain",
        "from": member.account,
    }


def channel_message(
    service_url: str, member: Member, text: str, channel: str = TEAM_CHANNEL
) -> dict[str, Any]:
    """``@Health Check <text>`` posted in a team channel (General by default)."""
    activity = _common(
        service_url,
        {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": f"{channel};messageid={_next_id()}",
        },
    )
    mention = f"<at>{BOT['name']}</at>"
    activity.update(
        {
            "type": "message",
            "text": f"{mention} {text}",
            "textFormat": "plain",
            "from": member.account,
            "entities": [
                *activity["entities"],
                {"mentioned": dict(BOT), "text": mention, "type": "mention"},
            ],
            "channelData": {
                "teamsChannelId": channel,
                "teamsTeamId": TEAM_ID,
                "channel": {"id": channel},
                "team": {"id": TEAM_ID},
                "tenant": {"id": TENANT},
            },
        }
    )
    return activity


def execute(
    service_url: str,
    member: Member,
    action: dict[str, Any],
    inputs: dict[str, Any] | None = None,
    *,
    reply_to: str = "1:card",
    conversation: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The ``adaptiveCard/action`` invoke Teams sends for an ``Action.Execute`` tap.

    Teams merges the card's input values into ``value.action.data``.
    """
    activity = _common(service_url, conversation or personal(member))
    activity["id"] = f"f:{_next_id()}"
    activity["channelData"] = {
        **activity["channelData"],
        "source": {"name": "message"},
        "legacy": {"replyToId": reply_to},
    }
    activity.update(
        {
            "type": "invoke",
            "name": "adaptiveCard/action",
            "from": member.account,
            "replyToId": reply_to,
            "value": {
                "action": {
                    "type": "Action.Execute",
                    "title": action.get("title"),
                    "verb": action["verb"],
                    "data": {**action.get("data", {}), **(inputs or {})},
                },
                "trigger": "manual",
            },
        }
    )
    return activity


def submit(
    service_url: str,
    member: Member,
    action: dict[str, Any],
    inputs: dict[str, Any] | None = None,
    *,
    reply_to: str,
) -> dict[str, Any]:
    """What Teams sends for an ``Action.Submit`` tap: data and inputs in value."""
    return {
        **_common(service_url, personal(member)),
        "type": "message",
        "from": member.account,
        "replyToId": reply_to,
        "value": {**action.get("data", {}), **(inputs or {})},
        "channelData": {"tenant": {"id": TENANT}, "source": {"name": "message"}},
    }


def installation_update(
    service_url: str, member: Member, action: str = "add"
) -> dict[str, Any]:
    """The person installed (or removed) the app for themselves."""
    return {
        **_common(service_url, personal(member)),
        "type": "installationUpdate",
        "action": action,
        "from": member.account,
    }


def team_install(
    service_url: str, member: Member, team_name: str = "Children's Services"
) -> dict[str, Any]:
    """The app was added to a team: the bot joins its General channel."""
    activity = _common(
        service_url,
        {
            "isGroup": True,
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": TEAM_CHANNEL,
        },
    )
    activity.update(
        {
            "type": "conversationUpdate",
            "from": member.account,
            "membersAdded": [{"id": BOT["id"]}],
            "channelData": {
                "team": {
                    "aadGroupId": str(uuid.uuid4()),
                    "name": team_name,
                    "id": TEAM_ID,
                },
                "eventType": "teamMemberAdded",
                "tenant": {"id": TENANT},
            },
        }
    )
    return activity


def team_uninstall(service_url: str, member: Member) -> dict[str, Any]:
    """The app was removed from the team."""
    activity = team_install(service_url, member)
    activity.pop("membersAdded")
    activity["membersRemoved"] = [{"id": BOT["id"]}]
    activity["channelData"]["eventType"] = "teamMemberRemoved"
    return activity


def channel_event(
    service_url: str, member: Member, event: str, channel: str, name: str
) -> dict[str, Any]:
    """A channel created, deleted, renamed or restored in the team.

    Shaped as the examples in Microsoft's "Conversation events in your Teams
    bot" (learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/
    subscribe-to-conversation-events): a ``conversationUpdate`` in the team's
    General channel whose ``channelData`` names the channel and the event.
    """
    activity = _common(
        service_url,
        {"isGroup": True, "conversationType": "channel", "id": TEAM_ID},
    )
    activity["id"] = f"f:{_next_id()}"
    activity.update(
        {
            "type": "conversationUpdate",
            "from": {"id": member.user_id, "name": member.name},
            "channelData": {
                "channel": {"id": channel, "name": name},
                "team": {"id": TEAM_ID},
                "eventType": event,
                "tenant": {"id": TENANT},
            },
        }
    )
    return activity


# Reading cards ------------------------------------------------------------------


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every object in a card, depth first."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from walk(item)


def actions(card: dict[str, Any], verb: str | None = None) -> list[dict[str, Any]]:
    """The card's buttons (and tappable rows), optionally only those of ``verb``."""
    found = [
        node
        for node in walk(card)
        if node.get("type") in ("Action.Execute", "Action.Submit")
    ]
    if verb is not None:
        found = [node for node in found if node["data"]["verb"] == verb]
    return found


def action(card: dict[str, Any], verb: str, title: str | None = None) -> dict[str, Any]:
    """The one button of ``verb`` (and ``title``) on the card."""
    found = [
        node for node in actions(card, verb) if title is None or node["title"] == title
    ]
    assert len(found) == 1, (verb, title, [node["title"] for node in actions(card)])
    return found[0]


def options(card: dict[str, Any]) -> list[dict[str, Any]]:
    """A question's options as (value, title): its one-tap buttons or choice set."""
    buttons = [
        {"value": node["data"]["special"], "title": node["title"]}
        for node in actions(card, "answer")
        if "special" in node["data"]
    ]
    boxes = [box for box in inputs(card) if box["type"] == "Input.ChoiceSet"]
    return buttons or (boxes[0]["choices"] if boxes else [])


def texts(card: dict[str, Any]) -> list[str]:
    """Every TextBlock's text."""
    return [node["text"] for node in walk(card) if node.get("type") == "TextBlock"]


def words(card: dict[str, Any]) -> str:
    """The card's text as one string, markdown escapes removed."""
    return " ".join(texts(card)).replace("\\", "")


def inputs(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        node for node in walk(card) if str(node.get("type", "")).startswith("Input.")
    ]


@dataclass
class Teams:
    """Teams for a test: posts activities to the app and reads the connector."""

    client: TestClient
    connector: FakeConnector
    responses: list[Any] = field(default_factory=list)

    @property
    def service_url(self) -> str:
        return self.connector.service_url

    def post(self, activity: dict[str, Any], **headers: str) -> Any:
        response = self.client.post("/api/messages", json=activity, headers=headers)
        self.responses.append(response)
        return response

    def say(self, member: Member, text: str) -> list[dict[str, Any]]:
        """Send a message in the personal chat; the cards the bot replied with."""
        before = len(self.connector.posts(member.conversation_id))
        response = self.post(message(self.service_url, member, text))
        assert response.status_code == 202, response.text
        posts = self.connector.posts(member.conversation_id)[before:]
        return [card for call in posts for card in call.cards]

    def tap(
        self,
        member: Member,
        button: dict[str, Any],
        answer: Any = None,
        **conversation: Any,
    ) -> dict[str, Any]:
        """Tap an ``Action.Execute`` button; the card that replaces the tapped one."""
        given = {"answer": answer} if answer is not None else None
        response = self.post(
            execute(self.service_url, member, button, given, **conversation)
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["statusCode"] == 200, body
        assert body["type"] == "application/vnd.microsoft.card.adaptive", body
        card: dict[str, Any] = body["value"]
        return card


def answer_with(
    teams: Teams, member: Member, card: dict[str, Any], given: Any
) -> dict[str, Any]:
    """Answer the question on ``card``: tap the option button, or fill and Continue."""
    for button in actions(card, "answer"):
        if button["data"].get("special") == given:
            return teams.tap(member, button)
    return teams.tap(member, action(card, "answer", "Continue"), given)


class Database:
    """Synchronous reads straight from the test database."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(sync_url(url), poolclass=pool.NullPool)
        if self.engine.dialect.name == "sqlite":
            sqlite_connect_hook(self.engine)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)
