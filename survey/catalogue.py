"""Keeping the database's templates in step with the question bank files."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import NotFoundError, QuestionBankError
from survey.models import Template, TemplateQuestion
from survey.question_bank import TemplateDefinition


async def sync_templates(
    session: AsyncSession, *, templates: list[TemplateDefinition]
) -> list[Template]:
    """Store any template version not yet in the database; never rewrite one.

    A stored version whose wording differs from its file is an error: published
    versions are frozen so earlier campaigns keep the questions they asked.

    Raises:
        QuestionBankError: if a stored version was edited in place.
    """
    stored: list[Template] = []
    for definition in templates:
        existing = (
            await session.exec(
                select(Template).where(
                    Template.key == definition.key,
                    Template.version == definition.version,
                )
            )
        ).first()
        as_json = definition.model_dump(mode="json", by_alias=True)
        if existing is not None:
            if existing.definition != as_json:
                raise QuestionBankError(
                    [
                        f"{definition.key}: version {definition.version} is already "
                        "in use with different questions; bump `version` to change it"
                    ]
                )
            stored.append(existing)
            continue
        template = Template(
            key=definition.key,
            version=definition.version,
            title=definition.title,
            kind=definition.kind,
            audience=definition.audience,
            definition=as_json,
        )
        session.add(template)
        for position, question in enumerate(definition.questions, start=1):
            session.add(
                TemplateQuestion(
                    template_id=template.id,
                    key=question.id,
                    position=position,
                    text=question.text,
                    scale=question.scale,
                    standard=question.standard,
                    theme=question.theme,
                    definition=question.model_dump(mode="json", by_alias=True),
                )
            )
        stored.append(template)
    await session.flush()
    return stored


async def latest_template(session: AsyncSession, *, key: str) -> Template:
    """The newest stored version of a template.

    Raises:
        NotFoundError: naming the templates that do exist.
    """
    template = (
        await session.exec(
            select(Template)
            .where(Template.key == key)
            .order_by(col(Template.version).desc())
        )
    ).first()
    if template is None:
        known = (await session.exec(select(Template.key).distinct())).all()
        raise NotFoundError(
            f"There is no template '{key}'. Templates: {', '.join(sorted(known))}."
        )
    return template


async def template_definition(
    session: AsyncSession, *, template_id: uuid.UUID
) -> TemplateDefinition:
    """The checked definition of a stored template version."""
    template = await session.get(Template, template_id)
    if template is None:
        raise NotFoundError("That template no longer exists.")
    return definition_of(template)


def definition_of(template: Template) -> TemplateDefinition:
    """Rebuild the definition stored with a template row."""
    return TemplateDefinition.model_validate(template.definition)
