"""Actions and targets on the web, by wording; RAG on the dashboard and in reports."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from posts_pages import as_psw, audit_actions, counts, problem, survey, text_of
from sqlmodel import select
from webchat import Chat, Database

from analytics.report import build_report
from analytics.writers import write_report
from survey.db import create_engine, session_factory
from survey.models import Action, Campaign, Target, Team

WL01 = "I can do my workload safely within my contracted hours."


def _option(page: str, label_start: str) -> str:
    found = re.search(rf'<option value="([^"]+)"[^>]*>{re.escape(label_start)}', page)
    assert found, f"no option {label_start!r}"
    return found.group(1)


def test_an_action_is_logged_against_a_question_picked_by_its_wording(
    chat: Chat, db: Database
) -> None:
    closed = survey(db, "closed")
    as_psw(chat, db)
    with db.session() as session:
        logged = len(session.exec(select(Action)).all())  # the demo's own
    number = logged + 1
    page = chat.get("/workspace/posts/actions")
    assert f"{WL01} (WL01)" in page
    question = _option(page.split(f'<optgroup label="{closed.name}">')[1], WL01)

    answer = chat.client.post(
        "/workspace/posts/actions",
        data={
            "question": question,
            "said": "Caseloads are too high",
            "doing": "Two posts funded from April",
            "owner": "Head of Service",
            "status": "in progress",
        },
    )

    assert answer.status_code == 200
    words = text_of(answer.text)
    assert f"Logged action {number}." in words
    table = answer.text.split('id="actions"')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("</tr>")
    row = next(text_of(r) for r in rows if text_of(r).startswith(f"{number} Workload"))
    assert row.startswith(f"{number} Workload and caseload {closed.name} {WL01} WL01")
    assert "Caseloads are too high" in row
    # One id per action: its number, not a second hexadecimal id.
    assert not re.search(r"\b[0-9a-f]{8}\b", row)
    with db.session() as session:
        (action,) = session.exec(
            select(Action).where(Action.you_said == "Caseloads are too high")
        ).all()
    assert (action.campaign_id, action.question_key, action.theme) == (
        closed.id,
        "WL01",
        "workload",
    )
    assert ("web", "action.added", f"action {number} · in progress") in audit_actions(
        db
    )


def test_an_action_by_theme_alone_is_logged_with_that_theme(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)

    chat.client.post(
        "/workspace/posts/actions",
        data={
            "theme": "supervision",
            "said": "Supervision is cancelled",
            "doing": "Protected supervision time",
            "owner": "Principal Social Worker",
        },
    )

    with db.session() as session:
        (action,) = session.exec(
            select(Action).where(Action.you_said == "Supervision is cancelled")
        ).all()
    assert (action.theme, action.campaign_id, action.status) == (
        "supervision",
        None,
        "planned",
    )


def test_a_bad_action_is_refused_with_its_reason_and_nothing_stored(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = chat.get("/workspace/posts/actions")
    closed, still_open = survey(db, "closed"), survey(db, "open")
    question = _option(page.split(f'<optgroup label="{closed.name}">')[1], WL01)
    good = {"theme": "workload", "said": "x", "doing": "y", "owner": "z"}
    before = counts(db)
    cases = [
        ({"said": " "}, "What staff said is empty."),
        ({"theme": ""}, "Say which theme the action is about"),
        ({"due": "2001-01-01"}, "is in the past; choose a later date."),
        ({"status": "not doing"}, "needs a reason"),
        (
            {"question": question, "survey": str(still_open.id)},
            f"That question is from '{closed.name}', not '{still_open.name}'.",
        ),
    ]
    for change, reason in cases:
        answer = chat.client.post("/workspace/posts/actions", data={**good, **change})
        assert answer.status_code == 400, change
        assert reason in problem(answer.text), (change, problem(answer.text))
    assert counts(db) == before


def test_a_target_is_set_by_wording_and_listed(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    page = chat.get("/workspace/posts/targets")
    question = _option(page, WL01)

    answer = chat.client.post(
        "/workspace/posts/targets", data={"question": question, "percent": "70"}
    )

    words = text_of(answer.text)
    assert f"Target set: 70% favourable for '{WL01}'." in words
    assert f"{WL01} WL01 Social worker health check 70% favourable" in words
    assert (
        "web",
        "target.set",
        "social-worker-health-check · WL01 · 70%",
    ) in audit_actions(db)


def test_a_bad_target_is_refused_with_its_reason(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    page = chat.get("/workspace/posts/targets")
    question = _option(page, WL01)
    before = counts(db)

    for data, reason in (
        ({"question": question, "percent": "170"}, "from 0 to 100, not 170"),
        ({"question": question, "percent": "lots"}, "A target is a percentage"),
        ({"question": "", "percent": "70"}, "Choose the question from the list."),
    ):
        answer = chat.client.post("/workspace/posts/targets", data=data)
        assert answer.status_code == 400
        assert reason in problem(answer.text)
    assert counts(db) == before


def _set_target(db: Database, percent: float) -> None:
    with db.session() as session:
        organisation_id = session.exec(select(Campaign)).first().organisation_id  # type: ignore[union-attr]
        session.add(
            Target(
                organisation_id=organisation_id,
                template_key="social-worker-health-check",
                question_key="WL01",
                percent=percent,
            )
        )
        session.commit()


def test_the_dashboard_shows_rag_against_the_target(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    closed = survey(db, "closed")
    before = chat.get(f"/dashboard?campaign={closed.id}")
    assert "Against target" not in before
    shown = _favourable(before)
    # Aim the targets at each band in turn (the shown figure is rounded).
    for target, expected in (
        (shown - 1, "Green"),
        (shown + 5, "Amber"),
        (shown + 20, "Red"),
    ):
        chat.client.post(
            "/workspace/posts/targets",
            data={
                "question": "social-worker-health-check:WL01",
                "percent": str(target),
            },
        )

        page = chat.get(f"/dashboard?campaign={closed.id}")

        row = _row(page)
        assert "Against target" in page
        assert f'<span class="rag rag-{expected.lower()}">{expected}</span>' in row
        assert f"(target {target}%)" in row


def _row(page: str) -> str:
    # The heading cell may go on to say what favourable means.
    return page.split(f'<th scope="row">{WL01}')[1].split("</tr>")[0]


def _favourable(page: str) -> int:
    found = re.search(r"<td>(\d+)%</td>", _row(page))
    assert found, _row(page)
    return int(found.group(1))


def test_no_colour_is_shown_where_the_figure_is_hidden(
    chat: Chat, db: Database
) -> None:
    _set_target(db, 50)
    as_psw(chat, db)
    closed = survey(db, "closed")
    with db.session() as session:
        teams = session.exec(select(Team)).all()
    hidden_seen = False
    for team in teams:
        page = chat.get(
            f"/dashboard?campaign={closed.id}&team={team.id}&role=social_worker"
        )
        if 'id="suppressed"' in page:
            hidden_seen = True
            assert "rag-" not in page
        elif WL01 in page:
            row = page.split(WL01)[1].split("</tr>")[0]
            if "hidden to protect anonymity" in row:
                hidden_seen = True
                assert "rag-" not in row
    assert hidden_seen, "some team and role combination is small in the demo"


def test_the_report_shows_the_target_and_rag(db: Database, tmp_path: Path) -> None:
    _set_target(db, 50)
    closed = survey(db, "closed")
    url = str(db.engine.url)

    async def build() -> str:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                campaign = await session.get(Campaign, closed.id)
                assert campaign is not None
                report = await build_report(session, campaign=campaign)
        finally:
            await engine.dispose()
        return write_report(report, "html", tmp_path / "report.html").read_text()

    html = asyncio.run(build())

    table = html.split('id="table-questions"')[1].split("</table>")[0]
    assert '<th scope="col">Target</th>' in table
    row = table.split(f"{WL01}</th>")[1].split("</tr>")[0]
    assert ">50%<" in row
    assert re.search(r">(Green|Amber|Red)<", row)
