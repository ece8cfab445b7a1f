"""Security headers on every response, and Secure cookies behind a trusted TLS proxy."""

from __future__ import annotations

import shutil
import sys
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
from browser_pages import serving
from webchat import Chat, Database, TestClient

from bot.app import create_app
from bot.settings import Settings
from survey.roster.roles import Access

HEALTHCHECK = Path(sys.executable).parent / "healthcheck"


def _assert_secure_headers(response: httpx.Response) -> None:
    policy = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_every_kind_of_response_carries_the_headers(
    client: TestClient, chat: Chat, db: Database
) -> None:
    responses = [
        client.get("/"),
        client.get("/healthz"),
        client.get("/static/chat.css"),
        client.get("/no-such-page"),
        client.get("/s/not-a-link"),
        client.post("/command", data={"text": "help", "csrf_token": None}),
    ]
    chat.pick(db.people(access=Access.PSW)[0])
    responses += [client.get("/"), client.get("/dashboard"), client.get("/messages")]
    for response in responses:
        _assert_secure_headers(response)
        assert "strict-transport-security" not in response.headers, "plain HTTP"


def test_over_tls_hsts_is_sent_and_cookies_are_secure(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        page = client.get("/")
        assert page.headers["strict-transport-security"] == "max-age=31536000"
        assert "Secure" in page.headers["set-cookie"]


def test_the_chat_page_has_no_inline_script_or_style(
    client: TestClient, chat: Chat, db: Database
) -> None:
    """The policy allows only our own files, so the page must not need more."""
    chat.pick(db.people(access=Access.STAFF)[0])
    for path in ("/", "/surveys"):
        html = client.get(path).text
        assert "<script>" not in html
        assert "<style>" not in html
        assert " style=" not in html


def _served(
    database: Path, tmp_path: Path, allowed: str
) -> AbstractContextManager[str]:
    return serving(
        f"sqlite:///{database}",
        tmp_path,
        {"HEALTHCHECK_FORWARDED_ALLOW_IPS": allowed},
        log_name=f"serve-{allowed}.log",
    )


def test_behind_a_trusted_tls_proxy_cookies_are_secure(
    demo_template: Path, tmp_path: Path
) -> None:
    """``healthcheck serve`` believes X-Forwarded-Proto only from allowed proxies."""
    database = tmp_path / "proxy.db"
    shutil.copy(demo_template, database)
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    with _served(database, tmp_path, "127.0.0.1") as base:
        trusted = httpx.get(f"{base}/", headers=forwarded)
    assert "Secure" in trusted.headers["set-cookie"]
    assert trusted.headers["strict-transport-security"] == "max-age=31536000"

    # The proxy is elsewhere (10.0.0.5): a request from here may not claim TLS.
    with _served(database, tmp_path, "10.0.0.5") as base:
        untrusted = httpx.get(f"{base}/", headers=forwarded)
    assert "Secure" not in untrusted.headers["set-cookie"]
    assert "strict-transport-security" not in untrusted.headers
