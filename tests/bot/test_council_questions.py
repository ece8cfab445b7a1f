"""A council's own questions and published figures, through ``healthcheck``.

The extension adds a yes/no question reported as "% aware" to one decimal, and a
likelihood question reported as the share at or above "likely"; two imported
years are compared like the built-in questions.
"""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner, Result

from bot import cli

KEY = "westmere-social-worker-health-check"
EXTENSION = f"""\
key: {KEY}
extends: social-worker-health-check
version: 1
title: Westmere social worker health check
questions:
  - id: LC01
    text: I am aware of the council's practice improvement plan.
    scale: yes_no_unsure
    theme: practice_model
    figure: {{label: aware of the improvement plan, answers: ["yes"], decimals: 1}}
  - id: LC02
    text: How likely are you to leave the council in the next 12 months?
    scale: likelihood5
    theme: recruitment_retention
    figure: {{label: plan to leave in the next 12 months, at_least: likely}}
"""


def run(*arguments: str) -> Result:
    return CliRunner().invoke(cli.app, list(arguments))


def export(path: Path, year: int, aware: int, leaving: int, size: int = 44) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ID", "Completion time", "Aware of plan?", "Leave?", "WL01"])
        for n in range(size):
            writer.writerow(
                [
                    n,
                    f"28/09/{year} 10:00",
                    "Yes" if n < aware else "No",
                    "Very likely" if n < leaving else "Unlikely",
                    "Agree",
                ]
            )
    return path


def test_council_questions_report_their_own_share_and_change(
    westmere: str, tmp_path: Path
) -> None:
    extension = tmp_path / "westmere.yaml"
    extension.write_text(EXTENSION, encoding="utf-8")
    added = run("template", "add", str(extension))
    assert added.exit_code == 0, added.output
    assert added.output.startswith(f"{KEY} v1: ")
    listed = run("template", "questions", KEY)
    assert "LC01\tyes_no_unsure\tI am aware of the council's" in listed.output
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        'ID: respondent_id\n"Completion time": date\n"Aware of plan?": LC01\n'
        '"Leave?": LC02\nWL01: WL01\n',
        encoding="utf-8",
    )
    for year, aware, leaving in ((2023, 22, 11), (2024, 31, 20)):
        result = run(
            "import", "responses",
            str(export(tmp_path / f"{year}.csv", year, aware, leaving)),
            "--template", KEY, "--campaign", f"Health check {year}",
            "--year", str(year), "--mapping", str(mapping),
        )  # fmt: skip
        assert result.exit_code == 0, result.output
    out = tmp_path / "report.csv"
    made = run("report", "Health check 2024", "--format", "csv", "--out", str(out))
    assert made.exit_code == 0, made.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = {
            (row["question_id"], row["measure"]): row
            for row in csv.DictReader(handle)
            if row["group"] == "Whole organisation"
        }
    aware = rows[("LC01", "% aware of the improvement plan")]
    assert aware["value"] == str(round(100 * 31 / 44, 1))  # 70.5
    assert aware["change"] == str(round(100 * 31 / 44 - 50.0, 1))  # 20.5
    leaving = rows[("LC02", "% plan to leave in the next 12 months")]
    assert leaving["value"] == str(round(100 * 20 / 44, 1))
    html = tmp_path / "report.html"
    assert (
        run(
            "report", "Health check 2024", "--format", "html", "--out", str(html)
        ).exit_code
        == 0
    )
    assert "70.5% aware of the improvement plan" in html.read_text("utf-8")
    assert "45% plan to leave in the next 12 months" in html.read_text("utf-8")
