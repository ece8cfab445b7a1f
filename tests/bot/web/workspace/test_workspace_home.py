"""The workspace shell: the PSW's home and header links; everyone else refused."""

from __future__ import annotations

import logging

import pytest
from webchat import Chat, Database, TestClient
from workspace_pages import as_psw, manager, words

PAGES = (
    "/workspace",
    "/workspace/surveys",
    "/workspace/surveys/new",
    "/workspace/roster",
    "/workspace/results",
    "/workspace/audit",
)


def test_the_psw_home_links_every_section(chat: Chat, db: Database) -> None:
    html = as_psw(chat, db).get("/workspace")
    assert chat.status == 200
    for href in (
        "/workspace/surveys",
        "/workspace/roster",
        "/workspace/results",
        "/workspace/posts",
        "/workspace/audit",
    ):
        assert f'href="{href}"' in html
    text = words(html)
    assert "Your workspace" in text
    assert "3 open" in text  # the demo's two health checks and its pulse


def test_the_header_links_the_psw_to_the_dashboard_and_workspace(
    chat: Chat, db: Database
) -> None:
    html = as_psw(chat, db).get("/")
    header = html.split("</header>")[0]
    assert 'href="/dashboard"' in header
    assert 'href="/workspace"' in header
    assert header.count('action="/sign-out"') == 1


def test_a_manager_sees_no_psw_links_but_can_sign_out(chat: Chat, db: Database) -> None:
    chat.pick(manager(db))
    html = chat.get("/")
    header = html.split("</header>")[0]
    assert "/workspace" not in header
    assert "/dashboard" not in header
    assert 'action="/sign-out"' in header


@pytest.mark.parametrize("path", PAGES)
def test_a_manager_is_refused_every_page_and_it_is_logged(
    chat: Chat, db: Database, caplog: pytest.LogCaptureFixture, path: str
) -> None:
    chat.pick(manager(db))
    with caplog.at_level(logging.INFO):
        chat.get(path)
    assert chat.status == 403
    assert "Only the Principal Social Worker can open the workspace" in chat.html
    refused = [r for r in caplog.records if r.name == "healthcheck.security"]
    assert len(refused) == 1
    assert path in refused[0].getMessage()


@pytest.mark.parametrize("path", PAGES)
def test_nobody_signed_in_is_sent_to_the_start(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/"


def test_a_manager_cannot_post_to_the_workspace(chat: Chat, db: Database) -> None:
    chat.pick(manager(db))
    response = chat.client.post(
        "/workspace/surveys", data={"template": "pulse-check", "name": "Sneaky"}
    )
    assert response.status_code == 403
    assert "Sneaky" not in chat.get("/surveys")


def test_workspace_pages_are_never_cached(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    response = chat.client.get("/workspace/surveys")
    assert response.headers["cache-control"] == "no-store"
