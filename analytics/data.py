"""Loading a campaign's stored responses into pandas frames (responses only)."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, String, cast, func, literal
from sqlalchemy import select as core_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import (
    Answer,
    Campaign,
    Participation,
    ParticipationTally,
    Response,
    Service,
    Team,
    Template,
)
from survey.questions.bank import TemplateDefinition
from survey.questions.catalogue import template_definition
from survey.roster.roles import workforce_of

GROUP_COLUMNS = ("service_id", "team_id", "role", "workforce", "employment_type")
READ_ATTEMPTS = 3
FIELD = "\x1f"
"""Splits an answer's fields in the text the database writes (ASCII unit
separator: in no key, code or number, and JSON writes control characters
escaped)."""


@dataclass(frozen=True)
class Round:
    """One campaign's answers, ready for analysis.

    Attributes:
        campaign: the campaign.
        definition: its template's questions.
        responses: one row per response: ``response_id`` and the roster attributes
            copied at submission (``GROUP_COLUMNS``).
        answers: one row per closed answer: ``response_id``, ``question_key``,
            ``option``, ``number``, ``choices``. ``response_id`` is categorical
            over the responses' ids, in their order; keys and options are
            categorical too.
        invited: one row per invited person: the roster attributes frozen when
            they were invited (after a retention purge, the purge's merged
            tallies) and whether they ``completed``. Empty for imported
            historic rounds.
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
    # The whole template: trends and year-on-year line questions up across rounds
    # even when a pulse asked only some of them.
    definition = await template_definition(session, template_id=campaign.template_id)
    connection = await session.connection()
    frames = await connection.run_sync(_read_frames, campaign.id)
    return Round(campaign, definition, *frames)


def _read_frames(
    connection: Connection, campaign_id: uuid.UUID
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    invited = _invited(connection, campaign_id)
    for _ in range(READ_ATTEMPTS):
        responses = _responses(connection, campaign_id)
        answers = _answers(connection, campaign_id, responses["response_id"])
        if answers is not None:
            break
    else:
        raise RuntimeError("responses kept arriving while the round was read")
    for frame in (responses, invited):
        for name in ("service_id", "team_id"):
            frame[name] = frame[name].astype("string")
    invited["workforce"] = invited["workforce"].astype("string")
    invited["completed"] = (invited["status"] == "completed").astype(bool)
    return responses, answers, invited


def _invited(connection: Connection, campaign_id: uuid.UUID) -> pd.DataFrame:
    """The audience: one row per invited person, with their grouping attributes.

    Columns: ``service_id``, ``team_id``, ``role``, ``workforce``,
    ``employment_type`` (as frozen when the person was invited, never the
    roster's current values) and ``status``. A retention purge replaces
    participation rows by tallies; each tally is repeated once per person it
    counts, with None for the attributes its group was merged over.
    """
    columns = ["service_id", "team_id", "role", "workforce", "employment_type"]
    listed = _frame(
        connection,
        core_select(
            _text(col(Participation.service_id)),
            _text(col(Participation.team_id)),
            col(Participation.role),
            col(Participation.workforce),
            col(Participation.employment_type),
            col(Participation.status),
        ).where(col(Participation.campaign_id) == campaign_id),
        [*columns, "status"],
    )
    tallied = _frame(
        connection,
        core_select(
            _text(col(ParticipationTally.service_id)),
            _text(col(ParticipationTally.team_id)),
            col(ParticipationTally.role),
            col(ParticipationTally.employment_type),
            col(ParticipationTally.status),
            col(ParticipationTally.people),
        ).where(col(ParticipationTally.campaign_id) == campaign_id),
        ["service_id", "team_id", "role", "employment_type", "status", "people"],
    )
    if tallied.empty:
        return listed
    tallied["workforce"] = [
        workforce_of(role).value if isinstance(role, str) else None
        for role in tallied["role"]
    ]
    expanded = tallied.loc[tallied.index.repeat(tallied["people"])]
    expanded = expanded[[*columns, "status"]].reset_index(drop=True)
    if listed.empty:
        return expanded
    return pd.concat([listed, expanded], ignore_index=True)


def _responses(connection: Connection, campaign_id: uuid.UUID) -> pd.DataFrame:
    responses = _frame(
        connection,
        core_select(
            _text(col(Response.id)),
            *(
                _text(col(getattr(Response, name)))
                if name.endswith("_id")
                else col(getattr(Response, name))
                for name in GROUP_COLUMNS
            ),
        )
        .where(col(Response.campaign_id) == campaign_id)
        .order_by(col(Response.id)),
        ["response_id", *GROUP_COLUMNS],
    )
    responses["response_id"] = responses["response_id"].astype("string")
    return responses


def _text(column: Any) -> Any:
    """An id column read as its stored text, for :func:`_frame` to tidy."""
    return cast(column, String)


def _frame(connection: Connection, query: Any, columns: list[str]) -> pd.DataFrame:
    """The rows as a frame; ids (read with :func:`_text`) in their usual form.

    Rows come as the driver's own tuples (SQLAlchemy's row objects cost more
    than the query). Ids are stored as 32 hex digits on SQLite and as uuid on
    PostgreSQL; each distinct one is rewritten once, so a column of a few teams
    costs a few.
    """
    result = connection.execute(query)
    rows = result.cursor.fetchall()
    result.close()
    frame = pd.DataFrame.from_records(rows, columns=columns)
    for name in columns:
        if name.endswith("_id") and not frame.empty:
            stored = frame[name].to_numpy(dtype=object)
            usual = {value: _usual_id(value) for value in pd.unique(stored)}
            frame[name] = frame[name].map(usual)
    return frame


def _usual_id(stored: object) -> str | None:
    """An id as ``str(uuid.UUID(stored))`` writes it: dashed, lower case."""
    if not isinstance(stored, str):
        # No id. pandas reads a column with no value at all as NaN, not None.
        if stored is None or pd.isna(stored):
            return None
        raise TypeError(f"an id was read as {stored!r}")
    hex_digits = stored.replace("-", "").lower()
    if len(hex_digits) != 32:
        return str(uuid.UUID(stored))  # not an id as we store them: let uuid say
    return "-".join(
        hex_digits[start:end]
        for start, end in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32))
    )


