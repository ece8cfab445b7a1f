"""People on Slack and people on Teams answer one campaign and count as one.

The Slack side answers through ``survey.answering`` directly (the same calls the
Slack adapter makes), so this test does not depend on the Slack adapter; the
Teams side answers through ``/api/messages`` with cards.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from conftest import PULSE, seed_council, teams_settings
from fakes.teams_connector import FakeConnector
from sqlmodel import select
from teamschat import (
    SECRET_KEY,
    Database,
    Teams,
    TestClient,
    action,
    actions,
    answer_with,
    options,
    words,
)

from analytics.data import load_round
from bot.app import create_app
from survey.answering import DraftState, save_draft, submit
from survey.db import create_engine, session_factory
from survey.delivery.job_runner import run_job
from survey.models import Campaign, Job, OutboxMessage, Person
from survey.schedule.plans import OPEN


def answer_on_slack(url: str, people: list[Person]) -> None:
    """What the Slack adapter does for each person: save the answers, then submit."""

    async def answer() -> None:
        engine = create_engine(url)
        sessions = session_factory(engine)
        now = datetime.now(UTC)
        try:
            for person in people:
                async with sessions() as session, session.begin():
                    campaign = (
                        await session.exec(
                            select(Campaign).where(Campaign.name == PULSE)
                        )
                    ).one()
                    await save_draft(
                        session,
                        secret=SECRET_KEY.encode(),
                        person=person,
                        campaign=campaign,
                        state=DraftState(
                            answers={
                                "WL02": "manageable",
                                "WB01": "disagree",
                                "WB02": "agree",
                                "SV01": "monthly",
                                "LD05": "agree",
                                "RT01": "likely",
                                "TX01": None,
                            }
                        ),
                        now=now,
                    )
                    await submit(
                        session,
                        secret=SECRET_KEY.encode(),
                        person=person,
                        campaign=campaign,
                        now=now,
                    )
        finally:
            await engine.dispose()

    asyncio.run(answer())


def invitations_by_platform(url: str) -> dict[str, str]:
    """Run the campaign's open job for a deployment on Slack and Teams."""

    async def open_it() -> dict[str, str]:
        engine = create_engine(url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session, session.begin():
                campaign = (
                    await session.exec(select(Campaign).where(Campaign.name == PULSE))
                ).one()
                job = Job(
                    organisation_id=campaign.organisation_id,
                    kind=OPEN,
                    dedupe_key="open-now",
                    payload={"campaign_id": str(campaign.id)},
                    run_at=datetime.now(UTC),
                )
                await run_job(
                    session,
                    job=job,
                    now=datetime.now(UTC),
                    platforms=("local", "slack", "teams"),
                )
            async with sessions() as session:
                rows = (
                    await session.exec(
                        select(OutboxMessage.recipient, OutboxMessage.platform)
                    )
                ).all()
            return dict(rows)
        finally:
            await engine.dispose()

    return asyncio.run(open_it())


def test_slack_and_teams_people_are_counted_in_one_set_of_results(
    sqlite_url: str, connector: FakeConnector, db: Database
) -> None:
    council = seed_council(sqlite_url, size=4, slack_only=2)
    on_slack = [person for person, _ in council.staff[:2]]
    on_teams = [council.staff[2], council.staff[3], council.manager, council.psw]
    assert all(person.slack_id and not person.teams_id for person in on_slack)
    assert all(person.teams_id and not person.slack_id for person, _ in on_teams)

    # One campaign, each person invited on the platform they use.
    routed = invitations_by_platform(sqlite_url)
    assert {routed[str(person.slack_id)] for person in on_slack} == {"slack"}
    assert {routed[str(person.teams_id)] for person, _ in on_teams} == {"teams"}

    answer_on_slack(sqlite_url, on_slack)
    with TestClient(create_app(teams_settings(sqlite_url))) as client:
        teams = Teams(client, connector)
        for _, member in on_teams:
            [card] = teams.say(member, "start")
            while not actions(card, "submit"):
                choices = options(card)
                given = choices[0]["value"] if choices else "Fewer forms"
                card = answer_with(teams, member, card, given)
            assert "Thank you" in words(teams.tap(member, action(card, "submit")))
        _, psw = council.psw
        [live] = teams.say(psw, f'participation "{PULSE}"')
        # The close writes the six sealed responses, from both platforms.
        [closed] = teams.say(psw, f'campaign close "{PULSE}"')
        assert "is closed and takes no more answers" in words(closed)
        [participation] = teams.say(psw, f'participation "{PULSE}"')
    # While open, finished counts move in steps of the minimum group size (5).
    assert "Organisation Westmere Council 6 5 83%" in words(live)
    shown = words(participation)
    assert "Organisation Westmere Council 6 6 100%" in shown

    async def results() -> tuple[int, int, int]:
        engine = create_engine(sqlite_url)
        try:
            async with session_factory(engine)() as session:
                campaign = (
                    await session.exec(select(Campaign).where(Campaign.name == PULSE))
                ).one()
                round_ = await load_round(session, campaign=campaign)
        finally:
            await engine.dispose()
        completed = int(round_.invited["completed"].sum())
        return len(round_.responses), len(round_.invited), completed

    assert asyncio.run(results()) == (6, 6, 6)
