"""The anonymous rows a response becomes: a response, its answers and comments.

A submit turns the checked answers into a :data:`ResponseRecord` (plain data that
names no one), which waits sealed in the pool; a drain writes a batch of records
as rows (see :mod:`survey.response_pool`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.comment_queue import queue_comment_analysis
from survey.models import (
    Answer,
    Campaign,
    Comment,
    Organisation,
    Participation,
    Person,
    Response,
    Team,
)
from survey.models.columns import new_id
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import AnswerValue, Question, Scale
from survey.roster.roles import workforce_of

ResponseRecord = dict[str, Any]
"""A response as JSON-ready data: the groups it counts in, the day, its answers."""

_RESPONSES: Table = Response.__table__  # type: ignore[attr-defined]
_ANSWERS: Table = Answer.__table__  # type: ignore[attr-defined]
_COMMENTS: Table = Comment.__table__  # type: ignore[attr-defined]


async def response_record(
    session: AsyncSession,
    *,
    definition: TemplateDefinition,
    person: Person,
    campaign: Campaign,
    answers: dict[str, AnswerValue | None],
    now: datetime,
) -> ResponseRecord:
    """Checked ``answers`` as a response that names no one.

    It carries only the groups results are cut by (service, team, role,
    workforce, employment type) as frozen when the person was invited, and the
    day, in the organisation's time zone; free text goes to comments. Only questions
    that apply to the answers given are kept.
    """
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    # The groups frozen when the person was invited, so the response counts in
    # the same group as their invitation whatever the roster says since.
    invited = (
        await session.exec(
            select(Participation).where(
                Participation.campaign_id == campaign.id,
                Participation.person_id == person.id,
            )
        )
    ).first()
    if invited is None:
        # Not invited (a submit is refused before this): the roster as it is,
        # in an unsaved row only to carry the groups.
        team = await session.get(Team, person.team_id)
        assert team is not None
        invited = Participation(
            campaign_id=campaign.id,
            person_id=person.id,
            service_id=team.service_id,
            team_id=team.id,
            role=person.role,
            workforce=workforce_of(person.role),
            employment_type=person.employment_type,
        )
    given = {key: value for key, value in answers.items() if value is not None}
    closed: list[list[Any]] = []
    comments: list[list[str]] = []
    for question in definition.questions:
        value = given.get(question.id)
        if value is None or not question.applies(given):
            continue
        if (
            isinstance(value, str)
            and question.scale == Scale.TEXT
            and (value not in _special(question))
        ):
            comments.append([question.id, value])
        else:
            closed.append([question.id, value])
    return {
        "submitted_on": now.astimezone(ZoneInfo(organisation.timezone))
        .date()
        .isoformat(),
        "service_id": _text_or_none(invited.service_id),
        "team_id": _text_or_none(invited.team_id),
        "role": invited.role,
        "workforce": invited.workforce,
        "employment_type": invited.employment_type,
        "answers": closed,
        "comments": comments,
    }


async def write_responses(
    session: AsyncSession, *, campaign_id: uuid.UUID, records: Sequence[ResponseRecord]
) -> list[uuid.UUID]:
    """Store ``records`` as responses of the campaign, in the order given.

    Each gets a fresh random id here, so nothing earlier (a pool entry, a
    submission) shares an id with it.

    Returns:
        The new responses' ids, in the order written.
    """
    responses: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    for record in records:
        response_id = new_id()
        responses.append(
            {
                "id": response_id,
                "campaign_id": campaign_id,
                "submitted_on": date.fromisoformat(record["submitted_on"]),
                "service_id": _uuid_or_none(record["service_id"]),
                "team_id": _uuid_or_none(record["team_id"]),
                "role": record["role"],
                "workforce": record["workforce"],
                "employment_type": record["employment_type"],
            }
        )
        answers.extend(
            _answer_row(response_id, key, value) for key, value in record["answers"]
        )
        comments.extend(
            {
                "id": new_id(),
                "response_id": response_id,
                "question_key": key,
                "text": text,
                "analysis": None,
            }
            for key, text in record["comments"]
        )
    for table, rows in (
        (_RESPONSES, responses),
        (_ANSWERS, answers),
        (_COMMENTS, comments),
    ):
        if rows:
            await session.exec(insert(table), params=rows)
    if comments:
        # The batch names no one, so the comment model is asked to read its
        # comments only when there are some (see survey.comment_queue).
        campaign = await session.get(Campaign, campaign_id)
        # Due from the start of the batch's first submission day: at once, on any
        # clock, and no more precise than the dates the responses carry.
        first_day = min(date.fromisoformat(r["submitted_on"]) for r in records)
        await queue_comment_analysis(
            session,
            campaign_id=campaign_id,
            organisation_id=campaign.organisation_id if campaign else None,
            now=datetime.combine(first_day, time.min, tzinfo=UTC),
        )
    return [row["id"] for row in responses]


def _text_or_none(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _special(question: Question) -> set[str]:
    return {option.value for option in question.special_options()}


def _answer_row(
    response_id: uuid.UUID, question_key: str, value: AnswerValue
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "response_id": response_id,
        "question_key": question_key,
        "option": None,
        "number": None,
        "choices": None,
    }
    if isinstance(value, list):
        row["choices"] = value
    elif isinstance(value, int):
        row["number"] = value
    else:
        row["option"] = value
    return row
