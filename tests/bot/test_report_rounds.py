"""Reports on imported rounds, through `healthcheck import` and `healthcheck report`.

Two rounds of the example export: 2024 without WL03 (its mapping ignores the
column), 2025 with it. The report must say "not asked in this round" rather than
"hidden", give no change for WL03, compare standards over the questions asked in
both years, and say the round was imported.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from bot.import_cli import import_app
from bot.reports_cli import report_app

EXAMPLES = Path(__file__).parents[2] / "examples"
TEMPLATE = "social-worker-health-check"
ROUND_2024 = "Social worker health check 2024"
ROUND_2025 = "Social worker health check 2025"
WL03 = "Q3. Work is shared out fairly in my team."


@pytest.fixture
def database(westmere: str) -> str:
    """The 'westmere' council (tests/bot/conftest.py)."""
    return westmere


def _import_two_rounds(tmp_path: Path) -> None:
    mapping = (EXAMPLES / "historic-columns.yaml").read_text("utf-8")
    without_wl03 = tmp_path / "columns-2024.yaml"
    without_wl03.write_text(mapping.replace(f'"{WL03}": WL03', f'"{WL03}": ignore'))
    export = (EXAMPLES / "historic-2024.csv").read_text("utf-8")
    later = tmp_path / "historic-2025.csv"
    later.write_text(export.replace("/2024 ", "/2025 "), encoding="utf-8")
    runs = (
        (EXAMPLES / "historic-2024.csv", ROUND_2024, "2024", without_wl03),
        (later, ROUND_2025, "2025", EXAMPLES / "historic-columns.yaml"),
    )
    for path, name, year, columns in runs:
        result = CliRunner().invoke(
            import_app,
            ["responses", str(path), "--template", TEMPLATE, "--campaign", name,
             "--year", year, "--mapping", str(columns), "--invited", "60"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output


def _report(fmt: str, out: Path) -> None:
    result = CliRunner().invoke(
        report_app, [ROUND_2025, "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output


def test_not_asked_and_no_respondents_are_not_called_hidden(
    database: str, tmp_path: Path
) -> None:
    _import_two_rounds(tmp_path)
    out = tmp_path / "report.csv"
    _report("csv", out)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    whole = [row for row in rows if row["group"] == "Whole organisation"]
    favourable = {r["question_id"]: r for r in whole if r["measure"] == "% favourable"}
    # Questions of the template the export had no column for were not asked.
    assert favourable["WB02"]["value"] == "not asked in this round"
    assert favourable["WB02"]["hidden_reason"] == ""
    # WL03 was asked in 2025 only: a figure, but no change against 2024.
    assert float(favourable["WL03"]["value"]) > 0
    assert favourable["WL03"]["change"] == ""
    # The same answers in both years: every other change is zero, and so is every
    # standard's, because a standard compares only the questions asked in both.
    changed = [r for r in favourable.values() if r["change"] not in ("", "0.0")]
    assert changed == []
    standards = [r for r in whole if r["measure"] == "standard score"]
    assert standards
    assert all(r["change"] in ("", "0.0") for r in standards)
    youth = [
        row
        for row in rows
        if row["group"] == "Youth Justice" and row["measure"] == "respondents"
    ]
    assert youth == [
        {"group": "Youth Justice", "question_id": "", "question": "",
         "measure": "respondents", "value": "0", "change": "", "hidden_reason": ""}
    ]  # fmt: skip


def test_the_html_report_words_each_kind_of_missing_figure(
    database: str, tmp_path: Path
) -> None:
    _import_two_rounds(tmp_path)
    out = tmp_path / "report.html"
    _report("html", out)
    html = out.read_text("utf-8")
    assert "not asked in this round" in html
    assert "no respondents in this group" in html
    assert "hidden (not asked" not in html
    assert "hidden (no respondents" not in html
    assert "hidden to protect anonymity (fewer than 5 responses)" in html


def test_the_docx_says_the_round_was_imported(database: str, tmp_path: Path) -> None:
    _import_two_rounds(tmp_path)
    out = tmp_path / "report.docx"
    _report("docx", out)
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "chat tools" not in text
    assert "imported from that tool's export (historic-2025.csv)" in text
    assert "1 standards" not in text
    assert "(1 comments)" not in text
