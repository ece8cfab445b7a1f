"""Builders for test data: a small organisation with an open campaign."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.models import Campaign, Organisation, Person, Service, Team
from survey.questions.bank import TemplateDefinition, parse_template
from survey.questions.catalogue import sync_templates

NOW = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
SECRET = b"test-secret-for-drafts-0123456789"

SMALL_TEMPLATE = {
    "key": "small-check",
    "version": 1,
    "title": "Small check",
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
            "id": "HOURS",
            "text": "Hours over contract last week?",
            "scale": "number",
            "min": 0,
            "max": 40,
            "theme": "workload",
            "standard": 3,
            "required": {"reason": "The hours figure is what the council reports."},
        },
        {
            "id": "BULLIED",
            "text": "Have you been bullied?",
            "scale": "yes_no_unsure",
            "theme": "equality_diversity",
            "standard": 4,
            "prefer_not_to_say": True,
        },
        {
            "id": "WHO",
            "text": "Who from?",
            "scale": "multi_choice",
            "options": ["Manager", "Colleague", "Public"],
            "theme": "equality_diversity",
            "when": {"question": "BULLIED", "in": ["yes"]},
        },
        {
            "id": "NPS",
            "text": "Recommend us?",
            "scale": "zero_to_ten",
            "theme": "recruitment_retention",
            "favourable": ["9", "10"],
        },
        {
            "id": "TX1",
            "text": "One change?",
            "scale": "text",
            "required": False,
            "theme": "workload",
            "max_length": 500,
        },
    ],
}


@dataclass
class SmallOrg:
    """What :func:`small_org` made."""

    organisation: Organisation
    team: Team
    people: list[Person]
    campaign: Campaign
    definition: TemplateDefinition


def full_answers(*, bullied: str = "no") -> dict[str, object]:
    """A complete, valid set of answers to the small template."""
    answers: dict[str, object] = {
        "Q1": "agree",
        "HOURS": 4,
        "BULLIED": bullied,
        "NPS": 8,
        "TX1": "More staff.",
    }
    if bullied == "yes":
        answers["WHO"] = ["manager"]
    return answers


async def small_org(sessions: SessionFactory, *, size: int = 6) -> SmallOrg:
    """An organisation with one team of ``size`` people and an open campaign."""
    definition = parse_template(SMALL_TEMPLATE, source="test")
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="test-org", name="Test Council")
        session.add(organisation)
        await session.flush()
        service = Service(organisation_id=organisation.id, name="Adults")
        session.add(service)
        await session.flush()
        team = Team(
            organisation_id=organisation.id, service_id=service.id, name="Team A"
        )
        session.add(team)
        await session.flush()
        people = [
            Person(
                organisation_id=organisation.id,
                name=f"Person {n}",
                email=f"person{n}@example.org",
                slack_id=f"U{n:08d}",
                team_id=team.id,
                role="social_worker",
                employment_type="permanent",
            )
            for n in range(size)
        ]
        session.add_all(people)
        await session.flush()
        await sync_templates(session, templates=[definition])
        campaign = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key="small-check",
            name="Small check 2026",
            year=2026,
            audience=Audience(),
        )
        await open_campaign(session, campaign=campaign, now=NOW)
    return SmallOrg(organisation, team, people, campaign, definition)


async def org_with_teams(
    sessions: SessionFactory,
    *,
    teams: dict[str, tuple[str, int]],
    template: dict[str, object] | None = None,
) -> tuple[Organisation, Campaign, dict[str, list[Person]], dict[str, Team]]:
    """An organisation whose teams (name -> (service, size)) answer one campaign."""
    definition = parse_template(template or SMALL_TEMPLATE, source="test")
    people: dict[str, list[Person]] = {}
    made: dict[str, Team] = {}
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="teams-org", name="Teams Council")
        session.add(organisation)
        await session.flush()
        services: dict[str, Service] = {}
        for service_name in sorted({service for service, _ in teams.values()}):
            services[service_name] = Service(
                organisation_id=organisation.id, name=service_name
            )
            session.add(services[service_name])
        await session.flush()
        for name, (service_name, size) in teams.items():
            team = Team(
                organisation_id=organisation.id,
                service_id=services[service_name].id,
                name=name,
            )
            session.add(team)
            await session.flush()
            made[name] = team
            people[name] = [
                Person(
                    organisation_id=organisation.id,
                    name=f"{name} person {n}",
                    email=f"{name.lower().replace(' ', '')}{n}@example.org",
                    team_id=team.id,
                    role="social_worker",
                    employment_type="permanent",
                )
                for n in range(size)
            ]
            session.add_all(people[name])
        await session.flush()
        await sync_templates(session, templates=[definition])
        campaign = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key=definition.key,
            name="Teams check 2026",
            year=2026,
            audience=Audience(),
        )
        await open_campaign(session, campaign=campaign, now=NOW)
    return organisation, campaign, people, made


async def answer_as(
    sessions: SessionFactory,
    person: Person,
    campaign: Campaign,
    answers: dict[str, object],
) -> None:
    """Save and submit a full set of answers for one person."""
    from survey.answering import DraftState, save_draft, submit

    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=campaign,
            state=DraftState(answers=answers),  # type: ignore[arg-type]
            now=NOW,
        )
        await submit(session, secret=SECRET, person=person, campaign=campaign, now=NOW)


async def close_round(
    sessions: SessionFactory, campaign_id: uuid.UUID, *, now: datetime = NOW
) -> None:
    """Close a campaign as the PSW does: the close writes every sealed response."""
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, campaign_id)
        assert campaign is not None
        await close_campaign(session, campaign=campaign, now=now, secret=SECRET)


async def write_waiting_batches(
    sessions: SessionFactory, *, now: datetime = NOW
) -> int:
    """Run the pending batch jobs as the worker would (other jobs are left alone).

    Returns:
        How many batch jobs ran.
    """
    from sqlmodel import select

    from survey.delivery.job_runner import run_job
    from survey.delivery.jobs import finish_job
    from survey.delivery.queue import PENDING
    from survey.models import Job
    from survey.response_pool import DRAIN_JOB

    async with sessions() as session:
        jobs = (
            await session.exec(
                select(Job).where(Job.kind == DRAIN_JOB, Job.status == PENDING)
            )
        ).all()
    for job in jobs:
        async with sessions() as session, session.begin():
            await run_job(session, job=job, now=now, secret=SECRET)
            await finish_job(session, job_id=job.id)
    return len(jobs)
