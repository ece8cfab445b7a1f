"""The PSW's posts pages end to end in headless Chromium, audited by axe-core.

Compose a briefing, preview it on every channel and post it; schedule one for
"Monday 9am" and cancel it; try "you said, we did" on the open demo survey and
read the refusal; log an action and set a target by their wording, then see the
RAG colour on the dashboard. Every new page passes the accessibility audit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_pages import DESKTOP, assert_accessible, launch, served
from sqlmodel import col, select
from webchat import Database

from survey.demo import BRIEFING_TITLE
from survey.models import Campaign, LocalDelivery, OutboxMessage, Person

pytestmark = pytest.mark.browser
WL01 = "I can do my workload safely within my contracted hours."


@pytest.fixture
def server(demo_template: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    with served(demo_template, tmp_path) as running:
        yield running


def test_the_psw_posts_schedules_cancels_is_refused_and_sets_targets(
    server: tuple[str, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, url = server
    database = Database(url)
    with database.session() as session:
        psw = session.exec(
            select(Person).where(Person.role == "principal_social_worker")
        ).one()
        campaigns = list(session.exec(select(Campaign)).all())
    closed = next(c for c in campaigns if c.status == "closed" and "Social" in c.name)
    still_open = next(c for c in campaigns if c.status == "open" and "Social" in c.name)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(viewport=DESKTOP).new_page()
        page.goto(f"{base}/people")
        page.get_by_label("Person on the roster, by team").select_option(str(psw.id))
        page.get_by_role("button", name="Continue", exact=True).click()

        # The posts page, linked back to the workspace.
        page.goto(f"{base}/workspace/posts")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Posts, actions and targets"
        )
        expect(page.get_by_role("link", name="Back to the workspace")).to_be_visible()
        assert_accessible(page)

        # A briefing: compose, preview on three channels, post.
        page.get_by_role("link", name="Write a briefing").click()
        assert_accessible(page)
        page.get_by_label("Title").fill("Practice week")
        page.get_by_label("What it says").fill(
            "Join us for practice week.\n\nSessions every morning & afternoon."
        )
        page.get_by_role("button", name="Preview").click()
        for channel in ("Web channel", "Slack", "Microsoft Teams"):
            heading = page.get_by_role("heading", name=channel, exact=True)
            expect(heading).to_be_visible()
        slack = page.locator("section.channel").filter(
            has=page.get_by_role("heading", name="Slack", exact=True)
        )
        expect(slack.locator(".chat-render")).to_contain_text(
            "Sessions every morning & afternoon."
        )
        slack.get_by_text("The Block Kit JSON sent to Slack").click()
        expect(slack.locator("pre.source")).to_contain_text('"type": "header"')
        teams = page.locator("section.channel").filter(
            has=page.get_by_role("heading", name="Microsoft Teams", exact=True)
        )
        teams.get_by_text("The Adaptive Card JSON sent to Microsoft Teams").click()
        expect(teams.locator("pre.source")).to_contain_text("AdaptiveCard")
        assert_accessible(page)
        page.screenshot(path="/tmp/posts-preview.png", full_page=True)
        page.get_by_role("button", name="Post it now").click()
        expect(page.locator("#outcome")).to_have_text("Posted 'Practice week'.")
        assert_accessible(page)
        with database.session() as session:
            sent = session.exec(select(OutboxMessage)).all()
        titles = sorted(m.payload["title"] for m in sent)
        assert titles == sorted([BRIEFING_TITLE, "Practice week"]), "the demo's own"

        # One for Monday 9am, then cancelled before it goes.
        page.goto(f"{base}/workspace/posts/briefing")
        page.get_by_label("Title").fill("Team away day")
        page.get_by_label("What it says").fill("The away day is on Friday.")
        page.get_by_label("Later").check()
        page.get_by_label("Time", exact=True).fill("Monday 9am")
        page.get_by_role("button", name="Preview").click()
        expect(page.locator("dl.summary")).to_contain_text(
            re.compile(r"Monday \d+ \w+ \d{4} at 09:00")
        )
        page.get_by_role("button", name="Schedule it").click()
        expect(page.locator("#outcome")).to_contain_text(
            "Scheduled 'Team away day' for the workforce channel"
        )
        page.get_by_role("link", name="Cancel this post").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Cancel 'Team away day'?"
        )
        assert_accessible(page)
        page.get_by_role("button", name="Yes, cancel it").click()
        expect(page.locator("#outcome")).to_have_text(
            "Cancelled 'Team away day': it will not be posted."
        )
        assert_accessible(page)

        # "You said, we did" for the open survey: refused, with the reason.
        page.goto(f"{base}/workspace/posts/you-said")
        page.get_by_label("Survey").select_option(str(still_open.id))
        page.get_by_role("button", name="Choose").click()
        expect(page.get_by_role("alert")).to_contain_text(
            f"'{still_open.name}' is still open: 'you said, we did' can only be "
            "posted once a survey has closed"
        )
        assert_accessible(page)

        # An action against a question picked by its wording.
        page.goto(f"{base}/workspace/posts/actions")
        value = page.locator(
            f'optgroup[label="{closed.name}"] option', has_text=WL01
        ).get_attribute("value")
        assert value is not None
        page.get_by_label("The question it answers (optional)").select_option(value)
        page.get_by_label("What staff said").fill("Caseloads are too high")
        page.get_by_label("What is being done").fill("Two posts funded from April")
        page.get_by_label("Who is responsible").fill("Head of Service")
        page.get_by_role("button", name="Log the action").click()
        # The demo has five actions logged against last year's themes.
        expect(page.locator("#outcome")).to_have_text(
            "Logged action 6. It is in the list below."
        )
        expect(page.locator("#actions")).to_contain_text(WL01)
        assert_accessible(page)

        # Its "you said, we did" preview for the closed survey.
        page.goto(f"{base}/workspace/posts/you-said?survey={closed.id}")
        expect(page.get_by_label(re.compile("Caseloads are too high"))).to_be_checked()
        page.get_by_role("button", name="Preview").click()
        expect(
            page.get_by_role("heading", name="The post in the workforce channel")
        ).to_be_visible()
        assert_accessible(page)

        # A target by wording, then RAG on the dashboard.
        page.goto(f"{base}/workspace/posts/targets")
        page.get_by_label("Question").select_option(label=f"{WL01} (WL01)")
        page.get_by_label("Target % favourable").fill("70")
        page.get_by_role("button", name="Set the target").click()
        expect(page.locator("#outcome")).to_have_text(
            f"Target set: 70% favourable for '{WL01}'."
        )
        assert_accessible(page)
        page.goto(f"{base}/dashboard?campaign={closed.id}")
        row = page.get_by_role("row").filter(
            # The heading cell goes on to say what favourable means.
            has=page.get_by_role("rowheader", name=re.compile("^" + re.escape(WL01)))
        )
        expect(row.locator(".rag")).to_have_text(re.compile("^(Green|Amber|Red)$"))
        expect(row).to_contain_text("(target 70%)")
        assert_accessible(page)
        page.screenshot(path="/tmp/posts-dashboard.png", full_page=False)
        browser.close()
    with database.session() as session:
        titles = [
            str(m.payload.get("title"))
            for m in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))
        ]
        delivered = session.exec(select(LocalDelivery)).all()
    # The demo's own briefing went out when it was seeded; this test posted one.
    assert sorted(titles) == sorted([BRIEFING_TITLE, "Practice week"])
    assert all(row.payload.get("title") != "Team away day" for row in delivered)
    database.engine.dispose()
