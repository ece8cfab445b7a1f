"""Importing an earlier round with nothing but the command line and the docs.

Every command runs through the real ``healthcheck`` entry point (``bot.cli``):
the output a PSW sees is what is checked, and the database after a refusal is
checked to be as it was.
"""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner, Result

from bot import cli
from survey.db import create_engine, session_factory
from survey.models import AuditEvent, Campaign, Response

TEMPLATE = "social-worker-health-check"
WL01 = "I can do my workload safely within my contracted hours."


def run(*arguments: str, given: str | None = None) -> Result:
    """``healthcheck ARGUMENTS`` as typed, with ``given`` typed at any prompt."""
    return CliRunner().invoke(cli.app, list(arguments), input=given)


def refused(capsys: pytest.CaptureFixture[str], *arguments: str) -> list[str]:
    """The error lines ``healthcheck ARGUMENTS`` prints (it must exit 1)."""
    assert cli.main(list(arguments)) == 1
    return capsys.readouterr().err.strip().splitlines()


def count(url: str, table: type, *where: object) -> int:
    async def read() -> int:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                query = select(func.count()).select_from(table).where(*where)  # type: ignore[arg-type]
                return int((await session.exec(query)).one())
        finally:
            await engine.dispose()

    return asyncio.run(read())


def forms_export(path: Path, dates: list[str], answers: list[str]) -> Path:
    """A Microsoft Forms style export: Id, times, the question's wording as heading."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", "Start time", "Completion time", "Team", WL01])
        for n, (day, answer) in enumerate(zip(dates, answers, strict=True), 1):
            writer.writerow([n, day, day, "Front Door", answer])
    return path


def starter_mapping(path: Path) -> Path:
    """``template questions --format csv``, with the export's own date/id headings."""
    result = run("template", "questions", TEMPLATE, "--format", "csv")
    assert result.exit_code == 0, result.output
    lines = result.output.replace("date,date,,", "Completion time,date,,")
    lines += "Id,respondent_id,,\nStart time,ignore,,\n"
    path.write_text(lines.replace("team,team,,", "Team,team,,"), encoding="utf-8")
    return path


def import_round(export: Path, mapping: Path, *extra: str) -> Result:
    return run(
        "import", "responses", str(export), "--template", TEMPLATE,
        "--campaign", "Health check 2022", "--year", "2022", "--mapping",
        str(mapping), *extra,
    )  # fmt: skip


def test_template_questions_lists_ids_wording_scale_and_options() -> None:
    result = run("template", "questions", TEMPLATE)
    assert result.exit_code == 0, result.output
    assert f"WL01\tagree5\t{WL01}" in result.output
    assert "options: strongly_disagree (Strongly disagree)" in result.output


