"""A council for command-line tests: 'westmere', with the demo's services and teams."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from survey import migrate
from survey.db import create_engine, session_factory
from survey.demo import TEAMS
from survey.models import Organisation, Service, Team
from survey.questions.bank import load_all
from survey.questions.catalogue import sync_templates


@pytest.fixture
def westmere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    """A migrated SQLite file with the 'westmere' council, named by DATABASE_URL.

    It has the demo's services and teams plus "Youth Justice", a service with
    no teams, and runs in ``tmp_path`` so no developer .env file is read.
    """
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")  # as `make run`
    url = f"sqlite:///{tmp_path / 'healthcheck.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "westmere")
    migrate.upgrade(url)
    asyncio.run(_council(url))
    return url


async def _council(url: str) -> None:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            organisation = Organisation(slug="westmere", name="Westmere Council")
            session.add(organisation)
            await session.flush()
            names = sorted({team.service for team in TEAMS} | {"Youth Justice"})
            services = {
                name: Service(organisation_id=organisation.id, name=name)
                for name in names
            }
            session.add_all(services.values())
            await session.flush()
            session.add_all(
                Team(
                    organisation_id=organisation.id,
                    service_id=services[team.service].id,
                    name=team.name,
                )
                for team in TEAMS
            )
            await sync_templates(session, templates=load_all())
    finally:
        await engine.dispose()
