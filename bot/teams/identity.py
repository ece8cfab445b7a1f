"""Who is writing from Teams: the roster person behind a Teams account.

A person is matched by their Microsoft Entra object id (``aadObjectId``, which
the roster's ``teams_id`` column holds; a Teams user id ``29:...`` there works
too), or else by the email Teams gives for their account. A person matched by
email for the first time has the object id written to their ``teams_id``, so
invitations and reminders reach them in Teams from then on.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from microsoft_agents.activity import Activity
from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.db import SessionFactory
from survey.models import Person
from survey.models.columns import utcnow

log = logging.getLogger(__name__)

EmailLookup = Callable[[], Awaitable[str | None]]
"""Asks Teams for the account's email or user principal name (one connector call)."""


@dataclass(frozen=True)
class TeamsUser:
    """The Teams account an activity came from."""

    user_id: str
    aad_object_id: str | None = None
    name: str | None = None

    @classmethod
    def of(cls, activity: Activity) -> TeamsUser | None:
        """The sender of ``activity``, if it names one."""
        sender = activity.from_property
        if sender is None or not sender.id:
            return None
        return cls(
            user_id=sender.id,
            aad_object_id=sender.aad_object_id or None,
            name=sender.name or None,
        )

    @property
    def identities(self) -> list[str]:
        """The values a roster ``teams_id`` may hold for this account."""
        found = [self.user_id]
        if self.aad_object_id:
            found += [self.aad_object_id, self.aad_object_id.lower()]
            found.append(self.aad_object_id.upper())
        return list(dict.fromkeys(found))


async def identify(
    sessions: SessionFactory,
    *,
    organisation_id: uuid.UUID,
    user: TeamsUser,
    email_of: EmailLookup,
) -> Person | None:
    """The active roster person behind ``user``, or ``None`` if nobody fits.

    Tries the ids first; only when they find nobody does it ask Teams for the
    account's email (outside any database transaction).
    """
    async with sessions() as session:
        person = await person_by_teams_id(
            session, organisation_id=organisation_id, user=user
        )
    if person is not None:
        return person
    email = await email_of()
    if not email:
        return None
    async with sessions() as session, session.begin():
        return await link_by_email(
            session, organisation_id=organisation_id, user=user, email=email
        )


async def person_by_teams_id(
    session: AsyncSession, *, organisation_id: uuid.UUID, user: TeamsUser
) -> Person | None:
    """The active person whose roster ``teams_id`` is one of the account's ids."""
    return (
        await session.exec(
            select(Person).where(
                Person.organisation_id == organisation_id,
                col(Person.active),
                or_(*(col(Person.teams_id) == value for value in user.identities)),
            )
        )
    ).first()


async def link_by_email(
    session: AsyncSession, *, organisation_id: uuid.UUID, user: TeamsUser, email: str
) -> Person | None:
    """The active person with this email; their empty ``teams_id`` is filled in.

    A roster ``teams_id`` that names a different account is left as it is (the
    roster wins), and the mismatch is logged for the PSW's admin to look at.
    """
    person = (
        await session.exec(
            select(Person).where(
                Person.organisation_id == organisation_id,
                col(Person.active),
                func.lower(Person.email) == email.strip().lower(),
            )
        )
    ).first()
    if person is None:
        return None
    learned = user.aad_object_id or user.user_id
    if not person.teams_id:
        person.teams_id = learned
        person.updated_at = utcnow()
        session.add(person)
        await session.flush()
    elif person.teams_id not in user.identities:
        log.warning(
            "Teams account matched roster person %s by email, but the roster's "
            "teams_id names another account",
            person.id,
        )
    return person
