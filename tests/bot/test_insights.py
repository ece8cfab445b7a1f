"""``summary`` and ``themes`` by command: right people, right groups, nothing small."""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import (
    NOW,
    SECRET,
    answer_as,
    close_round,
    full_answers,
    org_with_teams,
)
from plan_builders import run_due

from bot.commands import dispatch
from bot.conversation.messages import Notice, SummaryTable
from survey.campaigns import Audience, close_campaign
from survey.db import SessionFactory
from survey.models import Campaign, ManagerOf, Person


def _text(messages: tuple[object, ...]) -> str:
    parts = []
    for message in messages:
        if isinstance(message, Notice):
            parts.append(message.title or "")
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
    assert "Summary for Alpha: Teams check 2026" in answer
    assert "These are Alpha's own figures." in answer
    assert "Alpha | 9 of 9 | 100%" in answer
    assert "Adults | 20 of 20 | 100%" in answer
    assert "LGA standards" in answer
    assert "Needs attention: the five lowest questions" in answer
    assert "Workload and caseload" in answer
    # The headlines come first, in words, each beside the organisation: one per
    # question with a favourable share (this template has two).
    headlines = answer.split("Three headlines", 1)[1].split("Response rate", 1)[0]
    assert headlines.count("• ") == 2
    # 6 of 9 in Alpha agreed (every third strongly disagreed); 13 of 20 overall.
    assert (
        "Workload and caseload: 67% agree or strongly agree that “My workload is "
        "manageable”; Teams Council 65%" in headlines
    )
    assert (
        "Recruitment and retention: 0% answered 9 or 10 to “Recommend us?”; "
        "Teams Council 0%" in headlines
    )
    # What favourable means is said for every question listed.
    assert "My workload is manageable. (favourable = Agree or Strongly agree)" in (
        answer
    )
    assert "Recommend us? (favourable = 9 or 10)" in answer
    assert "hidden" not in answer


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
async def test_a_small_team_shows_its_service_instead_and_says_why(
    sessions: SessionFactory, command: str
) -> None:
    people = await _setup(sessions)
    answer = await _ask(sessions, people["psw"], command)
    assert "3 of 3" not in answer
    # One plain sentence says why, and what is shown in its place.
    assert (
        "Gamma has fewer than the 5 answers needed to show figures, so this shows "
        "the Adults service (20 answers)." in answer
    )
    assert "subtraction" not in answer
    assert "What people wrote about: Adults" in answer
    assert "What people wrote about: Gamma" not in answer


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
    assert "Results are shown once the survey has closed." in answer
    assert "Going well" not in answer
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


async def _manager_of(sessions: SessionFactory, team_name: str) -> Person:
    """A manager of one team (Gamma is three people: too few to show)."""
    from sqlmodel import select

    from survey.models import Team

    async with sessions() as session, session.begin():
        team = (await session.exec(select(Team).where(Team.name == team_name))).one()
        manager = Person(
            organisation_id=team.organisation_id,
            name=f"{team_name} Manager",
            email=f"{team_name.lower()}.manager@example.org",
            team_id=team.id,
            role="team_manager",
            employment_type="permanent",
            access="manager",
        )
        session.add(manager)
        await session.flush()
        session.add(ManagerOf(person_id=manager.id, team_id=team.id))
    return manager


async def test_a_manager_of_a_small_team_sees_the_service_with_one_sentence(
    sessions: SessionFactory,
) -> None:
    await _setup(sessions)
    manager = await _manager_of(sessions, "Gamma")
    answer = await _ask(sessions, manager, "summary")
    assert answer.count("fewer than the 5 answers needed") == 1
    assert "so this shows the Adults service (20 answers)." in answer
    # The service's own figures, beside the organisation's, not "hidden".
    assert "Adults | 20 of 20 | 100%" in answer
    assert "Needs attention: the five lowest questions" in answer
    assert "My workload is manageable. (favourable = Agree or Strongly agree)" in (
        answer
    )
    assert "hidden" not in answer
    themes = await _ask(sessions, manager, "themes")
    assert "so this shows the Adults service (20 answers)." in themes
    assert "What people wrote about: Adults" in themes


async def test_the_same_quote_is_never_shown_under_two_themes(
    sessions: SessionFactory,
) -> None:
    praise_and_complaint = (
        "My manager is brilliant and really supportive, but my caseload is "
        "unmanageable."
    )
    people = await _setup(sessions, comment=praise_and_complaint)
    answer = await _ask(sessions, people["psw"], "themes")
    assert "Workload and caseload | 20" in answer
    assert "Management support | 20" in answer
    assert answer.count("is brilliant and really supportive, but my caseload") == 1


async def test_no_themes_is_said_in_words_not_an_empty_table(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions, comment="n/a")
    result = await dispatch(
        sessions,
        secret=SECRET,
        person=people["manager"],
        text="themes",
        now=NOW + timedelta(days=2),
    )
    assert not any(isinstance(m, SummaryTable) for m in result.messages)
    answer = _text(result.messages)
    assert "No themes to show for Alpha: themes need comments from at least 5" in (
        answer
    )


async def _second_round(sessions: SessionFactory, agree: int) -> None:
    """A later round of the same pulse: ``agree`` of Alpha's 9 agree, then close."""
    from sqlmodel import select

    from survey.campaigns import create_campaign, open_campaign
    from survey.models import Team

    later = NOW + timedelta(days=30)
    async with sessions() as session, session.begin():
        first = (await session.exec(select(Campaign))).one()
        campaign = await create_campaign(
            session,
            organisation_id=first.organisation_id,
            template_key="small-check",
            name="Teams check round 2",
            year=2026,
            audience=Audience(),
        )
        await open_campaign(session, campaign=campaign, now=later)
        teams = {t.name: t.id for t in (await session.exec(select(Team))).all()}
        people = (await session.exec(select(Person))).all()
    staff = [p for p in people if p.access == "staff"]
    alpha = [p for p in staff if p.team_id == teams["Alpha"]]
    for n, person in enumerate(staff):
        answers = full_answers()
        in_alpha = person in alpha
        answers["Q1"] = (
            "agree"
            if (alpha.index(person) < agree if in_alpha else n % 2)
            else "disagree"
        )
        await answer_as(sessions, person, campaign, answers)
    await close_round(sessions, campaign.id, now=later + timedelta(days=1))


async def test_summary_pulse_shows_the_change_since_the_last_round_and_trends(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions)
    await _second_round(sessions, agree=3)
    result = await dispatch(
        sessions,
        secret=SECRET,
        person=people["manager"],
        text="summary pulse",
        now=NOW + timedelta(days=40),
    )
    answer = _text(result.messages)
    assert "Summary for Alpha: Teams check round 2" in answer
    # 3 of 9 agree now, 6 of 9 the round before: both figures are shown.
    assert (
        "“My workload is manageable”, down 33 points on Teams check 2026 (67%)"
        in answer
    )
    assert "33% | down 33 points (67% in Teams check 2026)" in answer
    trends = [
        m
        for m in result.messages
        if isinstance(m, SummaryTable) and m.title.startswith("Small check: Alpha")
    ]
    assert trends, answer
    row = next(r for r in trends[0].rows if "manageable" in r[0])
    assert row[1:] == ("67%", "33%")
