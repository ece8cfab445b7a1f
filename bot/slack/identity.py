"""Who a Slack user is on the roster, and which organisation a workspace belongs to.

People are matched by the Slack member id on the roster, or else by the email
address Slack holds for them (``users.info`` for someone who writes to the bot;
linking a whole roster by ``users.lookupByEmail`` is :mod:`bot.slack.linking`).
A match is remembered on the person, so it is looked up once.
"""

from __future__ import annotations

import logging
import uuid

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import Table, bindparam, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.db import SessionFactory
from survey.models import Organisation, Person, SlackWorkspace
from survey.models.columns import utcnow

log = logging.getLogger(__name__)


async def organisation_for_team(
    session: AsyncSession, *, team_id: str | None, default_slug: str | None
) -> Organisation | None:
    """The organisation a workspace is linked to; with one bot token, the default.

    Args:
        session: A database session.
        team_id: The Slack team (workspace) id from the request.
        default_slug: The deployment's organisation for a workspace not linked,
            given only with a single bot token (that token's workspace is the
            deployment's). With OAuth installs it is None: a workspace joins an
            organisation only through an install link issued for it.
    """
    if team_id:
        linked = (
            await session.exec(
                select(Organisation)
                .join(
                    SlackWorkspace,
                    col(SlackWorkspace.organisation_id) == col(Organisation.id),
                )
                .where(SlackWorkspace.team_id == team_id)
            )
        ).first()
        if linked is not None:
            return linked
    if default_slug is None:
        return None
    return (
        await session.exec(
            select(Organisation).where(Organisation.slug == default_slug)
        )
    ).first()


async def link_workspace(
    session: AsyncSession,
    *,
    team_id: str,
    enterprise_id: str | None,
    organisation_id: uuid.UUID,
) -> None:
    """Record that a workspace belongs to an organisation (kept if already linked)."""
    existing = (
        await session.exec(
            select(SlackWorkspace).where(SlackWorkspace.team_id == team_id)
        )
    ).first()
    if existing is None:
        session.add(
            SlackWorkspace(
                team_id=team_id,
                enterprise_id=enterprise_id,
                organisation_id=organisation_id,
            )
        )
        await session.flush()


async def workspace_link(
    session: AsyncSession, *, team_id: str
) -> tuple[SlackWorkspace, Organisation] | None:
    """The workspace's link and the organisation it serves, if it is linked."""
    found = (
        await session.exec(
            select(SlackWorkspace, Organisation)
            .join(
                Organisation,
                col(Organisation.id) == col(SlackWorkspace.organisation_id),
            )
            .where(SlackWorkspace.team_id == team_id)
        )
    ).first()
    return None if found is None else (found[0], found[1])


async def team_of(session: AsyncSession, *, organisation_id: uuid.UUID) -> str | None:
    """The workspace an organisation installed the app into, if any."""
    return (
        await session.exec(
            select(SlackWorkspace.team_id)
            .where(SlackWorkspace.organisation_id == organisation_id)
            .order_by(col(SlackWorkspace.linked_at))
        )
    ).first()


async def person_by_slack_id(
    session: AsyncSession, *, organisation_id: uuid.UUID, slack_id: str
) -> Person | None:
    """The active person with this Slack member id."""
    return (
        await session.exec(
            select(Person).where(
                Person.organisation_id == organisation_id,
                Person.slack_id == slack_id,
                col(Person.active),
            )
        )
    ).first()


async def person_by_email(
    session: AsyncSession, *, organisation_id: uuid.UUID, email: str
) -> Person | None:
    """The active person with this email (any case)."""
    return (
        await session.exec(
            select(Person).where(
                Person.organisation_id == organisation_id,
                func.lower(Person.email) == email.strip().lower(),
                col(Person.active),
            )
        )
    ).first()


async def identify(
    sessions: SessionFactory,
    client: AsyncWebClient,
    *,
    organisation_id: uuid.UUID,
    user_id: str,
    read_sessions: SessionFactory | None = None,
) -> Person | None:
    """The roster person behind a Slack user, matching by email the first time.

    A person found by email gets the Slack id stored, unless someone else on the
    roster already holds it (then nobody is matched: the roster must be fixed).
    The lookup by Slack id reads through ``read_sessions`` when given, so a
    person already linked is found without waiting for the database's writer.
    """
    async with (read_sessions or sessions)() as session:
        person = await person_by_slack_id(
            session, organisation_id=organisation_id, slack_id=user_id
        )
    if person is not None:
        return person
    email = await _email_of(client, user_id)
    if email is None:
        return None
    async with sessions() as session, session.begin():
        person = await person_by_email(
            session, organisation_id=organisation_id, email=email
        )
        if person is None or (person.slack_id and person.slack_id != user_id):
            return None
        person.slack_id = user_id
        person.updated_at = utcnow()
        session.add(person)
    return person


async def _email_of(client: AsyncWebClient, user_id: str) -> str | None:
    try:
        response = await client.users_info(user=user_id)
    except SlackApiError as error:
        log.info("users.info for %s failed: %s", user_id, error.response.get("error"))
        return None
    user = response.get("user") or {}
    if user.get("deleted") or user.get("is_bot"):
        return None
    email = (user.get("profile") or {}).get("email")
    return str(email) if email else None


async def remember_dm_channel(
    session: AsyncSession, *, organisation_id: uuid.UUID, slack_id: str, channel: str
) -> None:
    """Store the DM channel with a Slack user, so later sends skip opening it."""
    await session.exec(
        update(Person)
        .where(
            col(Person.organisation_id) == organisation_id,
            col(Person.slack_id) == slack_id,
            or_(
                col(Person.slack_dm_channel).is_(None),
                col(Person.slack_dm_channel) != channel,
            ),
        )
        .values(slack_dm_channel=channel)
    )


async def stored_dm_channel(
    session: AsyncSession, *, organisation_id: uuid.UUID, slack_id: str
) -> str | None:
    """The DM channel stored for a Slack user, if any."""
    return (
        await session.exec(
            select(Person.slack_dm_channel).where(
                Person.organisation_id == organisation_id,
                Person.slack_id == slack_id,
                col(Person.slack_dm_channel).is_not(None),
            )
        )
    ).first()


async def stored_dm_channels(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> dict[str, str]:
    """Every DM channel stored for an organisation, by Slack member id."""
    rows = await session.exec(
        select(Person.slack_id, Person.slack_dm_channel).where(
            Person.organisation_id == organisation_id,
            col(Person.slack_id).is_not(None),
            col(Person.slack_dm_channel).is_not(None),
        )
    )
    return {str(slack_id): str(channel) for slack_id, channel in rows.all()}


async def remember_dm_channels(
    session: AsyncSession, *, organisation_id: uuid.UUID, channels: dict[str, str]
) -> None:
    """Store many DM channel ids (by Slack member id) in one executemany."""
    if not channels:
        return
    table: Table = Person.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(
            table.c.organisation_id == bindparam("organisation"),
            table.c.slack_id == bindparam("member"),
        )
        .values(slack_dm_channel=bindparam("dm"))
    )
    connection = await session.connection()
    await connection.execute(
        statement,
        [
            {"organisation": organisation_id, "member": member, "dm": channel}
            for member, channel in channels.items()
        ],
    )
