"""The demo organisation: a made-up council with a year of history to explore.

Seeded on first run so a newcomer can answer a health check straight away and
see the summaries a manager would get. Everything here is invented.
"""

from __future__ import annotations

import csv
import io
import random
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import col, select

from survey.answering import DraftState, save_draft, submit
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.models import Campaign, Organisation, Participation, Person, Team, Template
from survey.organisations import create_organisation
from survey.questions.bank import TemplateDefinition, load_all
from survey.questions.catalogue import definition_of, sync_templates
from survey.questions.definitions import AnswerValue, Profile, Question, Scale
from survey.questions.sets import for_person
from survey.roster.importing import import_roster
from survey.roster.roles import workforce_of

DEMO_SLUG = "demo"
DEMO_NAME = "Demo City Council"

FIRST_NAMES = (
    "Aisha Amir Anna Ben Bethany Chloe Connor Daniel Deepa Ella Emma Fatima "
    "Grace Hannah Harjit Imran Jack James Jasmine Joanne Kareem Kate Laura Leah "
    "Liam Lucy Mark Megan Mohammed Nadia Naomi Oliver Priya Rachel Rebecca Ruth "
    "Sam Sarah Simone Sophie Tariq Tom Una Victoria Wei Yusuf Zainab Zoe"
).split()
LAST_NAMES = (
    "Ahmed Ali Bailey Begum Bennett Campbell Chen Clarke Davies Edwards Evans "
    "Green Hall Hughes Hussain Jackson James Jones Kaur Khan Lewis Martin Morgan "
    "Murphy Nowak Okafor Patel Price Roberts Robinson Shah Singh Smith Taylor "
    "Thomas Turner Walker Ward Watson White Williams Wilson Wright Young"
).split()


@dataclass(frozen=True)
class DemoTeam:
    """A team in the demo council and who works in it."""

    name: str
    service: str
    roles: tuple[tuple[str, int], ...]
    mood: float


TEAMS = (
    DemoTeam(
        "Hospital Discharge",
        "Adults",
        (
            ("social_worker", 8),
            ("senior_social_worker", 2),
            ("community_care_officer", 4),
        ),
        -0.4,
    ),
    DemoTeam(
        "Community Adults North",
        "Adults",
        (
            ("social_worker", 9),
            ("senior_social_worker", 2),
            ("asye_social_worker", 2),
            ("occupational_therapist", 3),
        ),
        0.2,
    ),
    DemoTeam(
        "Community Adults South",
        "Adults",
        (
            ("social_worker", 8),
            ("advanced_practitioner", 1),
            ("asye_social_worker", 2),
            ("social_work_assistant", 3),
        ),
        0.0,
    ),
    DemoTeam(
        "Adult Mental Health",
        "Adults",
        (
            ("approved_mental_health_professional", 5),
            ("social_worker", 5),
            ("support_worker", 3),
        ),
        0.1,
    ),
    DemoTeam(
        "Reablement",
        "Adults",
        (
            ("reablement_worker", 12),
            ("occupational_therapy_assistant", 4),
            ("occupational_therapist", 2),
        ),
        0.3,
    ),
    DemoTeam(
        "Front Door",
        "Children's",
        (
            ("social_worker", 8),
            ("senior_social_worker", 2),
            ("early_help_practitioner", 3),
        ),
        -0.2,
    ),
    DemoTeam(
        "Child Protection",
        "Children's",
        (
            ("social_worker", 10),
            ("senior_social_worker", 2),
            ("asye_social_worker", 3),
            ("social_work_assistant", 2),
        ),
        -0.6,
    ),
    DemoTeam(
        "Children in Care",
        "Children's",
        (("social_worker", 9), ("personal_adviser", 4), ("asye_social_worker", 1)),
        0.1,
    ),
    DemoTeam(
        "Family Support",
        "Children's",
        (("family_support_worker", 10), ("social_worker", 2)),
        0.4,
    ),
)

