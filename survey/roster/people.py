"""Looking people up on the roster: by email, or the whole roster by team."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import NotFoundError
from survey.models import Person, Service, Team


@dataclass(frozen=True)
class RosterEntry:
    """A person with the names of their team and service."""

    person: Person
    team: str
    service: str


async def find_person(
    session: AsyncSession, *, organisation_id: uuid.UUID, email: str
) -> Person:
    """The active person with this email (any case).

    Raises:
        NotFoundError: nobody active on the roster has that email.
    """
    person = (
        await session.exec(
            select(Person).where(
                Person.organisation_id == organisation_id,
                func.lower(Person.email) == email.strip().lower(),
                col(Person.active),
            )
        )
    ).first()
    if person is None:
        raise NotFoundError(f"Nobody active on the roster has the email '{email}'.")
    return person


async def active_person(
    session: AsyncSession, *, organisation_id: uuid.UUID, person_id: uuid.UUID
) -> Person | None:
    """The person with this id if they are active in the organisation."""
    person = await session.get(Person, person_id)
    if person is None or not person.active:
        return None
    if person.organisation_id != organisation_id:
        return None
    return person


async def roster(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[RosterEntry]:
    """Everyone active, ordered by service, team and name."""
    rows = await session.exec(
        select(Person, Team, Service)
        .join(Team, col(Team.id) == col(Person.team_id))
        .join(Service, col(Service.id) == col(Team.service_id))
        .where(Person.organisation_id == organisation_id, col(Person.active))
        .order_by(col(Service.name), col(Team.name), col(Person.name))
    )
    return [
        RosterEntry(person=person, team=team.name, service=service.name)
        for person, team, service in rows.all()
    ]


async def person_and_team(
    session: AsyncSession, *, organisation_id: uuid.UUID, person_id: uuid.UUID
) -> tuple[Person, str] | None:
    """An active person of the organisation with their team's name, in one query."""
    row = (
        await session.exec(
            select(Person, Team.name)
            .join(Team, col(Team.id) == col(Person.team_id))
            .where(
                Person.id == person_id,
                Person.organisation_id == organisation_id,
                col(Person.active),
            )
        )
    ).first()
    if row is None:
        return None
    person, team = row
    return person, team
