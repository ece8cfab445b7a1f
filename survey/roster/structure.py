"""Creating a service or a team by hand, outside a roster import.

An earlier round imported from another tool names teams that may no longer
exist, or not yet: the PSW creates them here first, so the import can file each
response under its team.
"""

from __future__ import annotations

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import NotFoundError, SurveyError
from survey.models import Service, Team
from survey.roster.names import name_key

NAME_LIMIT = 120


class StructureError(SurveyError):
    """A service or team that cannot be created as given."""


def _name(typed: str, what: str) -> str:
    cleaned = " ".join(typed.split())
    if not cleaned or len(cleaned) > NAME_LIMIT:
        raise StructureError(f"A {what} needs a name of 1 to {NAME_LIMIT} characters.")
    return cleaned


async def find_service(
    session: AsyncSession, *, organisation_id: uuid.UUID, name: str
) -> Service:
    """The organisation's service of that name (any case).

    Raises:
        NotFoundError: naming the services there are.
    """
    services = (
        await session.exec(
            select(Service).where(Service.organisation_id == organisation_id)
        )
    ).all()
    for service in services:
        if name_key(service.name) == name_key(name):
            return service
    listed = ", ".join(sorted(service.name for service in services)) or "none yet"
    raise NotFoundError(f"There is no service '{name}'. Services: {listed}.")


async def create_service(
    session: AsyncSession, *, organisation_id: uuid.UUID, name: str
) -> Service:
    """Add a service; refused if one of that name exists.

    Raises:
        StructureError: an empty or overlong name, or one already taken.
    """
    cleaned = _name(name, "service")
    try:
        await find_service(session, organisation_id=organisation_id, name=cleaned)
    except NotFoundError:
        service = Service(organisation_id=organisation_id, name=cleaned)
        session.add(service)
        await session.flush()
        return service
    raise StructureError(f"There is already a service called '{cleaned}'.")


async def create_team(
    session: AsyncSession, *, organisation_id: uuid.UUID, name: str, service: str
) -> Team:
    """Add a team to an existing service; refused if a team of that name exists.

    Raises:
        NotFoundError: no such service.
        StructureError: an empty or overlong name, or one already taken.
    """
    cleaned = _name(name, "team")
    home = await find_service(session, organisation_id=organisation_id, name=service)
    teams = (
        await session.exec(select(Team).where(Team.organisation_id == organisation_id))
    ).all()
    if any(name_key(team.name) == name_key(cleaned) for team in teams):
        raise StructureError(f"There is already a team called '{cleaned}'.")
    team = Team(organisation_id=organisation_id, service_id=home.id, name=cleaned)
    session.add(team)
    await session.flush()
    return team
