"""Roster matching for Teams: by Entra object id, by Teams user id, then by email."""

from __future__ import annotations

from conftest import seed_council_async
from sqlmodel import select

from bot.teams.identity import TeamsUser, identify
from survey.db import SessionFactory
from survey.models import Person


async def no_email() -> str | None:
    raise AssertionError("the email must not be looked up when an id matches")


async def test_the_object_id_matches_in_any_case(
    database_url: str, sessions: SessionFactory
) -> None:
    council = await seed_council_async(database_url, size=2)
    person, member = council.staff[0]
    user = TeamsUser(member.user_id, member.aad_object_id.upper(), member.name)
    found = await identify(
        sessions,
        organisation_id=council.organisation_id,  # type: ignore[arg-type]
        user=user,
        email_of=no_email,
    )
    assert found is not None
    assert found.id == person.id


async def test_a_roster_may_hold_the_teams_user_id_instead(
    database_url: str, sessions: SessionFactory
) -> None:
    council = await seed_council_async(database_url, size=2)
    person, member = council.staff[1]
    async with sessions() as session, session.begin():
        row = await session.get(Person, person.id)
        assert row is not None
        row.teams_id = member.user_id
    found = await identify(
        sessions,
        organisation_id=council.organisation_id,  # type: ignore[arg-type]
        user=TeamsUser(member.user_id, member.aad_object_id),
        email_of=no_email,
    )
    assert found is not None
    assert found.id == person.id


async def test_email_fills_an_empty_teams_id_but_never_overwrites_one(
    database_url: str, sessions: SessionFactory
) -> None:
    council = await seed_council_async(database_url, size=2, slack_only=2)
    first, member = council.staff[0]

    async def email() -> str:
        return f"  {first.email.upper()} "

    user = TeamsUser(member.user_id, member.aad_object_id)
    found = await identify(
        sessions,
        organisation_id=council.organisation_id,  # type: ignore[arg-type]
        user=user,
        email_of=email,
    )
    assert found is not None
    assert found.teams_id == member.aad_object_id
    # Someone else's account with the same email: matched, roster id kept.
    other = TeamsUser("29:other", "11111111-2222-3333-4444-555555555555")
    again = await identify(
        sessions,
        organisation_id=council.organisation_id,  # type: ignore[arg-type]
        user=other,
        email_of=email,
    )
    assert again is not None
    async with sessions() as session:
        stored = (
            await session.exec(select(Person.teams_id).where(Person.id == first.id))
        ).one()
    assert stored == member.aad_object_id


async def test_leavers_and_strangers_are_nobody(
    database_url: str, sessions: SessionFactory
) -> None:
    council = await seed_council_async(database_url, size=2)
    person, member = council.staff[0]
    async with sessions() as session, session.begin():
        row = await session.get(Person, person.id)
        assert row is not None
        row.active = False

    async def unknown() -> None:
        return None

    for user in (
        TeamsUser(member.user_id, member.aad_object_id),
        TeamsUser("29:nobody", "99999999-9999-9999-9999-999999999999"),
    ):
        found = await identify(
            sessions,
            organisation_id=council.organisation_id,  # type: ignore[arg-type]
            user=user,
            email_of=unknown,
        )
        assert found is None
