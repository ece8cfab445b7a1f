"""Keeping the database's templates in step with the question bank files."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.errors import NotFoundError, QuestionBankError
from survey.models import Template, TemplateQuestion
from survey.questions.bank import TemplateDefinition

_CACHE_LIMIT = 256
_DEFINITIONS: dict[uuid.UUID, TemplateDefinition] = {}


async def sync_templates(
    session: AsyncSession, *, templates: list[TemplateDefinition]
) -> list[Template]:
    """Store any template version not yet in the database; never rewrite one.

    A stored version whose wording differs from its file is an error: published
    versions are frozen so earlier campaigns keep the questions they asked.

    Raises:
        QuestionBankError: naming every stored version that was edited in place;
            nothing is stored then.
    """
    existing: dict[tuple[str, int], Template] = {}
    given: dict[tuple[str, int], dict[str, object]] = {}
    problems = []
    for definition in templates:
        version = (definition.key, definition.version)
        as_json = definition.model_dump(mode="json", by_alias=True)
        found = (
            await session.exec(
                select(Template).where(
                    Template.key == definition.key,
                    Template.version == definition.version,
                )
            )
        ).first()
        if found is not None:
            existing[version] = found
        if given.setdefault(version, found.definition if found else as_json) != as_json:
            problems.append(
                f"{definition.key}: version {definition.version} is already "
                "in use with different questions; bump `version` to change it"
            )
    # Every definition is checked before any is stored, so a refusal writes nothing.
    if problems:
        raise QuestionBankError(problems)
    stored: list[Template] = []
    for definition in templates:
        version = (definition.key, definition.version)
        if version not in existing:
            existing[version] = _new_template(session, definition)
        stored.append(existing[version])
    await session.flush()
    return stored


def _new_template(session: AsyncSession, definition: TemplateDefinition) -> Template:
    template = Template(
        key=definition.key,
        version=definition.version,
        title=definition.title,
        kind=definition.kind,
        audience=definition.audience,
        definition=definition.model_dump(mode="json", by_alias=True),
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
    return template


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
            f"There is no template '{key}'. "
            f"Templates: {', '.join(sorted(known)) or 'none yet'}."
        )
    return template


async def template_definition(
    session: AsyncSession, *, template_id: uuid.UUID
) -> TemplateDefinition:
    """The checked definition of a stored template version.

    Stored versions never change (see :func:`sync_templates`), so each is read
    and checked once per process and then served from memory: the answer path
    asks for it several times per step.
    """
    cached = _DEFINITIONS.get(template_id)
    if cached is not None:
        return cached
    template = await session.get(Template, template_id)
    if template is None:
        raise NotFoundError("That template no longer exists.")
    definition = definition_of(template)
    if len(_DEFINITIONS) >= _CACHE_LIMIT:
        _DEFINITIONS.clear()
    _DEFINITIONS[template_id] = definition
    return definition


def definition_of(template: Template) -> TemplateDefinition:
    """Rebuild the definition stored with a template row."""
    return TemplateDefinition.model_validate(template.definition)


async def latest_templates(session: AsyncSession) -> list[Template]:
    """The newest stored version of every template, by title."""
    rows = await session.exec(select(Template).order_by(col(Template.version).desc()))
    newest: dict[str, Template] = {}
    for template in rows.all():
        newest.setdefault(template.key, template)
    return sorted(newest.values(), key=lambda template: template.title.casefold())
