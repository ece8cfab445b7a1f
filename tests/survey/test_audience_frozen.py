"""The audience is frozen when a campaign opens: a later roster change moves nobody.

The attack (issue 13, finding 2): Adults Team has 6 people, 5 finish, the
campaign closes. Re-importing the roster with the one non-finisher moved to
Duty Team used to turn Adults Team's "6 invited, 5 finished" into "5 of 5",
naming who did not take part.
"""

from __future__ import annotations

from pathlib import Path

from builders import (
    NOW,
    SECRET,
    SMALL_TEMPLATE,
    answer_as,
    close_round,
    full_answers,
)
from sqlmodel import col, select

from analytics.participation import Scope, live_participation
from analytics.report import build_report
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.models import (
    Campaign,
    Organisation,
    Participation,
    Person,
    Response,
    Team,
)
from survey.questions.bank import parse_template
from survey.questions.catalogue import sync_templates
from survey.retention.tallies import invited_in_teams
from survey.roster.importing import import_roster

HEADER = (
    "name,email,slack_id,teams_id,team,service,role,employment_type,manager_of,access"
)
LEAVER = "adults5@example.org"


def roster_file(path: Path, *, moved: bool) -> Path:
    """Adults Team (6 social workers) and Duty Team (5); ``moved``: see LEAVER."""
    lines = [HEADER]
    for n in range(6):
        email = f"adults{n}@example.org"
        team, role = "Adults Team", "Social worker"
        if moved and email == LEAVER:
            team, role = "Duty Team", "Senior social worker"
        lines.append(f"Adult {n},{email},,,{team},Adults,{role},permanent,,")
    for n in range(5):
        lines.append(
            f"Duty {n},duty{n}@example.org,,,Duty Team,Adults,Social worker,agency,,"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def _import(
    sessions: SessionFactory, organisation: Organisation, path: Path
) -> None:
    async with sessions() as session, session.begin():
        await import_roster(
            session, organisation_id=organisation.id, path=path, create_teams=True
        )


async def _shown(sessions: SessionFactory, campaign: Campaign) -> dict[str, object]:
    """Every participation figure the chat command and the report show, by group."""
    async with sessions() as session:
        live = await live_participation(session, campaign=campaign, scope=Scope())
        report = await build_report(session, campaign=campaign)
    shown: dict[str, object] = {
        f"live {row.rate.label}": (row.rate.invited, row.rate.responded) for row in live
    }
    for rate in report.response_rates:
        shown[f"report {rate.label}"] = (rate.invited, rate.responded)
    return shown


async def test_moving_the_one_non_finisher_by_roster_import_changes_no_rate(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="frozen", name="Frozen Council")
        session.add(organisation)
        definition = parse_template(SMALL_TEMPLATE, source="test")
        await sync_templates(session, templates=[definition])
    await _import(sessions, organisation, roster_file(tmp_path / "a.csv", moved=False))
    async with sessions() as session, session.begin():
        campaign = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key=definition.key,
            name="Check 2026",
            year=2026,
            audience=Audience(),
        )
        await open_campaign(session, campaign=campaign, now=NOW)
        people = (await session.exec(select(Person).order_by(col(Person.email)))).all()
    finishers = [
        p for p in people if p.email.startswith("adults") and p.email != LEAVER
    ]
    for person in finishers:
        await answer_as(sessions, person, campaign, full_answers())
    async with sessions() as session, session.begin():
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(session, campaign=stored, now=NOW, secret=SECRET)
        campaign = stored
        teams = {t.name: t.id for t in (await session.exec(select(Team))).all()}

    before = await _shown(sessions, campaign)
    assert before["live Adults: Adults Team"] == (6, 5)
    assert before["live Adults: Duty Team"] == (5, 0)
    assert before["report Adults: Adults Team"] == (6, 5)
    assert before["live Social worker"] == (11, 5)

    await _import(sessions, organisation, roster_file(tmp_path / "b.csv", moved=True))
    assert await _shown(sessions, campaign) == before

    async with sessions() as session:
        leaver = (
            await session.exec(select(Person).where(Person.email == LEAVER))
        ).one()
        row = (
            await session.exec(
                select(Participation).where(Participation.person_id == leaver.id)
            )
        ).one()
        in_adults = await invited_in_teams(
            session, campaign_id=campaign.id, team_ids=[teams["Adults Team"]]
        )
    # The roster moved them; the campaign still counts them where they were.
    assert (leaver.team_id, leaver.role) == (teams["Duty Team"], "senior_social_worker")
    assert (row.team_id, row.role) == (teams["Adults Team"], "social_worker")
    assert in_adults == 6


async def test_a_person_moved_while_open_answers_in_the_group_they_were_invited_in(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="frozen", name="Frozen Council")
        session.add(organisation)
        definition = parse_template(SMALL_TEMPLATE, source="test")
        await sync_templates(session, templates=[definition])
    await _import(sessions, organisation, roster_file(tmp_path / "a.csv", moved=False))
    async with sessions() as session, session.begin():
        campaign = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key=definition.key,
            name="Check 2026",
            year=2026,
            audience=Audience(),
        )
        await open_campaign(session, campaign=campaign, now=NOW)
    await _import(sessions, organisation, roster_file(tmp_path / "b.csv", moved=True))
    async with sessions() as session:
        leaver = (
            await session.exec(select(Person).where(Person.email == LEAVER))
        ).one()
        adults = (
            await session.exec(select(Team).where(Team.name == "Adults Team"))
        ).one()

    await answer_as(sessions, leaver, campaign, full_answers())
    # The close writes the sealed response with the groups it was sealed with.
    await close_round(sessions, campaign.id)

    async with sessions() as session:
        response = (await session.exec(select(Response))).one()
    assert (response.team_id, response.role) == (adults.id, "social_worker")
    assert response.employment_type == "permanent"
