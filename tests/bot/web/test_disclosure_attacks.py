"""The two attacks of issue 13, run as a hostile PSW would: through the report
CLI, ``export org`` and the dashboard, then solved by :mod:`attacker`.

The council: Adults Team = 1 occupational therapist, 5 social workers and 1
senior social worker; OT Team = 5 occupational therapists; Children Team = 6
social workers and 6 senior social workers. Everyone answers; the round closes.

* "Occupational therapist" (6) minus "Adults: OT Team" (5) is the one therapist
  in Adults Team.
* Role senior social worker (7), service Children (12) and Children x social
  worker (6) combine to the one senior social worker in Adults.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from attacker import Cell, Finding, attack
from builders import NOW, SECRET
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from webchat import Chat

from bot import cli
from bot.app import create_app
from bot.reports_cli import report_app
from bot.settings import load_settings
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory, create_engine, session_factory
from survey.models import Organisation, Person, Service, Team
from survey.questions.bank import parse_template
from survey.questions.catalogue import sync_templates
from survey.roster.roles import role_label, workforce_label, workforce_of

CAMPAIGN = "Disclosure check 2026"
K = 5
ROSTER = {  # team -> (service, [(role, how many)])
    "Adults Team": (
        "Adults",
        [
            ("occupational_therapist", 1),
            ("social_worker", 5),
            ("senior_social_worker", 1),
        ],
    ),
    "OT Team": ("Adults", [("occupational_therapist", 5)]),
    "Children Team": (
        "Children",
        [("social_worker", 6), ("senior_social_worker", 6)],
    ),
}
STAFF_ROLES = ["occupational_therapist", "social_worker", "senior_social_worker"]
TEMPLATE = {
    "key": "disclosure-check",
    "version": 1,
    "title": "Disclosure check",
    "kind": "pulse",
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
            "id": "TX1",
            "text": "One change?",
            "scale": "text",
            "required": False,
            "theme": "workload",
            "max_length": 500,
        },
    ],
}


@dataclass(frozen=True)
class Member:
    """What the attacker knows about one person: the org chart."""

    name: str
    service: str
    team: str
    role: str


@dataclass(frozen=True)
class Council:
    url: str
    people: list[Member]
    ids: dict[str, str]  # service and team names -> ids


async def _build(url: str) -> dict[str, str]:
    engine = create_engine(url)
    try:
        return await _seed(session_factory(engine))
    finally:
        await engine.dispose()


async def _seed(sessions: SessionFactory) -> dict[str, str]:
    ids: dict[str, str] = {}
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="teams-org", name="Teams Council")
        session.add(organisation)
        await session.flush()
        services: dict[str, Service] = {}
        for name in ["Adults", "Children", "Leadership"]:
            services[name] = Service(organisation_id=organisation.id, name=name)
            session.add(services[name])
        await session.flush()
        people: list[Person] = []
        teams = {
            **ROSTER,
            "PSW office": ("Leadership", [("principal_social_worker", 1)]),
        }
        for team_name, (service_name, roles) in teams.items():
            team = Team(
                organisation_id=organisation.id,
                service_id=services[service_name].id,
                name=team_name,
            )
            session.add(team)
            await session.flush()
            ids[team_name] = str(team.id)
            ids[service_name] = str(services[service_name].id)
            for role, count in roles:
                for n in range(count):
                    people.append(
                        Person(
                            organisation_id=organisation.id,
                            name=f"{team_name} {role} {n}",
                            email=f"{team_name}{role}{n}".replace(" ", "") + "@x.org",
                            team_id=team.id,
                            role=role,
                            employment_type="permanent",
                            access="psw"
                            if role == "principal_social_worker"
                            else "staff",
                        )
                    )
        session.add_all(people)
        await session.flush()
        definition = parse_template(TEMPLATE, source="test")
        await sync_templates(session, templates=[definition])
        campaign = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key=definition.key,
            name=CAMPAIGN,
            year=2026,
            audience=Audience(roles=STAFF_ROLES),
        )
        await open_campaign(session, campaign=campaign, now=NOW)
    from survey.answering import DraftState, save_draft, submit

    for n, person in enumerate(p for p in people if p.role in STAFF_ROLES):
        answers = {"Q1": ["agree", "disagree", "strongly_agree"][n % 3]}
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
    return ids


@pytest.fixture(scope="module")
def council(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Council:
    path = tmp_path_factory.mktemp("attack") / "council.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    ids = asyncio.run(_build(url))
    people = [
        Member(f"{team} {role} {n}", service, team, role)
        for team, (service, roles) in ROSTER.items()
        for role, count in roles
        for n in range(count)
    ]
    return Council(url, people, ids)


@pytest.fixture
def database(
    council: Council, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Council:
    path = tmp_path / "council.db"
    shutil.copy(council.url.removeprefix("sqlite:///"), path)
    monkeypatch.chdir(tmp_path)  # no developer .env file is read
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "teams-org")
    return Council(f"sqlite:///{path}", council.people, council.ids)


def _members_by_label(people: list[Member]) -> dict[str, frozenset[str]]:
    """What each label in a report means, as a reader of the org chart knows."""
    labels: dict[str, set[str]] = {"Whole organisation": {p.name for p in people}}
    for p in people:
        for label in (
            p.service,
            f"{p.service}: {p.team}",
            role_label(p.role),
            workforce_label(workforce_of(p.role)),
        ):
            labels.setdefault(label, set()).add(p.name)
    return {label: frozenset(names) for label, names in labels.items()}


def _cells_from_rows(
    rows: list[dict[str, str]], people: list[Member], source: str
) -> list[Cell]:
    """Published sums in report rows: answers where a group shows its respondents,
    participation where it shows how many responded."""
    members = _members_by_label(people)
    cells = []
    for row in rows:
        value = row["value"]
        if value in ("", "None", "hidden", None) or row["group"] not in members:
            continue
        group = row["group"]
        if row["measure"] == "respondents" and not row["question_id"]:
            cells.append(Cell("answers", f"{source}: {group}", members[group]))
            cells.append(Cell("participation", f"{source}: {group}", members[group]))
        if row["measure"] == "responded":
            cells.append(Cell("participation", f"{source}: {group}", members[group]))
    return cells


def _report_cells(tmp_path: Path, people: list[Member]) -> list[Cell]:
    out = tmp_path / "report.csv"
    result = CliRunner().invoke(
        report_app, [CAMPAIGN, "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows
    return _cells_from_rows(rows, people, "report csv")


def _export_cells(tmp_path: Path, people: list[Member]) -> list[Cell]:
    out = tmp_path / "export.zip"
    assert cli.main(["export", "org", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as archive:
        results = json.loads(archive.read("results.json"))
        participation = json.loads(archive.read("participation.json"))
    rows = [{k: "" if v is None else str(v) for k, v in r.items()} for r in results]
    for rate in participation:
        if rate["responded"] is not None:
            rows.append(
                {
                    "group": rate["group"],
                    "question_id": "RESPONSE_RATE",
                    "measure": "responded",
                    "value": str(rate["responded"]),
                }
            )
    return _cells_from_rows(rows, people, "export org")


def _named(findings: list[Finding], name: str, system: str) -> list[Finding]:
    return [f for f in findings if f.system == system and f.people == {name}]


OT_IN_ADULTS = "Adults Team occupational_therapist 0"
SENIOR_IN_ADULTS = "Adults Team senior_social_worker 0"


def test_the_report_and_export_let_nobody_be_singled_out(
    database: Council, tmp_path: Path
) -> None:
    cells = _report_cells(tmp_path, database.people)
    cells += _export_cells(tmp_path, database.people)
    findings = attack(cells, K)
    assert not findings, "\n".join(map(str, findings))
    # The report still shows something: the organisation and its services.
    shown = {cell.source for cell in cells if cell.system == "answers"}
    assert "report csv: Whole organisation" in shown
    assert "report csv: Adults" in shown


def test_the_occupational_therapist_example_is_what_the_attacker_finds() -> None:
    """The attacker finds the named case when the two rows are published."""
    people = [
        Member(f"{team} {role} {n}", service, team, role)
        for team, (service, roles) in ROSTER.items()
        for role, count in roles
        for n in range(count)
    ]
    members = _members_by_label(people)
    cells = [
        Cell(
            "answers",
            "report csv: Occupational therapist",
            members["Occupational therapist"],
        ),
        Cell("answers", "report csv: Adults: OT Team", members["Adults: OT Team"]),
    ]
    found = _named(attack(cells, K), OT_IN_ADULTS, "answers")
    assert found
    assert "Occupational therapist" in str(found[0])


def _dashboard_cells(chat: Chat, database: Council) -> list[Cell]:
    """Every filter combination the dashboard offers, read off its pages."""
    html = chat.get("/dashboard")
    assert chat.status == 200
    options = {
        name: re.findall(r'<option value="([^"]+)"', block)
        for name, block in re.findall(
            r'<select id="f-(\w+)" name="\w+">(.*?)</select>', html, re.S
        )
    }
    ids = {value: key for key, value in database.ids.items()}
    cells = []
    wheres: list[dict[str, str]] = [{}]
    wheres += [{"service": s} for s in options["service"]]
    wheres += [{"team": t} for t in options["team"]]
    for where in wheres:
        for role in ["", *options["role"]]:
            query = "&".join(f"{k}={v}" for k, v in {**where, "role": role}.items())
            page = chat.get(f"/dashboard?{query}")
            assert chat.status == 200
            chosen = [
                p.name
                for p in database.people
                if ("service" not in where or p.service == ids[where["service"]])
                and ("team" not in where or p.team == ids[where["team"]])
                and (not role or p.role == role)
            ]
            named = {k: ids[v] for k, v in where.items()}
            source = f"dashboard {named} role={role or 'all'}"
            if re.search(r"Response rate: \d+ of \d+", page):
                cells.append(Cell("participation", source, frozenset(chosen)))
            if 'id="suppressed"' not in page and "<td>" in page:
                cells.append(Cell("answers", source, frozenset(chosen)))
                cells.append(Cell("participation", source, frozenset(chosen)))
    return cells


def test_no_combination_of_dashboard_filters_singles_anyone_out(
    database: Council,
) -> None:
    settings = load_settings(
        database_url=database.url,
        secret_key="web-channel-test-secret-0123456789",
        seed_demo=False,
        organisation="teams-org",
        worker_in_web=False,
    )
    with TestClient(create_app(settings)) as client:
        chat = Chat(client)
        from sqlalchemy import create_engine as sync_engine
        from sqlmodel import Session, select

        engine = sync_engine(database.url)
        with Session(engine) as session:
            psw = session.exec(
                select(Person).where(Person.role == "principal_social_worker")
            ).one()
        engine.dispose()
        chat.pick(psw)
        html = chat.get("/dashboard")
        # Every role invited is offered, answered or not; hidden ones say so.
        for role in STAFF_ROLES:
            assert f'<option value="{role}"' in html
        # Either role would open the gap to one person in Adults Team, so both are
        # listed, as hidden.
        assert "Occupational therapist (hidden)</option>" in html
        assert "Senior social worker (hidden)</option>" in html
        assert "Social worker</option>" in html
        cells = _dashboard_cells(chat, database)
        # The chat's participation table lists every invited role too.
        reply = re.sub(r"<[^>]+>", " ", chat.command("participation"))
        for role in STAFF_ROLES:
            assert role_label(role) in reply
        assert "hidden" in reply
    findings = attack(cells, K)
    assert not findings, "\n".join(map(str, findings))
    assert any(c.system == "answers" for c in cells), "the dashboard shows something"


def test_the_senior_social_worker_example_is_what_the_attacker_finds() -> None:
    people = [
        Member(f"{team} {role} {n}", service, team, role)
        for team, (service, roles) in ROSTER.items()
        for role, count in roles
        for n in range(count)
    ]
    members = _members_by_label(people)
    children_sw = frozenset(
        p.name for p in people if p.service == "Children" and p.role == "social_worker"
    )
    cells = [
        Cell("answers", "dashboard role=senior", members["Senior social worker"]),
        Cell("answers", "dashboard service=Children", members["Children"]),
        Cell("answers", "dashboard Children x social worker", children_sw),
    ]
    assert _named(attack(cells, K), SENIOR_IN_ADULTS, "answers")
