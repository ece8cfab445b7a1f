"""The `healthcheck` command line, run in-process and as a real process.

Every user mistake must end in one readable "Error: ..." line and a non-zero exit
code, never a traceback.
"""

from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer

from bot.cli import app, main
from survey.migrate import head_revision
from survey.questions.bank import BANK_DIR, load_all
from survey.roster.roles import Workforce, find_role, role_codes

ROOT = Path(__file__).parents[2]
EXAMPLE_ROSTER = ROOT / "examples" / "roster.csv"
HEALTHCHECK = Path(sys.executable).parent / "healthcheck"
NOT_MIGRATED = "Run `healthcheck db upgrade` first."


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def error_line(self) -> str:
        """The one line a user mistake prints, checked to be exactly one."""
        lines = self.err.splitlines()
        assert len(lines) == 1, f"expected one line on stderr, got {self.err!r}"
        assert lines[0].startswith("Error: "), lines[0]
        return lines[0]


@pytest.fixture
def database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A fresh SQLite file named by DATABASE_URL, in development mode as `make run`.

    No other settings come from outside.
    """
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "data" / "healthcheck.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    return path


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], database: Path) -> RunCli:
    return RunCli(capsys)


class RunCli:
    """Run `healthcheck ARGS` in this process and capture what it printed."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *args: str | Path) -> Result:
        self.capsys.readouterr()
        code = main([str(arg) for arg in args])
        out, err = self.capsys.readouterr()
        assert "Traceback" not in out + err
        return Result(code, out, err)

    def ok(self, *args: str | Path) -> str:
        result = self(*args)
        assert (result.code, result.err) == (0, ""), result
        return result.out

    def refused(self, *args: str | Path) -> Result:
        result = self(*args)
        assert result.code == 1, result
        return result


@pytest.fixture
def westmere(run: RunCli) -> RunCli:
    """A migrated database with the example council's roster imported."""
    run.ok("db", "upgrade")
    run.ok("org", "create", "westmere", "Westmere Borough Council")
    run.ok("roster", "import", EXAMPLE_ROSTER, "--create-teams", "--org", "westmere")
    return run


def rows_of(database: Path, query: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database) as connection:
        return sorted(connection.execute(query).fetchall())


def command_paths() -> list[list[str]]:
    """Every command and group of the CLI, as the words that reach it."""
    found: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        found.append(path)
        # Typer ships its own copy of click, so groups are told by their commands.
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


# Help


def test_every_command_and_group_has_help(run: RunCli) -> None:
    paths = command_paths()
    expected = {
        "serve",
        "worker",
        "db upgrade",
        "db current",
        "org create",
        "roster import",
        "template check",
        "campaign create",
        "campaign open",
        "campaign close",
        "campaign list",
        "demo seed",
    }
    assert expected <= {" ".join(path) for path in paths}
    for path in paths:
        out = run.ok(*path, "--help")
        assert out.startswith(f"Usage: healthcheck {' '.join(path)}".rstrip()), path
        assert "Show this message and exit." in out


def test_a_group_without_a_command_shows_its_help(run: RunCli) -> None:
    result = run("campaign")
    assert result.code == 2
    assert "Usage: healthcheck campaign" in result.err
    assert "create" in result.err


def test_an_unknown_command_is_one_line_and_exit_2(run: RunCli) -> None:
    result = run("frobnicate")
    assert result.code == 2
    assert result.error_line == "Error: No such command 'frobnicate'. (see --help)"


def test_a_missing_option_is_named(run: RunCli) -> None:
    result = run("campaign", "create", "Health check 2026")
    assert result.code == 2
    assert result.error_line == "Error: Missing option '--template'. (see --help)"


# The database


def test_db_upgrade_then_current(run: RunCli, database: Path) -> None:
    head = head_revision()
    assert run.ok("db", "current") == f"database: empty; code: {head}\n"
    assert run.ok("db", "upgrade") == f"Database is at {head}.\n"
    assert run.ok("db", "current") == f"database: {head}; code: {head}\n"
    assert run.ok("db", "upgrade") == f"Database is at {head}.\n"
    assert database.is_file()