DEMO_COMMENTS = (
    "Caseloads are too high to do the work properly and I often work late.",
    "My team manager is brilliant and always makes time for me.",
    "Supervision keeps getting cancelled because of duty pressures.",
    "Please fix the case recording system, it crashes and I have to re-enter notes.",
    "More admin support would free up time for direct work with families.",
    "I feel valued and the training offer has been really good this year.",
    "Agency colleagues are paid far more for the same work, which is demoralising.",
    "Hybrid working suits me but the office has nowhere to have a private call.",
    "We hear about changes after they have been decided. Ask us first.",
    "The practice model makes sense but we never have time to use it properly.",
    "Peer support in my team is what keeps me going.",
    "I have experienced racist comments from a family and did not feel supported.",
    "Protected time for learning and research would make a real difference.",
    "Career progression is unclear; there is no route to senior practitioner.",
    "Too much paperwork, duplicated forms, and the same information asked for twice.",
    "Reflective group supervision has been really helpful.",
    "Lone visits in the evening make me feel unsafe.",
    "Senior leaders should spend a day with us on duty to see what it is like.",
    "Good induction, everyone was welcoming.",
    "Laptops are old and slow; we lose time every day waiting for them.",
)


def _people_csv(rng: random.Random) -> bytes:
    """The demo roster as a CSV file, in the format `roster import` reads."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "name",
            "email",
            "slack_id",
            "teams_id",
            "team",
            "service",
            "role",
            "employment_type",
            "manager_of",
        ]
    )
    used: set[str] = set()
    serial = 0

    def person(team: str, service: str, role: str, manages: str = "") -> None:
        nonlocal serial
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in used:
                used.add(name)
                break
        serial += 1
        email = name.lower().replace(" ", ".") + "@demo-council.example"
        employment = "agency" if rng.random() < 0.12 else "permanent"
        if role in ("team_manager", "service_manager", "principal_social_worker"):
            employment = "permanent"
        writer.writerow(
            [
                name,
                email,
                f"UDEMO{serial:05d}",
                "",
                team,
                service,
                role,
                employment,
                manages,
            ]
        )

    for service in ("Adults", "Children's"):
        teams = [team.name for team in TEAMS if team.service == service]
        person(teams[0], service, "service_manager", ";".join(teams))
    for team in TEAMS:
        person(team.name, team.service, "team_manager", team.name)
        for role, count in team.roles:
            for _ in range(count):
                person(team.name, team.service, role)
    person("Community Adults North", "Adults", "principal_social_worker")
    return out.getvalue().encode()


def generate_answers(
    definition: TemplateDefinition, rng: random.Random, *, mood: float
) -> dict[str, AnswerValue | None]:
    """Plausible answers for one respondent; ``mood`` from -1 (unhappy) to 1."""
    answers: dict[str, AnswerValue | None] = {}
    for question in definition.questions:
        given = {key: value for key, value in answers.items() if value is not None}
        if not question.applies(given):
            continue
        # Most people skip the comment boxes, and now and then a question.
        skip_rate = 0.35 if question.scale == Scale.TEXT else 0.03
        if question.required is None and rng.random() < skip_rate:
            answers[question.id] = None
            continue
        answers[question.id] = _answer(question, rng, mood, answers)
    return answers


def _answer(
    question: Question,
    rng: random.Random,
    mood: float,
    answers: dict[str, AnswerValue | None],
) -> AnswerValue:
    if question.scale == Scale.TEXT:
        return rng.choice(DEMO_COMMENTS)
    if question.scale == Scale.NUMBER:
        assert question.min is not None
        assert question.max is not None
        if question.id == "CONTRACT_HRS":
            return rng.choice((37, 37, 37, 37, 30, 22))
        if question.id == "ACTUAL_HRS":
            contract = answers.get("CONTRACT_HRS")
            base = contract if isinstance(contract, int) else 37
            extra = max(0, round(rng.gauss(4 - 3 * mood, 3)))
            return min(question.max, base + extra)
        if question.unit == "hours":
            low, high = 30, 45
        else:
            span = question.max - question.min
            low, high = question.min, question.min + max(1, span // 6)
        return max(question.min, min(question.max, rng.randint(low, high)))
    if question.scale == Scale.ZERO_TO_TEN:
        return max(0, min(10, round(rng.gauss(6.5 + 2 * mood, 2))))
    choices = question.choices(with_special=False)
    if question.scale == Scale.MULTI_CHOICE:
        return [option.value for option in rng.sample(choices, k=min(2, len(choices)))]
    if question.scale in (Scale.CHOICE, Scale.YES_NO_UNSURE):
        return rng.choice(choices).value
    favourable = set(question.favourable_codes())
    codes = [option.value for option in choices]
    lean_high = not favourable or codes.index(next(iter(favourable))) >= 2
    centre = 2.6 + 0.9 * mood if lean_high else 1.4 - 0.9 * mood
    index = max(0, min(4, round(rng.gauss(centre, 1.0))))
    return codes[index]


async def seed_demo(sessions: SessionFactory, *, secret: bytes, now: datetime) -> str:
    """Create the demo organisation with last year's results, unless it exists.

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
    last_year = now - timedelta(days=365)
    async with sessions() as session, session.begin():
        organisation = await create_organisation(
            session, slug=DEMO_SLUG, name=DEMO_NAME
        )
        await sync_templates(session, templates=load_all())
        with tempfile.TemporaryDirectory() as folder:
            roster = Path(folder) / "demo-roster.csv"
            roster.write_bytes(_people_csv(rng))
            await import_roster(
                session,
                organisation_id=organisation.id,
                path=roster,
                create_teams=True,
            )
        plans = [
            ("social-worker-health-check", "Social work health check", "social_work"),
            (
                "wider-workforce-health-check",
                "Wider workforce health check",
                "wider_workforce",
            ),
        ]
        previous = []
        for key, title, workforce in plans:
            campaign = await create_campaign(
                session,
                organisation_id=organisation.id,
                template_key=key,
                name=f"{title} {last_year.year}",
                year=last_year.year,
                audience=Audience(workforce=[workforce]),
            )
            await open_campaign(session, campaign=campaign, now=last_year)
            previous.append(campaign)
        current = []
        for key, title, workforce in plans:
            current.append(
                await create_campaign(
                    session,
                    organisation_id=organisation.id,
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
                organisation_id=organisation.id,
                template_key="pulse-check",
                name=f"Pulse check {now:%B %Y}",
                year=now.year,
                audience=Audience(),
                closes_at=now + timedelta(days=14),
            )
        )
        for campaign in current:
            await open_campaign(session, campaign=campaign, now=now)
    responses = await _answer_last_year(sessions, previous, rng, secret, last_year)
    async with sessions() as session, session.begin():
        for campaign in previous:
            stored = await session.get(Campaign, campaign.id)
            assert stored is not None
            await close_campaign(
                session, campaign=stored, now=last_year + timedelta(28), secret=secret
            )
    return (
        f"Seeded '{DEMO_NAME}' ({DEMO_SLUG}): {len(TEAMS)} teams, last year's health "
        f"checks with {responses} responses, and {len(current)} open surveys."
    )


