"""A person answers the pulse check in headless Chromium, by clicking and typing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_pages import assert_accessible, launch, served
from sqlmodel import col, select
from webchat import SECRET_KEY, Database

from survey.models import Answer, Comment, Draft, Response

SCREENSHOT = Path("/tmp/chat.png")

pytestmark = pytest.mark.browser


@pytest.fixture
def server(demo_template: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The real app served by ``healthcheck serve`` on a free loopback port."""
    with served(demo_template, tmp_path) as running:
        yield running


def test_a_persona_answers_the_pulse_by_taps_with_back_a_pause_a_resume_and_an_edit(
    server: tuple[str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, url = server
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Who is using the chat?"
        )
        first = page.get_by_role("button", name=re.compile(r"^Continue as ")).first
        name = first.inner_text().removeprefix("Continue as ")
        first.click()
        expect(page.get_by_text(f"Signed in as {name}")).to_be_visible()

        page.get_by_role("button", name=re.compile(r"^Start Pulse check")).click()
        progress = page.locator(".progress-text")
        expect(progress).to_have_text("Question 1 of 7")
        heading = page.locator(".screen-heading")
        expect(heading).to_be_focused()
        assert re.search(r"/survey/[0-9a-f-]+/q/WL02$", page.url)
        group = page.get_by_role("group", name="How manageable is your workload")
        expect(group.get_by_role("button")).to_have_count(3)
        assert_accessible(page)

        # One tap answers and moves on; no Continue.
        page.get_by_role("button", name="Manageable", exact=True).click()
        expect(progress).to_have_text("Question 2 of 7")
        assert page.url.endswith("/q/WB01")
        # Keyboard only: Tab to an option and press Enter.
        page.get_by_role("button", name="Agree", exact=True).focus()
        page.keyboard.press("Enter")
        expect(progress).to_have_text("Question 3 of 7")

        # The browser's Back: question 2 again, its answer marked; a change
        # carries on at question 3, not further.
        page.go_back()
        expect(progress).to_have_text("Question 2 of 7")
        expect(page.get_by_role("button", name="Agree", exact=True)).to_have_attribute(
            "aria-pressed", "true"
        )
        page.get_by_role("button", name="Strongly agree", exact=True).click()
        expect(progress).to_have_text("Question 3 of 7")
        # A reload repeats nothing.
        page.reload()
        expect(progress).to_have_text("Question 3 of 7")
        page.screenshot(path=str(SCREENSHOT), full_page=True)

        page.get_by_role("button", name="Pause and save").click()
        expect(page.get_by_role("status").first).to_contain_text("are saved")
        page.close()

        # Later, in a fresh page of the same browser (the cookie remembers them).
        later = context.new_page()
        later.goto(f"{base}/")
        expect(
            later.locator("#s-2-progress, .survey p")
            .filter(has_text="2 of 7 answered")
            .first
        ).to_be_visible()
        later.get_by_role("button", name=re.compile(r"^Resume Pulse check")).click()
        expect(later.get_by_text("Welcome back", exact=False)).to_be_visible()
        expect(later.locator(".progress-text")).to_have_text("Question 3 of 7")

        for label in ("Disagree", "Every month", "Agree", "Likely"):
            later.get_by_role("button", name=label, exact=True).click()
        comment = later.get_by_role(
            "textbox", name=re.compile("^What one change would most")
        )
        comment.click()
        later.keyboard.type("Protected time for <b>reflection</b>.")
        assert_accessible(later)
        later.get_by_role("button", name="Send my answers").click()
        expect(later.get_by_role("heading", name="Thank you")).to_be_visible()
        expect(later.get_by_text("Sent. Thank you.")).to_be_visible()
        assert_accessible(later)

        # Changed their mind: the edit link, one tap, and leave.
        later.get_by_role("link", name="Edit my answers").click()
        expect(later.locator(".progress-text")).to_have_text("Question 1 of 7")
        later.get_by_role("button", name="Just about manageable", exact=True).click()
        expect(later.locator(".progress-text")).to_have_text("Question 2 of 7")
        assert_accessible(later)
        browser.close()

    database = Database(url)
    try:
        pulse = database.campaign("Pulse check")
        # Answers wait sealed in the pool until a batch or the close writes them:
        # the PSW closes the pulse from the command line.
        closed = subprocess.run(
            [
                Path(sys.executable).parent / "healthcheck",
                "campaign",
                "close",
                pulse.name,
            ],
            env={
                **os.environ,
                "DATABASE_URL": url,
                "HEALTHCHECK_SECRET_KEY": SECRET_KEY,
                "HEALTHCHECK_MODE": "development",
            },
            capture_output=True,
            text=True,
        )
        assert closed.returncode == 0, closed.stdout + closed.stderr
        with database.session() as session:
            stored = session.exec(
                select(Response).where(Response.campaign_id == pulse.id)
            ).all()
            assert len(stored) == 1
            answers = {
                row.question_key: row.option
                for row in session.exec(
                    select(Answer).where(Answer.response_id == stored[0].id)
                )
            }
            comments = session.exec(
                select(Comment.text).where(Comment.response_id == stored[0].id)
            ).all()
            drafts = session.exec(
                select(Draft).where(col(Draft.campaign_id) == pulse.id)
            ).all()
    finally:
        database.engine.dispose()
    assert answers == {
        "WL02": "just_about",
        "WB01": "strongly_agree",
        "WB02": "disagree",
        "SV01": "monthly",
        "LD05": "agree",
        "RT01": "likely",
    }
    assert list(comments) == ["Protected time for <b>reflection</b>."]
    assert drafts == []


def test_the_psw_dashboard_shows_a_chart_and_a_hidden_cell(
    server: tuple[str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, url = server
    with Database(url).session() as session:
        from survey.models import Person, Team

        psw = session.exec(
            select(Person).where(Person.role == "principal_social_worker")
        ).one()
        teams = list(session.exec(select(Team)).all())
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(f"{base}/people")
        page.get_by_label("Person on the roster, by team").select_option(str(psw.id))
        page.get_by_role("button", name="Continue", exact=True).click()
        page.goto(f"{base}/dashboard")
        chart = page.get_by_role("img", name=re.compile("standard", re.I)).first
        expect(chart).to_be_visible()
        assert page.evaluate("(img) => img.naturalWidth > 100", chart.element_handle())
        assert_accessible(page)
        hidden = False
        for team in teams:
            page.goto(f"{base}/dashboard?team={team.id}&role=social_worker")
            if page.locator("#suppressed").count():
                expect(page.locator("#suppressed")).to_contain_text("Figures hidden")
                assert page.locator("figure.chart").count() == 0
                hidden = True
                break
        assert hidden, "a small team and role combination shows as hidden"
        page.screenshot(path="/tmp/dashboard.png", full_page=False)
        browser.close()
