"""`healthcheck report` on a real SQLite database seeded with the demo council."""

from __future__ import annotations

import asyncio
import csv
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from typer.testing import CliRunner

from analytics.writers import FORMATS, UnknownFormatError
from bot.reports_cli import default_path, report_app
from survey.db import create_engine, session_factory
from survey.demo import seed_demo
from survey.errors import NotFoundError

CLOSED = "Social work health check 2025"
SEEDED_AT = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_template(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The migrated template with the demo council seeded once for the module."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    shutil.copy(sqlite_template, path)

    async def seed() -> None:
        engine = create_engine(f"sqlite:///{path}")
        try:
            await seed_demo(session_factory(engine), secret=b"x" * 32, now=SEEDED_AT)
        finally:
            await engine.dispose()

    asyncio.run(seed())
    return path


@pytest.fixture
def demo_db(
    demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A private copy of the demo database, used through the environment."""
    path = tmp_path / "healthcheck.db"
    shutil.copy(demo_template, path)
    monkeypatch.chdir(tmp_path)  # no developer .env file is read
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("HEALTHCHECK_ORGANISATION", raising=False)
    return path


@pytest.mark.parametrize("fmt", FORMATS)
def test_each_format_writes_a_readable_file(
    fmt: str, demo_db: Path, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / f"annual.{fmt}"
    result = CliRunner().invoke(
        report_app, [CLOSED, "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"Wrote {out}"
    if fmt == "html":
        assert "Demo City Council" in out.read_text("utf-8")
    elif fmt == "xlsx":
        assert "Summary" in load_workbook(out).sheetnames
    elif fmt == "csv":
        with out.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert any(row["group"] == "Whole organisation" for row in rows)
    else:
        headings = [p.text for p in Document(str(out)).paragraphs]
        assert "1. Purpose" in headings


def test_the_default_file_is_named_after_the_campaign(demo_db: Path) -> None:
    result = CliRunner().invoke(report_app, [CLOSED, "--format", "csv"])
    assert result.exit_code == 0, result.output
    expected = demo_db.parent / "social-work-health-check-2025.csv"
    assert expected.is_file()
    assert default_path(CLOSED, "csv") == Path("social-work-health-check-2025.csv")


def test_an_unknown_campaign_is_one_clear_error(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "nope.html"
    result = CliRunner().invoke(
        report_app, ["Health check 1999", "--format", "html", "--out", str(out)]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, NotFoundError)
    message = str(result.exception)
    assert "\n" not in message
    assert "There is no survey 'Health check 1999'" in message
    # Names the nearest survey that does exist, by spelling.
    assert "Did you mean 'Social work health check 20" in message
    assert not out.exists()


def test_an_unknown_format_is_refused_before_the_database_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'x.db'}")
    result = CliRunner().invoke(report_app, [CLOSED, "--format", "pdf"])
    assert result.exit_code != 0
    assert isinstance(result.exception, UnknownFormatError)
    assert str(result.exception) == (
        "Unknown report format 'pdf'. Choose one of: html, xlsx, csv, docx."
    )


def test_the_main_cli_prints_one_error_line(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot import cli

    registered = [info.typer_instance for info in cli.app.registered_groups]
    if report_app not in registered:
        monkeypatch.setattr(
            cli.app, "registered_groups", list(cli.app.registered_groups)
        )
        cli.app.add_typer(report_app)
    assert cli.main(["report", "Nope", "--format", "docx"]) == 1
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith("Error: There is no survey 'Nope'.")


def _log_actions(path: Path) -> None:
    """Two actions against the closed survey, as the PSW logs them in chat."""
    from datetime import date

    from survey.follow_up.actions import add_action
    from survey.organisations import find_organisation

    async def log() -> None:
        engine = create_engine(f"sqlite:///{path}")
        try:
            sessions = session_factory(engine)
            async with sessions() as session, session.begin():
                organisation = await find_organisation(session, slug="demo")
                await add_action(
                    session,
                    organisation_id=organisation.id,
                    you_said="Caseloads are too high to work safely",
                    we_did="Two agency posts funded in the assessment teams",
                    owner="Head of Service",
                    today=date(2026, 3, 2),
                    campaign=CLOSED,
                    question="WL01",
                    due_on=date(2026, 9, 30),
                    status="in progress",
                )
                await add_action(
                    session,
                    organisation_id=organisation.id,
                    you_said="Supervision gets cancelled",
                    we_did="Supervision dates protected in calendars",
                    owner="PSW",
                    today=date(2026, 3, 2),
                    campaign=CLOSED,
                    theme="supervision",
                    status="done",
                )
        finally:
            await engine.dispose()

    asyncio.run(log())


@pytest.mark.parametrize("fmt", FORMATS)
def test_logged_actions_appear_in_every_format(
    fmt: str, demo_db: Path, tmp_path: Path
) -> None:
    _log_actions(demo_db)
    out = tmp_path / f"annual.{fmt}"
    result = CliRunner().invoke(
        report_app, [CLOSED, "--format", fmt, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    if fmt == "xlsx":
        sheet = load_workbook(out)["Actions"]
        written = "\n".join(
            str(cell) for row in sheet.iter_rows(values_only=True) for cell in row
        )
    elif fmt == "docx":
        document = Document(str(out))
        written = "\n".join(
            cell.text
            for table in document.tables
            for row in table.rows
            for cell in row.cells
        ) + "\n".join(p.text for p in document.paragraphs)
    else:
        written = out.read_text("utf-8-sig")
    assert "No actions have been logged" not in written
    assert "Caseloads are too high to work safely" in written
    assert "Two agency posts funded in the assessment teams" in written
    assert "in progress" in written
    assert "done" in written
    assert "WL01" in written, "the action is linked to the question it answers"
    assert "Supervision" in written, "and to its theme, by the theme's name"
