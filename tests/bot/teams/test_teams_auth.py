"""JWT validation: on whenever an app id is configured; production needs the secret."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from conftest import Council, teams_settings
from cryptography.hazmat.primitives.asymmetric import rsa
from fakes.teams_connector import FakeConnector
from microsoft_agents.hosting.core import AgentAuthConfiguration
from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator
from sqlmodel import func, select
from teamschat import APP_ID, Database, Teams, TestClient, message, words

from bot.app import create_app
from bot.settings import Mode, load_settings
from bot.teams.app import auth_configuration
from survey.errors import SettingsError
from survey.models import ChatConversation, Draft

BOT_FRAMEWORK = "https://api.botframework.com"


@pytest.fixture
def guarded(sqlite_url: str, connector: FakeConnector) -> Iterator[Teams]:
    """The app with an app id configured: every request needs a valid token."""
    settings = teams_settings(
        sqlite_url, teams_app_id=APP_ID, teams_app_password="not-a-real-secret"
    )
    with TestClient(create_app(settings)) as client:
        yield Teams(client, connector)


def nothing_stored(db: Database) -> bool:
    with db.session() as session:
        conversations = session.exec(
            select(func.count()).select_from(ChatConversation)
        ).one()
        drafts = session.exec(select(func.count()).select_from(Draft)).one()
    return conversations == 0 and drafts == 0


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not.a.token", "Basic dXNlcjpwYXNz", "Bearer"],
)
def test_a_request_without_a_valid_token_is_refused_and_changes_nothing(
    guarded: Teams, council: Council, db: Database, authorization: str | None
) -> None:
    _, member = council.staff[0]
    headers = {"Authorization": authorization} if authorization else {}
    response = guarded.post(message(guarded.service_url, member, "start"), **headers)
    assert response.status_code == 401
    assert nothing_stored(db)
    assert guarded.connector.calls == []


class FakeTokens:
    """Stands in for MSAL: hands out a fixed token, never touches the network."""

    def __init__(self, configuration: AgentAuthConfiguration) -> None:
        self.configuration = configuration

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force_refresh: bool = False
    ) -> str:
        return "token-from-msal"


def test_a_token_signed_by_the_bot_framework_is_accepted(
    sqlite_url: str,
    connector: FakeConnector,
    council: Council,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = jwt.PyJWK.from_dict(
        {
            **jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True),
            "kid": "k1",
        }
    )
    fetched: list[str] = []

    async def signing_key(jwks_uri: str, header: dict[str, Any]) -> jwt.PyJWK:
        fetched.append(jwks_uri)
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
    now = int(time.time())
    claims = {
        "iss": BOT_FRAMEWORK,
        "aud": APP_ID,
        "serviceurl": connector.service_url,
        "nbf": now - 60,
        "exp": now + 600,
    }
    token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})
    _, member = council.staff[0]
    with TestClient(create_app(settings)) as client:
        teams = Teams(client, connector)
        response = teams.post(
            message(teams.service_url, member, "status"),
            Authorization=f"Bearer {token}",
        )
        assert response.status_code == 202, response.text
        forged = jwt.encode(
            {**claims, "aud": "someone-else"},
            key,
            algorithm="RS256",
            headers={"kid": "k1"},
        )
        refused = teams.post(
            message(teams.service_url, member, "status"),
            Authorization=f"Bearer {forged}",
        )
        assert refused.status_code == 401
    assert fetched == [
        "https://login.botframework.com/v1/.well-known/keys",
        "https://login.botframework.com/v1/.well-known/keys",
    ]
    [reply] = connector.posts(member.conversation_id)
    assert reply.authorization == "Bearer token-from-msal"
    assert "Pulse check March" in words(reply.cards[0])


def test_with_an_app_id_jwt_validation_is_on_and_without_one_only_in_development(
    sqlite_url: str,
) -> None:
    with_id = teams_settings(sqlite_url, teams_app_id=APP_ID)
    assert auth_configuration(with_id).ANONYMOUS_ALLOWED is False
    assert auth_configuration(with_id).CLIENT_ID == APP_ID
    without = teams_settings(sqlite_url)
    assert auth_configuration(without).ANONYMOUS_ALLOWED is True


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ({}, "HEALTHCHECK_TEAMS_APP_ID, HEALTHCHECK_TEAMS_APP_PASSWORD"),
        (
            {"teams_app_id": APP_ID, "teams_tenant_id": "t"},
            "HEALTHCHECK_TEAMS_APP_PASSWORD",
        ),
    ],
)
def test_production_with_teams_on_and_a_missing_secret_does_not_start(
    given: dict[str, str], named: str
) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(
            mode=Mode.PRODUCTION,
            secret_key="correct-horse-battery-staple-0123456789",
            teams_enabled=True,
            **given,
        )
    assert named in str(refused.value)
    settings = load_settings(
        mode=Mode.PRODUCTION,
        secret_key="correct-horse-battery-staple-0123456789",
        teams_enabled=True,
        teams_app_id=APP_ID,
        teams_app_password="s3cret-value",
        teams_tenant_id="tenant",
    )
    assert "s3cret-value" not in repr(settings)


def test_teams_off_serves_no_api_messages_route(sqlite_url: str) -> None:
    settings = load_settings(database_url=sqlite_url, seed_demo=False)
    with TestClient(create_app(settings)) as client:
        assert client.post("/api/messages", json={}).status_code in (404, 405)
