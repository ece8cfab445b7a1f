"""The results engine against the same figures worked out with plain pandas.

A small round and the year before are generated and written to the database; the
test keeps its own copy of every answer and works the figures out from that copy
with plain pandas, so a slip in reading the rows or in counting them shows up as a
mismatch. Small groups must stay hidden, whatever the counting shortcuts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from builders import NOW, SECRET, org_with_teams
from sqlalchemy import insert

from analytics.data import load_round
from analytics.groups import Group, everyone, team_group
from analytics.model import GroupResults, QuestionResult
from analytics.results import ResultsEngine
from analytics.suppression import BY_SUBTRACTION, Policy
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.models import Answer, Campaign, Response, Team

FEWER = "fewer than 5 responses"
AGREE = ["strongly_disagree", "disagree", "neither", "agree", "strongly_agree"]
OFTEN = ["never", "rarely", "sometimes", "often", "always"]
TEMPLATE = {
    "key": "consistency-check",
    "version": 1,
    "title": "Consistency check",
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
            "id": "Q2",
            "text": "My job often makes me feel stressed.",
            "scale": "agree5",
            "standard": 3,
            "theme": "stress_wellbeing",
            "favourable": ["disagree", "strongly_disagree"],
            "not_applicable": True,
        },
        {
            "id": "Q3",
            "text": "How often do you work late?",
            "scale": "frequency5",
            "standard": 4,
            "theme": "workload",
            "favourable": ["never", "rarely"],
            "prefer_not_to_say": True,
        },
        {
            "id": "Q4",
            "text": "Have you been bullied?",
            "scale": "yes_no_unsure",
            "standard": 4,
            "theme": "equality_diversity",
            "favourable": ["no"],
        },
        {
            "id": "WHO",
            "text": "Who from?",
            "scale": "multi_choice",
            "options": ["Manager", "Colleague", "Public"],
            "theme": "equality_diversity",
            "when": {"question": "Q4", "in": ["yes"]},
        },
        {
            "id": "NPS",
            "text": "Recommend us?",
            "scale": "zero_to_ten",
            "theme": "recruitment_retention",
        },
        {
            "id": "HOURS",
            "text": "Hours over contract last week?",
            "scale": "number",
            "min": 0,
            "max": 40,
            "theme": "workload",
        },
    ],
}
# Points from the favourable end (100) down, written out here, not derived.
POINTS = {
    "Q1": dict(zip(AGREE, (0.0, 25.0, 50.0, 75.0, 100.0), strict=True)),
    "Q2": dict(zip(AGREE, (100.0, 75.0, 50.0, 25.0, 0.0), strict=True)),
    "Q3": dict(zip(OFTEN, (100.0, 75.0, 50.0, 25.0, 0.0), strict=True)),
}
STANDARD_OF = {"Q1": 3, "Q2": 3, "Q3": 4}
OPT_OUTS = ("prefer_not_to_say", "not_applicable")
FAVOURABLE = {
    "Q1": ("agree", "strongly_agree"),
    "Q2": ("disagree", "strongly_disagree"),
    "Q3": ("never", "rarely"),
    "Q4": ("no",),
    "NPS": ("9", "10"),
}
TEAMS = {
    "Alpha": ("Adults", 40),
    "Beta": ("Adults", 25),
    "Gamma": ("Children's", 30),
    "Tiny": ("Children's", 3),
}
MANAGERS = 3  # in Alpha: too few to show, so the next smallest role hides too


@dataclass(frozen=True)
class Generated:
    """A stored round and its own copy of the answers: one row per answer."""

    campaign: Campaign
    answers: pd.DataFrame


async def _generate(
    sessions: SessionFactory,
    campaign: Campaign,
    teams: dict[str, Team],
    rng: np.random.Generator,
) -> Generated:
    """Responses for every team member, written with bulk inserts."""
    responses, answers = [], []
    for name, team in teams.items():
        for n in range(TEAMS[name][1]):
            response_id = uuid.uuid4()
            role = "senior_social_worker" if n % 3 == 0 else "social_worker"
            if name == "Alpha" and n < MANAGERS:
                role = "team_manager"
            responses.append(
                {
                    "id": response_id,
                    "campaign_id": campaign.id,
                    "submitted_on": date(campaign.year, 3, 2),
                    "service_id": team.service_id,
                    "team_id": team.id,
                    "role": role,
                    "workforce": "social_work",
                    "employment_type": "permanent",
                }
            )
            for key, value in _answers(rng).items():
                answers.append(
                    {
                        "response_id": response_id,
                        "question_key": key,
                        "option": value if isinstance(value, str) else None,
                        "number": value if isinstance(value, int) else None,
                        "choices": value if isinstance(value, list) else None,
                        "service": str(team.service_id),
                        "team": str(team.id),
                        "role": role,
                    }
                )
    stored = ("response_id", "question_key", "option", "number", "choices")
    async with sessions() as session, session.begin():
        connection = await session.connection()
        await connection.execute(insert(Response), responses)
        await connection.execute(
            insert(Answer), [{k: row[k] for k in stored} for row in answers]
        )
        found = await session.get(Campaign, campaign.id)
        assert found is not None
        await close_campaign(
            session, campaign=found, now=NOW + timedelta(days=1), secret=SECRET
        )
    return Generated(found, pd.DataFrame(answers))


def _answers(rng: np.random.Generator) -> dict[str, object]:
    """One person's answers; some skipped, some opted out, as people do."""
    given: dict[str, object] = {
        "Q1": str(rng.choice(AGREE)),
        "Q2": str(rng.choice([*AGREE, "not_applicable"])),
        "Q3": str(rng.choice([*OFTEN, "prefer_not_to_say"])),
        "Q4": str(rng.choice(["yes", "no", "not_sure"], p=[0.12, 0.7, 0.18])),
        "NPS": int(rng.integers(0, 11)),
        "HOURS": int(rng.integers(0, 15)),
    }
    if given["Q4"] == "yes":
        picked = rng.choice(["manager", "colleague", "public"], size=2, replace=False)
        given["WHO"] = sorted(str(code) for code in picked)
    skipped = rng.choice(["Q1", "Q3", "NPS", "HOURS", "none", "none"])
    given.pop(str(skipped), None)
    return given


