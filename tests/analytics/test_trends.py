"""Pulse trends over successive rounds, suppressed per round (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from builders import SECRET
from plan_builders import MONDAY, PlanOrg, plan_org, run_due
from sqlmodel import col, select

from analytics.trends import NOT_ASKED, pulse_rounds, pulse_trends
from survey.answering import DraftState, save_draft, submit
from survey.campaigns import Audience
from survey.db import SessionFactory
from survey.models import Campaign, Person, PulseSchedule
from survey.schedule.pulses import create_pulse_schedule

FEWER = "fewer than 5 responses"


async def answer(
    sessions: SessionFactory,
    people: list[Person],
    campaign: Campaign,
    answers: list[dict[str, object]],
    now: datetime,
) -> None:
    for person, given in zip(people, answers, strict=False):
        async with sessions() as session, session.begin():
            await save_draft(
                session,
                secret=SECRET,
                person=person,
                campaign=campaign,
                state=DraftState(answers=given),  # type: ignore[arg-type]
                now=now,
            )
            await submit(
                session, secret=SECRET, person=person, campaign=campaign, now=now
            )


async def latest_pulse(sessions: SessionFactory) -> Campaign:
    async with sessions() as session:
        rows = await session.exec(
            select(Campaign)
            .where(col(Campaign.pulse_schedule_id).is_not(None))
            .order_by(col(Campaign.opens_at).desc())
        )
        found = rows.first()
        assert found is not None
        return found


async def three_rounds(sessions: SessionFactory) -> tuple[PlanOrg, PulseSchedule]:
    """Three closed rounds: 6 answers, then only 3 (too few), then 5."""
    org = await plan_org(sessions, teams={"Team A": ("Adults", 8)})
    async with sessions() as session, session.begin():
        schedule = await create_pulse_schedule(
            session,
            organisation_id=org.organisation.id,
            audience=Audience(),
            every_weeks=2,
            questions_per_pulse=4,
            template_key="small-pulse",
            first_run_at=MONDAY,
            now=MONDAY,
        )
    people = org.people["Team A"]
    rounds: list[list[dict[str, object]]] = [
        # P1, P2, P3 (+P3A), P4
        [
            {"P1": "agree", "P2": "agree", "P3": "no", "P4": "agree"},
            {"P1": "agree", "P2": "agree", "P3": "no", "P4": "agree"},
            {"P1": "agree", "P2": "agree", "P3": "no", "P4": "disagree"},
            {"P1": "disagree", "P2": "agree", "P3": "no", "P4": "disagree"},
            {"P1": "disagree", "P2": "agree", "P3": "no", "P4": "disagree"},
            {"P1": "disagree", "P2": "agree", "P3": "no", "P4": "disagree"},
        ],
        # P1, P2, P5, P6: only three answer
        [{"P1": "agree", "P2": "agree", "P5": "agree", "P6": "agree"}] * 3,
        # P3 (+P3A), P4, P5, P6
        [{"P3": "no", "P4": "agree", "P5": "agree", "P6": "disagree"}] * 5,
    ]
    for number, answers in enumerate(rounds):
        start = MONDAY + timedelta(weeks=2 * number)
        await run_due(sessions, now=start)
        campaign = await latest_pulse(sessions)
        await answer(sessions, people, campaign, answers, start + timedelta(hours=1))
        await run_due(sessions, now=start + timedelta(days=7))
    return org, schedule


async def test_trends_follow_each_question_round_by_round(
    sessions: SessionFactory,
) -> None:
    org, schedule = await three_rounds(sessions)

    async with sessions() as session:
        campaigns = await pulse_rounds(
            session, organisation_id=org.organisation.id, schedule_id=schedule.id
        )
        trends = await pulse_trends(session, title=schedule.name, campaigns=campaigns)

    assert [label.respondents for label in trends.rounds] == [6, None, 5]
    assert trends.rounds[1].hidden == FEWER
    rows = {row.key: row.cells for row in trends.questions}
    assert [cell.value for cell in rows["P1"]] == [50.0, None, None]
    assert [cell.hidden for cell in rows["P1"]] == [None, FEWER, NOT_ASKED]
    assert [cell.value for cell in rows["P4"]] == [pytest.approx(100 / 3), None, 100.0]
    assert [cell.hidden for cell in rows["P5"]] == [NOT_ASKED, FEWER, None]
    assert [cell.value for cell in rows["P6"]] == [None, None, 0.0]
    # Nobody said yes, so nobody was asked the follow-up: hidden, never zero.
    assert [cell.hidden for cell in rows["P3A"]][0] == FEWER
    # P3 (yes / no) has no favourable answer, so it has no % favourable to follow.
    assert list(rows) == ["P1", "P2", "P3A", "P4", "P5", "P6"]
    standards = {row.key: row.cells for row in trends.standards}
    # Standard 3 is P1 and P2: 50% and 100% favourable, as 0-100 points.
    assert standards["3"][0].value == pytest.approx((3 * 75 + 3 * 25 + 6 * 75) / 12)
    assert standards["3"][1].hidden == FEWER
    assert standards["3"][2].hidden == NOT_ASKED


async def test_rounds_can_be_found_by_template_and_open_rounds_wait(
    sessions: SessionFactory,
) -> None:
    org, _ = await three_rounds(sessions)
    await run_due(sessions, now=MONDAY + timedelta(weeks=6))

    async with sessions() as session:
        by_template = await pulse_rounds(
            session, organisation_id=org.organisation.id, template_key="small-pulse"
        )
        newest_two = await pulse_rounds(
            session,
            organisation_id=org.organisation.id,
            template_key="small-pulse",
            most=2,
        )

    assert [campaign.name for campaign in by_template] == [
        "Small pulse #1 (23 Nov 2026)",
        "Small pulse #2 (7 Dec 2026)",
        "Small pulse #3 (21 Dec 2026)",
    ]
    assert [campaign.name for campaign in newest_two] == [
        campaign.name for campaign in by_template[1:]
    ]
