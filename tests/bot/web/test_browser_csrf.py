"""The issue's same-site attack in headless Chromium: a page on another port of
the same host auto-posts a campaign close as the signed-in PSW. It is refused.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from browser_pages import CHROMIUM, CHROMIUM_ARGS
from sqlmodel import select
from test_browser import server
from webchat import Database

from survey.models import Campaign

__all__ = ["server"]  # the fixture, shared with the chat's browser test

pytestmark = pytest.mark.browser


class _Attacker(ThreadingHTTPServer):
    page: bytes = b""


class _AttackerPage(BaseHTTPRequestHandler):
    server: _Attacker

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(self.server.page)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        return


@pytest.fixture
def attacker() -> Iterator[_Attacker]:
    """Another service on the same host (127.0.0.1, another port)."""
    site = _Attacker(("127.0.0.1", 0), _AttackerPage)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.shutdown()
        site.server_close()


def _campaign_status(url: str, name: str) -> str:
    database = Database(url)
    try:
        with database.session() as session:
            found = session.exec(select(Campaign).where(Campaign.name == name)).one()
            return found.status
    finally:
        database.engine.dispose()


def test_a_same_site_page_cannot_close_a_campaign_as_the_psw(
    server: tuple[str, str], attacker: _Attacker, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, url = server
    database = Database(url)
    try:
        pulse = database.campaign("Pulse check").name
    finally:
        database.engine.dispose()
    command = html.escape(f'close "{pulse}"')
    attacker.page = (
        "<!doctype html><title>Team lunch rota</title>"
        f'<form id="f" method="post" action="{base}/command">'
        f'<input type="hidden" name="text" value="{command}">'
        "</form><script>document.getElementById('f').submit()</script>"
    ).encode()
    evil = f"http://127.0.0.1:{attacker.server_address[1]}/"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        page = browser.new_context().new_page()
        page.goto(f"{base}/")
        psw = page.locator("li.persona").filter(has_text="The Principal Social Worker")
        psw.get_by_role("button", name=re.compile(r"^Continue as ")).click()
        expect(page.get_by_text(re.compile(r"^Signed in as "))).to_be_visible()

        # The signed-in PSW opens a link to the other service on the same host.
        with page.expect_response(f"{base}/command") as posted:
            page.goto(evil)
        assert posted.value.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "That did not come from a Health Check page"
        )
        # Still signed in, and the campaign is still open on their chat page.
        page.goto(f"{base}/")
        expect(page.get_by_text(re.compile(r"^Signed in as "))).to_be_visible()
        browser.close()

    assert _campaign_status(url, pulse) == "open"
    log = (Path(url.removeprefix("sqlite:///")).parent / "server.log").read_text()
    assert "refused forged-post reason=missing path=/command" in log
