"""What a roster file would change, worked out without writing anything.

The same checks and matching as :func:`survey.roster.importing.import_roster`,
so a file the preview accepts is one the import accepts, and the people it
lists as joining, leaving or moving are the ones the import adds, deactivates
or moves.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import RosterImportError
from survey.models import Person, Service, Team
from survey.roster.file import check_roster
from survey.roster.importing import match_people
from survey.roster.names import name_key
from survey.roster.rows import RosterRow


@dataclass(frozen=True)
class Change:
    """One person the file changes: their row (0 if not in the file) and teams."""

    row: int
    name: str
    team: str
    to_team: str = ""


@dataclass
class RosterPreview:
    """The changes a roster file would make, or the problems that stop it.

    Attributes:
        problems: Every problem found, each naming its row; nothing can be
            applied while there are any.
        joiners: People new to the roster.
        returning: People on the roster who had left and are in the file again.
        leavers: Active people the file leaves out (they will be deactivated).
        moves: People whose team changes.
        updated: How many others have changed details (role, access, ids).
        unchanged: How many are exactly as the roster has them.
        new_teams: Teams the file adds, as "Team (Service)".
        rows: How many people the file lists.
    """

    problems: list[str] = field(default_factory=list)
    joiners: list[Change] = field(default_factory=list)
    returning: list[Change] = field(default_factory=list)
    leavers: list[Change] = field(default_factory=list)
    moves: list[Change] = field(default_factory=list)
    updated: int = 0
    unchanged: int = 0
    new_teams: list[str] = field(default_factory=list)
    rows: int = 0

    @property
    def changes_anything(self) -> bool:
        """Whether applying the file would change the roster."""
        return bool(
            self.joiners
            or self.returning
            or self.leavers
            or self.moves
            or self.updated
            or self.new_teams
        )


_DETAILS = ("name", "email", "slack_id", "teams_id", "role", "employment_type")


async def preview_roster(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    data: bytes,
    create_teams: bool = False,
) -> RosterPreview:
    """Check a roster file against the organisation's roster; write nothing.

    Args:
        session: Any session (only reads).
        organisation_id: The organisation whose roster this is.
        data: The file's bytes (UTF-8 CSV, as ``healthcheck roster import``).
        create_teams: Accept teams the organisation does not have yet.

    Returns:
        The problems found, or else the changes applying the file would make.
    """
    services = {
        service.id: service.name
        for service in (
            await session.exec(
                select(Service).where(Service.organisation_id == organisation_id)
            )
        ).all()
    }
    teams = list(
        (
            await session.exec(
                select(Team).where(Team.organisation_id == organisation_id)
            )
        ).all()
    )
    people = list(
        (
            await session.exec(
                select(Person).where(Person.organisation_id == organisation_id)
            )
        ).all()
    )
    team_names = {team.id: team.name for team in teams}
    known = {team.name: services[team.service_id] for team in teams}
    try:
        rows, problems = check_roster(
            data, known_teams=known, create_teams=create_teams
        )
    except RosterImportError as error:
        return RosterPreview(problems=list(error.problems))
    matches = match_people(rows, people, problems)
    if problems.found:
        return RosterPreview(problems=problems.messages())
    return _changes(rows, matches, people, team_names, known)


def _changes(
    rows: list[RosterRow],
    matches: dict[int, Person],
    people: list[Person],
    team_names: dict[uuid.UUID, str],
    known: dict[str, str],
) -> RosterPreview:
    preview = RosterPreview(rows=len(rows))
    known_keys = {name_key(name) for name in known}
    matched: set[uuid.UUID] = set()
    for row in rows:
        person = matches.get(row.row)
        if person is None:
            preview.joiners.append(Change(row.row, row.name, row.team))
            continue
        matched.add(person.id)
        current_team = team_names.get(person.team_id, "")
        if not person.active:
            preview.returning.append(Change(row.row, row.name, row.team))
        elif name_key(current_team) != name_key(row.team):
            preview.moves.append(Change(row.row, row.name, current_team, row.team))
        elif _details_differ(person, row) or person.access != row.access:
            preview.updated += 1
        else:
            preview.unchanged += 1
    preview.leavers = [
        Change(0, person.name, team_names.get(person.team_id, ""))
        for person in sorted(people, key=lambda p: p.name.casefold())
        if person.active and person.id not in matched
    ]
    added = {
        name_key(row.team): f"{row.team} ({row.service})"
        for row in rows
        if name_key(row.team) not in known_keys
    }
    preview.new_teams = sorted(added.values())
    return preview


def _details_differ(person: Person, row: RosterRow) -> bool:
    return any(getattr(person, name) != getattr(row, name) for name in _DETAILS)
