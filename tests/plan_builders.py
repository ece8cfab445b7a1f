"""Builders for scheduling tests: an organisation, templates, and a job runner.

``run_due`` does what one worker pass does with jobs (claim, run, defer or
finish, each job in its own transaction), for tests of the survey package that
must not import ``bot``. The worker itself is tested in tests/bot/test_worker.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from builders import SECRET, SMALL_TEMPLATE
from sqlmodel import col, select

from survey.campaigns import Audience, create_campaign
from survey.db import SessionFactory
from survey.delivery.job_kinds import Deferred
from survey.delivery.job_runner import run_job
from survey.delivery.jobs import claim_jobs, defer_job, finish_job
from survey.models import (
    Campaign,
    Job,
    Organisation,
    OutboxMessage,
    Participation,
    Person,
    Service,
    Team,
)
from survey.questions.bank import parse_template
from survey.questions.catalogue import sync_templates

# Monday 23 November 2026, 10:00 in London (GMT).
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

HEALTH_TEMPLATE: dict[str, Any] = {
    **SMALL_TEMPLATE,
    "key": "small-health",
    "title": "Small health check",
    "kind": "health_check",
}


def _agree(number: int, standard: int) -> dict[str, Any]:
    return {
        "id": f"P{number}",
        "text": f"Pulse statement {number}.",
        "scale": "agree5",
        "standard": standard,
        "theme": "workload",
    }


PULSE_TEMPLATE: dict[str, Any] = {
    "key": "small-pulse",
    "version": 1,
    "title": "Small pulse",
    "kind": "pulse",
    "audience": "everyone",
    "questions": [
        _agree(1, 3),
        _agree(2, 3),
        {
            "id": "P3",
            "text": "Do you get supervision?",
            "scale": "yes_no_unsure",
            "theme": "supervision",
            "standard": 5,
        },
        {
            "id": "P3A",
            "text": "How often?",
            "scale": "choice",
            "options": ["Weekly", "Monthly"],
            "theme": "supervision",
            "favourable": ["weekly"],
            "when": {"question": "P3", "in": ["yes"]},
        },
        _agree(4, 4),
        _agree(5, 4),
        _agree(6, 1),
    ],
}


@dataclass
class PlanOrg:
    """What :func:`plan_org` made."""

    organisation: Organisation
    teams: dict[str, Team]
    people: dict[str, list[Person]]


async def plan_org(
    sessions: SessionFactory,
    *,
    teams: dict[str, tuple[str, int]] | None = None,
    slug: str = "plan-org",
) -> PlanOrg:
    """An organisation (Europe/London) with teams (name -> (service, size))."""
    teams = teams or {"Team A": ("Adults", 6)}
    made: dict[str, Team] = {}
    people: dict[str, list[Person]] = {}
    async with sessions() as session, session.begin():
        organisation = Organisation(slug=slug, name="Plan Council")
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
        await sync_templates(
            session,
            templates=[
                parse_template(HEALTH_TEMPLATE, source="test"),
                parse_template(PULSE_TEMPLATE, source="test"),
            ],
        )
    return PlanOrg(organisation, made, people)


async def draft(
    sessions: SessionFactory,
    org: PlanOrg,
    *,
    name: str = "Health check 2026",
    template_key: str = "small-health",
    audience: Audience | None = None,
) -> Campaign:
    """A draft campaign of a template."""
    async with sessions() as session, session.begin():
        return await create_campaign(
            session,
            organisation_id=org.organisation.id,
            template_key=template_key,
            name=name,
            year=2026,
            audience=audience or Audience(),
        )


async def run_due(
    sessions: SessionFactory, *, now: datetime, platforms: tuple[str, ...] = ("local",)
) -> list[str]:
    """Run every job due at ``now`` once; returns the kinds run (deferred ones too)."""
    async with sessions() as session, session.begin():
        jobs = await claim_jobs(session, now=now, lease=timedelta(minutes=5), limit=100)
    for job in jobs:
        try:
            async with sessions() as session, session.begin():
                await run_job(
                    session, job=job, now=now, platforms=platforms, secret=SECRET
                )
                await finish_job(session, job_id=job.id)
        except Deferred as deferred:
            async with sessions() as session, session.begin():
                await defer_job(session, job_id=job.id, until=deferred.until)
    return [job.kind for job in jobs]


async def jobs_of(sessions: SessionFactory, *, kind: str | None = None) -> list[Job]:
    """Every job (of a kind), by run time."""
    async with sessions() as session:
        query = select(Job).order_by(col(Job.run_at), col(Job.dedupe_key))
        if kind is not None:
            query = query.where(Job.kind == kind)
        return list((await session.exec(query)).all())


async def outbox(
    sessions: SessionFactory, *, kind: str | None = None
) -> list[OutboxMessage]:
    """Every outbox row (whose payload is of a kind), by key."""
    async with sessions() as session:
        rows = await session.exec(
            select(OutboxMessage).order_by(col(OutboxMessage.idempotency_key))
        )
        return [
            row for row in rows.all() if kind is None or row.payload.get("kind") == kind
        ]


def recipients(messages: list[OutboxMessage]) -> list[str]:
    """The recipients of some messages, sorted (duplicates kept)."""
    return sorted(message.recipient for message in messages)


def address(person: Person) -> str:
    """How the local channel addresses a person."""
    return f"person:{person.id}"


async def participation(
    sessions: SessionFactory, *, campaign_id: uuid.UUID, person: Person
) -> Participation:
    """One person's participation row, fresh."""
    async with sessions() as session:
        found = (
            await session.exec(
                select(Participation).where(
                    Participation.campaign_id == campaign_id,
                    Participation.person_id == person.id,
                )
            )
        ).one()
        return found
