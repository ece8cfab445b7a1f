"""Roster import: a CSV of the workforce, checked in full before anything is stored."""

from __future__ import annotations

import asyncio
import csv
import difflib
import io
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import NotFoundError, RosterImportError
from survey.models import ManagerOf, Organisation, Person, Service, Team
from survey.models.columns import utcnow
from survey.roles import (
    Access,
    EmploymentType,
    access_for,
    find_role,
    normalise_code,
    parse_access,
    parse_employment_type,
    role_codes,
)

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
MAX_PROBLEMS = 100

SAVE_AS_UTF8 = "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
SLACK_MEMBER_ID = re.compile(r"[UW][A-Z0-9]{5,39}")
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RosterRow:
    """One checked person from the roster file.

    Attributes:
        row: The spreadsheet row number (the first person is row 2).
        email: Lowercased; the main way people are matched between imports.
        team: The team's name as the organisation spells it.
        manager_of: Names of the teams this person manages.
        access: ``staff``, ``manager`` or ``psw``, worked out by ``access_for``.

    """

    row: int
    name: str
    email: str
    slack_id: str | None
    teams_id: str | None
    team: str
    service: str
    role: str
    employment_type: str
    access: str
    manager_of: tuple[str, ...] = ()


@dataclass
class RosterImportReport:
    """What an import changed, in counts of people and teams."""

    added: int = 0
    updated: int = 0
    deactivated: int = 0
    reactivated: int = 0
    unchanged: int = 0
    teams_created: int = 0
    services_created: int = 0

    def summary(self) -> str:
        """Describe the import in one line for the command line."""
        line = (
            f"Roster imported: {self.added} added, {self.updated} updated, "
            f"{self.reactivated} reactivated, {self.deactivated} deactivated, "
            f"{self.unchanged} unchanged"
        )
        if self.teams_created or self.services_created:
            line += (
                f"; created {_plural(self.teams_created, 'team')} and "
                f"{_plural(self.services_created, 'service')}"
            )
        return f"{line}."


@dataclass
class _Problems:
    """Problems found so far, each with the row it belongs to (0 for the file)."""

    found: list[tuple[int, str]] = field(default_factory=list)

    def add(self, rows: int | Iterable[int], message: str) -> None:
        numbers = [rows] if isinstance(rows, int) else sorted(rows)
        if numbers == [0]:
            self.found.append((0, message))
            return
        where = "row" if len(numbers) == 1 else "rows"
        listed = ", ".join(str(number) for number in numbers)
        self.found.append((numbers[0], f"{where} {listed}: {message}"))

    def messages(self) -> list[str]:
        ordered = [message for _, message in sorted(self.found, key=lambda p: p[0])]
        if len(ordered) > MAX_PROBLEMS:
            more = len(ordered) - MAX_PROBLEMS
            ordered = [*ordered[:MAX_PROBLEMS], f"... and {more} more problems"]
        return ordered


async def import_roster(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    path: Path,
    create_teams: bool = False,
) -> RosterImportReport:
    """Bring the organisation's roster in line with a CSV file.

    People are matched by email, Slack id or Teams id and updated in place; people
    not in the file are deactivated, never deleted; manager links are replaced to
    match the file. Everything is written in the caller's transaction, and only
    once the whole file has been checked.

    Args:
        session: The session whose transaction the changes join.
        organisation_id: The organisation whose roster this is.
        path: The CSV file (UTF-8, with or without a byte order mark).
        create_teams: Create teams and services the organisation does not have yet.

    Returns:
        Counts of what changed.

    Raises:
        RosterImportError: listing every problem; nothing has been written.
        NotFoundError: if there is no such organisation.

    """
    data = await asyncio.to_thread(_read_file, path)
    if await session.get(Organisation, organisation_id) is None:
        raise NotFoundError(f"there is no organisation with id {organisation_id}")
    in_organisation = Service.organisation_id == organisation_id
    services = list((await session.exec(select(Service).where(in_organisation))).all())
    in_organisation = Team.organisation_id == organisation_id
    teams = list((await session.exec(select(Team).where(in_organisation))).all())
    in_organisation = Person.organisation_id == organisation_id
    people = list((await session.exec(select(Person).where(in_organisation))).all())
    service_names = {service.id: service.name for service in services}
    known_teams = {team.name: service_names[team.service_id] for team in teams}
    rows, problems = _check_roster(
        data, known_teams=known_teams, create_teams=create_teams
    )
    matches = _match_people(rows, people, problems)
    if problems.found:
        raise RosterImportError(problems.messages())

    report = RosterImportReport()
    team_ids = await _add_teams(
        session, organisation_id, rows, services=services, teams=teams, report=report
    )
    links = (
        await session.exec(
            select(ManagerOf)
            .join(Person, col(ManagerOf.person_id) == col(Person.id))
            .where(in_organisation)
        )
    ).all()
    current: dict[uuid.UUID, set[uuid.UUID]] = {}
    for link in links:
        current.setdefault(link.person_id, set()).add(link.team_id)
    wanted: dict[uuid.UUID, set[uuid.UUID]] = {}
    for row in rows:
        person = matches.get(row.row)
        teams_managed = {team_ids[_key(name)] for name in row.manager_of}
        if person is None:
            person = _new_person(organisation_id, row, team_ids)
            session.add(person)
            report.added += 1
        else:
            changed = _apply(person, row, team_ids)
            changed |= teams_managed != current.get(person.id, set())
            if not person.active:
                report.reactivated += 1
            elif changed:
                report.updated += 1
            else:
                report.unchanged += 1
            if changed or not person.active:
                person.active, person.updated_at = True, utcnow()
        wanted[person.id] = teams_managed
    for person in people:
        if person.id not in wanted and person.active:
            person.active, person.updated_at = False, utcnow()
            report.deactivated += 1
    await session.flush()
    # Links go last: a new person's row must exist before a link can point at it.
    for link in links:
        if link.team_id not in wanted.get(link.person_id, set()):
            await session.delete(link)
    for person_id, team_set in wanted.items():
        for team_id in team_set - current.get(person_id, set()):
            session.add(ManagerOf(person_id=person_id, team_id=team_id))
    await session.flush()
    return report


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
    rows, problems = _check_roster(
        data, known_teams=known_teams, create_teams=create_teams
    )
    if problems.found:
        raise RosterImportError(problems.messages())
    return rows


