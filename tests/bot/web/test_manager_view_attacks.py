"""Every manager's summary at once, read by an attacker: nobody is singled out.

The council: Adults = Big Team (8) and Small Team (3); Children = North (6) and
South (6). Everyone answers; the round closes. Small Team is too small to show,
and Big Team next to Adults would be Small Team by subtraction, so both their
managers are shown the Adults service instead. The attacker combines every
figure every manager (and the PSW) sees on the Team summary page with exact
arithmetic (:mod:`attacker`) and finds no set of fewer than five people.
"""

from __future__ import annotations

import asyncio
import html as html_module
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from attacker import Cell, attack
from builders import NOW, SECRET
from webchat import Chat, TestClient

from bot.app import create_app
from bot.settings import load_settings
from survey.answering import DraftState, save_draft, submit
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory, create_engine, session_factory
from survey.models import ManagerOf, Organisation, Person, Service, Team
from survey.questions.bank import parse_template
from survey.questions.catalogue import sync_templates

K = 5
ROSTER = {"Big Team": ("Adults", 8), "Small Team": ("Adults", 3)}
ROSTER |= {"North": ("Children", 6), "South": ("Children", 6)}
TEMPLATE = {
    "key": "manager-check",
    "version": 1,
    "title": "Manager check",
    "kind": "health_check",
    "audience": "everyone",
    "questions": [
        {
            "id": "Q1",
            "text": "My workload is manageable.",
            "scale": "agree5",
            "standard": 3,
            "theme": "workload",
        },
        {
            "id": "Q2",
            "text": "Have you been bullied?",
            "scale": "yes_no_unsure",
            "standard": 4,
            "theme": "equality_diversity",
            "favourable": ["no"],
        },
    ],
}


async def _seed(sessions: SessionFactory) -> None:
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="teams-org", name="Teams Council")
        session.add(organisation)
        await session.flush()
        services = {}
        for name in ("Adults", "Children", "Leadership"):
            services[name] = Service(organisation_id=organisation.id, name=name)
            session.add(services[name])
        await session.flush()
        office = Team(
            organisation_id=organisation.id,
            service_id=services["Leadership"].id,
            name="Office",
        )
        session.add(office)
        await session.flush()
        staff: list[Person] = []
        for team_name, (service_name, size) in ROSTER.items():
            team = Team(
                organisation_id=organisation.id,
                service_id=services[service_name].id,
                name=team_name,
            )
            session.add(team)
            await session.flush()
            manager = Person(
                organisation_id=organisation.id,
                name=f"Manager of {team_name}",
                email=f"manager.{team_name.replace(' ', '')}@x.org",
                team_id=office.id,
                role="team_manager",
                employment_type="permanent",
                access="manager",
            )
            session.add(manager)
            await session.flush()
            session.add(ManagerOf(person_id=manager.id, team_id=team.id))
            staff += [
                Person(
                    organisation_id=organisation.id,
                    name=f"{team_name} {n}",
                    email=f"{team_name.replace(' ', '')}{n}@x.org",
                    team_id=team.id,
                    role="social_worker",
                    employment_type="permanent",
                )
                for n in range(size)
            ]
        session.add(
            Person(
                organisation_id=organisation.id,
                name="Pat Principal",
                email="pat@x.org",
                team_id=office.id,
                role="principal_social_worker",
                employment_type="permanent",
                access="psw",
            )
        )
        session.add_all(staff)
        await session.flush()
        definition = parse_template(TEMPLATE, source="test")
        await sync_templates(session, templates=[definition])
        campaign = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key=definition.key,
            name="Manager check 2026",
            year=2026,
            audience=Audience(roles=["social_worker"]),
        )
        await open_campaign(session, campaign=campaign, now=NOW)
    for n, person in enumerate(staff):
        answers = {"Q1": ["agree", "disagree"][n % 2], "Q2": ["no", "yes"][n % 3 == 0]}
        async with sessions() as session, session.begin():
            await save_draft(
                session,
                secret=SECRET,
                person=person,
                campaign=campaign,
                state=DraftState(answers=answers),  # type: ignore[arg-type]
                now=NOW,
            )
            await submit(
                session, secret=SECRET, person=person, campaign=campaign, now=NOW
            )
    async with sessions() as session, session.begin():
        found = await session.get(type(campaign), campaign.id)
        assert found is not None
        await close_campaign(
            session, campaign=found, now=NOW + timedelta(days=1), secret=SECRET
        )


