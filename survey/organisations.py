"""Organisations (tenants): creating them and finding one by its slug."""

from __future__ import annotations

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import NotFoundError, SettingsError, SurveyError
from survey.models import Organisation


async def create_organisation(
    session: AsyncSession,
    *,
    slug: str,
    name: str,
    min_group_size: int = 5,
    timezone: str = "Europe/London",
) -> Organisation:
    """Create a tenant. The minimum group size is never below 3 (README, rule 3).

    Raises:
        SettingsError: a group size below 3, or a slug or name that is too long.
        SurveyError: if an organisation already has this slug.
    """
    if min_group_size < 3:
        raise SettingsError("The minimum group size cannot be below 3.")
    for label, value, longest in (("slug", slug, 60), ("name", name, 200)):
        if len(value) > longest:
            raise SettingsError(
                f"The organisation's {label} can be at most {longest} characters."
            )
    taken = (
        await session.exec(select(Organisation).where(Organisation.slug == slug))
    ).first()
    if taken is not None:
        raise SurveyError(f"There is already an organisation '{slug}' ({taken.name}).")
    organisation = Organisation(
        slug=slug, name=name, min_group_size=min_group_size, timezone=timezone
    )
    session.add(organisation)
    await session.flush()
    return organisation


async def find_organisation(session: AsyncSession, *, slug: str) -> Organisation:
    """The organisation with this slug.

    Raises:
        NotFoundError: if there is none (the message says how to create one).
    """
    organisation = (
        await session.exec(select(Organisation).where(Organisation.slug == slug))
    ).first()
    if organisation is None:
        raise NotFoundError(
            f"There is no organisation '{slug}'. Run `healthcheck demo seed` for the "
            "demo, or `healthcheck org create` for a real one."
        )
    return organisation


async def set_workforce_channel(
    session: AsyncSession, *, organisation_id: uuid.UUID, channel: str | None
) -> Organisation:
    """Store (or with ``None`` remove) the organisation's own workforce channel.

    Raises:
        NotFoundError: if the organisation does not exist.
    """
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFoundError(f"There is no organisation with id {organisation_id}.")
    organisation.slack_workforce_channel = channel
    session.add(organisation)
    await session.flush()
    return organisation


async def set_teams_workforce_channel(
    session: AsyncSession, *, organisation_id: uuid.UUID, channel: str | None
) -> Organisation:
    """Store (or with ``None`` remove) the organisation's Teams workforce channel.

    ``channel`` is the Teams channel's conversation id (``19:...@thread...``).
    Only an explicit choice by the PSW calls this: no message or channel event
    moves it.

    Raises:
        NotFoundError: if the organisation does not exist.
    """
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFoundError(f"There is no organisation with id {organisation_id}.")
    organisation.teams_workforce_channel = channel
    session.add(organisation)
    await session.flush()
    return organisation