@pytest.mark.parametrize(
    "command",
    [
        ["campaign", "list"],
        ["campaign", "open", "Health check 2026"],
        ["org", "create", "westmere", "Westmere"],
        ["roster", "import", str(EXAMPLE_ROSTER)],
        ["demo", "seed"],
        ["serve"],
        ["worker"],
    ],
    ids=lambda command: "-".join(command[:2]),
)
def test_commands_on_a_database_not_migrated_say_to_upgrade(
    run: RunCli, database: Path, command: list[str]
) -> None:
    line = run.refused(*command).error_line
    assert line == (
        "Error: The database schema is at nothing (empty), but this version needs "
        f"{head_revision()}. {NOT_MIGRATED}"
    )
    assert rows_of(database, "SELECT name FROM sqlite_master WHERE type='table'") == []


# Organisations and the roster


def test_org_create_and_its_mistakes(run: RunCli, database: Path) -> None:
    run.ok("db", "upgrade")
    assert run.ok("org", "create", "westmere", "Westmere Borough Council") == (
        "Created organisation 'westmere'.\n"
    )
    again = run.refused("org", "create", "westmere", "Another Council")
    assert again.error_line == (
        "Error: There is already an organisation 'westmere' (Westmere Borough Council)."
    )
    small = run.refused("org", "create", "tiny", "Tiny", "--min-group-size", "2")
    assert small.error_line == "Error: The minimum group size cannot be below 3."
    assert rows_of(database, "SELECT slug, min_group_size FROM organisation") == [
        ("westmere", 5)
    ]
    templates = rows_of(database, "SELECT key FROM template")
    assert templates == sorted((bank.key,) for bank in load_all())


def test_roster_import_of_the_example_file(westmere: RunCli, database: Path) -> None:
    with EXAMPLE_ROSTER.open(encoding="utf-8") as file:
        people = list(csv.DictReader(file))
    stored = rows_of(database, "SELECT email, active FROM person")
    assert stored == sorted((person["email"], 1) for person in people)
    again = westmere.ok("roster", "import", EXAMPLE_ROSTER, "--org", "westmere")
    assert again == (
        f"Roster imported: 0 added, 0 updated, 0 reactivated, 0 deactivated, "
        f"{len(people)} unchanged.\n"
    )


def test_a_bad_roster_prints_its_problems_and_changes_nothing(
    westmere: RunCli, database: Path, tmp_path: Path
) -> None:
    original = EXAMPLE_ROSTER.read_text(encoding="utf-8")
    lines = original.splitlines()  # lines[n - 1] is spreadsheet row n
    lines[3] = lines[3].replace("Senior social worker", "Senior social wroker")
    lines[5] = lines[5].replace("aisha.begum@westmere.gov.uk", "aisha.begum@")
    lines = lines[:-1]  # the last person has "left", which would deactivate them
    assert "wroker" in lines[3]
    assert "aisha.begum@," in lines[5]
    bad = tmp_path / "bad-roster.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = rows_of(database, "SELECT * FROM person")

    result = westmere.refused("roster", "import", bad, "--org", "westmere")
    assert result.out == ""
    assert result.err.splitlines() == [
        "Error: row 4: role 'Senior social wroker' is not a known role "
        "(did you mean 'senior_social_worker'?); use one of: "
        + ", ".join(role_codes()),
        "row 6: email 'aisha.begum@' is not a valid email address",
    ]
    assert rows_of(database, "SELECT * FROM person") == before


def test_roster_mistakes_are_one_line(westmere: RunCli, tmp_path: Path) -> None:
    missing = westmere.refused("roster", "import", tmp_path / "nope.csv")
    assert missing.error_line == f"Error: {tmp_path / 'nope.csv'}: no such file"
    no_org = westmere.refused("roster", "import", EXAMPLE_ROSTER)
    assert no_org.error_line.startswith("Error: There is no organisation 'demo'.")


# Templates


