"""The PSW runs the year in the workspace, in headless Chromium, with no commands.

Each task end to end through the real ``healthcheck serve``: a survey created from
a template, planned with "Monday 9am", opened and closed after confirming; the
roster uploaded, previewed and applied; a report downloaded. axe-core audits every
workspace page on the way (0 serious or critical violations).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from browser_pages import DESKTOP, PHONE, assert_accessible, launch, served
from sqlmodel import col, select
from webchat import Database

from survey.models import Campaign, Person

sys.path.insert(0, str(Path(__file__).parent / "workspace"))
from workspace_pages import roster_file, roster_rows  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page

pytestmark = pytest.mark.browser
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def server(demo_template: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The real app served by ``healthcheck serve`` on a free loopback port."""
    with served(demo_template, tmp_path) as running:
        yield running


def sections(page: Page) -> Locator:
    """The workspace's own navigation."""
    return page.get_by_role("navigation", name="Workspace")


def psw_name(url: str) -> str:
    database = Database(url)
    try:
        with database.session() as session:
            person = session.exec(
                select(Person).where(Person.access == "psw", col(Person.active))
            ).first()
            assert person is not None
            return person.name
    finally:
        database.engine.dispose()


def test_the_psw_creates_plans_opens_and_closes_a_survey(
    server: tuple[str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, url = server
    name = psw_name(url)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(viewport=PHONE).new_page()
        page.goto(f"{base}/")
        page.get_by_role("button", name=f"Continue as {name}").click()
        header = page.get_by_role("navigation", name="Your pages")
        expect(header.get_by_role("link", name="Workspace")).to_be_visible()
        signing_out = page.get_by_role("banner").get_by_role("button", name="Sign out")
        expect(signing_out).to_be_visible()
        header.get_by_role("link", name="Workspace").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your workspace")
        assert_accessible(page)
        page.set_viewport_size(DESKTOP)

        sections(page).get_by_role("link", name="Surveys").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Surveys")
        assert_accessible(page)
        page.get_by_role("link", name="Create a survey").click()
        page.get_by_label(re.compile(r"^Social worker health check")).check()
        page.get_by_role("button", name="Show its questions").click()
        expect(page.locator(".qid").first).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Survey name").fill("Social work health check spring")
        page.get_by_label("Registered social workers only").check()
        page.get_by_role("button", name="Create the survey").click()
        expect(page.get_by_role("status")).to_contain_text("Survey created.")
        assert_accessible(page)

        # A mistake first: a time that cannot be read is explained, in place.
        page.locator("#opens_text").fill("whenever")
        page.get_by_role("button", name="Save the plan").click()
        expect(page.get_by_role("alert")).to_contain_text(
            "I can't read the opening time 'whenever'"
        )
        assert_accessible(page)
        page.locator("#opens_text").fill("Monday 9am")
        closes = datetime.now(UTC).astimezone(LONDON) + timedelta(days=30)
        page.locator("#closes_at").fill(f"{closes:%Y-%m-%dT17:00}")
        page.get_by_label("The day before it closes").check()
        page.get_by_role("button", name="Save the plan").click()
        expect(page.get_by_role("status")).to_contain_text("Saved")
        expect(page.locator("dd").nth(3)).to_contain_text("Monday")
        expect(page.locator("dd").nth(3)).to_contain_text("09:00")

        page.get_by_role("button", name=re.compile("^Open .* now$")).click()
        expect(page.get_by_role("status")).to_contain_text("Survey opened")
        expect(page.locator("#state")).to_have_text("Open")
        page.get_by_role("link", name="Response rates and downloads").click()
        expect(page.locator("#live-steps")).to_contain_text("steps of 5")
        assert_accessible(page)
        page.get_by_role("link", name="Manage this survey").click()

        page.get_by_role("link", name=re.compile("^Close .* now$")).click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Close")
        expect(page.get_by_text("It cannot be reopened")).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Close the survey").click()
        expect(page.get_by_role("alert")).to_contain_text("Tick the box")
        page.get_by_label(re.compile("^I understand")).check()
        page.get_by_role("button", name="Close the survey").click()
        expect(page.get_by_role("status")).to_contain_text("Survey closed")
        expect(page.locator("#state")).to_have_text("Closed")

        sections(page).get_by_role("link", name="Audit log").click()
        events = page.locator("#events")
        expect(events).to_contain_text("Closed a survey")
        expect(events).to_contain_text("Opened a survey")
        expect(events).to_contain_text("Planned a survey's times")
        expect(events).to_contain_text("Created a survey")
        assert_accessible(page)
        browser.close()

    database = Database(url)
    try:
        with database.session() as session:
            made = session.exec(
                select(Campaign).where(
                    Campaign.name == "Social work health check spring"
                )
            ).one()
    finally:
        database.engine.dispose()
    assert made.status == "closed"
    assert sorted(made.reminder_days) == [-1]


def test_the_psw_updates_the_roster_and_downloads_a_report(
    server: tuple[str, str], tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, url = server
    name = psw_name(url)
    database = Database(url)
    try:
        rows = roster_rows(database)
    finally:
        database.engine.dispose()
    rows.append(
        {
            **rows[-1],
            "name": "Nadia Newcomer",
            "email": "nadia@example.org",
            "slack_id": "",
            "teams_id": "",
            "manager_of": "",
            "access": "",
        }
    )
    good = tmp_path / "roster.csv"
    good.write_bytes(roster_file(rows))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(roster_file([{**rows[0], "team": "Nowhere Team"}, *rows[1:]]))

    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(viewport=DESKTOP, accept_downloads=True).new_page()
        page.goto(f"{base}/")
        page.get_by_role("button", name=f"Continue as {name}").click()
        page.goto(f"{base}/workspace/roster")
        assert_accessible(page)

        page.get_by_label("Roster file (CSV)").set_input_files(str(bad))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("alert")).to_contain_text("nothing has been changed")
        expect(page.locator("#problems")).to_contain_text("row 2")
        assert_accessible(page)

        page.get_by_label("Roster file (CSV)").set_input_files(str(good))
        page.get_by_role("button", name="Check the file").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Check the changes before they are made"
        )
        expect(page.locator("#joiners")).to_contain_text("Nadia Newcomer")
        assert_accessible(page)
        page.get_by_role("button", name="Apply these changes").click()
        expect(page.locator("#summary")).to_contain_text("Roster imported: 1 added")
        assert_accessible(page)

        sections(page).get_by_role("link", name="Results and downloads").click()
        assert_accessible(page)
        page.get_by_role(
            "link", name=re.compile(r"^Social work health check 20")
        ).first.click()
        expect(page.locator("#rates")).to_be_visible()
        assert_accessible(page)
        with page.expect_download() as waited:
            page.get_by_role("link", name="Document (Word, DOCX)").click()
        download = waited.value
        assert download.suggested_filename.endswith(".docx")
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.read_bytes().startswith(b"PK")
        browser.close()
