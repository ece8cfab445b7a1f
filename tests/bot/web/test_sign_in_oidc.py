"""Sign in with Microsoft and with Slack, end to end against a stand-in provider."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fakes.openid_provider import OpenIdProvider, openid_provider
from joserfc.jwk import RSAKey
from sqlmodel import update
from webchat import SECRET_KEY, Database, TestClient

from bot.app import create_app
from bot.settings import load_settings
from bot.web.identity import COOKIE
from survey.models import Person
from survey.roster.roles import Access

TENANT = "c0uncil-tenant-0000"
TEAM = "T0COUNCIL"
SECURITY = "healthcheck.security"


@dataclass
class World:
    client: TestClient
    provider: OpenIdProvider
    db: Database


@pytest.fixture
def world(demo_url: str, db: Database) -> Iterator[World]:
    secrets = {"hc-microsoft": "ms-secret-123", "hc-slack": "slack-secret-456"}
    with openid_provider(secrets) as provider:
        settings = load_settings(
            database_url=demo_url,
            secret_key=SECRET_KEY,
            microsoft_client_id="hc-microsoft",
            microsoft_client_secret="ms-secret-123",
            microsoft_tenant_id=TENANT,
            microsoft_authority=provider.base,
            slack_sign_in_client_id="hc-slack",
            slack_sign_in_client_secret="slack-secret-456",
            slack_sign_in_team_id=TEAM,
            slack_sign_in_issuer=f"{provider.base}/slack",
        )
        with TestClient(create_app(settings)) as client:
            yield World(client, provider, db)


def _begin(world: World, name: str) -> dict[str, str]:
    """Press "Sign in with ...": where the browser is sent, read as a test would."""
    page = world.client.get("/sign-in").text
    assert f"Sign in with {'Microsoft' if name == 'microsoft' else 'Slack'}" in page
    sent = world.client.post(f"/auth/{name}/start", follow_redirects=False)
    assert sent.status_code == 303
    location = urlsplit(sent.headers["location"])
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["response_type"] == "code"
    assert query["code_challenge_method"] == "S256"
    assert "openid" in query["scope"].split()
    return {"path": location.path, **query}


def _claims(world: World, name: str, asked: dict[str, str], **extra: Any) -> dict:
    now = int(time.time())
    issuer = (
        world.provider.issuer(f"/{TENANT}/v2.0")
        if name == "microsoft"
        else world.provider.issuer("/slack")
    )
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": asked["client_id"],
        "sub": "pairwise-subject-1",
        "nonce": asked["nonce"],
        "iat": now,
        "exp": now + 300,
    }
    if name == "microsoft":
        claims["tid"] = TENANT
    else:
        claims["https://slack.com/team_id"] = TEAM
    claims.update(extra)
    return {key: value for key, value in claims.items() if value is not None}


def _return(
    world: World,
    name: str,
    *,
    key: RSAKey | None = None,
    state: str | None = None,
    **claims: Any,
) -> Any:
    asked = _begin(world, name)
    world.provider.grant(
        "code-1",
        _claims(world, name, asked, **claims),
        challenge=asked["code_challenge"],
        key=key,
    )
    return world.client.get(
        f"/auth/{name}/callback",
        params={"code": "code-1", "state": state or asked["state"]},
        follow_redirects=False,
    )


def _signed_in_as(world: World) -> str | None:
    page = world.client.get("/").text
    if "Signed in as <strong>" not in page:
        return None
    return page.split("Signed in as <strong>", 1)[1].split("</strong>", 1)[0]


def _set(db: Database, person: Person, **values: str) -> None:
    with db.session() as session:
        session.exec(update(Person).where(Person.id == person.id).values(**values))
        session.commit()


def test_microsoft_matches_the_entra_object_id(world: World) -> None:
    psw = world.db.people(access=Access.PSW)[0]
    _set(world.db, psw, teams_id="6A1F0C2E-0000-4000-8000-00000000AB01")
    back = _return(
        world, "microsoft", oid="6a1f0c2e-0000-4000-8000-00000000ab01", email=None
    )
    assert back.status_code == 303
    assert back.headers["location"] == "/"
    assert _signed_in_as(world) == psw.name
    assert world.client.get("/dashboard").status_code == 200
    assert "POST /token" in world.provider.requests


def test_microsoft_matches_the_email_within_the_tenant(world: World) -> None:
    person = world.db.people(role="social_worker")[0]
    back = _return(world, "microsoft", oid="unknown-oid", email=person.email.upper())
    assert back.status_code == 303
    assert _signed_in_as(world) == person.name


def test_slack_matches_the_user_id_or_a_verified_email(world: World) -> None:
    first, second = world.db.people(role="social_worker")[1:3]
    _set(world.db, first, slack_id="U0FIRST")
    first_back = _return(world, "slack", **{"https://slack.com/user_id": "U0FIRST"})
    assert first_back.status_code == 303
    assert _signed_in_as(world) == first.name

    world.client.post("/sign-out")
    back = _return(
        world,
        "slack",
        **{"https://slack.com/user_id": "U0OTHER"},
        email=second.email,
        email_verified=True,
    )
    assert back.status_code == 303
    assert _signed_in_as(world) == second.name


def test_an_unverified_slack_email_is_not_trusted(world: World) -> None:
    person = world.db.people(role="social_worker")[3]
    back = _return(
        world,
        "slack",
        **{"https://slack.com/user_id": "U0NOBODY"},
        email=person.email,
        email_verified=False,
    )
    assert back.status_code == 403
    assert _signed_in_as(world) is None


def test_someone_not_on_the_roster_is_refused_politely(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger=SECURITY):
        back = _return(world, "microsoft", oid="x", email="stranger@example.org")
    assert back.status_code == 403
    assert "We could not find you on the roster" in back.text
    assert "ask your Principal Social Worker" in back.text
    assert COOKIE not in world.client.cookies
    logged = [r.getMessage() for r in caplog.records if r.name == SECURITY]
    assert "refused sign-in provider=microsoft reason=not-on-roster" in logged[-1]
    assert "stranger" not in " ".join(logged)


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"iss": "https://login.example.net/evil/v2.0"}, "id-token-invalid_claim"),
        ({"aud": "someone-elses-app"}, "id-token-invalid_claim"),
        ({"nonce": "replayed-nonce"}, "id-token-invalid_claim"),
        ({"nonce": None}, "id-token-missing_claim"),
        (
            {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
            "id-token-expired_token",
        ),
        ({"tid": "another-councils-tenant"}, "other-tenant"),
    ],
    ids=[
        "wrong-issuer",
        "wrong-audience",
        "wrong-nonce",
        "no-nonce",
        "expired",
        "tenant",
    ],
)
def test_a_bad_microsoft_id_token_is_refused(
    world: World,
    caplog: pytest.LogCaptureFixture,
    claims: dict[str, Any],
    reason: str,
) -> None:
    psw = world.db.people(access=Access.PSW)[0]
    with caplog.at_level(logging.WARNING, logger=SECURITY):
        back = _return(world, "microsoft", email=psw.email, **claims)
    assert back.status_code in (400, 403)
    assert COOKIE not in world.client.cookies
    assert _signed_in_as(world) is None
    logged = [r.getMessage() for r in caplog.records if r.name == SECURITY]
    assert f"refused sign-in provider=microsoft reason={reason} " in logged[-1]


def test_a_token_signed_with_another_key_is_refused(world: World) -> None:
    psw = world.db.people(access=Access.PSW)[0]
    forger = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    back = _return(world, "microsoft", key=forger, email=psw.email)
    assert back.status_code == 400
    assert _signed_in_as(world) is None


def test_another_workspace_is_refused(world: World) -> None:
    person = world.db.people(role="social_worker")[0]
    back = _return(
        world,
        "slack",
        email=person.email,
        email_verified=True,
        **{"https://slack.com/team_id": "T0ELSEWHERE"},
    )
    assert back.status_code == 400
    assert "belongs to another organisation" in back.text
    assert _signed_in_as(world) is None


def test_a_return_with_another_state_is_refused(world: World) -> None:
    """Login CSRF through the provider: a code started in another browser."""
    psw = world.db.people(access=Access.PSW)[0]
    back = _return(world, "microsoft", state="attackers-state", email=psw.email)
    assert back.status_code == 400
    assert _signed_in_as(world) is None


def test_a_return_without_starting_here_is_refused(world: World) -> None:
    back = world.client.get(
        "/auth/microsoft/callback", params={"code": "c", "state": "s"}
    )
    assert back.status_code == 400
    assert "That sign-in did not work" in back.text


def test_starting_needs_the_csrf_token(world: World) -> None:
    refused = world.client.post("/auth/microsoft/start", data={"csrf_token": None})
    assert refused.status_code == 403
