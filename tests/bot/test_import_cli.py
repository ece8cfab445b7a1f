"""``healthcheck import responses`` driven through Typer on a migrated SQLite file."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
import typer
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner, Result

from bot.import_cli import import_app
from survey import migrate
from survey.db import create_engine, session_factory
from survey.demo import TEAMS
from survey.errors import (
    CampaignStateError,
    HistoricImportError,
    NotFoundError,
    SettingsError,
)
from survey.models import Answer, Campaign, Organisation, Response, Service, Team
from survey.questions.bank import load_all
from survey.questions.catalogue import sync_templates

EXAMPLES = Path(__file__).parents[2] / "examples"
EXAMPLE = [
    str(EXAMPLES / "historic-2024.csv"),
    "--template",
    "social-worker-health-check",
    "--campaign",
    "Social worker health check 2024",
    "--year",
    "2024",
    "--mapping",
    str(EXAMPLES / "historic-columns.yaml"),
]


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A migrated SQLite file with the 'westmere' council, named by DATABASE_URL."""
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")  # as `make run`
    monkeypatch.chdir(tmp_path)
    url = f"sqlite:///{tmp_path / 'healthcheck.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "westmere")
    migrate.upgrade(url)
    asyncio.run(_council(url))
    return url


async def _council(url: str) -> None:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            organisation = Organisation(slug="westmere", name="Westmere Council")
            session.add(organisation)
            await session.flush()
            services = {
                name: Service(organisation_id=organisation.id, name=name)
                for name in sorted({team.service for team in TEAMS})
            }
            session.add_all(services.values())
            await session.flush()
            session.add_all(
                Team(
                    organisation_id=organisation.id,
                    service_id=services[team.service].id,
                    name=team.name,
                )
                for team in TEAMS
            )
            await sync_templates(session, templates=load_all())
    finally:
        await engine.dispose()


def counts(url: str) -> tuple[int, int, int]:
    async def read() -> tuple[int, int, int]:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                found = []
                for table in (Campaign, Response, Answer):
                    query = select(func.count()).select_from(table)
                    found.append((await session.exec(query)).one())
                return found[0], found[1], found[2]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def invoke(*arguments: str) -> Result:
    return CliRunner().invoke(import_app, ["responses", *arguments])


def test_the_example_imports_and_prints_what_was_stored(database: str) -> None:
    result = invoke(*EXAMPLE, "--invited", "60")

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Imported 36 responses as 'Social worker health check 2024' (2024, closed): "
        "555 answers and 28 comments.",
        "60 were invited: a 60% response rate.",
    ]
    assert counts(database)[:2] == (1, 36)


def test_running_it_again_is_a_no_op_that_says_so(database: str) -> None:
    assert invoke(*EXAMPLE).exit_code == 0
    before = counts(database)

    result = invoke(*EXAMPLE)

    assert result.exit_code == 0
    assert result.output == (
        "'Social worker health check 2024' was already imported from this file "
        "(36 responses); nothing was changed.\n"
    )
    assert counts(database) == before


def test_a_bad_file_exits_1_with_every_problem_and_stores_nothing(
    database: str, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "WL01,RT03,team\nAgreee,7,Front Door\nAgree,eleven,Front Dor\n",
        encoding="utf-8",
    )

    result = invoke(
        str(export),
        "--template",
        "social-worker-health-check",
        "--campaign",
        "Health check 2023",
        "--year",
        "2023",
    )

    assert result.exit_code == 1
    assert isinstance(result.exception, HistoricImportError)
    assert result.exception.problems == [
        "row 2, column WL01: 'Agreee' is not an option (Strongly disagree, "
        "Disagree, Neither agree nor disagree, Agree, Strongly agree)",
        "row 3, column RT03: 'eleven' is not a whole number from 0 to 10",
        "row 3, column team: 'Front Dor' is not a team in this organisation (did "
        "you mean 'Front Door'?); correct it, or leave the cell blank",
    ]
    assert counts(database) == (0, 0, 0)


def test_user_mistakes_are_survey_errors_the_main_cli_prints(
    database: str, tmp_path: Path
) -> None:
    missing = invoke(str(tmp_path / "nope.csv"), *EXAMPLE[1:])
    assert isinstance(missing.exception, HistoricImportError)
    assert str(missing.exception) == f"{tmp_path / 'nope.csv'}: no such file"

    no_template = invoke(EXAMPLE[0], "--template", "old-survey", *EXAMPLE[3:])
    assert isinstance(no_template.exception, NotFoundError)
    assert str(no_template.exception).startswith("There is no template 'old-survey'")

    no_org = invoke(*EXAMPLE, "--org", "elsewhere")
    assert isinstance(no_org.exception, NotFoundError)
    assert "There is no organisation 'elsewhere'" in str(no_org.exception)

    cp1252 = tmp_path / "old.csv"
    cp1252.write_bytes("WL01,TX01\nAgree,Caf\u00e9\n".encode("cp1252"))
    encoded = invoke(str(cp1252), *EXAMPLE[1:7])
    assert isinstance(encoded.exception, HistoricImportError)
    assert str(encoded.exception).startswith("the file is not saved as UTF-8")

    assert invoke(*EXAMPLE).exit_code == 0
    other = tmp_path / "other.csv"
    other.write_text("WL01\nAgree\n", encoding="utf-8")
    clash = invoke(str(other), *EXAMPLE[1:7])
    assert isinstance(clash.exception, CampaignStateError)
    assert "was imported from a different file" in str(clash.exception)
    assert {result.exit_code for result in (missing, no_template, no_org, clash)} == {1}


def test_an_unmigrated_database_is_refused(
    database: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")

    result = invoke(*EXAMPLE)

    assert result.exit_code == 1
    assert isinstance(result.exception, SettingsError)
    assert "Run `healthcheck db upgrade` first." in str(result.exception)


def test_options_are_checked_before_anything_runs(database: str) -> None:
    result = invoke(EXAMPLE[0], "--year", "2024")
    assert result.exit_code == 2
    assert "Missing option '--template'" in result.output

    result = invoke(*EXAMPLE, "--invited", "0")
    assert result.exit_code == 2
    assert "--invited" in result.output
    assert counts(database) == (0, 0, 0)


def test_it_registers_as_healthcheck_import_responses(database: str) -> None:
    app = typer.Typer()
    app.add_typer(import_app, name="import")

    result = CliRunner().invoke(app, ["import", "responses", *EXAMPLE])

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported 36 responses")
