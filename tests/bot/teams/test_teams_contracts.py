"""Contract tests: Teams' documented activities, sent with a Bot Framework token.

Each activity is in ``tests/contracts/teams/`` with the Microsoft Learn page it
follows (``_source``); only ids are filled in. The app runs with an app id, so
every request must carry a JWT signed as the Bot Framework signs it (RS256,
issuer ``https://api.botframework.com``, audience the app id, the service URL
claim); the signing key stands in for the Bot Framework's published one.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from conftest import Council, teams_settings
from cryptography.hazmat.primitives.asymmetric import rsa
from fakes.teams_connector import FakeConnector
from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator
from sqlmodel import select
from teamschat import (
    APP_ID,
    TEAM_ID,
    TENANT,
    Database,
    Member,
    Teams,
    TestClient,
    actions,
    channel_message,
    words,
)
from test_teams_auth import FakeTokens

from bot.app import create_app
from survey.models import ChatConversation, Organisation, OutboxMessage

CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "teams"
NEW_CHANNEL = "19:c0ffee00c0ffee00c0ffee00c0ffee00@thread.tacv2"


class SignedTeams:
    """The running app with an app id, and activities signed as Teams signs them."""

    def __init__(self, teams: Teams, key: rsa.RSAPrivateKey) -> None:
        self.teams = teams
        self.key = key

    def send(self, name: str, member: Member, **values: str) -> Any:
        """POST the documented activity ``name`` with a Bot Framework token."""
        return self.post(self.activity(name, member, **values))

    def activity(self, name: str, member: Member, **values: str) -> dict[str, Any]:
        """The documented activity ``name`` with its ids filled in."""
        text = (CONTRACTS / f"{name}.json").read_text(encoding="utf-8")
        contract: dict[str, Any] = json.loads(text)
        assert contract["_source"].startswith("Microsoft Learn")
        filled = {
            "SERVICE_URL": self.teams.service_url,
            "USER_ID": member.user_id,
            "AAD": member.aad_object_id,
            "CONVERSATION": member.conversation_id,
            "TENANT": TENANT,
            "APP_ID": APP_ID,
            "TEAM": TEAM_ID,
            **values,
        }
        body = json.dumps(contract["body"])
        for key, value in filled.items():
            body = body.replace("${" + key + "}", value)
        assert "${" not in body, f"{name}: an id was left unfilled"
        activity: dict[str, Any] = json.loads(body)
        return activity

    def post(self, activity: dict[str, Any]) -> Any:
        now = int(time.time())
        claims = {
            "iss": "https://api.botframework.com",
            "aud": APP_ID,
            "serviceurl": activity["serviceUrl"],
            "nbf": now - 60,
            "exp": now + 600,
        }
        token = jwt.encode(claims, self.key, algorithm="RS256", headers={"kid": "k1"})
        return self.teams.post(activity, Authorization=f"Bearer {token}")


@pytest.fixture
def signed(
    sqlite_url: str, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> Iterator[SignedTeams]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = jwt.PyJWK.from_dict(
        {
            **jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True),
            "kid": "k1",
        }
    )

    async def signing_key(jwks_uri: str, header: dict[str, Any]) -> jwt.PyJWK:
        assert jwks_uri == "https://login.botframework.com/v1/.well-known/keys"
        return public

    monkeypatch.setattr(
        jwt_token_validator.JwtTokenValidator._jwk_client_manager,
        "get_signing_key",
        signing_key,
    )
    monkeypatch.setattr("bot.teams.app.MsalAuth", FakeTokens)
    settings = teams_settings(
        sqlite_url, teams_app_id=APP_ID, teams_app_password="not-a-real-secret"
    )
    with TestClient(create_app(settings)) as client:
        yield SignedTeams(Teams(client, connector), key)


def stored(db: Database) -> dict[str, ChatConversation]:
    with db.session() as session:
        rows = session.exec(select(ChatConversation)).all()
    return {row.conversation_id: row for row in rows}


def test_installation_update_message_and_invoke(
    signed: SignedTeams, council: Council, db: Database
) -> None:
    _, member = council.staff[0]
    assert signed.send("installation_update", member).status_code == 202
    assert stored(db)[member.conversation_id].user_key == member.aad_object_id

    assert signed.send("message", member).status_code == 202
    [reply] = signed.teams.connector.posts(member.conversation_id)
    assert reply.authorization == "Bearer token-from-msal"
    card = reply.cards[0]
    assert "Pulse check March" in words(card)

    button = actions(card)[0]
    tapped = signed.activity("invoke_action_execute", member)
    assert tapped["name"] == "adaptiveCard/action"
    tapped["value"]["action"] = {
        "type": "Action.Execute",
        "title": button.get("title"),
        "verb": button["verb"],
        "data": button.get("data", {}),
    }
    answer = signed.post(tapped)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"


def test_team_install_and_channel_events(
    signed: SignedTeams, council: Council, db: Database
) -> None:
    _, psw = council.psw
    response = signed.send("conversation_update_team_member_added", psw)
    assert response.status_code == 202
    assert stored(db)[TEAM_ID].title == "Children's Services"
    [welcome] = signed.teams.connector.posts(TEAM_ID)
    assert "Nobody's answers are ever posted here" in words(welcome.cards[0])
    chose = signed.post(
        channel_message(signed.teams.service_url, psw, "workforce channel", TEAM_ID)
    )
    assert chose.status_code == 202

    created = signed.send(
        "conversation_update_channelCreated", psw, CHANNEL=NEW_CHANNEL
    )
    assert created.status_code == 202
    assert NEW_CHANNEL not in stored(db)
    renamed = signed.send("conversation_update_channelRenamed", psw, CHANNEL=TEAM_ID)
    assert renamed.status_code == 202
    deleted = signed.send("conversation_update_channelDeleted", psw, CHANNEL=TEAM_ID)
    assert deleted.status_code == 202
    assert not stored(db)[TEAM_ID].active
    with db.session() as session:
        chosen = session.exec(select(Organisation)).one().teams_workforce_channel
        notes = [
            str(row.payload["text"])
            for row in session.exec(select(OutboxMessage)).all()
            if row.payload.get("kind") == "psw-note"
        ]
    assert chosen == TEAM_ID
    assert len(notes) == 2
    assert "renamed to 'Staff news'" in notes[0]
    assert "was deleted" in notes[1]
