"""Sign in with Microsoft (Entra ID) or Slack, by OpenID Connect, through Authlib.

Authlib builds the authorization request (state, nonce, PKCE) and exchanges the
code (``AsyncOAuth2Client``); joserfc, Authlib's token library, checks the id
token's signature against the provider's published keys, and Authlib's
``CodeIDToken`` checks its issuer, audience, expiry, issue time and nonce. We
add the tenant (Microsoft ``tid``) or workspace (Slack ``team_id``) the
deployment allows, then match the person on the roster.

The state, nonce and PKCE verifier wait between the two legs in a short-lived
cookie signed with a key of its own, so any web process can finish a sign-in.
"""

from __future__ import annotations

import json
import secrets
import time
import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from bot.settings import Settings
from bot.web.keys import purpose_key, sign, verify

with warnings.catch_warnings():
    # Authlib 1.9 asks for httpx2 instead of httpx; the lock has httpx (as for
    # Starlette's test client), and the client works the same with it.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.httpx_client import AsyncOAuth2Client

COOKIE = "hc_oidc"
PENDING_SECONDS = 600
"""How long a person has at the provider before the sign-in must start again."""
LEEWAY_SECONDS = 60
MICROSOFT = "microsoft"
SLACK = "slack"
SLACK_TEAM = "https://slack.com/team_id"
SLACK_USER = "https://slack.com/user_id"


class SignInRefused(Exception):
    """The provider's answer cannot sign anyone in; ``reason`` is for the log."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    """One OpenID provider as this deployment is registered with it."""

    name: str
    label: str
    discovery_url: str
    client_id: str
    client_secret: str
    allowed: str
    """The one tenant (Microsoft) or workspace (Slack) whose people may sign in."""


@dataclass(frozen=True)
class Account:
    """Who the provider vouched for: the ids and email the roster is matched on."""

    provider: str
    subject: str
    email: str | None
    object_id: str | None
    slack_user_id: str | None


def providers(settings: Settings) -> dict[str, Provider]:
    """The providers this deployment has settings for."""
    found: dict[str, Provider] = {}
    if settings.microsoft_client_id and settings.microsoft_tenant_id:
        authority = settings.microsoft_authority.rstrip("/")
        found[MICROSOFT] = Provider(
            name=MICROSOFT,
            label="Microsoft",
            discovery_url=f"{authority}/{settings.microsoft_tenant_id}/v2.0"
            "/.well-known/openid-configuration",
            client_id=settings.microsoft_client_id,
            client_secret=_secret(settings.microsoft_client_secret),
            allowed=settings.microsoft_tenant_id,
        )
    if settings.slack_sign_in_client_id and settings.slack_sign_in_team_id:
        issuer = settings.slack_sign_in_issuer.rstrip("/")
        found[SLACK] = Provider(
            name=SLACK,
            label="Slack",
            discovery_url=f"{issuer}/.well-known/openid-configuration",
            client_id=settings.slack_sign_in_client_id,
            client_secret=_secret(settings.slack_sign_in_client_secret),
            allowed=settings.slack_sign_in_team_id,
        )
    return found


def _secret(value: Any) -> str:
    return value.get_secret_value() if value is not None else ""


async def discover(http: httpx.AsyncClient, provider: Provider) -> dict[str, Any]:
    """The provider's OpenID configuration (issuer, endpoints, keys' address)."""
    answer = await http.get(provider.discovery_url)
    answer.raise_for_status()
    configuration: dict[str, Any] = answer.json()
    return configuration


async def start(
    http: httpx.AsyncClient, provider: Provider, *, redirect_uri: str
) -> tuple[str, dict[str, str]]:
    """The provider's sign-in address, and what to keep until the person returns."""
    configuration = await discover(http, provider)
    pending = {
        "provider": provider.name,
        "state": secrets.token_urlsafe(24),
        "nonce": secrets.token_urlsafe(24),
        "verifier": secrets.token_urlsafe(48),
        "at": str(int(time.time())),
    }
    client = AsyncOAuth2Client(
        client_id=provider.client_id,
        scope="openid email profile",
        redirect_uri=redirect_uri,
        code_challenge_method="S256",
    )
    url, _ = client.create_authorization_url(
        configuration["authorization_endpoint"],
        state=pending["state"],
        nonce=pending["nonce"],
        code_verifier=pending["verifier"],
    )
    return url, pending


