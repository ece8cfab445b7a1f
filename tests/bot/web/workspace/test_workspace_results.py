"""Workspace results: rates by team within the rules, downloads, the audit log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner
from webchat import Chat, Database
from workspace_pages import as_psw, audit_actions, words

from analytics.writers import FORMATS
from bot.reports_cli import report_app
from survey.models import Campaign

HIDDEN = "Hidden to protect anonymity"


def campaign(db: Database, status: str, prefix: str = "Social work") -> Campaign:
    """The latest survey in that state (the demo has closed rounds for two years)."""
    with db.session() as session:
        found = session.exec(
            select(Campaign)
            .where(
                Campaign.status == status,
                Campaign.name.startswith(prefix),  # type: ignore[attr-defined]
            )
            .order_by(Campaign.year.desc())  # type: ignore[attr-defined]
        ).first()
    assert found is not None, (status, prefix)
    return found


def rate_rows(html: str) -> list[list[str]]:
    table = html.split('id="rates"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [
        [words(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_an_open_survey_shows_stepped_rates_by_team_and_why_some_are_hidden(
    chat: Chat, db: Database
) -> None:
    survey = campaign(db, "open")
    html = as_psw(chat, db).get(f"/workspace/surveys/{survey.id}/results")
    assert chat.status == 200
    rows = rate_rows(html)
    assert rows[0][0].endswith("(organisation)")
    teams = [row for row in rows if row[0].endswith("(team)")]
    assert teams, "the demo's teams are listed"
    shown = [row for row in rows if len(row) == 4]
    hidden = [row for row in rows if len(row) == 2]
    assert shown
    for _, invited, finished, rate in shown:
        assert int(finished) % 5 == 0, "finished counts move in steps of 5 while open"
        assert int(finished) <= int(invited)
        assert rate.endswith("%")
    for _, why in hidden:
        assert why.startswith(HIDDEN)
        assert not re.search(r"\d+ of \d+|\d+%", why)
    assert "finished counts go up in steps of 5" in words(html)
    assert audit_actions(db)[-1][:2] == ("workspace", "participation.viewed")


def test_a_hidden_group_never_shows_a_figure(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    with db.session() as session:
        open_ones = session.exec(
            select(Campaign).where(Campaign.status == "open")
        ).all()
    hidden = 0
    for survey in open_ones:
        for row in rate_rows(chat.get(f"/workspace/surveys/{survey.id}/results")):
            if len(row) == 2:
                hidden += 1
                assert row[1].startswith(HIDDEN)
                assert "Groups smaller than 5 are never shown" in row[1]
    assert hidden, "some group is too small to show in the demo"


def test_a_closed_survey_links_its_figures_and_year_on_year(
    chat: Chat, db: Database
) -> None:
    survey = campaign(db, "closed")
    html = as_psw(chat, db).get(f"/workspace/surveys/{survey.id}/results")
    assert f'href="/dashboard?campaign={survey.id}"' in html
    assert "steps of 5" not in words(html)
    for fmt in FORMATS:
        assert f'href="/workspace/surveys/{survey.id}/report.{fmt}"' in html


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_download_is_the_report_the_command_line_writes(
    chat: Chat,
    db: Database,
    demo_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    survey = campaign(db, "closed")
    as_psw(chat, db)
    response = chat.client.get(f"/workspace/surveys/{survey.id}/report.{fmt}")
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.endswith(f'.{fmt}"')
    assert audit_actions(db)[-1] == (
        "workspace",
        "report.exported",
        f"{survey.name} · {fmt} · downloaded",
    )
    if fmt in ("xlsx", "docx"):
        assert response.content.startswith(b"PK")
        return
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", demo_url)
    out = tmp_path / f"cli.{fmt}"
    result = CliRunner().invoke(
        report_app, [survey.name, "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert response.content == out.read_bytes()


def test_an_unknown_format_or_a_draft_has_no_report(chat: Chat, db: Database) -> None:
    survey = campaign(db, "closed")
    as_psw(chat, db)
    chat.get(f"/workspace/surveys/{survey.id}/report.pdf")
    assert chat.status == 404
    assert "html, xlsx, csv and docx" in words(chat.html)
    made = chat.client.post(
        "/workspace/surveys",
        data={"template": "pulse-check", "name": "Draft pulse", "year": "2027"},
        follow_redirects=False,
    )
    page = made.headers["location"].split("?")[0]
    chat.get(page + "/report.csv")
    assert chat.status == 404
    assert "once it has opened" in words(chat.html)
    assert "report.exported" not in [action for _, action, _ in audit_actions(db)]


def test_the_audit_log_lists_actions_in_words_newest_first(
    chat: Chat, db: Database
) -> None:
    survey = campaign(db, "closed")
    as_psw(chat, db)
    chat.client.get(f"/workspace/surveys/{survey.id}/report.csv")
    chat.get("/dashboard")
    html = chat.get("/workspace/audit")
    assert chat.status == 200
    table = words(html.split('id="events"')[1].split("</table>")[0])
    assert table.index("Viewed the dashboard") < table.index("Exported a report")
    assert f"{survey.name} · csv · downloaded" in table