def test_template_check_on_the_shipped_banks(run: RunCli) -> None:
    out = run.ok("template", "check").splitlines()
    banks = load_all()
    assert out[-1] == f"All banks in {BANK_DIR} are valid."
    assert sorted(out[:-1]) == sorted(
        f"{bank.key} v{bank.version}: {len(bank.questions)} questions "
        f"({bank.kind}, {bank.audience})"
        for bank in banks
    )
    one = run.ok("template", "check", BANK_DIR / "pulse-check.yaml")
    assert one.startswith("pulse-check v")


def test_template_check_names_the_file_and_question(
    run: RunCli, tmp_path: Path
) -> None:
    bad = tmp_path / "my-pulse.yaml"
    bad.write_text(
        "key: my-pulse\n"
        "version: 1\n"
        "title: My pulse\n"
        "kind: pulse\n"
        "audience: everyone\n"
        "questions:\n"
        "  - id: Q1\n"
        "    text: My workload is manageable.\n"
        "    scale: agree5\n"
        "    theme: workload\n"
        "  - id: Q2\n"
        "    text: I feel supported.\n"
        "    scale: agree7\n"
        "    theme: management_support\n",
        encoding="utf-8",
    )
    result = run.refused("template", "check", bad)
    assert (
        result.error_line == "Error: my-pulse.yaml: Q2: scale: unknown scale 'agree7'"
    )
    assert result.out == ""

    broken = tmp_path / "broken.yaml"
    broken.write_text("key: broken\nquestions: [\n", encoding="utf-8")
    assert run.refused("template", "check", broken).error_line.startswith(
        "Error: broken.yaml (line 3, column 1): "
    )


# Campaigns


def social_workers_in_example() -> int:
    with EXAMPLE_ROSTER.open(encoding="utf-8") as file:
        roles = [find_role(person["role"]) for person in csv.DictReader(file)]
    return sum(1 for role in roles if role and role.workforce == Workforce.SOCIAL_WORK)


def test_campaign_create_open_list_close(westmere: RunCli, database: Path) -> None:
    name = "Health check 2026"
    org = ("--org", "westmere")
    created = westmere.ok(
        "campaign",
        "create",
        name,
        "--template",
        "social-worker-health-check",
        "--workforce",
        "social_work",
        "--year",
        "2026",
        *org,
    )
    assert created == (
        f"Created '{name}' for social_work. Open it with "
        f'`healthcheck survey open "{name}"`.\n'
    )
    assert westmere.ok("campaign", "list", *org) == (
        f"{name}\tdraft\tsocial-worker-health-check v2\tsocial_work\n"
    )
    invited = social_workers_in_example()
    assert invited > 0
    assert westmere.ok("campaign", "open", "health check 2026", *org) == (
        f"Opened 'health check 2026': {invited} people invited.\n"
    )
    assert rows_of(database, "SELECT COUNT(*) FROM participation") == [(invited,)]
    assert westmere.ok("campaign", "list", *org).split("\t")[:2] == [name, "open"]
    # 'healthcheck survey ...' is the same command as 'healthcheck campaign ...'.
    assert westmere.ok("survey", "close", name, *org) == f"Closed '{name}'.\n"
    assert westmere.ok("survey", "list", *org).split("\t")[:2] == [name, "closed"]


