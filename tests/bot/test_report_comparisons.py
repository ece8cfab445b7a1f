"""The report's comparison figures: shipped national ones and a council's own file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from bot import cli

EXAMPLES = Path(__file__).parents[2] / "examples"
ROUND = "Social worker health check 2024"


def run(*arguments: str) -> Result:
    return CliRunner().invoke(cli.app, list(arguments))


@pytest.fixture
def imported(westmere: str) -> str:
    result = run(
        "import", "responses", str(EXAMPLES / "historic-2024.csv"),
        "--template", "social-worker-health-check", "--campaign", ROUND,
        "--year", "2024", "--mapping", str(EXAMPLES / "historic-columns.yaml"),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return westmere


def _html(tmp_path: Path, *extra: str) -> str:
    out = tmp_path / "report.html"
    made = run("report", ROUND, "--format", "html", "--out", str(out), *extra)
    assert made.exit_code == 0, made.output
    return out.read_text("utf-8")


def test_national_figures_are_shown_with_year_and_source(
    imported: str, tmp_path: Path
) -> None:
    html = _html(tmp_path)
    assert "Turnover, children&#39;s social workers" in html
    assert "year to Sep 2024" in html
    assert "DfE children&#39;s social work workforce census" in html
    # Their wording is not this survey's, so no question carries a comparison.
    assert "Comparison (same wording)" not in html


def test_a_council_file_fills_the_column_only_where_the_wording_matches(
    imported: str, tmp_path: Path
) -> None:
    regional = tmp_path / "regional.csv"
    with regional.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["measure", "question", "value", "population", "year", "source"]
        )
        writer.writerow([
            "Workload safe in contracted hours",
            "i can do my workload safely, within my contracted hours",
            "41%", "South East regional group", "2024", "SESLIP health check",
        ])  # fmt: skip
        writer.writerow([
            "Would recommend the profession",
            "I would recommend social work as a career.", "16%",
            "South East regional group", "2024", "SESLIP health check",
        ])  # fmt: skip
    out = tmp_path / "report.csv"
    made = run(
        "report",
        ROUND,
        "--format",
        "csv",
        "--out",
        str(out),
        "--compare",
        str(regional),
    )
    assert made.exit_code == 0, made.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        national = [
            row for row in csv.DictReader(handle) if row["measure"] == "national figure"
        ]
    placed = {row["question"]: row["question_id"] for row in national}
    assert placed["Workload safe in contracted hours"] == "WL01"
    assert placed["Would recommend the profession"] == "", (
        "no question has that wording"
    )
    html = _html(tmp_path, "--compare", str(regional))
    assert "Comparison (same wording)" in html
    assert "41% (South East regional group, 2024)" in html


def test_a_comparison_file_without_its_columns_is_one_clear_error(
    imported: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("measure,value\nX,1\n", encoding="utf-8")
    assert cli.main(["report", ROUND, "--format", "csv", "--compare", str(bad)]) == 1
    assert capsys.readouterr().err.strip() == (
        "Error: bad.csv: the first line must name the columns measure, question, "
        "value, population, year, source (missing question, population, year, source)"
    )
