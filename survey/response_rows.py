"""The anonymous rows a submit writes: a response, its answers and comments."""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from survey.comment_queue import queue_comment_analysis
from survey.models import (
    Answer,
    Campaign,
    Comment,
    Organisation,
    Person,
    Response,
    Team,
)
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import AnswerValue, Question, Scale
from survey.roster.roles import workforce_of


async def write_response(
    session: AsyncSession,
    *,
    definition: TemplateDefinition,
    person: Person,
    campaign: Campaign,
    answers: dict[str, AnswerValue | None],
    now: datetime,
) -> uuid.UUID:
    """Store checked ``answers`` as a response that names no one.

    It carries only the groups results are cut by (service, team, role,
    workforce, employment type) and the day, in the organisation's time zone;
    free text goes to comments. Only questions that apply to the answers given
    are stored.

    Returns:
        The new response's random id.
    """
    organisation = await session.get(Organisation, campaign.organisation_id)
    team = await session.get(Team, person.team_id)
    assert organisation is not None
    assert team is not None
    response = Response(
        campaign_id=campaign.id,
        submitted_on=now.astimezone(ZoneInfo(organisation.timezone)).date(),
        service_id=team.service_id,
        team_id=team.id,
        role=person.role,
        workforce=workforce_of(person.role),
        employment_type=person.employment_type,
    )
    session.add(response)
    await session.flush()
    given = {key: value for key, value in answers.items() if value is not None}
    for question in definition.questions:
        value = given.get(question.id)
        if value is None or not question.applies(given):
            continue
        if (
            isinstance(value, str)
            and question.scale == Scale.TEXT
            and (value not in _special(question))
        ):
            session.add(
                Comment(response_id=response.id, question_key=question.id, text=value)
            )
        else:
            session.add(_answer_row(response.id, question.id, value))
    # Queued for every response, with or without comments, so the job row cannot
    # tell that the person who just submitted wrote one.
    await queue_comment_analysis(
        session, campaign_id=campaign.id, organisation_id=organisation.id, now=now
    )
    return response.id


def _special(question: Question) -> set[str]:
    return {option.value for option in question.special_options()}


def _answer_row(
    response_id: uuid.UUID, question_key: str, value: AnswerValue
) -> Answer:
    if isinstance(value, list):
        return Answer(response_id=response_id, question_key=question_key, choices=value)
    if isinstance(value, int):
        return Answer(response_id=response_id, question_key=question_key, number=value)
    return Answer(response_id=response_id, question_key=question_key, option=value)