def test_campaign_mistakes_are_one_line_each(westmere: RunCli, database: Path) -> None:
    org = ("--org", "westmere")
    assert westmere.ok("campaign", "list", *org) == "No surveys yet.\n"
    unknown_template = westmere.refused(
        "campaign", "create", "Pulse", "--template", "pulse", *org
    )
    assert unknown_template.error_line == (
        "Error: There is no template 'pulse'. Templates: briefing-feedback, "
        "pulse-check, social-worker-health-check, wider-workforce-health-check."
    )
    unknown_team = westmere.refused(
        "campaign",
        "create",
        "Pulse",
        "--template",
        "pulse-check",
        "--team",
        "Nope",
        *org,
    )
    assert unknown_team.error_line.startswith("Error: There is no team 'Nope'. Teams: ")
    unknown_campaign = westmere.refused("campaign", "open", "Pulse", *org)
    assert unknown_campaign.error_line == (
        "Error: There is no survey 'Pulse'; there are no surveys yet."
    )
    westmere.ok("campaign", "create", "Pulse", "--template", "pulse-check", *org)
    duplicate = westmere.refused(
        "campaign", "create", "PULSE", "--template", "pulse-check", *org
    )
    assert duplicate.error_line == ("Error: There is already a survey called 'PULSE'.")
    draft_close = westmere.refused("campaign", "close", "Pulse", *org)
    assert draft_close.error_line == (
        "Error: 'Pulse' is draft, so it cannot be closed."
    )
    westmere.ok("campaign", "open", "Pulse", *org)
    assert westmere.refused("campaign", "open", "Pulse", *org).error_line == (
        "Error: 'Pulse' is already open."
    )
    westmere.ok("campaign", "close", "Pulse", *org)
    assert westmere.refused("campaign", "close", "Pulse", *org).error_line == (
        "Error: 'Pulse' is closed, so it cannot be closed."
    )
    assert westmere.refused("campaign", "open", "Pulse", *org).error_line == (
        "Error: 'Pulse' has closed and cannot be reopened; create a new one."
    )
    assert rows_of(database, "SELECT name, status FROM campaign") == [
        ("Pulse", "closed")
    ]


# The demo


def test_demo_seed_twice(run: RunCli, database: Path) -> None:
    run.ok("db", "upgrade")
    first = run.ok("demo", "seed")
    assert first.startswith("Seeded 'Demo City Council' (demo): 9 teams,")
    assert first.endswith("and 3 open surveys.\n")
    people = rows_of(database, "SELECT COUNT(*) FROM person")
    assert run.ok("demo", "seed") == (
        "The demo organisation already exists; nothing to do.\n"
    )
    assert rows_of(database, "SELECT COUNT(*) FROM person") == people
    listed = run.ok("survey", "list").splitlines()
    # Two closed years of both health checks, three closed pulses, three open.
    assert len(listed) == 10
    assert sum("\topen\t" in line for line in listed) == 3
    assert sum("\tclosed\tpulse-check" in line for line in listed) == 3


# Settings


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "HEALTHCHECK_PORT",
            "abc",
            "Error: Settings problem: HEALTHCHECK_PORT: Input should be a valid "
            "integer, unable to parse string as an integer",
        ),
        (
            "DATABASE_URL",
            "mysql://x",
            "Error: DATABASE_URL must be SQLite or PostgreSQL, not mysql",
        ),
        (
            "HEALTHCHECK_MODE",
            "production",
            "Error: Settings problem: HEALTHCHECK_SECRET_KEY must be set in "
            "production mode (a long random string; it keys drafts and personal "
            "links)",
        ),
        (
            "HEALTHCHECK_MIN_GROUP_SIZE",
            "2",
            "Error: Settings problem: HEALTHCHECK_MIN_GROUP_SIZE: Input should be "
            "greater than or equal to 3",
        ),
    ],
    ids=["port", "database-url", "production-secret", "group-size"],
)
@pytest.mark.parametrize("command", [["db", "current"], ["db", "upgrade"]])
def test_bad_settings_are_one_line_naming_the_setting(
    run: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    expected: str,
    command: list[str],
) -> None:
    monkeypatch.setenv(variable, value)
    assert run.refused(*command).error_line == expected


# A real process


