"""Missing, malformed, expired and forged Teams tokens are refused and logged."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

import jwt
import pytest
from conftest import Council, teams_settings
from cryptography.hazmat.primitives.asymmetric import rsa
from fakes.teams_connector import FakeConnector
from sqlmodel import func, select
from teamschat import APP_ID, Database, Teams, TestClient, message

from bot.app import create_app
from bot.teams.app import token_problem
from survey.models import ChatConversation, Draft

SECURITY = "healthcheck.security"
_BOT_FRAMEWORK_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _token(
    key: rsa.RSAPrivateKey = _BOT_FRAMEWORK_KEY,
    kid: str | None = "k1",
    **claims: object,
) -> str:
    now = int(time.time())
    base: dict[str, object] = {
        "iss": "https://api.botframework.com",
        "aud": APP_ID,
        "nbf": now - 600,
        "exp": now + 600,
    }
    headers = {"kid": kid} if kid else None
    return jwt.encode({**base, **claims}, key, algorithm="RS256", headers=headers)


@pytest.fixture
def guarded(
    sqlite_url: str, connector: FakeConnector, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Teams]:
    """The app with an app id; Microsoft's published keys are served from here."""
    published = {
        "keys": [
            {
                **jwt.algorithms.RSAAlgorithm.to_jwk(
                    _BOT_FRAMEWORK_KEY.public_key(), as_dict=True
                ),
                "kid": "k1",
                "use": "sig",
            }
        ]
    }
    # Only the HTTPS fetch of the key set is replaced; PyJWKClient and the SDK's
    # validator run as they do in production.
    monkeypatch.setattr(jwt.PyJWKClient, "fetch_data", lambda self: published)
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


# Tokens are minted when each test runs, not when the module is collected: a slow
# run must not turn a forged token into an expired one.
@pytest.mark.parametrize(
    ("authorization_of", "reason"),
    [
        (lambda: None, "missing"),
        (lambda: "Basic dXNlcjpwYXNz", "malformed"),
        (lambda: "Bearer not.a.token", "malformed"),
        (lambda: f"Bearer {_token(exp=int(time.time()) - 3600)}", "expired"),
        # Signed by a key that is not the Bot Framework's.
        (lambda: f"Bearer {_token(_OTHER_KEY)}", "invalid"),
        (lambda: f"Bearer {_token(aud='another-bot')}", "invalid"),
        # The SDK raised KeyError (a 500) on a JWT without a key id.
        (lambda: f"Bearer {_token(kid=None)}", "invalid"),
        (lambda: f"Bearer {_token(kid='unknown-key')}", "invalid"),
    ],
    ids=[
        "missing",
        "basic",
        "garbage",
        "expired",
        "forged",
        "audience",
        "no-kid",
        "unknown-kid",
    ],
)
def test_a_refused_teams_token_is_logged_and_changes_nothing(
    guarded: Teams,
    council: Council,
    db: Database,
    caplog: pytest.LogCaptureFixture,
    authorization_of: Callable[[], str | None],
    reason: str,
) -> None:
    authorization = authorization_of()
    _, member = council.staff[0]
    headers = {"Authorization": authorization} if authorization else {}
    with caplog.at_level(logging.INFO):
        response = guarded.post(
            message(guarded.service_url, member, "start secret-words-typed"),
            **headers,
        )
    assert response.status_code == 401
    assert "error" in response.json()
    assert nothing_stored(db)
    assert guarded.connector.calls == []
    [record] = [r for r in caplog.records if r.name == SECURITY]
    assert record.refusal == "teams-token"  # type: ignore[attr-defined]
    assert record.facts["reason"] == reason  # type: ignore[attr-defined]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "secret-words-typed" not in logged
    assert member.aad_object_id not in logged
    if authorization:
        assert authorization.split()[-1] not in logged


def test_an_accepted_request_logs_no_refusal(
    teams: Teams, council: Council, caplog: pytest.LogCaptureFixture
) -> None:
    _, member = council.staff[0]
    with caplog.at_level(logging.INFO):
        assert teams.say(member, "status")
    assert [r for r in caplog.records if r.name == SECURITY] == []


def test_token_problem_reads_the_expiry_without_trusting_the_token() -> None:
    expired = _token(exp=1_000)
    assert token_problem(f"Bearer {expired}") == "expired"
    assert token_problem(f"bearer {_token()}") == "invalid"
    assert token_problem("Bearer a b") == "malformed"
    assert token_problem("") == "missing"
