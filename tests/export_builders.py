"""A council with a closed round, a hidden small team, follow-up and secrets.

Teams Alpha (9) and Beta (8) are large enough to show; Gamma (3) is not, and its
answers are distinctive (a third favourable on Q1, 37 extra hours each) so a
leak of its figures would be recognisable. The database also holds what must
never leave: a draft (keyed by HMAC), a Slack bot token and a personal link.
"""

from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import psycopg
import pytest
from builders import NOW, SECRET, answer_as, full_answers, org_with_teams
from postgres_admin import POSTGRES_ADMIN_URL
from sqlalchemy import insert

from survey.anonymity import draft_key
from survey.campaigns import close_campaign
from survey.db import SessionFactory, create_engine, session_factory
from survey.models import (
    Action,
    Announcement,
    Campaign,
    Draft,
    ManagerOf,
    Organisation,
    Person,
    PersonalLink,
    Target,
)
from survey.models.slack import slack_installations

SLUG = "teams-org"
CAMPAIGN = "Teams check 2026"
BOT_TOKEN = "xoxb-1111-2222-audit-export-secret-token"
LINK_HASH = "f" * 64
PHONE = "07700 900123"
GAMMA_Q1_FAVOURABLE = 33.3
GAMMA_HOURS = 37


@dataclass
class Council:
    """What :func:`council` made."""

    organisation: Organisation
    campaign: Campaign
    manager: Person
    psw: Person
    staff: Person
    draft_key: str


async def council(sessions: SessionFactory) -> Council:
    """Build the council, answer and close its round, and add follow-up."""
    organisation, campaign, people, teams = await org_with_teams(
        sessions,
        teams={"Alpha": ("Adults", 9), "Beta": ("Adults", 8), "Gamma": ("Adults", 3)},
    )
    for n, person in enumerate(people["Alpha"] + people["Beta"]):
        answers = full_answers()
        answers["TX1"] = (
            f"Caseloads are far too high, ring Alpha person 1 on {PHONE}."
            if n % 2
            else "Supervision is regular and my manager is supportive."
        )
        await answer_as(sessions, person, campaign, answers)
    for n, person in enumerate(people["Gamma"]):
        answers = full_answers()
        answers["Q1"] = "agree" if n == 0 else "disagree"
        answers["HOURS"] = GAMMA_HOURS
        del answers["TX1"]
        await answer_as(sessions, person, campaign, answers)
    async with sessions() as session, session.begin():
        manager = _person(organisation, teams["Alpha"].id, "Mona Manager", "manager")
        psw = _person(organisation, teams["Beta"].id, "Pat Principal", "psw")
        session.add_all([manager, psw])
        await session.flush()
        session.add(ManagerOf(person_id=manager.id, team_id=teams["Alpha"].id))
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(
            session, campaign=stored, now=NOW + timedelta(days=1), secret=SECRET
        )
        key = draft_key(SECRET, person_id=psw.id, campaign_id=campaign.id)
        session.add(Draft(key=key, campaign_id=campaign.id, answers={"Q1": "agree"}))
        session.add_all(
            [
                Action(
                    organisation_id=organisation.id,
                    campaign_id=campaign.id,
                    theme="workload",
                    you_said="Caseloads are too high.",
                    we_did="Two more social workers in Alpha.",
                    owner="Head of Adults",
                    due_on=date(2026, 6, 1),
                ),
                Announcement(
                    organisation_id=organisation.id,
                    kind="briefing",
                    title="Results are in",
                    body="Thank you for taking part.",
                ),
                Target(
                    organisation_id=organisation.id,
                    template_key="small-check",
                    question_key="Q1",
                    percent=70.0,
                ),
                PersonalLink(
                    token_hash=LINK_HASH,
                    person_id=people["Alpha"][0].id,
                    expires_at=NOW + timedelta(days=7),
                ),
            ]
        )
        connection = await session.connection()
        await connection.execute(
            insert(slack_installations).values(
                client_id="111.222",
                app_id="A0001",
                team_id="T0001",
                user_id="U0001",
                bot_token=BOT_TOKEN,
                installed_at=NOW.replace(tzinfo=None),
            )
        )
    return Council(organisation, stored, manager, psw, people["Alpha"][0], key)


def _person(
    organisation: Organisation, team_id: uuid.UUID, name: str, access: str
) -> Person:
    return Person(
        organisation_id=organisation.id,
        name=name,
        email=f"{name.split()[0].lower()}@example.org",
        team_id=team_id,
        role="team_manager" if access == "manager" else "principal_social_worker",
        employment_type="permanent",
        access=access,
    )


@contextmanager
def council_database(
    request: pytest.FixtureRequest, folder: Path
) -> Iterator[tuple[str, Council]]:
    """One database holding :func:`council`, built once for a test module.

    ``request.param`` is ``sqlite`` or ``postgres``; the migrated templates come
    from the shared conftest fixtures.
    """
    if request.param == "sqlite":
        path = folder / "council.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
        yield url, _build(url)
        return
    template = request.getfixturevalue("postgres_template")
    name = f"hc_council_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    url = f"{POSTGRES_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    try:
        yield url, _build(url)
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _build(url: str) -> Council:
    async def build() -> Council:
        engine = create_engine(url)
        try:
            return await council(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(build())
