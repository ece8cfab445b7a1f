"""Fixtures for Teams: a fake Bot Connector, a council on Teams, the app."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from fakes.teams_connector import FakeConnector, running_connector
from teamschat import SECRET_KEY, Database, Member, Teams, TestClient

from bot.app import create_app
from bot.settings import Settings, load_settings
from survey.campaigns import Audience, create_campaign, open_campaign
from survey.db import create_engine, session_factory
from survey.models import (
    Campaign,
    ManagerOf,
    Organisation,
    Person,
    Service,
    Team,
)
from survey.questions.bank import load_all
from survey.questions.catalogue import sync_templates

ORG_SLUG = "teams-council"
PULSE = "Pulse check March"


@dataclass
class Council:
    """What :func:`seed_council` made: people with their Teams accounts."""

    organisation_id: object
    staff: list[tuple[Person, Member]]
    manager: tuple[Person, Member]
    psw: tuple[Person, Member]
    campaign: Campaign | None

    @property
    def everyone(self) -> list[tuple[Person, Member]]:
        return [*self.staff, self.manager, self.psw]


async def seed_council_async(
    url: str, *, size: int = 6, open_now: bool = True, slack_only: int = 0
) -> Council:
    """As :func:`seed_council`, inside a running event loop."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    try:
        async with sessions() as session, session.begin():
            organisation = Organisation(slug=ORG_SLUG, name="Westmere Council")
            session.add(organisation)
            await session.flush()
            service = Service(organisation_id=organisation.id, name="Children's")
            session.add(service)
            await session.flush()
            teams = {
                name: Team(
                    organisation_id=organisation.id, service_id=service.id, name=name
                )
                for name in ("Team A", "Team B")
            }
            session.add_all(teams.values())
            await session.flush()

            def person(
                name: str, team: str, access: str = "staff", *, slack: bool = False
            ) -> tuple[Person, Member]:
                member = Member.new(name)
                index = len(made)
                return (
                    Person(
                        organisation_id=organisation.id,
                        name=name,
                        email=f"{name.lower().replace(' ', '.')}@westmere.gov.uk",
                        teams_id=None if slack else member.aad_object_id,
                        slack_id=f"U{index:08d}" if slack else None,
                        team_id=teams[team].id,
                        role="social_worker",
                        employment_type="permanent",
                        access=access,
                    ),
                    member,
                )

            made: list[tuple[Person, Member]] = []
            for number in range(size):
                made.append(
                    person(
                        f"Worker {number:02d}",
                        "Team A" if number % 2 == 0 else "Team B",
                        slack=number < slack_only,
                    )
                )
            manager = person("Mina Manager", "Team A", "manager")
            psw = person("Priya Psw", "Team A", "psw")
            session.add_all([entry[0] for entry in (*made, manager, psw)])
            await session.flush()
            session.add(ManagerOf(person_id=manager[0].id, team_id=teams["Team A"].id))
            await sync_templates(session, templates=load_all())
            campaign = await create_campaign(
                session,
                organisation_id=organisation.id,
                template_key="pulse-check",
                name=PULSE,
                year=now.year,
                audience=Audience(),
            )
            if open_now:
                await open_campaign(session, campaign=campaign, now=now)
            await session.flush()
            return Council(organisation.id, made, manager, psw, campaign)
    finally:
        await engine.dispose()


def seed_council(
    url: str, *, size: int = 6, open_now: bool = True, slack_only: int = 0
) -> Council:
    """A council with ``size`` staff, a manager of Team A and a PSW, all on Teams."""
    return asyncio.run(
        seed_council_async(url, size=size, open_now=open_now, slack_only=slack_only)
    )


def teams_settings(url: str, **overrides: object) -> Settings:
    return load_settings(
        database_url=url,
        secret_key=SECRET_KEY,
        seed_demo=False,
        organisation=ORG_SLUG,
        teams_enabled=True,
        **overrides,
    )


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    with running_connector() as running:
        yield running


@pytest.fixture
def council(sqlite_url: str) -> Council:
    return seed_council(sqlite_url)


@pytest.fixture
def db(sqlite_url: str) -> Iterator[Database]:
    database = Database(sqlite_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def teams(sqlite_url: str, connector: FakeConnector) -> Iterator[Teams]:
    """The app with Teams on, in anonymous mode (no app id), and its connector."""
    with TestClient(create_app(teams_settings(sqlite_url))) as client:
        yield Teams(client, connector)
