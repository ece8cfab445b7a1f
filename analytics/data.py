"""Loading a campaign's stored responses into pandas frames (responses only)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection
from sqlalchemy import select as core_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.catalogue import template_definition
from survey.models import (
    Answer,
    Campaign,
    Participation,
    Person,
    Response,
    Service,
    Team,
    Template,
)
from survey.question_bank import TemplateDefinition
from survey.roles import workforce_of

GROUP_COLUMNS = ("service_id", "team_id", "role", "workforce", "employment_type")


@dataclass(frozen=True)
class Round:
    """One campaign's answers, ready for analysis.

    Attributes:
        campaign: the campaign.
        definition: its template's questions.
        responses: one row per response: ``response_id`` and the roster attributes
            copied at submission (``GROUP_COLUMNS``).
        answers: one row per closed answer: ``response_id``, ``question_key``,
            ``option``, ``number``, ``choices``.
        invited: one row per invited person: their current roster attributes and
            whether they ``completed``. Empty for imported historic rounds.
    """

    campaign: Campaign
    definition: TemplateDefinition
    responses: pd.DataFrame
    answers: pd.DataFrame
    invited: pd.DataFrame


@dataclass(frozen=True)
class Names:
    """Display names of an organisation's services and teams, by id."""

    services: dict[str, str]
    teams: dict[str, str]
    team_service: dict[str, str]


async def load_round(session: AsyncSession, *, campaign: Campaign) -> Round:
    """Read everything analysis needs about one campaign."""
    definition = await template_definition(session, template_id=campaign.template_id)
    connection = await session.connection()
    frames = await connection.run_sync(_read_frames, campaign.id)
    return Round(campaign, definition, *frames)


def _read_frames(
    connection: Connection, campaign_id: uuid.UUID
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    responses = _frame(
        connection,
        core_select(
            col(Response.id).label("response_id"),
            *(col(getattr(Response, name)) for name in GROUP_COLUMNS),
        ).where(col(Response.campaign_id) == campaign_id),
        ["response_id", *GROUP_COLUMNS],
    )
    answers = _frame(
        connection,
        core_select(
            col(Answer.response_id),
            col(Answer.question_key),
            col(Answer.option),
            col(Answer.number),
            col(Answer.choices),
        )
        .join(Response, col(Response.id) == col(Answer.response_id))
        .where(col(Response.campaign_id) == campaign_id),
        ["response_id", "question_key", "option", "number", "choices"],
    )
    invited = _frame(
        connection,
        core_select(
            col(Team.service_id),
            col(Person.team_id),
            col(Person.role),
            col(Person.employment_type),
            col(Participation.status),
        )
        .join(Person, col(Person.id) == col(Participation.person_id))
        .join(Team, col(Team.id) == col(Person.team_id))
        .where(col(Participation.campaign_id) == campaign_id),
        ["service_id", "team_id", "role", "employment_type", "status"],
    )
    for frame in (responses, invited):
        for name in ("service_id", "team_id"):
            frame[name] = frame[name].astype("string")
    responses["response_id"] = responses["response_id"].astype("string")
    answers["response_id"] = answers["response_id"].astype("string")
    answers["number"] = pd.to_numeric(answers["number"], errors="coerce")
    if not invited.empty:
        invited["workforce"] = invited["role"].map(workforce_of).astype("string")
        invited["completed"] = invited["status"] == "completed"
    else:
        invited["workforce"] = pd.Series(dtype="string")
        invited["completed"] = pd.Series(dtype=bool)
    return responses, answers, invited


def _frame(connection: Connection, query: Any, columns: list[str]) -> pd.DataFrame:
    rows = connection.execute(query).all()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for name in columns:
        if name.endswith("_id") and not frame.empty:
            frame[name] = frame[name].map(
                lambda value: None if value is None else str(value)
            )
    return frame


async def load_names(session: AsyncSession, *, organisation_id: uuid.UUID) -> Names:
    """Service and team names for labelling results."""
    services = (
        await session.exec(
            select(Service.id, Service.name).where(
                col(Service.organisation_id) == organisation_id
            )
        )
    ).all()
    teams = (
        await session.exec(
            select(Team.id, Team.name, Team.service_id).where(
                col(Team.organisation_id) == organisation_id
            )
        )
    ).all()
    return Names(
        services={str(sid): name for sid, name in services},
        teams={str(tid): name for tid, name, _ in teams},
        team_service={str(tid): str(sid) for tid, _, sid in teams},
    )


async def earlier_campaign(
    session: AsyncSession, *, campaign: Campaign
) -> Campaign | None:
    """The most recent earlier campaign of the same template (any version)."""
    template = await session.get(Template, campaign.template_id)
    assert template is not None
    rows = await session.exec(
        select(Campaign)
        .join(Template, col(Template.id) == col(Campaign.template_id))
        .where(
            col(Campaign.organisation_id) == campaign.organisation_id,
            col(Template.key) == template.key,
            col(Campaign.year) < campaign.year,
        )
        .order_by(col(Campaign.year).desc(), col(Campaign.created_at).desc())
    )
    return rows.first()
