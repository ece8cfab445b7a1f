"""Organisations (tenants) against real SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import select

from survey.db import SessionFactory
from survey.errors import NotFoundError, SettingsError, SurveyError
from survey.models import Organisation
from survey.organisations import create_organisation, find_organisation


async def refused(
    sessions: SessionFactory, error: type[Exception], **kwargs: object
) -> str:
    """Create an organisation that is refused, in a transaction that then commits."""
    async with sessions() as session, session.begin():
        with pytest.raises(error) as caught:
            await create_organisation(session, **{"name": "Westmere", **kwargs})
    return str(caught.value)


async def slugs(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        return sorted((await session.exec(select(Organisation.slug))).all())


async def test_an_organisation_is_found_by_its_slug(sessions: SessionFactory) -> None:
    async with sessions() as session, session.begin():
        created = await create_organisation(
            session, slug="westmere", name="Westmere Borough Council", min_group_size=7
        )
    async with sessions() as session:
        found = await find_organisation(session, slug="westmere")
    assert (found.id, found.name, found.min_group_size) == (
        created.id,
        "Westmere Borough Council",
        7,
    )
    assert found.timezone == "Europe/London"


async def test_an_unknown_slug_says_how_to_make_one(sessions: SessionFactory) -> None:
    async with sessions() as session:
        with pytest.raises(NotFoundError) as missing:
            await find_organisation(session, slug="demo")
    assert str(missing.value) == (
        "There is no organisation 'demo'. Run `healthcheck demo seed` for the demo, "
        "or `healthcheck org create` for a real one."
    )


async def test_a_second_organisation_with_the_same_slug_is_refused(
    sessions: SessionFactory,
) -> None:
    async with sessions() as session, session.begin():
        await create_organisation(session, slug="westmere", name="Westmere")
    message = await refused(sessions, SurveyError, slug="westmere", name="Other")
    assert message == "There is already an organisation 'westmere' (Westmere)."
    assert await slugs(sessions) == ["westmere"]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"min_group_size": 2}, "The minimum group size cannot be below 3."),
        ({"slug": "w" * 61}, "The organisation's slug can be at most 60 characters."),
        ({"name": "W" * 201}, "The organisation's name can be at most 200 characters."),
    ],
    ids=["group-size", "long-slug", "long-name"],
)
async def test_settings_that_cannot_work_are_refused(
    sessions: SessionFactory, kwargs: dict[str, object], expected: str
) -> None:
    message = await refused(sessions, SettingsError, **{"slug": "westmere", **kwargs})
    assert message == expected
    assert await slugs(sessions) == []