def _read_file(path: Path) -> bytes:
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


def _check_roster(
    data: bytes, *, known_teams: dict[str, str], create_teams: bool
) -> tuple[list[RosterRow], _Problems]:
    records = _read_table(data)
    teams = _TeamIndex(known_teams, create_teams=create_teams)
    problems = _Problems()
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
            suggestion = _did_you_mean(column, COLUMNS)
            problems.append(f"column '{typed}' is not a roster column{suggestion}")
    for column in sorted({c for c in header if c and header.count(c) > 1}):
        problems.append(f"column '{column}' appears more than once")
    if problems:
        raise RosterImportError(problems)
    return header


def _check_row(
    number: int,
    cells: dict[str, str],
    teams: _TeamIndex,
    seen: dict[tuple[str, str], int],
    problems: _Problems,
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
            f"{_did_you_mean(typed, role_codes())}; "
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
    manager_of = [_tidy(name) for name in usable.get("manager_of", "").split(";")]

    if len(problems.found) > before or not (role and employment_type and placed):
        return None
    return RosterRow(
        row=number,
        name=_tidy(usable["name"]),
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
    problems: _Problems,
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


class _TeamIndex:
    """The organisation's teams, plus any the file adds when teams may be created."""

    def __init__(self, known_teams: dict[str, str], *, create_teams: bool) -> None:
        self.create_teams = create_teams
        self.known = {_key(team): (team, home) for team, home in known_teams.items()}
        self.services = {_key(home): home for home in known_teams.values()}
        self.new: dict[str, tuple[str, str, int]] = {}
        self.unknown: dict[str, tuple[str, list[int]]] = {}

    def place(
        self, number: int, team: str, service: str, problems: _Problems
    ) -> tuple[str, str] | None:
        """Return the team and its service as the organisation spells them."""
        key = _key(team)
        if key in self.known:
            name, home = self.known[key]
            if _key(service) != _key(home):
                message = f"team '{name}' is in service '{home}', not '{service}'"
                problems.add(number, message)
                return None
            return name, home
        if not self.create_teams:
            self.unknown.setdefault(key, (team, []))[1].append(number)
            return None
        service = self.services.setdefault(_key(service), _tidy(service))
        name, home, first = self.new.setdefault(key, (_tidy(team), service, number))
        if home != service:
            problems.add(
                number,
                f"team '{name}' is under service '{home}' on row {first}, "
                f"but under '{service}' here",
            )
            return None
        return name, home

    def report_unknown(self, problems: _Problems) -> None:
        """Report each unknown team once, naming every row that uses it."""
        names = {key: name for key, (name, _) in self.known.items()}
        for team, numbers in self.unknown.values():
            problems.add(
                numbers,
                f"team '{team}' is not a team in this organisation"
                f"{_did_you_mean(_key(team), names)}; fix the spelling, or import "
                "with --create-teams to add it",
            )

    def finish(self, row: RosterRow, problems: _Problems) -> RosterRow:
        """Resolve the row's manager_of names and work out its access."""
        names: list[str] = []
        for typed in row.manager_of:
            key = _key(typed)
            if key in self.known or key in self.new:
                names.append((self.known.get(key) or self.new[key])[0])
                continue
            known = {k: name for k, (name, _) in self.known.items()}
            elsewhere = " or in the team column" if self.create_teams else ""
            problems.add(
                row.row,
                f"manager_of names team '{typed}', which is not a team in this "
                f"organisation{elsewhere}{_did_you_mean(key, known)}",
            )
        teams = tuple(dict.fromkeys(names))
        access = access_for(row.role, bool(teams), row.access or None)
        return replace(row, manager_of=teams, access=access.value)


def _match_people(
    rows: list[RosterRow], people: list[Person], problems: _Problems
) -> dict[int, Person]:
    """Pair rows with people already on the roster: row number -> person."""
    index: dict[tuple[str, str], list[Person]] = {}
    for person in people:
        for identity in _identities(person.email, person.slack_id, person.teams_id):
            index.setdefault(identity, []).append(person)
    matches: dict[int, Person] = {}
    claimed: dict[uuid.UUID, int] = {}
    for row in rows:
        found: dict[uuid.UUID, tuple[Person, str]] = {}
        for column, value in _identities(row.email, row.slack_id, row.teams_id):
            for person in index.get((column, value), []):
                found.setdefault(person.id, (person, f"{column} '{value}'"))
        if len(found) > 1:
            owners = "; ".join(f"{what} is {p.email}'s" for p, what in found.values())
            problems.add(
                row.row,
                f"fits more than one person already on the roster ({owners}); "
                "correct the row so it fits one person",
            )
        elif found:
            person = next(iter(found.values()))[0]
            if person.id in claimed:
                problems.add(
                    row.row,
                    f"is the same person as row {claimed[person.id]} "
                    f"({person.email} on the roster)",
                )
            else:
                claimed[person.id] = row.row
                matches[row.row] = person
    return matches


def _identities(
    email: str, slack_id: str | None, teams_id: str | None
) -> list[tuple[str, str]]:
    pairs = zip(IDENTITY_COLUMNS, (email.casefold(), slack_id, teams_id), strict=True)
    return [(column, value) for column, value in pairs if value]


async def _add_teams(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    rows: list[RosterRow],
    *,
    services: list[Service],
    teams: list[Team],
    report: RosterImportReport,
) -> dict[str, uuid.UUID]:
    """Create the file's new services and teams; return team ids by name key."""
    service_by_key = {_key(service.name): service for service in services}
    team_ids = {_key(team.name): team.id for team in teams}
    new_teams: dict[str, tuple[str, str]] = {}
    for row in rows:
        if _key(row.team) not in team_ids:
            new_teams.setdefault(_key(row.team), (row.team, row.service))
    for _, service_name in new_teams.values():
        if _key(service_name) not in service_by_key:
            service = Service(organisation_id=organisation_id, name=service_name)
            service_by_key[_key(service_name)] = service
            session.add(service)
            report.services_created += 1
    # Flushed in order because the models declare no relationships to sort by.
    await session.flush()
    for key, (team_name, service_name) in new_teams.items():
        service_id = service_by_key[_key(service_name)].id
        team = Team(
            organisation_id=organisation_id, service_id=service_id, name=team_name
        )
        session.add(team)
        team_ids[key] = team.id
        report.teams_created += 1
    await session.flush()
    return team_ids


def _new_person(
    organisation_id: uuid.UUID, row: RosterRow, team_ids: dict[str, uuid.UUID]
) -> Person:
    return Person(
        organisation_id=organisation_id,
        name=row.name,
        email=row.email,
        slack_id=row.slack_id,
        teams_id=row.teams_id,
        team_id=team_ids[_key(row.team)],
        role=row.role,
        employment_type=row.employment_type,
        access=row.access,
    )


def _apply(person: Person, row: RosterRow, team_ids: dict[str, uuid.UUID]) -> bool:
    """Copy the row onto the person; return whether anything changed."""
    wanted = _new_person(person.organisation_id, row, team_ids).model_dump(
        exclude={"id", "active", "updated_at"}
    )
    changed = False
    for attribute, value in wanted.items():
        if getattr(person, attribute) != value:
            setattr(person, attribute, value)
            changed = True
    return changed


def _key(name: str) -> str:
    """Return how names are compared: case, spacing and curly apostrophes ignored."""
    return " ".join(name.replace("\u2019", "'").casefold().split())


def _tidy(name: str) -> str:
    return " ".join(name.split())


def _did_you_mean(typed: str, choices: Iterable[str] | Mapping[str, str]) -> str:
    """Suggest close matches; ``choices`` may map comparison keys to shown names."""
    shown = dict(choices) if isinstance(choices, Mapping) else {c: c for c in choices}
    scored = sorted(
        ((difflib.SequenceMatcher(None, typed, key).ratio(), key) for key in shown),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.6:
        return ""
    # Only the near-best, so one clear typo does not bring a list of also-rans.
    close = [key for ratio, key in scored[:3] if ratio >= scored[0][0] - 0.1]
    return " (did you mean " + " or ".join(f"'{shown[c]}'" for c in close) + "?)"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
