"""The demo council: a realistic roster with last year's results, seeded once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from builders import NOW, SECRET
from sqlmodel import col, func, select

from analytics.comments import analyse_comment
from survey.db import SessionFactory
from survey.demo import DEMO_NAME, DEMO_SLUG, FEATURED_MANAGER, seed_demo
from survey.demo.comments import GRIPES, PRAISE
from survey.models import (
    Action,
    Announcement,
    Answer,
    Campaign,
    CampaignStatus,
    Comment,
    Draft,
    ManagerOf,
    Organisation,
    Participation,
    ParticipationStatus,
    Person,
    Response,
    Service,
    Team,
    Template,
    TemplateQuestion,
)
from survey.roster.roles import Workforce, workforce_of

TABLES = (
    Organisation,
    Service,
    Team,
    Person,
    ManagerOf,
    Template,
    TemplateQuestion,
    Campaign,
    Participation,
    Draft,
    Response,
    Answer,
    Comment,
    Action,
)


async def everything(sessions: SessionFactory) -> dict[str, Any]:
    """Each table's rows, as comparable values."""
    async with sessions() as session:
        found = {}
        for model in TABLES:
            rows = (await session.exec(select(model))).all()
            found[model.__name__] = sorted(
                str(sorted(row.model_dump().items())) for row in rows
            )
    return found


async def test_the_demo_council_looks_like_a_real_one(
    sessions: SessionFactory,
) -> None:
    said = await seed_demo(sessions, secret=SECRET, now=NOW)
    async with sessions() as session:
        [organisation] = (await session.exec(select(Organisation))).all()
        services = (await session.exec(select(Service))).all()
        teams = (await session.exec(select(Team))).all()
        people = (await session.exec(select(Person))).all()
        links = (await session.exec(select(ManagerOf))).all()
    assert (organisation.slug, organisation.name) == (DEMO_SLUG, DEMO_NAME)
    assert organisation.min_group_size == 5
    assert sorted(service.name for service in services) == ["Adults", "Children's"]
    assert 8 <= len(teams) <= 10
    assert 130 <= len(people) <= 170
    assert all(person.active for person in people)
    assert len({person.email for person in people}) == len(people)

    roles = Counter(person.role for person in people)
    assert roles["principal_social_worker"] >= 1
    assert roles["social_worker"] > len(people) / 4
    assert {workforce_of(role) for role in roles} == set(Workforce)
    assert Counter(person.employment_type for person in people).keys() == {
        "permanent",
        "agency",
    }
    psw = [p for p in people if p.role == "principal_social_worker"]
    assert [p.access for p in psw] == ["psw"]

    managed: dict[str, set[str]] = {}
    team_names = {team.id: team.name for team in teams}
    by_id = {person.id: person for person in people}
    for link in links:
        managed.setdefault(by_id[link.person_id].role, set()).add(
            team_names[link.team_id]
        )
    assert managed["team_manager"] == set(team_names.values()), "every team managed"
    assert managed["service_manager"] == set(team_names.values())
    for person in people:
        if person.role in ("team_manager", "service_manager"):
            assert person.access == "manager"
    assert f"{len(teams)} teams" in said


async def test_last_year_is_closed_with_some_but_not_all_answering(
    sessions: SessionFactory,
) -> None:
    await seed_demo(sessions, secret=SECRET, now=NOW)
    last_year = NOW.year - 1
    async with sessions() as session:
        rows = (
            await session.exec(
                select(Campaign, Template)
                .join(Template, col(Template.id) == col(Campaign.template_id))
                .where(Campaign.year == last_year, Template.kind == "health_check")
            )
        ).all()
        assert sorted((c.status, t.key) for c, t in rows) == [
            (CampaignStatus.CLOSED, "social-worker-health-check"),
            (CampaignStatus.CLOSED, "wider-workforce-health-check"),
        ]
        for campaign, _ in rows:
            statuses = Counter(
                (
                    await session.exec(
                        select(Participation.status).where(
                            Participation.campaign_id == campaign.id
                        )
                    )
                ).all()
            )
            invited = sum(statuses.values())
            responses = (
                await session.exec(
                    select(func.count())
                    .select_from(Response)
                    .where(Response.campaign_id == campaign.id)
                )
            ).one()
            assert 0 < responses < invited, campaign.name
            assert statuses[ParticipationStatus.COMPLETED] == responses
            dates = (
                await session.exec(
                    select(Response.submitted_on).where(
                        Response.campaign_id == campaign.id
                    )
                )
            ).all()
            opened = (NOW - timedelta(days=365)).date()
            assert all(opened <= day <= opened + timedelta(days=21) for day in dates)
        answers = (await session.exec(select(func.count()).select_from(Answer))).one()
        comments = (await session.exec(select(func.count()).select_from(Comment))).one()
        drafts = (await session.exec(select(func.count()).select_from(Draft))).one()
    assert answers > 1000
    assert comments > 0
    assert drafts == 0, "every submitted draft is gone"


