"""Personal one-time links: issue one for a person, redeem it exactly once.

The raw token is returned to the caller once and never stored; the table holds
its SHA-256, so the links cannot be rebuilt from a copy of the database.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import (
    ExpiredLinkError,
    NotFoundError,
    SurveyError,
    UnknownLinkError,
    UsedLinkError,
)
from survey.models import Campaign, Person, PersonalLink

TOKEN_BYTES = 24
ASK_FOR_A_NEW_ONE = "Ask your Principal Social Worker for a new one."


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256 in hex."""
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_link(
    session: AsyncSession,
    *,
    person_id: uuid.UUID,
    campaign_id: uuid.UUID | None,
    expires_at: datetime,
) -> str:
    """Create a one-time link for a person and return its raw token.

    Args:
        session: the caller's session (the caller commits).
        person_id: who the link signs in as.
        campaign_id: the survey to open on arrival, if any.
        expires_at: when the link stops working (timezone-aware).

    Raises:
        NotFoundError: the person or campaign does not exist.
        SurveyError: the person has left (is inactive), or the campaign belongs
            to another organisation.
    """
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFoundError("There is no such person on the roster.")
    if not person.active:
        raise SurveyError(f"{person.name} is no longer active on the roster.")
    if campaign_id is not None:
        campaign = await session.get(Campaign, campaign_id)
        if campaign is None or campaign.organisation_id != person.organisation_id:
            raise NotFoundError("There is no such campaign for this person.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        PersonalLink(
            token_hash=token_hash(token),
            person_id=person_id,
            campaign_id=campaign_id,
            expires_at=expires_at,
        )
    )
    await session.flush()
    return token


@dataclass(frozen=True)
class Redemption:
    """Who a redeemed link named, and the survey it was for (if any)."""

    person: Person
    campaign_id: uuid.UUID | None


async def check_link(
    session: AsyncSession,
    *,
    token: str,
    now: datetime,
    organisation_id: uuid.UUID,
) -> Redemption:
    """Whom a link names, without using it (for the page that asks to continue).

    Raises:
        UnknownLinkError: no link has this token (or it names a leaver, or
            someone of another organisation than ``organisation_id``).
        ExpiredLinkError: the link expired before it was used.
        UsedLinkError: the link has been used already.
    """
    link, person = await _usable(
        session, token=token, now=now, organisation_id=organisation_id
    )
    return Redemption(person=person, campaign_id=link.campaign_id)


async def redeem_link(
    session: AsyncSession,
    *,
    token: str,
    now: datetime,
    organisation_id: uuid.UUID,
) -> Redemption:
    """Use a link once: mark it used and say whom it names.

    The claim is one conditional UPDATE, so two browsers racing with the same
    link cannot both get in.

    Raises:
        UnknownLinkError: no link has this token (or it names a leaver, or
            someone of another organisation than ``organisation_id``).
        ExpiredLinkError: the link expired before it was used.
        UsedLinkError: the link has been used already.
    """
    link, person = await _usable(
        session, token=token, now=now, organisation_id=organisation_id
    )
    claimed = await session.exec(
        update(PersonalLink)
        .where(col(PersonalLink.id) == link.id, col(PersonalLink.used_at).is_(None))
        .values(used_at=now)
    )
    if claimed.rowcount != 1:
        raise UsedLinkError(f"This link has already been used. {ASK_FOR_A_NEW_ONE}")
    return Redemption(person=person, campaign_id=link.campaign_id)


async def _usable(
    session: AsyncSession,
    *,
    token: str,
    now: datetime,
    organisation_id: uuid.UUID,
) -> tuple[PersonalLink, Person]:
    if not token or len(token) > 200:
        raise UnknownLinkError(_unknown())
    link = (
        await session.exec(
            select(PersonalLink).where(PersonalLink.token_hash == token_hash(token))
        )
    ).first()
    if link is None:
        raise UnknownLinkError(_unknown())
    person = await session.get(Person, link.person_id)
    if person is None or not person.active or person.organisation_id != organisation_id:
        raise UnknownLinkError(_unknown())
    if link.used_at is not None:
        raise UsedLinkError(f"This link has already been used. {ASK_FOR_A_NEW_ONE}")
    if link.expires_at <= now:
        raise ExpiredLinkError(f"This link has expired. {ASK_FOR_A_NEW_ONE}")
    return link, person


def _unknown() -> str:
    return (
        "This link is not one we recognise. Check you copied all of it, or "
        + ASK_FOR_A_NEW_ONE[0].lower()
        + ASK_FOR_A_NEW_ONE[1:]
    )
