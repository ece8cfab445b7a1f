"""Questions picked by their wording: per survey (actions), per template (targets)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.web.follow_up.choices import Choice, ChoiceGroup
from survey.models import Campaign, Template
from survey.questions.bank import TemplateDefinition
from survey.questions.catalogue import (
    definition_of,
    latest_template,
    template_definition,
)


@dataclass(frozen=True)
class Wording:
    """A question's wording and id, for showing it in a list."""

    text: str
    question_id: str


async def survey_questions(
    session: AsyncSession, *, campaigns: list[Campaign]
) -> list[ChoiceGroup]:
    """Each survey's questions, worded, valued ``<survey id>:<question id>``."""
    groups = []
    for campaign in campaigns:
        definition = await template_definition(
            session, template_id=campaign.template_id
        )
        groups.append(
            ChoiceGroup(
                campaign.name,
                tuple(
                    Choice(
                        f"{campaign.id}:{question.id}",
                        f"{question.text} ({question.id})",
                    )
                    for question in definition.questions
                ),
            )
        )
    return groups


async def organisation_templates(
    session: AsyncSession, *, organisation_id: uuid.UUID
) -> list[TemplateDefinition]:
    """The newest version of every template the organisation's surveys use."""
    keys = await session.exec(
        select(Template.key)
        .join(Campaign, col(Campaign.template_id) == col(Template.id))
        .where(Campaign.organisation_id == organisation_id)
        .distinct()
    )
    return [
        definition_of(await latest_template(session, key=key))
        for key in sorted(keys.all())
    ]


def target_questions(definitions: list[TemplateDefinition]) -> list[ChoiceGroup]:
    """Questions that can have a target (they have favourable answers), by template."""
    return [
        ChoiceGroup(
            definition.title,
            tuple(
                Choice(
                    f"{definition.key}:{question.id}",
                    f"{question.text} ({question.id})",
                )
                for question in definition.questions
                if question.reported_codes()
            ),
        )
        for definition in definitions
    ]


def wordings(definitions: list[TemplateDefinition]) -> dict[tuple[str, str], Wording]:
    """(template key, question id) -> its wording."""
    return {
        (definition.key, question.id): Wording(question.text, question.id)
        for definition in definitions
        for question in definition.questions
    }