async def test_this_years_health_checks_and_a_pulse_are_open(
    sessions: SessionFactory,
) -> None:
    await seed_demo(sessions, secret=SECRET, now=NOW)
    async with sessions() as session:
        rows = (
            await session.exec(
                select(Campaign, Template)
                .join(Template, col(Template.id) == col(Campaign.template_id))
                .where(Campaign.status == CampaignStatus.OPEN)
            )
        ).all()
        invited = {}
        for campaign, template in rows:
            invited[template.key] = (
                await session.exec(
                    select(func.count())
                    .select_from(Participation)
                    .where(Participation.campaign_id == campaign.id)
                )
            ).one()
        people = (await session.exec(select(func.count()).select_from(Person))).one()
    assert sorted((c.name, t.kind) for c, t in rows) == [
        ("Pulse check March 2026", "pulse"),
        ("Social work health check 2026", "health_check"),
        ("Wider workforce health check 2026", "health_check"),
    ]
    assert all(c.closes_at is not None and c.closes_at > NOW for c, _ in rows)
    assert invited["pulse-check"] == people
    assert (
        invited["social-worker-health-check"] + invited["wider-workforce-health-check"]
        == people
    ), "each person gets the health check of their own workforce"
    assert invited["wider-workforce-health-check"] > 0


async def test_seeding_again_changes_nothing(sessions: SessionFactory) -> None:
    await seed_demo(sessions, secret=SECRET, now=NOW)
    before = await everything(sessions)
    said = await seed_demo(sessions, secret=SECRET, now=NOW + timedelta(days=3))
    assert said == "The demo organisation already exists; nothing to do."
    assert await everything(sessions) == before


async def test_two_closed_years_a_pulse_series_actions_and_a_briefing(
    sessions: SessionFactory,
) -> None:
    await seed_demo(sessions, secret=SECRET, now=NOW)
    async with sessions() as session:
        rows = (
            await session.exec(
                select(Campaign, Template).join(
                    Template, col(Template.id) == col(Campaign.template_id)
                )
            )
        ).all()
        actions = (await session.exec(select(Action))).all()
        announcements = (await session.exec(select(Announcement))).all()
    closed = Counter(
        (template.kind, campaign.year)
        for campaign, template in rows
        if campaign.status == CampaignStatus.CLOSED
    )
    assert closed[("health_check", NOW.year - 2)] == 2
    assert closed[("health_check", NOW.year - 1)] == 2
    assert sum(n for (kind, _), n in closed.items() if kind == "pulse") >= 3
    last_year = {
        campaign.id
        for campaign, _ in rows
        if campaign.name == f"Social work health check {NOW.year - 1}"
    }
    assert len(actions) >= 4
    assert {action.campaign_id for action in actions} == last_year
    assert {action.status for action in actions} >= {"done", "in progress"}
    assert [a.title for a in announcements] == ["This year's health check opens today"]


async def test_every_team_is_big_enough_to_show_or_has_none_of_a_workforce(
    sessions: SessionFactory,
) -> None:
    # A team with one to seven people of a workforce would be hidden, and hide a
    # neighbour with it so it cannot be worked out by subtraction.
    await seed_demo(sessions, secret=SECRET, now=NOW)
    async with sessions() as session:
        people = (await session.exec(select(Person))).all()
        teams = {team.id: team.name for team in (await session.exec(select(Team)))}
    sizes = Counter((teams[p.team_id], workforce_of(p.role)) for p in people)
    small = {group for group, size in sizes.items() if size < 8}
    # The one small group, so a hidden group can be seen while a survey is open.
    assert small == {("Child Protection", Workforce.WIDER_WORKFORCE)}, sizes
    featured = [p for p in people if p.name == FEATURED_MANAGER]
    assert [(p.role, teams[p.team_id]) for p in featured] == [
        ("team_manager", "Adult Mental Health")
    ]


def test_each_comment_is_about_the_theme_it_is_written_for() -> None:
    for pool in (GRIPES, PRAISE):
        for theme, texts in pool.items():
            assert len(set(texts)) == len(texts), theme
            for text in texts:
                assert theme in analyse_comment(text).themes, text
