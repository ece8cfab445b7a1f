"""The demo's featured manager reads their team's summary in headless Chromium.

On the Team summary page and in the chat: headlines first, one plain sentence
where the team is too small to show, what favourable means for every question,
and an axe-core audit with no serious or critical violations, on a desktop and
on a phone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_pages import DESKTOP, PHONE, assert_accessible, launch, served

pytestmark = pytest.mark.browser


@pytest.fixture
def server(demo_template: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The real app served by ``healthcheck serve`` on a free loopback port."""
    with served(demo_template, tmp_path) as running:
        yield running


def test_the_featured_manager_reads_their_summary_on_the_page_and_in_the_chat(
    server: tuple[str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _ = server
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for viewport in (DESKTOP, PHONE):
            page = browser.new_context(viewport=viewport).new_page()
            page.goto(f"{base}/people")
            manager = page.locator("li.persona", has_text="A manager")
            manager.get_by_role("button", name=re.compile(r"^Continue as ")).click()
            page.get_by_role("link", name="Team summary").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Summary for")
            where = page.locator("#where-from")
            expect(where).to_be_visible()
            assert "subtraction" not in where.inner_text()
            headlines = page.locator(".headlines li")
            expect(headlines).to_have_count(3)
            for line in headlines.all_inner_texts():
                assert re.search(r"\d+%", line), line
            means = page.locator("span.means")
            assert means.count() >= 20
            assert all(
                text.startswith("Favourable = ") for text in means.all_inner_texts()
            )
            expect(
                page.get_by_role("heading", name=re.compile("What people wrote about"))
            ).to_be_visible()
            assert page.get_by_text("hidden", exact=True).count() == 0
            assert_accessible(page)

            # The same summary in the chat, typed as a manager would.
            page.goto(f"{base}/")
            page.get_by_label("Type a message to the bot").fill("summary")
            page.get_by_role("button", name="Send").click()
            expect(page.get_by_role("heading", name="Three headlines")).to_be_visible()
            expect(page.locator("caption", has_text="Needs attention")).to_be_visible()
            assert_accessible(page)
            page.get_by_label("Type a message to the bot").fill("themes")
            page.get_by_role("button", name="Send").click()
            expect(
                page.locator("caption", has_text="What people wrote about")
            ).to_be_visible()
            assert_accessible(page)
            if viewport == PHONE:
                # On a phone no summary table is a grid of cells: rows stack,
                # each figure labelled with its column.
                cell = page.locator(".message.summary td[data-label]").first
                shown = cell.evaluate("(td) => getComputedStyle(td).display")
                assert shown in ("block", "inline-block")
            page.screenshot(
                path=f"/tmp/manager-{viewport['width']}.png", full_page=True
            )
        browser.close()