async def _answer_last_year(
    sessions: SessionFactory,
    campaigns: list[Campaign],
    rng: random.Random,
    secret: bytes,
    when: datetime,
) -> int:
    moods = {team.name: team.mood for team in TEAMS}
    submitted = 0
    async with sessions() as session:
        team_names = {team.id: team.name for team in await session.exec(select(Team))}
    for campaign in campaigns:
        async with sessions() as session:
            template = await session.get(Template, campaign.template_id)
            assert template is not None
            definition = definition_of(template)
            invited = list(
                (
                    await session.exec(
                        select(Person)
                        .join(
                            Participation,
                            col(Participation.person_id) == col(Person.id),
                        )
                        .where(Participation.campaign_id == campaign.id)
                        .order_by(col(Person.email))
                    )
                ).all()
            )
        rate = 0.55 if definition.audience == "social_workers" else 0.4
        for person in invited:
            if rng.random() > rate:
                continue
            mood = moods[team_names[person.team_id]] + rng.gauss(0, 0.4)
            profile = Profile(
                role=person.role,
                workforce=workforce_of(person.role),
                employment_type=person.employment_type,
            )
            answers = generate_answers(for_person(definition, profile), rng, mood=mood)
            day = when + timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 6))
            async with sessions() as session, session.begin():
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
