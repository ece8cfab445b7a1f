"""Who on the roster an outside account (Microsoft, Slack) belongs to."""

from __future__ import annotations

import uuid

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import NotFoundError
from survey.models import Person
from survey.roster.people import find_person


async def person_for_account(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    object_id: str | None = None,
    slack_user_id: str | None = None,
    email: str | None = None,
) -> Person | None:
    """The active person an account names: by its id first, then by its email.

    The roster's ``teams_id`` holds the Microsoft Entra object id and
    ``slack_id`` the Slack user id; ``email`` must be one the provider verified.
    """
    by_id = None
    if object_id:
        by_id = func.lower(Person.teams_id) == object_id.lower()
    elif slack_user_id:
        by_id = col(Person.slack_id) == slack_user_id
    if by_id is not None:
        found = (
            await session.exec(
                select(Person).where(
                    Person.organisation_id == organisation_id,
                    by_id,
                    col(Person.active),
                )
            )
        ).first()
        if found is not None:
            return found
    if email:
        try:
            return await find_person(
                session, organisation_id=organisation_id, email=email
            )
        except NotFoundError:
            return None
    return None