def pending_cookie(secret: bytes, pending: dict[str, str]) -> str:
    """The signed cookie value holding a sign-in in progress."""
    payload = json.dumps(pending, sort_keys=True, separators=(",", ":"))
    return f"{sign(purpose_key(secret, 'oidc'), payload)}.{payload}"


def read_pending(secret: bytes, value: str | None) -> dict[str, str] | None:
    """The sign-in in progress in a cookie, if genuine and recent."""
    if not value or len(value) > 2000 or "." not in value:
        return None
    signature, payload = value.split(".", 1)
    if not verify(purpose_key(secret, "oidc"), payload, signature):
        return None
    pending: dict[str, str] = json.loads(payload)
    if time.time() - int(pending.get("at", "0")) > PENDING_SECONDS:
        return None
    return pending


async def finish(
    http: httpx.AsyncClient,
    provider: Provider,
    *,
    pending: dict[str, str],
    code: str,
    state: str,
    redirect_uri: str,
) -> Account:
    """Exchange the code and check the id token; who it names.

    Raises:
        SignInRefused: the state, the token or its tenant/workspace is wrong.
    """
    if pending.get("provider") != provider.name:
        raise SignInRefused("other-provider")
    if not secrets.compare_digest(pending["state"], state):
        raise SignInRefused("state")
    configuration = await discover(http, provider)
    client = AsyncOAuth2Client(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        redirect_uri=redirect_uri,
        token_endpoint_auth_method="client_secret_post",  # noqa: S106 (a name)
    )
    try:
        token = await client.fetch_token(
            configuration["token_endpoint"],
            code=code,
            code_verifier=pending["verifier"],
        )
    except Exception as error:  # Authlib's OAuthError, or the transport's
        raise SignInRefused("token-exchange") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SignInRefused("no-id-token")
    keys = (await http.get(configuration["jwks_uri"])).json()
    claims = _checked(
        id_token,
        KeySet.import_key_set(keys),
        issuer=configuration["issuer"],
        audience=provider.client_id,
        nonce=pending["nonce"],
    )
    return _account(provider, claims)


def _checked(
    id_token: str, keys: KeySet, *, issuer: str, audience: str, nonce: str
) -> CodeIDToken:
    try:
        decoded = jwt.decode(id_token, keys, algorithms=["RS256", "ES256"])
        claims = CodeIDToken(
            decoded.claims,
            decoded.header,
            options={
                "iss": {"essential": True, "value": issuer},
                "aud": {"essential": True, "value": audience},
            },
            params={"nonce": nonce},
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as error:
        raise SignInRefused(f"id-token-{error.error}") from error
    except ValueError as error:
        raise SignInRefused("id-token-malformed") from error
    return claims


def _account(provider: Provider, claims: CodeIDToken) -> Account:
    if provider.name == MICROSOFT:
        if claims.get("tid") != provider.allowed:
            raise SignInRefused("other-tenant")
        # Within the council's own tenant the address is the tenant's to vouch for.
        email = claims.get("email") or claims.get("preferred_username")
        return Account(
            provider=provider.name,
            subject=str(claims["sub"]),
            email=str(email) if email else None,
            object_id=str(claims["oid"]) if claims.get("oid") else None,
            slack_user_id=None,
        )
    if claims.get(SLACK_TEAM) != provider.allowed:
        raise SignInRefused("other-workspace")
    verified = claims.get("email_verified") is True
    return Account(
        provider=provider.name,
        subject=str(claims["sub"]),
        email=str(claims["email"]) if verified and claims.get("email") else None,
        object_id=None,
        slack_user_id=str(claims.get(SLACK_USER) or claims["sub"]),
    )