def run_process(args: list[str], environment: dict[str, str], cwd: Path) -> Result:
    completed = subprocess.run(
        [str(HEALTHCHECK), *args],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in completed.stdout + completed.stderr
    return Result(completed.returncode, completed.stdout, completed.stderr)


def test_the_installed_command_prints_no_traceback(
    database: Path, tmp_path: Path
) -> None:
    assert HEALTHCHECK.is_file(), "`pip install -e .` installs the healthcheck script"
    environment = dict(os.environ)
    head = head_revision()

    not_migrated = run_process(["campaign", "list"], environment, tmp_path)
    assert not_migrated.code == 1
    assert not_migrated.error_line.endswith(NOT_MIGRATED)

    assert run_process(["db", "upgrade"], environment, tmp_path).out == (
        f"Database is at {head}.\n"
    )
    created = run_process(
        ["org", "create", "westmere", "Westmere"], environment, tmp_path
    )
    assert created.code == 0
    twice = run_process(
        ["org", "create", "westmere", "Westmere"], environment, tmp_path
    )
    assert twice.code == 1
    assert twice.error_line == (
        "Error: There is already an organisation 'westmere' (Westmere)."
    )
    unknown = run_process(
        ["campaign", "close", "Nope", "--org", "westmere"], environment, tmp_path
    )
    assert (unknown.code, unknown.error_line) == (
        1,
        "Error: There is no survey 'Nope'; there are no surveys yet.",
    )
    bad_port = run_process(
        ["db", "current"], environment | {"HEALTHCHECK_PORT": "abc"}, tmp_path
    )
    assert bad_port.code == 1
    assert bad_port.error_line.startswith("Error: Settings problem: HEALTHCHECK_PORT")
    typo = run_process(["campain", "list"], environment, tmp_path)
    assert typo.code == 2
    assert typo.error_line == (
        "Error: No such command 'campain'. Did you mean 'campaign'? (see --help)"
    )


def test_development_mode_refuses_to_serve_on_a_network_address(
    run: RunCli, database: Path
) -> None:
    run.ok("db", "upgrade")
    result = run("serve", "--host", "0.0.0.0")
    assert result.code == 1
    assert result.error_line == (
        "Error: Development mode serves only on this computer (127.0.0.1), not "
        "0.0.0.0: its persona picker lets anyone sign in as anyone. To serve on a "
        "network set HEALTHCHECK_MODE=production and HEALTHCHECK_SECRET_KEY"
    )


def test_production_is_the_default_and_refuses_the_demo(
    run: RunCli, database: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HEALTHCHECK_MODE")
    refused = run("db", "upgrade")
    assert refused.error_line.startswith(
        "Error: Settings problem: HEALTHCHECK_SECRET_KEY must be set in production"
    )
    monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", "production-secret-0123456789")
    run.ok("db", "upgrade")
    assert run("demo", "seed").error_line == (
        "Error: The demo organisation is for development mode only: run it with "
        "HEALTHCHECK_MODE=development (make run does)"
    )
    monkeypatch.setenv("HEALTHCHECK_SEED_DEMO", "true")
    assert run("serve").error_line == (
        "Error: Settings problem: HEALTHCHECK_SEED_DEMO must be off in production "
        "mode (the demo organisation and its persona picker are for development only)"
    )


def test_make_run_chooses_development_mode_explicitly() -> None:
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    commands = [line.strip() for line in recipe.splitlines()[1:] if line.strip()]
    assert commands, recipe
    assert all(line.startswith("HEALTHCHECK_MODE=development ") for line in commands)
    procfile = (ROOT / "Procfile").read_text()
    assert "development" not in procfile


def test_template_check_asks_for_the_reason_a_question_is_required(
    run: RunCli, tmp_path: Path
) -> None:
    bad = tmp_path / "forced.yaml"
    bad.write_text(
        "key: forced\nversion: 1\ntitle: Forced\nkind: pulse\naudience: everyone\n"
        "questions:\n"
        "  - id: WB01\n"
        "    text: My job often makes me feel stressed.\n"
        "    scale: agree5\n"
        "    theme: stress_wellbeing\n"
        "    required: true\n",
        encoding="utf-8",
    )
    result = run.refused("template", "check", bad)
    assert result.error_line == (
        "Error: forced.yaml: WB01: required: give the reason people may not skip "
        "it, like required: {reason: Needed to route the follow-up questions}"
    )

    bad.write_text(
        bad.read_text(encoding="utf-8").replace(
            "required: true", "required: {reason: Needed to count who is stressed.}"
        ),
        encoding="utf-8",
    )
    assert run.ok("template", "check", bad).startswith("forced v1: 1 questions")