async def _build(url: str) -> None:
    engine = create_engine(url)
    try:
        await _seed(session_factory(engine))
    finally:
        await engine.dispose()


@pytest.fixture
def council_url(
    sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    path = tmp_path / "council.db"
    shutil.copy(sqlite_template, path)
    monkeypatch.chdir(tmp_path)  # no developer .env file is read
    url = f"sqlite:///{path}"
    asyncio.run(_build(url))
    return url


def _members() -> dict[str, frozenset[str]]:
    """What each group label on the page means, as the org chart tells anyone."""
    people = {
        team: {f"{team} {n}" for n in range(size)} for team, (_, size) in ROSTER.items()
    }
    labels = {team: frozenset(names) for team, names in people.items()}
    for service in ("Adults", "Children"):
        labels[service] = frozenset(
            name
            for team, (owner, _) in ROSTER.items()
            if owner == service
            for name in people[team]
        )
    labels["Teams Council"] = frozenset(n for names in people.values() for n in names)
    return labels


def _cells(page: str, source: str) -> list[Cell]:
    """Every group figure on one Team summary page."""
    members = _members()
    text = html_module.unescape(page)
    cells = []
    for label in re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td data-label="Responses">\d+ of \d+', text
    ):
        cells.append(Cell("participation", f"{source}: {label}", members[label]))
    # A group with a column in the figures tables has its answers published
    # (and so how many responded).
    for label in set(re.findall(r'<th scope="col">([^<]+)</th>', text)):
        if label in members:
            cells.append(Cell("answers", f"{source}: {label}", members[label]))
            cells.append(Cell("participation", f"{source}: {label}", members[label]))
    return cells


def test_no_combination_of_managers_summaries_singles_anyone_out(
    council_url: str,
) -> None:
    settings = load_settings(
        database_url=council_url,
        secret_key="web-channel-test-secret-0123456789",
        seed_demo=False,
        organisation="teams-org",
        worker_in_web=False,
    )
    from sqlalchemy import create_engine as sync_engine
    from sqlmodel import Session, select

    engine = sync_engine(council_url)
    with Session(engine) as session:
        managers = list(
            session.exec(select(Person).where(Person.access == "manager")).all()
        )
        psw = session.exec(select(Person).where(Person.access == "psw")).one()
    engine.dispose()
    cells: list[Cell] = []
    pages: dict[str, str] = {}
    with TestClient(create_app(settings)) as client:
        chat = Chat(client)
        for manager in managers:
            chat.pick(manager)
            pages[manager.name] = chat.get("/summary")
            assert chat.status == 200
            cells += _cells(chat.html, manager.name)
        chat.pick(psw)
        for team in ["", *ROSTER]:
            page = chat.get(f"/summary?team={team}")
            assert chat.status == 200
            cells += _cells(page, f"PSW {team or 'whole'}")
    small = html_module.unescape(pages["Manager of Small Team"])
    assert (
        "Small Team has fewer than the 5 answers needed to show figures, so this "
        "shows the Adults service (11 answers)." in small
    )
    big = html_module.unescape(pages["Manager of Big Team"])
    assert "so this shows the Adults service (11 answers)." in big
    assert "These are North's own figures." in html_module.unescape(
        pages["Manager of North"]
    )
    # The fallback is published: the Adults service's answers are on the page,
    # and response rates were read off the pages too.
    assert Cell("answers", "Manager of Small Team: Adults", _members()["Adults"]) in (
        cells
    )
    assert re.search(
        r'North</th>\s*<td data-label="Responses">6 of 6', pages["Manager of North"]
    )
    rates = {c.source for c in cells if c.system == "participation"}
    assert "Manager of North: North" in rates
    assert "Manager of Small Team: Small Team" not in rates
    findings = attack(cells, K)
    assert not findings, "\n".join(map(str, findings))


def test_the_attacker_would_find_small_team_if_big_team_were_shown() -> None:
    """Big Team's own figures beside the Adults service single out Small Team."""
    members = _members()
    cells = [
        Cell("answers", "Adults", members["Adults"]),
        Cell("answers", "Big Team", members["Big Team"]),
    ]
    found = attack(cells, K)
    assert [f.people for f in found] == [members["Small Team"]]
