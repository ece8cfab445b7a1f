"""Personal one-time links: only a hash is stored, and each works exactly once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from builders import NOW, small_org
from sqlmodel import select

from survey.db import SessionFactory
from survey.errors import (
    ExpiredLinkError,
    NotFoundError,
    SurveyError,
    UnknownLinkError,
    UsedLinkError,
)
from survey.models import PersonalLink
from survey.personal_links import issue_link, redeem_link, token_hash


async def test_a_link_names_its_person_and_campaign_once(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    person = org.people[0]
    async with sessions() as session, session.begin():
        token = await issue_link(
            session,
            person_id=person.id,
            campaign_id=org.campaign.id,
            expires_at=NOW + timedelta(days=14),
        )
    async with sessions() as session:
        stored = (await session.exec(select(PersonalLink))).one()
    assert stored.token_hash == token_hash(token)
    assert token not in stored.token_hash
    assert stored.used_at is None

    async with sessions() as session, session.begin():
        redeemed = await redeem_link(
            session, token=token, now=NOW, organisation_id=org.organisation.id
        )
    assert redeemed.person.id == person.id
    assert redeemed.campaign_id == org.campaign.id

    with pytest.raises(UsedLinkError, match="already been used. Ask your Principal"):
        async with sessions() as session, session.begin():
            await redeem_link(
                session,
                token=token,
                now=NOW + timedelta(minutes=1),
                organisation_id=org.organisation.id,
            )


async def test_unknown_forged_and_expired_links_are_refused(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        token = await issue_link(
            session,
            person_id=org.people[0].id,
            campaign_id=None,
            expires_at=NOW + timedelta(days=1),
        )
    for forged in ("", "x", token[:-1], token + "A", token.upper(), "é" * 300):
        with pytest.raises(UnknownLinkError, match="not one we recognise"):
            async with sessions() as session, session.begin():
                await redeem_link(
                    session, token=forged, now=NOW, organisation_id=org.organisation.id
                )
    with pytest.raises(ExpiredLinkError, match="has expired"):
        async with sessions() as session, session.begin():
            await redeem_link(
                session,
                token=token,
                now=NOW + timedelta(days=1),
                organisation_id=org.organisation.id,
            )
    # Refusals spend nothing: the link still works inside its time.
    async with sessions() as session, session.begin():
        redeemed = await redeem_link(
            session, token=token, now=NOW, organisation_id=org.organisation.id
        )
    assert redeemed.campaign_id is None


async def test_two_browsers_racing_with_one_link_let_only_one_in(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        token = await issue_link(
            session,
            person_id=org.people[0].id,
            campaign_id=None,
            expires_at=NOW + timedelta(days=1),
        )

    async def redeem() -> str:
        try:
            async with sessions() as session, session.begin():
                await redeem_link(
                    session, token=token, now=NOW, organisation_id=org.organisation.id
                )
        except UsedLinkError:
            return "refused"
        return "in"

    results = await asyncio.gather(*(redeem() for _ in range(4)))
    assert sorted(results) == ["in", "refused", "refused", "refused"]


async def test_links_for_leavers_or_unknown_people_are_refused(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    leaver = org.people[1]
    async with sessions() as session, session.begin():
        token = await issue_link(
            session,
            person_id=leaver.id,
            campaign_id=None,
            expires_at=NOW + timedelta(days=1),
        )
        leaver.active = False
        session.add(leaver)
    with pytest.raises(UnknownLinkError):
        async with sessions() as session, session.begin():
            await redeem_link(
                session, token=token, now=NOW, organisation_id=org.organisation.id
            )
    with pytest.raises(SurveyError, match="no longer active"):
        async with sessions() as session, session.begin():
            await issue_link(
                session,
                person_id=leaver.id,
                campaign_id=None,
                expires_at=NOW + timedelta(days=1),
            )
    with pytest.raises(NotFoundError):
        async with sessions() as session, session.begin():
            await issue_link(
                session,
                person_id=org.campaign.id,
                campaign_id=None,
                expires_at=NOW + timedelta(days=1),
            )
