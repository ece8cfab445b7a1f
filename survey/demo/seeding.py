"""Seeding the demo council: two closed years, a pulse series, this year's round open.

The story a newcomer should see within a minute: workloads (LGA standard 3) are
low and getting worse, wellbeing is low but rising, supervision is strong; Child
Protection is struggling and slipping, Adult Mental Health has improved a lot,
Family Support is thriving. Last year's themes have actions logged against them,
the monthly pulses since show workload easing, and a briefing has gone out.

Every answer goes through the same path as a real one: a draft, then submit into
the sealed pool, written as responses when the survey closes. The random seed is
fixed, so the same council is seeded every time.
"""

from __future__ import annotations

import random
import tempfile
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from survey.answering import DraftState, save_draft, submit
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.demo.answers import PULSE_DRIFT, generate_answers
from survey.demo.council import DEMO_NAME, DEMO_SLUG, TEAMS, people_csv
from survey.follow_up.actions import DONE, IN_PROGRESS, PLANNED, add_action
from survey.follow_up.briefings import create_briefing
from survey.models import Campaign, Organisation, Participation, Person, Team, Template
from survey.organisations import create_organisation
from survey.questions.bank import load_all
from survey.questions.catalogue import definition_of, sync_templates
from survey.questions.definitions import Profile
from survey.questions.sets import for_person
from survey.roster.importing import import_roster
from survey.roster.roles import workforce_of

HEALTH_CHECKS = (
    ("social-worker-health-check", "Social work health check", "social_work"),
    ("wider-workforce-health-check", "Wider workforce health check", "wider_workforce"),
)
PULSE_DAYS_AGO = (180, 120, 60)
"""When each closed pulse of the series opened, before today."""
MIN_RESPONSES = 5
BRIEFING_TITLE = "This year's health check opens today"
"""The briefing the demo has already sent."""


async def seed_demo(sessions: SessionFactory, *, secret: bytes, now: datetime) -> str:
    """Create the demo organisation with its history, unless it exists.

    Returns:
        One line saying what was done.
    """
    rng = random.Random(2026)
    async with sessions() as session:
        existing = (
            await session.exec(
                select(Organisation).where(Organisation.slug == DEMO_SLUG)
            )
        ).first()
    if existing is not None:
        return "The demo organisation already exists; nothing to do."
    async with sessions() as session, session.begin():
        organisation = await create_organisation(
            session, slug=DEMO_SLUG, name=DEMO_NAME
        )
        organisation_id = organisation.id
        await sync_templates(session, templates=load_all())
        with tempfile.TemporaryDirectory() as folder:
            roster = Path(folder) / "demo-roster.csv"
            roster.write_bytes(people_csv(rng))
            await import_roster(
                session,
                organisation_id=organisation_id,
                path=roster,
                create_teams=True,
            )
    responses = 0
    last_round: list[Campaign] = []
    for round_, days_ago in enumerate((730, 365)):
        opened = now - timedelta(days=days_ago)
        last_round = []
        for key, title, workforce in HEALTH_CHECKS:
            campaign = await _run_round(
                sessions,
                organisation_id,
                key=key,
                name=f"{title} {opened.year}",
                audience=Audience(workforce=[workforce]),
                opened=opened,
                days=28,
            )
            responses += await _answer(
                sessions, campaign, rng, secret, opened, round_=round_, rate=1.0
            )
            await _close(sessions, campaign, opened + timedelta(days=28), secret)
            last_round.append(campaign)
    pulses = 0
    for drift, days_ago in zip(PULSE_DRIFT, PULSE_DAYS_AGO, strict=True):
        opened = now - timedelta(days=days_ago)
        campaign = await _run_round(
            sessions,
            organisation_id,
            key="pulse-check",
            name=f"Pulse check {opened:%B %Y}",
            audience=Audience(),
            opened=opened,
            days=14,
        )
        # Five from each team: enough for every team's pulse figures.
        responses += await _answer(
            sessions, campaign, rng, secret, opened, round_=1, rate=0.0, drift=drift
        )
        await _close(sessions, campaign, opened + timedelta(days=14), secret)
        pulses += 1
    current = await _open_this_year(sessions, organisation_id, now)
    await _follow_up(sessions, organisation_id, last_round[0], now)
    return (
        f"Seeded '{DEMO_NAME}' ({DEMO_SLUG}): {len(TEAMS)} teams, two years of "
        f"health checks and {pulses} pulse checks with {responses} responses, "
        f"actions and a briefing, and {current} open surveys."
    )


async def _run_round(
    sessions: SessionFactory,
    organisation_id: uuid.UUID,
    *,
    key: str,
    name: str,
    audience: Audience,
    opened: datetime,
    days: int,
) -> Campaign:
    async with sessions() as session, session.begin():
        campaign = await create_campaign(
            session,
            organisation_id=organisation_id,
            template_key=key,
            name=name,
            year=opened.year,
            audience=audience,
        )
        # Opened without a closing time, so no reminders are planned for a round
        # that is over; it closes after ``days`` below.
        await open_campaign(session, campaign=campaign, now=opened)
    return campaign


async def _close(
    sessions: SessionFactory, campaign: Campaign, when: datetime, secret: bytes
) -> None:
    async with sessions() as session, session.begin():
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(session, campaign=stored, now=when, secret=secret)


