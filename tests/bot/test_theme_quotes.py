"""Quotes reach a manager only from large groups and well-shared themes (issue 13)."""

from __future__ import annotations

from datetime import timedelta

from builders import NOW, SECRET, answer_as, full_answers, org_with_teams

from bot.commands import dispatch
from bot.conversation.messages import Notice, SummaryTable
from survey.campaigns import close_campaign
from survey.db import SessionFactory
from survey.models import Campaign, ManagerOf, Person

ONLY_ONE = (
    "As the only senior social worker in Adults I am never offered training or any "
    "chance of progression to a higher grade."
)
SHARED = "Caseloads are far too high and I work late most nights."


def _text(messages: tuple[object, ...]) -> str:
    parts = []
    for message in messages:
        if isinstance(message, Notice):
            parts.append(message.text)
        if isinstance(message, SummaryTable):
            parts.append(message.title)
            parts += [" | ".join(row) for row in message.rows]
    return "\n".join(parts)


async def _setup(sessions: SessionFactory) -> dict[str, Person]:
    """Alpha (12, twice the minimum of 5 and more) and Beta (9, under twice it)."""
    organisation, campaign, people, teams = await org_with_teams(
        sessions, teams={"Alpha": ("Adults", 12), "Beta": ("Adults", 9)}
    )
    for n, person in enumerate(people["Alpha"] + people["Beta"]):
        answers = full_answers()
        answers["TX1"] = ONLY_ONE if n == 0 else SHARED
        await answer_as(sessions, person, campaign, answers)
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
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(
            session, campaign=stored, now=NOW + timedelta(days=1), secret=SECRET
        )
    return {"manager": manager, "psw": psw}


async def _ask(sessions: SessionFactory, person: Person, words: str) -> str:
    result = await dispatch(
        sessions, secret=SECRET, person=person, text=words, now=NOW + timedelta(days=2)
    )
    return _text(result.messages)


async def test_a_one_comment_theme_never_reaches_the_manager(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions)

    answer = await _ask(sessions, people["manager"], "themes")

    assert "Alpha" in answer
    assert SHARED in answer  # the theme eleven people wrote about keeps its quotes
    assert "only senior social worker" not in answer


async def test_the_psw_sees_no_quote_from_a_one_comment_theme_either(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions)

    answer = await _ask(sessions, people["psw"], "themes")

    assert SHARED in answer
    assert "only senior social worker" not in answer


async def test_a_group_under_twice_the_minimum_shows_themes_without_quotes(
    sessions: SessionFactory,
) -> None:
    people = await _setup(sessions)

    answer = await _ask(sessions, people["psw"], "themes Beta")

    assert "Workload and caseload | 9" in answer
    assert SHARED not in answer
