"""The manager's view falls back to the nearest larger group the gate shows."""

from __future__ import annotations

from builders import answer_as, close_round, full_answers, org_with_teams

from analytics.data import load_names, load_round
from analytics.groups import Group, everyone, team_group
from analytics.manager_view import manager_view
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from bot.commands.insights_text import where_from
from survey.db import SessionFactory
from survey.models import Campaign


async def test_a_team_in_a_small_service_falls_back_to_the_organisation(
    sessions: SessionFactory,
) -> None:
    organisation, campaign, people, _ = await org_with_teams(
        sessions,
        teams={
            "Alpha": ("Adults", 3),
            "Beta": ("Children", 9),
            "Gamma": ("Children", 9),
        },
    )
    for n, person in enumerate(p for team in people.values() for p in team):
        answers = full_answers()
        answers["Q1"] = "agree" if n % 3 else "disagree"
        await answer_as(sessions, person, campaign, answers)
    await close_round(sessions, campaign.id)
    async with sessions() as session:
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        round_ = await load_round(session, campaign=stored)
        names = await load_names(session, organisation_id=organisation.id)
    engine = ResultsEngine(round_, policy=Policy(5))
    alpha_id = next(tid for tid, name in names.teams.items() if name == "Alpha")
    adults = names.team_service[alpha_id]
    alpha = team_group(alpha_id, adults, "Alpha")
    view = manager_view(
        engine,
        alpha,
        organisation=everyone("Teams Council"),
        service=Group.of("Adults", service_id=adults),
    )
    # Alpha (3) and its service Adults (the same 3) are too small: the whole
    # council stands in, and nothing is compared with itself.
    assert view.fallback is not None
    assert view.fallback.why == "too_few"
    assert view.shown_group.is_everyone
    assert view.shown.respondents == 21
    assert view.organisation is None
    assert where_from(view) == (
        "Alpha has fewer than the 5 answers needed to show figures, so this shows "
        "the whole of Teams Council (21 answers)."
    )
    assert [rate.label for rate in view.rates] == ["Alpha", "Teams Council"]
    assert [rate.rate for rate in view.rates][0] is None
    questions = [h.question.question_id for h in view.highlights]
    assert len(questions) == len(set(questions)) == 2  # both scored questions


async def test_a_team_the_gate_shows_is_its_own_figures_beside_the_others(
    sessions: SessionFactory,
) -> None:
    organisation, campaign, people, _ = await org_with_teams(
        sessions, teams={"Beta": ("Children", 9), "Gamma": ("Children", 9)}
    )
    for person in (p for team in people.values() for p in team):
        await answer_as(sessions, person, campaign, full_answers())
    await close_round(sessions, campaign.id)
    async with sessions() as session:
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        round_ = await load_round(session, campaign=stored)
        names = await load_names(session, organisation_id=organisation.id)
    engine = ResultsEngine(round_, policy=Policy(5))
    beta_id = next(tid for tid, name in names.teams.items() if name == "Beta")
    children = names.team_service[beta_id]
    view = manager_view(
        engine,
        team_group(beta_id, children, "Beta"),
        organisation=everyone("Teams Council"),
        service=Group.of("Children", service_id=children),
    )
    assert view.fallback is None
    assert [r.label for r in view.comparators] == ["Beta", "Children", "Teams Council"]
    assert where_from(view) == "These are Beta's own figures."