def test_us_dates_from_forms_are_read_through_the_starter_mapping(
    westmere: str, tmp_path: Path
) -> None:
    export = forms_export(
        tmp_path / "forms.csv",
        ["9/28/2022 10:07:00 AM", "10/3/2022 4:15:00 PM"] * 3,
        ["Agree", "Disagree", "Strongly agree", "Agree", "Neither agree nor disagree",
         "Agree"],
    )  # fmt: skip
    result = import_round(export, starter_mapping(tmp_path / "map.csv"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported 6 responses as 'Health check 2022'")


def test_ambiguous_dates_are_one_clear_error_and_the_format_can_be_given(
    westmere: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = forms_export(
        tmp_path / "forms.csv", ["3/4/2022 10:07:00 AM"] * 6, ["Agree"] * 6
    )
    mapping = starter_mapping(tmp_path / "map.csv")
    errors = refused(
        capsys, "import", "responses", str(export), "--template", TEMPLATE,
        "--campaign", "Health check 2022", "--year", "2022", "--mapping", str(mapping),
    )  # fmt: skip
    assert errors == [
        "Error: column 'Completion time' (date): every date (such as '3/4/2022 "
        "10:07:00 AM') could be day first or month first; give --date-format "
        "DD/MM/YYYY or --date-format MM/DD/YYYY to say which"
    ]
    assert count(westmere, Campaign) == 0
    result = import_round(export, mapping, "--date-format", "MM/DD/YYYY")
    assert result.exit_code == 0, result.output


def test_the_same_problem_on_many_rows_is_one_line_of_row_ranges(
    westmere: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = forms_export(
        tmp_path / "forms.csv", ["28/09/2022 10:07"] * 94, ["Agreed"] * 94
    )
    errors = refused(
        capsys, "import", "responses", str(export), "--template", TEMPLATE,
        "--campaign", "Health check 2022", "--year", "2022", "--mapping",
        str(starter_mapping(tmp_path / "map.csv")),
    )  # fmt: skip
    problems = [line for line in errors if "'Agreed'" in line]
    assert len(problems) == 1, errors
    assert problems[0].startswith("Error: rows 2-95, column")


def test_a_missing_mapping_file_is_the_only_error(
    westmere: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = forms_export(tmp_path / "forms.csv", ["28/09/2022"] * 6, ["Agree"] * 6)
    errors = refused(
        capsys, "import", "responses", str(export), "--template", TEMPLATE,
        "--campaign", "Health check 2022", "--year", "2022", "--mapping",
        str(tmp_path / "nope.yaml"),
    )  # fmt: skip
    assert not any("blank" in line for line in errors), errors
    assert "nope.yaml: no such file" in "\n".join(errors)


def test_replace_reimports_a_round_and_is_audited(
    westmere: str, tmp_path: Path
) -> None:
    mapping = starter_mapping(tmp_path / "map.csv")
    first = forms_export(tmp_path / "a.csv", ["28/09/2022"] * 6, ["Agree"] * 6)
    assert import_round(first, mapping).exit_code == 0
    second = forms_export(tmp_path / "b.csv", ["28/09/2022"] * 8, ["Disagree"] * 8)
    without = import_round(second, mapping)
    assert without.exit_code != 0
    assert count(westmere, Response) == 6, "refused without --replace"
    result = import_round(second, mapping, "--replace")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(
        "Removed the 6 responses imported before as 'Health check 2022'."
    )
    assert count(westmere, Response) == 8
    assert count(westmere, Campaign) == 1
    assert count(westmere, AuditEvent, AuditEvent.action == "import.replaced") == 1


def test_campaign_delete_asks_first_and_removes_only_imported_rounds(
    westmere: str, tmp_path: Path
) -> None:
    mapping = starter_mapping(tmp_path / "map.csv")
    export = forms_export(tmp_path / "a.csv", ["28/09/2022"] * 6, ["Agree"] * 6)
    assert import_round(export, mapping).exit_code == 0
    listed = run("campaign", "list")
    assert "imported from a.csv" in listed.output
    assert "the whole organisation" not in listed.output
    kept = run("campaign", "delete", "Health check 2022", given="n\n")
    assert kept.exit_code != 0
    assert count(westmere, Response) == 6
    gone = run("campaign", "delete", "Health check 2022", given="y\n")
    assert gone.exit_code == 0, gone.output
    assert "Deleted 'Health check 2022' (2022, imported from a.csv, 6 responses)" in (
        gone.output
    )
    assert count(westmere, Response) == 0
    assert count(westmere, Campaign) == 0
    assert count(westmere, AuditEvent, AuditEvent.action == "campaign.deleted") == 1


def test_a_round_run_here_cannot_be_deleted(
    westmere: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("campaign", "create", "Live 2026", "--template", TEMPLATE).exit_code == 0
    errors = refused(capsys, "campaign", "delete", "Live 2026", "--yes")
    assert errors == [
        "Error: 'Live 2026' was run here, not imported, so it cannot be replaced or "
        "deleted; its answers could not be collected again."
    ]
    assert count(westmere, Campaign) == 1


def test_teams_and_services_are_created_from_the_command_line(
    westmere: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("service", "create", "Early Help").output == (
        "Created the service 'Early Help'.\n"
    )
    made = run("team", "create", "Family Hub North", "--service", "early help")
    assert made.output == "Created the team 'Family Hub North' in 'early help'.\n"
    errors = refused(
        capsys, "team", "create", "Family Hub North", "--service", "Adults"
    )
    assert errors == ["Error: There is already a team called 'Family Hub North'."]
    errors = refused(capsys, "team", "create", "X", "--service", "Nowhere")
    assert errors[0].startswith("Error: There is no service 'Nowhere'. Services: ")


def test_invited_counts_per_team_give_team_response_rates(
    westmere: str, tmp_path: Path
) -> None:
    mapping = starter_mapping(tmp_path / "map.csv")
    export = forms_export(tmp_path / "a.csv", ["28/09/2022"] * 6, ["Agree"] * 6)
    invited = tmp_path / "invited.csv"
    invited.write_text("team,invited\nFront Door,10\n", encoding="utf-8")
    result = import_round(export, mapping, "--invited-file", str(invited))
    assert result.exit_code == 0, result.output
    assert "10 were invited: a 60% response rate." in result.output
    out = tmp_path / "report.csv"
    made = run("report", "Health check 2022", "--format", "csv", "--out", str(out))
    assert made.exit_code == 0, made.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rates = {
            row["group"]: row["value"]
            for row in csv.DictReader(handle)
            if row["measure"] == "response rate %"
        }
    assert rates["Children's: Front Door"] == "60.0"


def test_job_titles_map_to_workforce_groups_in_the_mapping_file(
    westmere: str, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    rows = ["Educational Psychologist", "Strengthening Families Worker"] * 3
    export.write_text(
        "id,date,Job title,WL01\n"
        + "".join(f"{n},28/09/2022,{title},Agree\n" for n, title in enumerate(rows)),
        encoding="utf-8",
    )
    mapping = tmp_path / "map.yaml"
    mapping.write_text(
        "id: respondent_id\ndate: date\nWL01: WL01\n"
        "'Job title':\n  question: role\n  values:\n"
        "    'Educational Psychologist': wider_workforce\n"
        "    'Strengthening Families Worker': family_support_worker\n",
        encoding="utf-8",
    )
    result = import_round(export, mapping)
    assert result.exit_code == 0, result.output
    out = tmp_path / "report.csv"
    assert (
        run(
            "report", "Health check 2022", "--format", "csv", "--out", str(out)
        ).exit_code
        == 0
    )
    with out.open(encoding="utf-8-sig", newline="") as handle:
        respondents = {
            row["group"]: row["value"]
            for row in csv.DictReader(handle)
            if row["measure"] == "respondents" and not row["question_id"]
        }
    # Both titles are wider workforce: one by name, one through its role.
    assert respondents["Wider social care workforce"] == "6"
    assert "Registered social work" not in respondents


def test_actions_and_targets_from_the_command_line_reach_the_report(
    westmere: str, tmp_path: Path
) -> None:
    mapping = starter_mapping(tmp_path / "map.csv")
    export = forms_export(tmp_path / "a.csv", ["28/09/2022"] * 6, ["Agree"] * 6)
    assert import_round(export, mapping).exit_code == 0
    added = run(
        "action", "add", "--said", "Workloads are unsafe", "--doing",
        "A caseload cap of 18", "--owner", "Head of Service", "--campaign",
        "Health check 2022", "--question", "WL01", "--status", "in progress",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "1. [in progress] Workload and caseload" in added.output
    assert run("action", "update", "1", "--status", "done").exit_code == 0
    assert "[done]" in run("action", "list").output
    assert run("target", "set", "WL01", "75").output == (
        f"Target for WL01 in {TEMPLATE}: 75% favourable.\n"
    )
    assert run("target", "list").output == "WL01\t75%\n"
    out = tmp_path / "report.csv"
    assert (
        run(
            "report", "Health check 2022", "--format", "csv", "--out", str(out)
        ).exit_code
        == 0
    )
    written = out.read_text("utf-8-sig")
    assert "A caseload cap of 18" in written
    assert "target %" in written
