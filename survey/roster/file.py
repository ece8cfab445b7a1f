"""Reading and checking a roster CSV file, before anything touches the database."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from survey.errors import RosterImportError
from survey.roster.names import did_you_mean, tidy_name
from survey.roster.roles import (
    Access,
    EmploymentType,
    find_role,
    normalise_code,
    parse_access,
    parse_employment_type,
    role_codes,
)
from survey.roster.rows import RosterProblems, RosterRow
from survey.roster.team_index import TeamIndex

REQUIRED_COLUMNS = ("name", "email", "team", "service", "role", "employment_type")
OPTIONAL_COLUMNS = ("slack_id", "teams_id", "manager_of", "access")
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
IDENTITY_COLUMNS = ("email", "slack_id", "teams_id")

# The column sizes in survey.models.organisation, so nothing is cut short on save.
MAX_LENGTHS = {
    "name": 200,
    "email": 254,
    "slack_id": 40,
    "teams_id": 80,
    "team": 120,
    "service": 120,
    "role": 60,
    "employment_type": 30,
    "access": 20,
    "manager_of": 2000,
}
MAX_FILE_BYTES = 10_000_000

SAVE_AS_UTF8 = "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
SLACK_MEMBER_ID = re.compile(r"[UW][A-Z0-9]{5,39}")
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


def parse_roster(
    data: bytes, *, known_teams: dict[str, str], create_teams: bool
) -> list[RosterRow]:
    """Check a roster file and return its people, without touching the database.

    Args:
        data: The file's bytes (UTF-8, with or without a byte order mark).
        known_teams: The organisation's teams: team name -> service name.
        create_teams: Accept teams not in ``known_teams`` (they will be created).

    Returns:
        The people in file order, with names spelt as the organisation spells them.

    Raises:
        RosterImportError: listing every problem, each with its spreadsheet row.

    """
    rows, problems = check_roster(
        data, known_teams=known_teams, create_teams=create_teams
    )
    if problems.found:
        raise RosterImportError(problems.messages())
    return rows


def read_roster_file(path: Path) -> bytes:
    """Return the bytes of a roster file, refusing one too large to be a roster."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            size = f"{MAX_FILE_BYTES // 1_000_000} MB"
            raise RosterImportError([f"{path.name} is larger than {size}"])
        return path.read_bytes()
    except FileNotFoundError:
        raise RosterImportError([f"{path}: no such file"]) from None
    except OSError as error:
        raise RosterImportError(
            [f"{path}: cannot be read ({error.strerror})"]
        ) from None


def check_roster(
    data: bytes, *, known_teams: dict[str, str], create_teams: bool
) -> tuple[list[RosterRow], RosterProblems]:
    """Check a whole roster file; return its usable rows and every problem found."""
    records = _read_table(data)
    teams = TeamIndex(known_teams, create_teams=create_teams)
    problems = RosterProblems()
    seen: dict[tuple[str, str], int] = {}
    rows = [
        _check_row(number, cells, teams, seen, problems) for number, cells in records
    ]
    if not records:
        problems.add(0, "the file has column headings but no people")
    teams.report_unknown(problems)
    return [teams.finish(row, problems) for row in rows if row is not None], problems


def _read_table(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """Split the file into (spreadsheet row number, cells by column) records."""
    reader = csv.reader(io.StringIO(_decode(data), newline=""))
    records = []
    try:
        header = _check_header(next(reader))
        # Blank rows are skipped but still counted, so numbers match the sheet.
        for number, cells in enumerate(reader, start=2):
            values = [cell.strip() for cell in cells]
            names = [name or f"#{i + 1}" for i, name in enumerate(header)]
            names += [f"#{i + 1}" for i in range(len(header), len(values))]
            if any(values):
                records.append((number, dict(zip(names, values, strict=False))))
    except csv.Error as error:
        problem = f"line {reader.line_num}: the file could not be read as CSV ({error})"
        raise RosterImportError([problem]) from None
    return records


def _decode(data: bytes) -> str:
    """Return the text of a UTF-8 file; never guess at any other encoding."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        problem = f"this is an Excel workbook, not a CSV file; {SAVE_AS_UTF8}"
        raise RosterImportError([problem])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        problem = f"the file is saved as UTF-16, not UTF-8; {SAVE_AS_UTF8}"
        raise RosterImportError([problem])
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem = (
            f"the file is not saved as UTF-8 (line {line} has a character "
            f"that is not UTF-8); {SAVE_AS_UTF8}"
        )
        raise RosterImportError([problem]) from None
    if "\x00" in text:
        raise RosterImportError([f"the file is not CSV text; {SAVE_AS_UTF8}"])
    if not text.strip():
        raise RosterImportError(["the file is empty"])
    return text


def _check_header(cells: list[str]) -> list[str]:
    """Return the column names, or raise if any are missing, unknown or repeated."""
    if len(cells) == 1 and re.search(r"[;\t|]", cells[0]):
        problem = f"the file is not comma-separated; {SAVE_AS_UTF8}"
        raise RosterImportError([problem])
    header = [normalise_code(cell) for cell in cells]
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        problems.append(
            f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}; "
            f"the columns are {', '.join(COLUMNS)} (the last "
            f"{len(OPTIONAL_COLUMNS)} may be left out)"
        )
    for typed, column in dict(zip(cells, header, strict=True)).items():
        if column and column not in COLUMNS:
            suggestion = did_you_mean(column, COLUMNS)
            problems.append(f"column '{typed}' is not a roster column{suggestion}")
    for column in sorted({c for c in header if c and header.count(c) > 1}):
        problems.append(f"column '{column}' appears more than once")
    if problems:
        raise RosterImportError(problems)
    return header


def _check_row(
    number: int,
    cells: dict[str, str],
    teams: TeamIndex,
    seen: dict[tuple[str, str], int],
    problems: RosterProblems,
) -> RosterRow | None:
    """Check one record; report its problems and return it only if it has none."""
    before = len(problems.found)
    usable: dict[str, str] = {}
    for column, value in cells.items():
        if column.startswith("#"):
            if value:
                problems.add(number, f"column {column[1:]} has a value but no heading")
        elif len(value) > MAX_LENGTHS[column]:
            problems.add(
                number,
                f"{column} is {len(value)} characters long; "
                f"the most allowed is {MAX_LENGTHS[column]}",
            )
        elif CONTROL_CHARACTER.search(value):
            problems.add(number, f"{column} contains a line break or control character")
        elif value:
            usable[column] = value
    for column in REQUIRED_COLUMNS:
        if not cells.get(column):
            problems.add(number, f"{column} is empty")

    identities = _check_identities(number, usable, seen, problems)
    role = find_role(usable.get("role", "?"))
    if "role" in usable and role is None:
        typed = normalise_code(usable["role"])
        problems.add(
            number,
            f"role '{usable['role']}' is not a known role"
            f"{did_you_mean(typed, role_codes())}; "
            f"use one of: {', '.join(role_codes())}",
        )
    employment_type = parse_employment_type(usable.get("employment_type", "?"))
    if "employment_type" in usable and employment_type is None:
        problems.add(
            number,
            f"employment_type '{usable['employment_type']}' is not one of "
            f"{', '.join(EmploymentType)}",
        )
    access = parse_access(usable["access"]) if "access" in usable else None
    if "access" in usable and access is None:
        problems.add(
            number,
            f"access '{usable['access']}' is not one of {', '.join(Access)} (leave "
            "it blank to work it out from role and manager_of)",
        )
    placed = None
    if "team" in usable and "service" in usable:
        placed = teams.place(number, usable["team"], usable["service"], problems)
    manager_of = [tidy_name(name) for name in usable.get("manager_of", "").split(";")]

    if len(problems.found) > before or not (role and employment_type and placed):
        return None
    return RosterRow(
        row=number,
        name=tidy_name(usable["name"]),
        email=identities["email"] or "",
        slack_id=identities["slack_id"],
        teams_id=identities["teams_id"],
        team=placed[0],
        service=placed[1],
        role=role.code,
        employment_type=employment_type.value,
        access=access.value if access else "",
        manager_of=tuple(name for name in manager_of if name),
    )


def _check_identities(
    number: int,
    usable: dict[str, str],
    seen: dict[tuple[str, str], int],
    problems: RosterProblems,
) -> dict[str, str | None]:
    """Check email, Slack id and Teams id, and that no earlier row has them."""
    found: dict[str, str | None] = dict.fromkeys(IDENTITY_COLUMNS)
    if "email" in usable:
        try:
            checked = validate_email(usable["email"], check_deliverability=False)
            found["email"] = checked.normalized.lower()
        except EmailNotValidError:
            problems.add(
                number, f"email '{usable['email']}' is not a valid email address"
            )
    if "slack_id" in usable:
        if SLACK_MEMBER_ID.fullmatch(usable["slack_id"].upper()):
            found["slack_id"] = usable["slack_id"].upper()
        else:
            problems.add(
                number,
                f"slack_id '{usable['slack_id']}' is not a Slack member ID (one looks "
                "like U024BE7LH: in Slack open the profile, then More, Copy member ID)",
            )
    if "teams_id" in usable:
        if re.search(r"\s", usable["teams_id"]):
            problems.add(number, f"teams_id '{usable['teams_id']}' contains spaces")
        else:
            found["teams_id"] = usable["teams_id"]
    for column, value in found.items():
        if value is not None:
            first = seen.setdefault((column, value.casefold()), number)
            if first != number:
                problems.add(
                    number,
                    f"{column} '{value}' is also on row {first}; "
                    "each person may appear only once",
                )
    return found