def _in(answers: pd.DataFrame, group: Group) -> pd.DataFrame:
    columns = {"service_id": "service", "team_id": "team", "role": "role"}
    selected = answers
    for attribute, value in group.where:
        selected = selected[selected[columns[attribute]] == value]
    return selected


def _codes(answers: pd.DataFrame, question_id: str) -> pd.Series:
    """The question's answers as codes; 0-10 answers are stored as numbers."""
    rows = answers[answers["question_key"] == question_id]
    numbers = rows["number"].dropna().astype(int).astype(str)
    return pd.concat([rows["option"].dropna(), numbers])


def _favourable(answers: pd.DataFrame, question_id: str) -> float:
    codes = _codes(answers, question_id)
    real = codes[~codes.isin(OPT_OUTS)]
    return float(real.isin(FAVOURABLE[question_id]).mean() * 100)


def _standard(answers: pd.DataFrame, standard: int) -> float:
    scored = [
        _codes(answers, question_id).map(POINTS[question_id]).dropna()
        for question_id, number in STANDARD_OF.items()
        if number == standard
    ]
    return float(pd.concat(scored).mean())


def _question(results: GroupResults, question_id: str) -> QuestionResult:
    return next(q for q in results.questions if q.question_id == question_id)


@pytest.fixture
async def rounds(
    sessions: SessionFactory,
) -> tuple[ResultsEngine, Generated, Generated, dict[str, Team]]:
    organisation, campaign, _, teams = await org_with_teams(
        sessions,
        teams={name: (service, 1) for name, (service, _) in TEAMS.items()},
        template=TEMPLATE,
    )
    async with sessions() as session, session.begin():
        last_year = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key="consistency-check",
            name="Consistency check 2025",
            year=2025,
            audience=Audience(),
        )
        await open_campaign(session, campaign=last_year, now=NOW)
    rng = np.random.default_rng(7)
    earlier = await _generate(sessions, last_year, teams, rng)
    current = await _generate(sessions, campaign, teams, rng)
    async with sessions() as session:
        engine = ResultsEngine(
            await load_round(session, campaign=current.campaign),
            policy=Policy(5),
            previous=await load_round(session, campaign=earlier.campaign),
        )
    return engine, current, earlier, teams


