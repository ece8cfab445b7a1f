"""The PSW's targets: the percent favourable hoped for on a question, for RAG status."""

from __future__ import annotations

import uuid

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import SurveyError
from survey.models import Target
from survey.models.columns import utcnow
from survey.questions.catalogue import definition_of, latest_template
from survey.questions.naming import find_question


class TargetError(SurveyError):
    """A target that cannot be set."""


async def set_target(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    template_key: str,
    question_key: str,
    percent: float,
) -> Target:
    """Set (or replace) the target percent favourable for one question.

    Raises:
        TargetError: an unknown question, a question with no favourable answers,
            or a percent outside 0-100.
        NotFoundError: an unknown template.
    """
    if not 0 <= percent <= 100:
        raise TargetError(f"A target is a percentage from 0 to 100, not {percent:g}.")
    definition = definition_of(await latest_template(session, key=template_key))
    question = find_question(definition, question_key, where=definition.title)
    if not question.reported_codes():
        raise TargetError(
            f"{question.id} has no favourable answers, so it cannot have a target."
        )
    existing = (
        await session.exec(
            select(Target).where(
                Target.organisation_id == organisation_id,
                Target.template_key == template_key,
                Target.question_key == question.id,
            )
        )
    ).first()
    target = existing or Target(
        organisation_id=organisation_id,
        template_key=template_key,
        question_key=question.id,
        percent=percent,
    )
    target.percent = percent
    target.updated_at = utcnow()
    session.add(target)
    await session.flush()
    return target


async def targets_for(
    session: AsyncSession, *, organisation_id: uuid.UUID, template_key: str
) -> dict[str, float]:
    """Question id -> target percent for one template."""
    rows = await session.exec(
        select(Target).where(
            Target.organisation_id == organisation_id,
            Target.template_key == template_key,
        )
    )
    return {target.question_key: target.percent for target in rows.all()}
