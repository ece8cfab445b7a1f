"""``summary`` and ``themes`` by command: right people, right groups, nothing small."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import NOW, SECRET, answer_as, full_answers, org_with_teams
from plan_builders import run_due

from bot.commands import dispatch
from bot.conversation.messages import Notice, SummaryTable
from survey.campaigns import close_campaign
from survey.db import SessionFactory
from survey.models import Campaign, ManagerOf, Person


def _text(messages: tuple[object, ...]) -> str:
    parts = []
    for message in messages:
        if isinstance(message, Notice):
            parts.append(message.text)
        if isinstance(message, SummaryTable):
            parts.append(message.title)
            parts += [" | ".join(row) for row in message.rows]
            parts.append(message.note or "")
    return "\n".join(parts)


async def _setup(
    sessions: SessionFactory, *, close: bool = True, comment: str | None = None
) -> dict[str, Person]:
    organisation, campaign, people, teams = await org_with_teams(
        sessions,
        teams={"Alpha": ("Adults", 9), "Beta": ("Adults", 8), "Gamma": ("Adults", 3)},
    )
    for n, person in enumerate(people["Alpha"] + people["Beta"] + people["Gamma"]):
        answers = full_answers()
        answers["Q1"] = "agree" if n % 3 else "strongly_disagree"
        answers["TX1"] = comment or (
            "Caseloads are far too high and I work late most nights."
            if n % 2
            else "My manager is supportive and supervision is regular."
        )
        await answer_as(sessions, person, campaign, answers)
    # The worker writes the waiting batches, as it does while a survey is open.
    await run_due(sessions, now=NOW)
    async with sessions() as session, session.begin():
        manager = Person(
            organisation_id=organisation.id,
            name="Mona Manager",
            email="mona@example.org",
            team_id=teams["Alpha"].id,
            role="team_manager",
            employment_type="permanent",
            access="manager",
        )
        psw = Person(
            organisation_id=organisation.id,
            name="Pat Principal",
            email="pat@example.org",
            team_id=teams["Beta"].id,
            role="principal_social_worker",
            employment_type="permanent",
            access="psw",
        )
        session.add_all([manager, psw])
        await session.flush()
        session.add(ManagerOf(person_id=manager.id, team_id=teams["Alpha"].id))
        if close:
            stored = await session.get(Campaign, campaign.id)
            assert stored is not None
            await close_campaign(
                session, campaign=stored, now=NOW + timedelta(days=1), secret=SECRET
            )
    return {"manager": manager, "psw": psw, "staff": people["Alpha"][0]}


async def _ask(sessions: SessionFactory, person: Person, words: str) -> str:
    result = await dispatch(
        sessions, secret=SECRET, person=person, text=words, now=NOW + timedelta(days=2)
    )
    return _text(result.messages)


async def test_a_manager_sees_their_team_beside_service_and_organisation(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions)
    answer = await _ask(sessions, people["manager"], "summary")
    assert "Summary for Alpha" in answer or "9 responses from Alpha" in answer
    assert "Alpha | 9 of 9 | 100%" in answer
    assert "Adults | 20 of 20 | 100%" in answer
    assert "LGA standards" in answer
    assert "Five weakest questions" in answer
    assert "Workload and caseload" in answer


async def test_a_manager_cannot_ask_about_another_team(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions)
    answer = await _ask(sessions, people["manager"], "summary Beta")
    assert "only see summaries for the teams you manage (Alpha)" in answer
    assert "8 of 8" not in answer


async def test_staff_are_refused_politely(sessions: SessionFactory) -> None:
    people = await _setup(sessions)
    answer = await _ask(sessions, people["staff"], "summary")
    assert "Only managers and the Principal Social Worker" in answer
    assert "Pat Principal" in answer


@pytest.mark.parametrize("command", ["summary Gamma", "themes Gamma"])
async def test_a_small_team_shows_nothing_even_to_the_psw(
    sessions: SessionFactory, command: str
) -> None:
    people = await _setup(sessions)
    answer = await _ask(sessions, people["psw"], command)
    assert "3 of 3" not in answer
    assert "Caseloads are far too high" not in answer
    if command.startswith("summary"):
        assert "fewer than 5 responses" in answer
        assert "Five strongest" not in answer
    else:
        assert "No themes to show" in answer


async def test_the_psw_sees_the_whole_organisation_with_redacted_quotes(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions)
    answer = await _ask(sessions, people["psw"], "themes")
    assert "Workload and caseload | 10 | 0 | 0 | 10" in answer
    assert "Caseloads are far too high" in answer


async def test_themes_read_each_comment_against_its_question(
    sessions: SessionFactory,
) -> None:
    # "The duty rota." judges nothing by itself; answering "One change?" it names
    # what should change. Read without the question it would count as neutral.
    people = await _setup(sessions, comment="The duty rota.")
    answer = await _ask(sessions, people["psw"], "themes")
    assert "Workload and caseload | 20 | 0 | 0 | 20" in answer


async def test_each_theme_counts_what_was_said_about_it(
    sessions: SessionFactory,
) -> None:
    # One comment, praise for one theme and a complaint about another: it used to
    # count as neutral (mixed) for both.
    people = await _setup(
        sessions,
        comment="My manager is brilliant and really supportive, but my caseload is "
        "unmanageable.",
    )
    answer = await _ask(sessions, people["psw"], "themes")
    assert "Workload and caseload | 20 | 0 | 0 | 20" in answer
    assert "Management support | 20 | 20 | 0 | 0" in answer


async def test_nothing_about_answers_while_the_survey_is_open(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions, close=False)
    answer = await _ask(sessions, people["psw"], 'summary "Teams check 2026"')
    assert "results are shown once the survey has closed" in answer
    assert "Five strongest" not in answer
    assert "20 of 20" in answer


async def test_the_psw_sets_a_target_and_staff_cannot(sessions: SessionFactory) -> None:
    people = await _setup(sessions)
    refused = await _ask(sessions, people["staff"], "target Q1 70 small-check")
    assert "Only" in refused
    answer = await _ask(sessions, people["psw"], "target q1 70 small-check")
    assert "Target set: 70% favourable for Q1 in small-check" in answer
    wrong = await _ask(sessions, people["psw"], "target NOPE 70 small-check")
    assert "No question in Small check matches 'NOPE'" in wrong
    too_high = await _ask(sessions, people["psw"], "target Q1 170 small-check")
    assert "from 0 to 100" in too_high
    no_favourable = await _ask(sessions, people["psw"], "target TX1 50 small-check")
    assert "no favourable answers" in no_favourable
    from sqlmodel import select

    from survey.models import Target

    async with sessions() as session:
        targets = (await session.exec(select(Target))).all()
    assert [(t.question_key, t.percent) for t in targets] == [("Q1", 70.0)]