def _groups(teams: dict[str, Team]) -> list[Group]:
    alpha = teams["Alpha"]
    return [
        everyone(),
        Group.of("Adults", service_id=str(alpha.service_id)),
        team_group(str(alpha.id), str(alpha.service_id), "Alpha"),
        team_group(str(teams["Beta"].id), str(teams["Beta"].service_id), "Beta"),
        Group.of("Social workers", role="social_worker"),
    ]


async def test_figures_match_plain_pandas_for_several_groups(
    rounds: tuple[ResultsEngine, Generated, Generated, dict[str, Team]],
) -> None:
    engine, current, earlier, teams = rounds
    for group in _groups(teams):
        results = engine.group(group)
        mine, before = _in(current.answers, group), _in(earlier.answers, group)
        assert results.hidden is None, group.label
        assert results.respondents == mine["response_id"].nunique()
        for question_id in FAVOURABLE:
            shown = _question(results, question_id)
            codes = _codes(mine, question_id)
            assert shown.answered == len(codes)
            assert shown.favourable == pytest.approx(_favourable(mine, question_id))
            assert shown.change is not None
            assert shown.change.previous == pytest.approx(
                _favourable(before, question_id)
            )
            counts = {share.code: share.count for share in shown.distribution}
            assert counts == {code: int((codes == code).sum()) for code in counts}, (
                question_id
            )
            assert sum(counts.values()) == len(codes)
        scores = {score.standard: score.score for score in results.standards}
        assert scores == {
            3: pytest.approx(_standard(mine, 3)),
            4: pytest.approx(_standard(mine, 4)),
        }
        hours = _question(results, "HOURS")
        numbers = mine.loc[mine["question_key"] == "HOURS", "number"]
        assert hours.mean == pytest.approx(numbers.mean())
        assert hours.median == pytest.approx(numbers.median())


async def test_picks_are_counted_one_by_one(
    rounds: tuple[ResultsEngine, Generated, Generated, dict[str, Team]],
) -> None:
    engine, current, _, _ = rounds
    who = _question(engine.group(everyone()), "WHO")
    lists = current.answers.loc[current.answers["question_key"] == "WHO", "choices"]
    picks = lists.explode()
    assert who.answered == len(lists)
    assert {share.code: share.count for share in who.distribution} == {
        "manager": int((picks == "manager").sum()),
        "colleague": int((picks == "colleague").sum()),
        "public": int((picks == "public").sum()),
    }


async def test_small_groups_stay_hidden_and_so_do_their_subtractable_siblings(
    rounds: tuple[ResultsEngine, Generated, Generated, dict[str, Team]],
) -> None:
    engine, _, _, teams = rounds
    tiny, gamma = teams["Tiny"], teams["Gamma"]
    small = engine.group(team_group(str(tiny.id), str(tiny.service_id), "Tiny"))
    assert small.hidden == FEWER
    assert (small.respondents, small.questions, small.standards) == (None, (), ())
    # Children's = Gamma + Tiny: showing Gamma would reveal Tiny by subtraction.
    sibling = engine.group(team_group(str(gamma.id), str(gamma.service_id), "Gamma"))
    assert sibling.hidden == BY_SUBTRACTION
    assert sibling.questions == ()
    # The same across roles: 3 managers hidden, so the smaller other role hides.
    assert engine.group(Group.of("Managers", role="team_manager")).hidden == FEWER
    seniors = engine.group(Group.of("Seniors", role="senior_social_worker"))
    assert seniors.hidden == BY_SUBTRACTION


async def test_no_shown_figure_rests_on_fewer_than_five_answers(
    rounds: tuple[ResultsEngine, Generated, Generated, dict[str, Team]],
) -> None:
    engine, current, _, teams = rounds
    groups = _groups(teams) + [
        team_group(str(team.id), str(team.service_id), name)
        for name, team in teams.items()
    ]
    checked = 0
    for group in groups:
        results = engine.group(group)
        mine = _in(current.answers, group)
        for question in results.questions:
            answered = int((mine["question_key"] == question.question_id).sum())
            if answered < 5:
                checked += 1
                assert question.hidden is not None, (group.label, question)
                assert (question.answered, question.favourable) == (None, None)
                assert question.distribution == ()
    assert checked, "the round should have some questions too few answered"