async def _answer(
    sessions: SessionFactory,
    campaign: Campaign,
    rng: random.Random,
    secret: bytes,
    when: datetime,
    *,
    round_: int,
    rate: float,
    drift: dict[int, float] | None = None,
) -> int:
    """Some of each team answer: ``rate`` times the team's own response rate.

    At least five (the smallest group shown) where five were invited, so every
    team's figures can be shown.
    """
    teams = {team.name: team for team in TEAMS}
    async with sessions() as session:
        template = await session.get(Template, campaign.template_id)
        assert template is not None
        definition = definition_of(template)
        team_names = {team.id: team.name for team in await session.exec(select(Team))}
        invited = list(
            (
                await session.exec(
                    select(Person)
                    .join(Participation, col(Participation.person_id) == col(Person.id))
                    .where(Participation.campaign_id == campaign.id)
                    .order_by(col(Person.email))
                )
            ).all()
        )
    by_team: dict[str, list[Person]] = {}
    for person in invited:
        by_team.setdefault(team_names[person.team_id], []).append(person)
    submitted = 0
    # One transaction per survey: the same save and submit as a person's, batched
    # so the demo seeds in seconds.
    async with sessions() as session, session.begin():
        for name, members in sorted(by_team.items()):
            if len(members) < MIN_RESPONSES:
                continue  # too few to show: they left the closed rounds unanswered
            team = teams[name]
            wanted = round(len(members) * rate * team.response_rate)
            count = min(len(members), max(MIN_RESPONSES, wanted))
            for person in rng.sample(members, count):
                profile = Profile(
                    role=person.role,
                    workforce=workforce_of(person.role),
                    employment_type=person.employment_type,
                )
                answers = generate_answers(
                    for_person(definition, profile),
                    rng,
                    team=team,
                    round_=round_,
                    drift=drift,
                )
                day = when + timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 6))
                await save_draft(
                    session,
                    secret=secret,
                    person=person,
                    campaign=campaign,
                    state=DraftState(answers),
                    now=day,
                )
                await submit(
                    session, secret=secret, person=person, campaign=campaign, now=day
                )
                submitted += 1
    return submitted


async def _open_this_year(
    sessions: SessionFactory, organisation_id: uuid.UUID, now: datetime
) -> int:
    current = []
    async with sessions() as session, session.begin():
        for key, title, workforce in HEALTH_CHECKS:
            current.append(
                await create_campaign(
                    session,
                    organisation_id=organisation_id,
                    template_key=key,
                    name=f"{title} {now.year}",
                    year=now.year,
                    audience=Audience(workforce=[workforce]),
                    closes_at=now + timedelta(days=28),
                )
            )
        current.append(
            await create_campaign(
                session,
                organisation_id=organisation_id,
                template_key="pulse-check",
                name=f"Pulse check {now:%B %Y}",
                year=now.year,
                audience=Audience(),
                closes_at=now + timedelta(days=14),
            )
        )
        for campaign in current:
            await open_campaign(session, campaign=campaign, now=now)
    return len(current)


ACTIONS = (
    (
        "workload",
        "WL01",
        "Caseloads are too high and people work late most evenings.",
        "Recruited six permanent social workers and capped ASYE caseloads at 15.",
        "Head of Service, Children's",
        DONE,
    ),
    (
        "it_systems",
        None,
        "The case recording system crashes and laptops are slow.",
        "Replacing every laptop over ten months and fixing Mosaic's time-outs.",
        "Head of Digital",
        IN_PROGRESS,
    ),
    (
        "supervision",
        "SV03",
        "Supervision is cancelled when duty is busy.",
        "Supervision is protected time: it is only moved, never cancelled.",
        "Principal Social Worker",
        DONE,
    ),
    (
        "recording_paperwork",
        None,
        "Forms ask for the same information twice.",
        "Shortening the assessment forms with practitioners.",
        "Practice Improvement Lead",
        IN_PROGRESS,
    ),
    (
        "stress_wellbeing",
        "WB01",
        "Morale is low and people are close to burnout.",
        "Wellbeing hour every fortnight and a reflective space after hard visits.",
        "Assistant Director",
        PLANNED,
    ),
)


async def _follow_up(
    sessions: SessionFactory,
    organisation_id: uuid.UUID,
    last_year: Campaign,
    now: datetime,
) -> None:
    """Actions against last year's themes, and the briefing that announced them."""
    async with sessions() as session, session.begin():
        organisation = await session.get(Organisation, organisation_id)
        assert organisation is not None
        today = now.astimezone(ZoneInfo(organisation.timezone)).date()
        logged = last_year.closes_at or now
        for theme, question, said, doing, owner, status in ACTIONS:
            await add_action(
                session,
                organisation_id=organisation.id,
                theme=theme,
                question=question,
                campaign=last_year.name,
                you_said=said,
                we_did=doing,
                owner=owner,
                status=status,
                due_on=None if status == DONE else today + timedelta(days=90),
                today=logged.astimezone(ZoneInfo(organisation.timezone)).date(),
            )
        await create_briefing(
            session,
            organisation_id=organisation.id,
            title=BRIEFING_TITLE,
            body=(
                "Thank you to everyone who answered last year. You told us caseloads "
                "were too high: six permanent social workers have joined, and the "
                "monthly pulse shows workload easing. Please take ten minutes to "
                "answer this year's health check; your answers are anonymous."
            ),
            now=now,
        )
