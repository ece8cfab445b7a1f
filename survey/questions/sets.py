"""Which of a template's questions a campaign asks: all, or a pulse's rotating share.

A pulse asks a few questions each time and rotates through its template, so the
same people are not asked the same things every few weeks. The questions a
campaign asks are stored on it (``Campaign.question_keys``; ``None`` means all),
and every part of the answer path reads them through :func:`campaign_definition`.
"""

from __future__ import annotations

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import Campaign, Participation
from survey.questions.bank import TemplateDefinition
from survey.questions.catalogue import template_definition
from survey.questions.definitions import AnswerValue, Profile, Question

_CutKey = tuple[uuid.UUID, tuple[str, ...] | None, Profile | None]
_CUTS: dict[_CutKey, TemplateDefinition] = {}
"""Cut-down definitions already made: a stored template version never changes,
so the same campaign questions for the same profile are the same definition.
The answer path asks for one on every step."""
_CUTS_LIMIT = 2000


async def campaign_definition(
    session: AsyncSession,
    *,
    campaign: Campaign,
    participation: Participation | None = None,
) -> TemplateDefinition:
    """The campaign's template, cut down to the questions the campaign asks.

    With ``participation``, cut down further to the questions asked of that
    person's role, workforce and employment type (as frozen when invited).
    """
    keys = campaign.question_keys
    profile = profile_of(participation) if participation is not None else None
    cut_key = (campaign.template_id, tuple(keys) if keys is not None else None, profile)
    cut = _CUTS.get(cut_key)
    if cut is not None:
        return cut
    definition = await template_definition(session, template_id=campaign.template_id)
    definition = asked_only(definition, keys)
    if profile is not None:
        definition = for_person(definition, profile)
    if len(_CUTS) >= _CUTS_LIMIT:
        _CUTS.clear()
    _CUTS[cut_key] = definition
    return definition


def profile_of(participation: Participation) -> Profile:
    """The roster facts a question's ``asked_of`` may use, frozen at invitation."""
    return Profile(
        role=participation.role,
        workforce=participation.workforce,
        employment_type=participation.employment_type,
    )


def for_person(definition: TemplateDefinition, profile: Profile) -> TemplateDefinition:
    """``definition`` with only the questions asked of people like ``profile``."""
    kept = tuple(
        question
        for question in definition.questions
        if question.asked_of is None or question.asked_of.holds(profile)
    )
    return definition.model_copy(update={"questions": kept})


def asked_only(
    definition: TemplateDefinition, question_keys: list[str] | None
) -> TemplateDefinition:
    """``definition`` with only ``question_keys`` (all of it for ``None``)."""
    if question_keys is None:
        return definition
    wanted = set(question_keys)
    kept = tuple(question for question in definition.questions if question.id in wanted)
    return definition.model_copy(update={"questions": kept})


def question_blocks(definition: TemplateDefinition) -> list[tuple[Question, ...]]:
    """The template's questions grouped as a lead question and its follow-ups.

    A follow-up (a question with ``when``) goes with the question it hangs from,
    and a follow-up of a follow-up with the same lead, so a rotation never asks a
    follow-up without what it follows.
    """
    lead_of: dict[str, str] = {}
    blocks: dict[str, list[Question]] = {}
    for question in definition.questions:
        lead = question.id
        if question.when is not None:
            lead = lead_of.get(question.when.question, question.when.question)
        lead_of[question.id] = lead
        blocks.setdefault(lead, []).append(question)
    return [tuple(block) for block in blocks.values()]


def rotation(
    definition: TemplateDefinition, *, per_pulse: int | None, run: int
) -> list[str] | None:
    """The question ids run number ``run`` (0 first) of a pulse asks.

    A window of ``per_pulse`` lead questions (each with its follow-ups) that moves
    on by ``per_pulse`` every run and wraps round, so every question is asked
    once every ``ceil(leads / per_pulse)`` runs. ``None`` (ask everything) when
    the pulse asks at least as many questions as the template has.

    Raises:
        ValueError: ``per_pulse`` below 1 or ``run`` below 0.
    """
    if per_pulse is not None and per_pulse < 1:
        raise ValueError("a pulse asks at least one question")
    if run < 0:
        raise ValueError("runs count from 0")
    blocks = question_blocks(definition)
    if per_pulse is None or per_pulse >= len(blocks):
        return None
    start = run * per_pulse % len(blocks)
    chosen = {
        (start + offset) % len(blocks) for offset in range(per_pulse)
    }  # positions in the template, so questions keep their order
    return [
        question.id
        for position, block in enumerate(blocks)
        if position in chosen
        for question in block
    ]


def everyone_questions(definition: TemplateDefinition) -> list[Question]:
    """The questions asked of everyone (no follow-ups), for progress counts.

    Progress that others may see (a reminder's "answered 4 of 6") counts only
    these: a count that grew with follow-ups would hint at an answer, and one
    with questions for some roles only would differ between people.
    """
    return [
        question
        for question in definition.questions
        if question.when is None and question.asked_of is None
    ]


def answered_count(
    definition: TemplateDefinition, answers: dict[str, AnswerValue | None]
) -> int:
    """How many of the everyone-questions have an answer or were skipped."""
    return sum(
        1 for question in everyone_questions(definition) if question.id in answers
    )
