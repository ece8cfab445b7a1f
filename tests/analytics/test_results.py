"""The results engine on real stored answers (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import NOW, SECRET, answer_as, full_answers, org_with_teams
from plan_builders import run_due

from analytics.data import load_round
from analytics.groups import everyone, team_group
from analytics.results import NOT_YET, ResultsEngine
from analytics.suppression import Policy
from survey.campaigns import close_campaign
from survey.db import SessionFactory
from survey.models import Campaign
from survey.response_pool import DRAIN_JOB


async def _close(sessions: SessionFactory, campaign: Campaign) -> Campaign:
    async with sessions() as session, session.begin():
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(
            session, campaign=stored, now=NOW + timedelta(days=1), secret=SECRET
        )
        return stored


async def _engine(sessions: SessionFactory, campaign: Campaign) -> ResultsEngine:
    async with sessions() as session:
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        round_ = await load_round(session, campaign=stored)
    return ResultsEngine(round_, policy=Policy(5))


async def test_figures_for_a_closed_round(sessions: SessionFactory) -> None:
    _, campaign, people, teams = await org_with_teams(
        sessions, teams={"Alpha": ("Adults", 8), "Beta": ("Adults", 8)}
    )
    for n, person in enumerate(people["Alpha"] + people["Beta"][:6]):
        answers = full_answers()
        answers["Q1"] = "agree" if n % 2 else "strongly_disagree"
        answers["HOURS"] = n
        await answer_as(sessions, person, campaign, answers)
    await _close(sessions, campaign)
    engine = await _engine(sessions, campaign)
    whole = engine.group(everyone())
    assert whole.respondents == 14
    assert whole.response_rate is not None
    assert whole.response_rate.invited == 16
    assert whole.response_rate.responded == 14
    q1 = next(q for q in whole.questions if q.question_id == "Q1")
    assert q1.favourable == pytest.approx(50.0)
    hours = next(q for q in whole.questions if q.question_id == "HOURS")
    assert hours.mean == pytest.approx(sum(range(14)) / 14)
    standards = {s.standard: s for s in whole.standards}
    # agree = 75 points, strongly disagree = 0: half each gives 37.5
    assert standards[3].score == pytest.approx(37.5)
    assert standards[3].band == "low"
    alpha = engine.group(
        team_group(str(teams["Alpha"].id), str(teams["Alpha"].service_id), "Alpha")
    )
    assert alpha.respondents == 8


async def test_the_last_respondent_of_a_small_team_is_not_revealed_while_open(
    sessions: SessionFactory,
) -> None:
    _, campaign, people, teams = await org_with_teams(
        sessions, teams={"Alpha": ("Adults", 6), "Beta": ("Adults", 20)}
    )
    for person in people["Beta"][:10] + people["Alpha"][:5]:
        await answer_as(sessions, person, campaign, full_answers())
    # The worker writes the waiting batch: fifteen responses are stored.
    assert DRAIN_JOB in await run_due(sessions, now=NOW)
    before = (await _engine(sessions, campaign)).group(everyone())
    await answer_as(sessions, people["Alpha"][5], campaign, full_answers(bullied="yes"))
    await run_due(sessions, now=NOW)
    after = (await _engine(sessions, campaign)).group(everyone())
    assert before.hidden == after.hidden == NOT_YET
    assert before.questions == after.questions == ()
    # While open, the count of people who finished moves in steps of 5: the
    # 16th submission changes nothing anyone sees.
    assert before.response_rate is not None
    assert after.response_rate is not None
    assert before.response_rate.responded == after.response_rate.responded == 15
    assert before.respondents == after.respondents == 15


async def test_a_question_few_people_answered_is_hidden_in_a_shown_group(
    sessions: SessionFactory,
) -> None:
    _, campaign, people, _ = await org_with_teams(
        sessions, teams={"Alpha": ("Adults", 12)}
    )
    for n, person in enumerate(people["Alpha"]):
        await answer_as(
            sessions, person, campaign, full_answers(bullied="yes" if n < 2 else "no")
        )
    await _close(sessions, campaign)
    whole = (await _engine(sessions, campaign)).group(everyone())
    assert whole.respondents == 12
    who = next(q for q in whole.questions if q.question_id == "WHO")
    assert who.hidden == "fewer than 5 responses"
    assert who.distribution == ()
    assert who.favourable is None


async def test_skips_are_counted_and_left_out_of_the_favourable_share(
    sessions: SessionFactory,
) -> None:
    _, campaign, people, _ = await org_with_teams(
        sessions, teams={"Alpha": ("Adults", 8), "Beta": ("Adults", 8)}
    )
    for n, person in enumerate(people["Alpha"] + people["Beta"]):
        answers: dict[str, object] = dict(full_answers())
        if n < 4:
            answers["Q1"] = None  # skipped
        else:
            answers["Q1"] = "agree" if n < 10 else "disagree"
        await answer_as(sessions, person, campaign, answers)
    await _close(sessions, campaign)

    whole = (await _engine(sessions, campaign)).group(everyone())

    q1 = next(q for q in whole.questions if q.question_id == "Q1")
    assert (q1.answered, q1.skipped) == (12, 4)
    assert q1.favourable == pytest.approx(6 / 12 * 100)
    # A follow-up is asked of some only, so its skips cannot be told apart.
    who = next(q for q in whole.questions if q.question_id == "WHO")
    assert who.skipped is None
