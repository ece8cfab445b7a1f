"""A stand-in OpenID provider on loopback: discovery, JWKS, a token endpoint.

It plays Microsoft Entra ID and Slack for the sign-in tests. The test reads
the state, nonce and PKCE challenge from the authorization address the app
sends the browser to, then tells the provider which id token to hand out for a
code; the app's own Authlib client fetches it from ``/token`` as it would from
Microsoft or Slack. Every request is recorded.
"""

from __future__ import annotations

import base64
import hashlib
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

from joserfc import jwt
from joserfc.jwk import RSAKey

WELL_KNOWN = "/.well-known/openid-configuration"


@dataclass
class Grant:
    """What the token endpoint hands out for one code."""

    claims: dict[str, Any]
    challenge: str
    key: RSAKey | None = None


@dataclass
class OpenIdProvider:
    """The provider's keys, the codes it will honour and what it was asked."""

    base: str = ""
    client_secrets: dict[str, str] = field(default_factory=dict)
    key: RSAKey = field(
        default_factory=lambda: RSAKey.generate_key(2048, parameters={"kid": "k1"})
    )
    grants: dict[str, Grant] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def issuer(self, prefix: str) -> str:
        """The issuer of the configuration served under ``prefix``."""
        return f"{self.base}{prefix}"

    def grant(
        self, code: str, claims: dict[str, Any], *, challenge: str, key: RSAKey | None
    ) -> None:
        """Hand out an id token with ``claims`` for ``code`` (signed with ``key``)."""
        self.grants[code] = Grant(claims, challenge, key)

    def id_token(self, grant: Grant) -> str:
        key = grant.key or self.key
        header = {"alg": "RS256", "kid": key.kid or "k1"}
        return jwt.encode(header, grant.claims, key)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return

    def _json(self, body: dict[str, Any], status: int = 200) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        provider = self.server.provider
        provider.requests.append(f"GET {self.path}")
        if self.path.endswith(WELL_KNOWN):
            prefix = self.path.removesuffix(WELL_KNOWN)
            self._json(
                {
                    "issuer": provider.issuer(prefix),
                    "authorization_endpoint": f"{provider.base}{prefix}/authorize",
                    "token_endpoint": f"{provider.base}/token",
                    "jwks_uri": f"{provider.base}/jwks",
                    "response_types_supported": ["code"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                }
            )
        elif self.path == "/jwks":
            self._json({"keys": [provider.key.as_dict(private=False)]})
        else:
            self._json({"error": "not_found"}, 404)

    def do_POST(self) -> None:  # noqa: N802
        provider = self.server.provider
        provider.requests.append(f"POST {self.path}")
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        grant = provider.grants.pop(form.get("code", ""), None)
        secret = provider.client_secrets.get(form.get("client_id", ""))
        verifier = form.get("code_verifier", "")
        challenge = (
            base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
            .rstrip(b"=")
            .decode()
        )
        if (
            self.path != "/token"
            or grant is None
            or secret is None
            or form.get("client_secret") != secret
            or challenge != grant.challenge
        ):
            self._json({"error": "invalid_grant"}, 400)
            return
        self._json(
            {
                "access_token": "stand-in-access-token",
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": provider.id_token(grant),
            }
        )


class _Server(ThreadingHTTPServer):
    provider: OpenIdProvider


@contextmanager
def openid_provider(client_secrets: dict[str, str]) -> Iterator[OpenIdProvider]:
    """Serve a stand-in provider on a free loopback port until the block ends."""
    server = _Server(("127.0.0.1", 0), _Handler)
    provider = OpenIdProvider(
        base=f"http://127.0.0.1:{server.server_address[1]}",
        client_secrets=client_secrets,
    )
    server.provider = provider
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
