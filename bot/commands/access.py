"""Who may run which command, from the roster: staff, managers of named teams, PSW.

The roster is the only source: ``Person.access`` and the teams a person manages
(``ManagerOf``). Managing a team gives manager access even if the roster's access
column says staff, as :func:`survey.roster.roles.access_for` decides on import.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import security_log
from bot.commands.grammar import CommandName
from survey.models import ManagerOf, Person, Team
from survey.roster.roles import Access, parse_access

_LEVELS = list(Access)

REQUIRED_ACCESS: dict[CommandName, Access] = {
    CommandName.HELP: Access.STAFF,
    CommandName.STATUS: Access.STAFF,
    CommandName.START: Access.STAFF,
    CommandName.RESUME: Access.STAFF,
    CommandName.BACK: Access.STAFF,
    CommandName.SKIP: Access.STAFF,
    CommandName.PAUSE: Access.STAFF,
    CommandName.PRIVACY: Access.STAFF,
    CommandName.UNKNOWN: Access.STAFF,
    CommandName.CAMPAIGN: Access.PSW,
    CommandName.CAMPAIGN_OPEN: Access.PSW,
    CommandName.CAMPAIGN_CLOSE: Access.PSW,
    CommandName.CAMPAIGN_SCHEDULE: Access.PSW,
    CommandName.WHO_HAS_ACCESS: Access.PSW,
    CommandName.SUMMARY: Access.MANAGER,
    CommandName.PARTICIPATION: Access.MANAGER,
    CommandName.THEMES: Access.MANAGER,
    CommandName.TARGET: Access.PSW,
    CommandName.REMIND: Access.PSW,
    CommandName.ACTION: Access.PSW,
    CommandName.POST_YOU_SAID: Access.PSW,
    CommandName.BRIEF: Access.PSW,
    CommandName.YOU_SAID: Access.STAFF,
    CommandName.MUTE: Access.STAFF,
    CommandName.UNMUTE: Access.STAFF,
    CommandName.PULSE_SCHEDULE: Access.PSW,
    CommandName.TRENDS: Access.PSW,
}
"""The lowest access each command needs; every command is listed."""


def allows(held: Access, needed: Access) -> bool:
    """Whether ``held`` access is at least ``needed``."""
    return _LEVELS.index(held) >= _LEVELS.index(needed)


def roster_access(person: Person, *, manages_teams: bool) -> Access:
    """The access the roster gives a person; an unreadable value counts as staff."""
    written = parse_access(person.access) or Access.STAFF
    if manages_teams and not allows(written, Access.MANAGER):
        return Access.MANAGER
    return written


@dataclass(frozen=True)
class Standing:
    """What one person on the roster may do.

    Attributes:
        person: The person, as the roster has them now.
        access: Their access level.
        teams: Names of the teams whose summaries they may ask for as a manager
            (a PSW may ask for every team's, so this lists only teams they manage).
    """

    person: Person
    access: Access
    teams: tuple[str, ...] = ()

    def may(self, command: CommandName) -> bool:
        """Whether this person may run ``command`` (a question; nothing is logged)."""
        return allows(self.access, REQUIRED_ACCESS[command])

    def permits(self, command: CommandName) -> bool:
        """Whether this person may run ``command`` they have just typed.

        As :meth:`may`, but a refusal is written to the security log (who, the
        command's name and the access levels; never its arguments).
        """
        allowed = self.may(command)
        if not allowed:
            security_log.command_refused(
                person_id=self.person.id,
                command=command.value,
                held=self.access.value,
                needed=REQUIRED_ACCESS[command].value,
            )
        return allowed

    def manages(self, team: str) -> bool:
        """Whether this person may see ``team``'s results as its manager.

        A PSW may see every team's. Anyone else named a team they do not
        manage: that refusal is written to the security log.
        """
        if self.access == Access.PSW:
            return True
        if team.casefold() in {name.casefold() for name in self.teams}:
            return True
        security_log.team_refused(person_id=self.person.id, team=team)
        return False


@dataclass(frozen=True)
class AccessHolder:
    """Someone who can see more than their own surveys: a PSW or a manager."""

    name: str
    access: Access
    teams: tuple[str, ...]


async def standing_of(session: AsyncSession, *, person: Person) -> Standing | None:
    """The person's standing, read fresh from the roster.

    Returns:
        ``None`` when they are no longer on the roster or have left (inactive),
        so a stale identity from a platform grants nothing.
    """
    current = await session.get(Person, person.id)
    if current is None or not current.active:
        return None
    teams = await managed_teams(session, person_id=current.id)
    access = roster_access(current, manages_teams=bool(teams))
    return Standing(person=current, access=access, teams=teams)


async def managed_teams(
    session: AsyncSession, *, person_id: uuid.UUID
) -> tuple[str, ...]:
    """Names of the teams a person manages, in name order."""
    rows = await session.exec(
        select(Team.name)
        .join(ManagerOf, col(ManagerOf.team_id) == col(Team.id))
        .where(ManagerOf.person_id == person_id)
        .order_by(col(Team.name))
    )
    return tuple(rows.all())


async def access_holders(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[AccessHolder]:
    """Every active PSW and manager of an organisation: PSWs first, then by name."""
    pairs = await session.exec(
        select(ManagerOf.person_id, Team.name)
        .join(Team, col(Team.id) == col(ManagerOf.team_id))
        .where(Team.organisation_id == organisation_id)
        .order_by(col(Team.name))
    )
    teams: dict[uuid.UUID, list[str]] = {}
    for person_id, team_name in pairs.all():
        teams.setdefault(person_id, []).append(team_name)
    people = await session.exec(
        select(Person).where(
            Person.organisation_id == organisation_id,
            col(Person.active),
            or_(
                col(Person.access).in_([Access.MANAGER, Access.PSW]),
                col(Person.id).in_(list(teams)),
            ),
        )
    )
    holders = []
    for person in people.all():
        managed = tuple(teams.get(person.id, ()))
        access = roster_access(person, manages_teams=bool(managed))
        holders.append(AccessHolder(name=person.name, access=access, teams=managed))
    return sorted(
        holders,
        key=lambda holder: (-_LEVELS.index(holder.access), holder.name.casefold()),
    )


async def psw_names(session: AsyncSession, *, organisation_id: uuid.UUID) -> list[str]:
    """Names of the organisation's active PSWs, to say who to ask."""
    holders = await access_holders(session, organisation_id=organisation_id)
    return [holder.name for holder in holders if holder.access == Access.PSW]
