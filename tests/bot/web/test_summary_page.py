"""``/summary``: the manager's view in the browser, the same figures as the chat."""

from __future__ import annotations

import re

from webchat import Chat, Database

FEATURED = re.compile(
    r'<h3 id="persona-\d+">A manager</h3>\s*<p class="persona-name">([^<]+)</p>'
)


def featured_manager(chat: Chat, db: Database) -> object:
    """The manager the demo's picker offers first (Imran Clarke in the demo)."""
    html = chat.get("/people")
    found = FEATURED.search(html)
    assert found, "the picker offers a manager"
    return next(p for p in db.people() if p.name == found.group(1))


def test_the_featured_manager_sees_headlines_and_why_not_hidden(
    chat: Chat, db: Database
) -> None:
    chat.pick(featured_manager(chat, db))  # type: ignore[arg-type]
    html = chat.get("/")
    assert 'href="/summary">Team summary</a>' in html
    html = chat.get("/summary")
    assert chat.status == 200
    assert "<h1>Summary for " in html
    # One plain sentence, never the gate's jargon, and figures instead of "hidden".
    where = re.search(r'<p class="lead" id="where-from"[^>]*>([^<]+)</p>', html)
    assert where, html
    assert "so this shows" in where.group(1) or "own figures" in where.group(1)
    assert "subtraction" not in html
    assert ">hidden<" not in html
    headlines = re.findall(r"<li>([^<]+)</li>", html.split("Three headlines")[1])
    assert len(headlines) == 3
    assert all(re.search(r"\d+%", line) for line in headlines)
    # What favourable means, for every question listed.
    rows = re.findall(
        r'<th scope="row">([^<]+)<span class="means">([^<]+)</span>', html
    )
    assert len(rows) >= 20
    assert all(means.startswith("Favourable = ") for _, means in rows)
    bullied = [means for text, means in rows if "bullied" in text]
    assert bullied == ["Favourable = No"]
    assert "What people wrote about" in html


def test_the_pulse_choice_says_plainly_when_no_pulse_has_closed(
    chat: Chat, db: Database
) -> None:
    chat.pick(featured_manager(chat, db))  # type: ignore[arg-type]
    html = chat.get("/summary?survey=pulse")
    assert chat.status == 200
    assert "Pulse" in html or "pulse" in html
    assert 'value="pulse" checked' in html


def test_staff_are_refused_the_summary_page(chat: Chat, db: Database) -> None:
    staff = next(p for p in db.people(role="social_worker") if p.access == "staff")
    chat.pick(staff)
    chat.get("/summary")
    assert chat.status == 403
    assert "Only managers and the Principal Social Worker" in chat.html


def test_the_summary_page_is_logged_as_a_view_of_results(
    chat: Chat, db: Database
) -> None:
    from sqlmodel import select

    from survey.models import AuditEvent

    manager = featured_manager(chat, db)
    chat.pick(manager)  # type: ignore[arg-type]
    chat.get("/summary")
    with db.session() as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.action == "summary.viewed")
        ).all()
    assert [(e.actor, e.channel) for e in events] == [(manager.name, "web")]  # type: ignore[attr-defined]