def _answers(
    connection: Connection, campaign_id: uuid.UUID, response_ids: pd.Series
) -> pd.DataFrame | None:
    """Every closed answer of the campaign, in one query (about a million rows).

    The database writes the answers as one text, a line per answer (its
    response's position, key, code, number and picks, split by ``FIELD``), which
    pandas' C parser reads straight into columns: no row object is made per
    answer on either engine, and SQLite and PostgreSQL run the same query.

    Each answer carries its response's position among ``response_ids`` (both are
    numbered in id order), so no ids are parsed or matched; keys and codes come
    back as categoricals. None if a response arrived since ``response_ids`` was
    read, which would shift the numbering (responses are never deleted, so an
    equal count means the same responses).
    """
    numbered = (
        core_select(
            col(Response.id).label("id"),
            (func.row_number().over(order_by=col(Response.id)) - 1).label("position"),
            func.count().over().label("responses"),
        )
        .where(col(Response.campaign_id) == campaign_id)
        .cte("numbered")
    )
    line: Any = cast(numbered.c.position, String)
    for part in (
        col(Answer.question_key),
        col(Answer.option),
        col(Answer.number),
        func.nullif(cast(col(Answer.choices), String), "null"),
    ):
        line = line + literal(FIELD) + func.coalesce(cast(part, String), "")
    query = core_select(
        func.aggregate_strings(line, "\n"), func.max(numbered.c.responses)
    ).select_from(numbered.join(Answer, numbered.c.id == col(Answer.response_id)))
    lines, responses = connection.execute(query).one()
    if lines is not None and responses != len(response_ids):
        return None
    columns = pd.read_csv(
        io.StringIO(lines or ""),
        sep=FIELD,
        header=None,
        names=["position", "question_key", "option", "number", "choices"],
        dtype={
            "position": np.int64,
            "question_key": "category",
            "option": "category",
            "number": np.float64,
            "choices": object,
        },
        quoting=csv.QUOTE_NONE,
        keep_default_na=False,
        na_values={"option": [""], "number": [""], "choices": [""]},
        engine="c",
    )
    return pd.DataFrame(
        {
            "response_id": pd.Categorical.from_codes(
                columns["position"].to_numpy(), categories=pd.Index(response_ids)
            ),
            "question_key": _sorted_categories(columns["question_key"]),
            "option": _sorted_categories(columns["option"]),
            "number": columns["number"].to_numpy(dtype=float),
            "choices": _parsed(columns["choices"].to_numpy(dtype=object)),
        }
    )


def _sorted_categories(column: pd.Series) -> pd.Categorical:
    """The column's codes as a categorical over its values in sorted order."""
    values = pd.Categorical(column)
    return values.reorder_categories(sorted(values.categories))


def _parsed(texts: np.ndarray) -> np.ndarray:
    """JSON texts parsed, None where there is none (most rows have none)."""
    parsed = np.full(len(texts), None, dtype=object)
    for row in np.flatnonzero(pd.notna(texts)):
        parsed[row] = json.loads(texts[row])
    return parsed


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
