"""Roster import: a CSV of the workforce, checked in full before anything is stored.

Reading and checking the file lives in :mod:`survey.roster.file`; this module
matches the checked rows with the people already on the roster and writes the
changes.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import NotFoundError, RosterImportError
from survey.models import ManagerOf, Organisation, Person, Service, Team
from survey.models.columns import utcnow
from survey.roster.file import (
    COLUMNS,
    CONTROL_CHARACTER,
    IDENTITY_COLUMNS,
    MAX_FILE_BYTES,
    MAX_LENGTHS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    SAVE_AS_UTF8,
    SLACK_MEMBER_ID,
    check_roster,
    parse_roster,
    read_roster_file,
)
from survey.roster.names import name_key
from survey.roster.rows import MAX_PROBLEMS, RosterProblems, RosterRow

__all__ = [
    "COLUMNS",
    "CONTROL_CHARACTER",
    "IDENTITY_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_LENGTHS",
    "MAX_PROBLEMS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "SAVE_AS_UTF8",
    "SLACK_MEMBER_ID",
    "RosterImportReport",
    "RosterRow",
    "import_roster",
    "match_people",
    "parse_roster",
]


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


async def import_roster(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    path: Path | None = None,
    data: bytes | None = None,
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
        data: The file's bytes instead of ``path`` (an upload, already read).
        create_teams: Create teams and services the organisation does not have yet.

    Returns:
        Counts of what changed.

    Raises:
        RosterImportError: listing every problem; nothing has been written.
        NotFoundError: if there is no such organisation.

    """
    if data is None:
        assert path is not None, "give the roster's path or its bytes"
        data = await asyncio.to_thread(read_roster_file, path)
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
    rows, problems = check_roster(
        data, known_teams=known_teams, create_teams=create_teams
    )
    matches = match_people(rows, people, problems)
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
        teams_managed = {team_ids[name_key(name)] for name in row.manager_of}
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


def match_people(
    rows: list[RosterRow], people: list[Person], problems: RosterProblems
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
    service_by_key = {name_key(service.name): service for service in services}
    team_ids = {name_key(team.name): team.id for team in teams}
    new_teams: dict[str, tuple[str, str]] = {}
    for row in rows:
        if name_key(row.team) not in team_ids:
            new_teams.setdefault(name_key(row.team), (row.team, row.service))
    for _, service_name in new_teams.values():
        if name_key(service_name) not in service_by_key:
            service = Service(organisation_id=organisation_id, name=service_name)
            service_by_key[name_key(service_name)] = service
            session.add(service)
            report.services_created += 1
    # Flushed in order because the models declare no relationships to sort by.
    await session.flush()
    for key, (team_name, service_name) in new_teams.items():
        service_id = service_by_key[name_key(service_name)].id
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
        team_id=team_ids[name_key(row.team)],
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


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
