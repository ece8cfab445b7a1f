"""``healthcheck report --combined``: one committee paper for both health checks."""

from __future__ import annotations

import csv
from pathlib import Path

from docx import Document
from typer.testing import CliRunner, Result

from bot import cli

WL01 = "I can do my workload safely within my contracted hours."


def run(*arguments: str) -> Result:
    return CliRunner().invoke(cli.app, list(arguments))


def import_round(
    tmp_path: Path, template: str, name: str, own: str, agree: int, size: int = 20
) -> None:
    export = tmp_path / f"{template}.csv"
    with export.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent_id", "date", "WL01", own])
        for n in range(size):
            answer = "Agree" if n < agree else "Disagree"
            writer.writerow([n, "14/03/2026", answer, "Agree"])
    result = run(
        "import", "responses", str(export), "--template", template,
        "--campaign", name, "--year", "2026",
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_one_paper_puts_shared_questions_side_by_side(
    westmere: str, tmp_path: Path, monkeypatch: object
) -> None:
    import_round(tmp_path, "social-worker-health-check", "SW 2026", "WL05", 15)
    import_round(tmp_path, "wider-workforce-health-check", "Workforce 2026", "CP04", 8)
    out = tmp_path / "paper.docx"
    result = run("report", "--combined", "SW 2026", "Workforce 2026", "--out", str(out))
    assert result.exit_code == 0, result.output
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Head")]
    assert "4. Questions both health checks asked" in headings
    assert any(h.startswith("5. Social worker health check") for h in headings)
    assert any(h.startswith("6. Social care workforce health check") for h in headings)
    shared = document.tables[0]
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in shared.rows}
    assert rows[WL01][1] == "75%"  # 15 of 20 agree
    assert rows[WL01][3] == "40%"  # 8 of 20
    own = "\n".join(
        cell.text
        for table in document.tables[1:]
        for row in table.rows
        for cell in row.cells
    )
    assert "WL05" in own  # the social work check's own question
    assert "CP04" in own  # the wider workforce check's own


def test_combined_needs_two_rounds(westmere: str) -> None:
    result = run("report", "--combined", "SW 2026")
    assert result.exit_code != 0
    assert "--combined takes two campaigns" in result.output
