"""The council's own records as exported: roster, templates, campaigns, follow-up.

Each function reads one kind of record of one organisation and returns plain
dicts ready for JSON. None of them reads a response, an answer or a comment.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import (
    Action,
    Announcement,
    Campaign,
    ManagerOf,
    Organisation,
    Person,
    PulseSchedule,
    Service,
    Target,
    Team,
    Template,
    TemplateQuestion,
)

Record = dict[str, Any]


def when(value: datetime | date | None) -> str | None:
    """An ISO 8601 date or time, or None."""
    return None if value is None else value.isoformat()


async def roster_records(
    session: AsyncSession, *, organisation: Organisation
) -> dict[str, list[Record]]:
    """The organisation, its services, teams and people with their attributes.

    Chat account ids are left out: they link people to Slack or Teams, and are
    found again from email addresses when a workspace is connected.
    """
    org_id = organisation.id
    services = list(
        await session.exec(select(Service).where(Service.organisation_id == org_id))
    )
    teams = list(await session.exec(select(Team).where(Team.organisation_id == org_id)))
    service_names = {s.id: s.name for s in services}
    team_names = {t.id: t.name for t in teams}
    team_service = {t.id: service_names[t.service_id] for t in teams}
    people = list(
        await session.exec(select(Person).where(Person.organisation_id == org_id))
    )
    manages: dict[uuid.UUID, list[str]] = {}
    links = await session.exec(
        select(ManagerOf).where(col(ManagerOf.person_id).in_([p.id for p in people]))
    )
    for link in links:
        manages.setdefault(link.person_id, []).append(team_names[link.team_id])
    return {
        "organisation": [
            {
                "slug": organisation.slug,
                "name": organisation.name,
                "timezone": organisation.timezone,
                "min_group_size": organisation.min_group_size,
            }
        ],
        "services": [{"name": name} for name in sorted(service_names.values())],
        "teams": sorted(
            ({"name": t.name, "service": service_names[t.service_id]} for t in teams),
            key=lambda row: row["name"],
        ),
        "people": [
            {
                "name": person.name,
                "email": person.email,
                "team": team_names[person.team_id],
                "service": team_service[person.team_id],
                "role": person.role,
                "employment_type": person.employment_type,
                "access": person.access,
                "manages": sorted(manages.get(person.id, [])),
                "active": person.active,
            }
            for person in sorted(people, key=lambda p: (p.name, p.email))
        ],
    }


async def template_records(
    session: AsyncSession, *, campaigns: Sequence[Campaign]
) -> tuple[list[Record], list[Record]]:
    """The template versions the campaigns used, and their questions."""
    ids = {c.template_id for c in campaigns}
    used = list(
        await session.exec(
            select(Template)
            .where(col(Template.id).in_(ids))
            .order_by(col(Template.key), col(Template.version))
        )
    )
    templates = [
        {
            "key": t.key,
            "version": t.version,
            "title": t.title,
            "kind": t.kind,
            "audience": t.audience,
        }
        for t in used
    ]
    versions = {t.id: (t.key, t.version) for t in used}
    rows = await session.exec(
        select(TemplateQuestion)
        .where(col(TemplateQuestion.template_id).in_(ids))
        .order_by(col(TemplateQuestion.position))
    )
    questions = [
        {
            "template": versions[q.template_id][0],
            "version": versions[q.template_id][1],
            "key": q.key,
            "position": q.position,
            "text": q.text,
            "scale": q.scale,
            "standard": q.standard,
            "theme": q.theme,
            "definition": q.definition,
        }
        for q in rows
    ]
    questions.sort(key=lambda q: (q["template"], q["version"], q["position"]))
    return templates, questions


async def pulse_schedule_records(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[Record]:
    """Recurring pulse checks and their schedules."""
    rows = await session.exec(
        select(PulseSchedule)
        .where(PulseSchedule.organisation_id == organisation_id)
        .order_by(col(PulseSchedule.name))
    )
    return [
        {
            "name": p.name,
            "template": p.template_key,
            "audience": p.audience,
            "every_weeks": p.every_weeks,
            "open_days": p.open_days,
            "questions_per_pulse": p.questions_per_pulse,
            "cooldown_days": p.cooldown_days,
            "next_run_at": when(p.next_run_at),
            "runs": p.runs,
            "active": p.active,
        }
        for p in rows
    ]


async def campaign_records(
    session: AsyncSession, *, campaigns: Sequence[Campaign]
) -> list[Record]:
    """Each campaign with its template, audience and schedule."""
    templates = {
        t.id: t
        for t in await session.exec(
            select(Template).where(
                col(Template.id).in_({c.template_id for c in campaigns})
            )
        )
    }
    pulses = {
        p.id: p.name
        for p in await session.exec(
            select(PulseSchedule).where(
                col(PulseSchedule.id).in_({c.pulse_schedule_id for c in campaigns})
            )
        )
    }
    return [
        {
            "name": c.name,
            "year": c.year,
            "status": c.status,
            "template": templates[c.template_id].key,
            "template_version": templates[c.template_id].version,
            "audience": c.audience,
            "opens_at": when(c.opens_at),
            "closes_at": when(c.closes_at),
            "reminder_days": c.reminder_days,
            "question_keys": c.question_keys,
            "pulse_schedule": pulses.get(c.pulse_schedule_id)
            if c.pulse_schedule_id
            else None,
        }
        for c in campaigns
    ]


async def action_records(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    campaigns: dict[uuid.UUID, str],
) -> list[Record]:
    """The "you said, we did" actions; ``campaigns`` names campaigns by id."""
    rows = await session.exec(
        select(Action)
        .where(Action.organisation_id == organisation_id)
        .order_by(col(Action.created_at))
    )
    return [
        {
            "campaign": campaigns.get(a.campaign_id) if a.campaign_id else None,
            "theme": a.theme,
            "question": a.question_key,
            "you_said": a.you_said,
            "we_did": a.we_did,
            "owner": a.owner,
            "due_on": when(a.due_on),
            "status": a.status,
            "status_reason": a.status_reason,
            "created_at": when(a.created_at),
            "updated_at": when(a.updated_at),
        }
        for a in rows
    ]


async def announcement_records(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    campaigns: dict[uuid.UUID, str],
) -> list[Record]:
    """Briefings and "you said, we did" posts; ``campaigns`` names campaigns by id."""
    rows = await session.exec(
        select(Announcement)
        .where(Announcement.organisation_id == organisation_id)
        .order_by(col(Announcement.created_at))
    )
    return [
        {
            "kind": a.kind,
            "title": a.title,
            "body": a.body,
            "link": a.link,
            "feedback_campaign": campaigns.get(a.feedback_campaign_id)
            if a.feedback_campaign_id
            else None,
            "scheduled_for": when(a.scheduled_for),
            "posted_at": when(a.posted_at),
            "created_at": when(a.created_at),
        }
        for a in rows
    ]


async def target_records(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[Record]:
    """The PSW's targets per question."""
    rows = await session.exec(
        select(Target)
        .where(Target.organisation_id == organisation_id)
        .order_by(col(Target.template_key), col(Target.question_key))
    )
    return [
        {
            "template": t.template_key,
            "question": t.question_key,
            "percent": t.percent,
            "updated_at": when(t.updated_at),
        }
        for t in rows
    ]
