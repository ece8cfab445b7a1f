"""Templates in the database follow the question bank files, version by version."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from builders import NOW, SECRET, SMALL_TEMPLATE, full_answers, small_org
from sqlmodel import col, func, select

from survey.answering import DraftState, load_draft, save_draft
from survey.campaigns import Audience, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.errors import AnswerError, NotFoundError, QuestionBankError
from survey.models import Template, TemplateQuestion
from survey.questions.bank import TemplateDefinition, load_all, parse_template
from survey.questions.catalogue import (
    latest_template,
    sync_templates,
    template_definition,
)


def small(version: int = 1, **changes: Any) -> TemplateDefinition:
    raw = copy.deepcopy(SMALL_TEMPLATE) | {"version": version} | changes
    return parse_template(raw, source="test")


def reworded(version: int) -> TemplateDefinition:
    """The small template with Q1 reworded and the HOURS question dropped."""
    raw = copy.deepcopy(SMALL_TEMPLATE)
    raw["version"] = version
    raw["questions"][0]["text"] = "I can manage my caseload in my working hours."
    raw["questions"] = [q for q in raw["questions"] if q["id"] != "HOURS"]
    return parse_template(raw, source="test")


async def sync(
    sessions: SessionFactory, templates: list[TemplateDefinition]
) -> list[Template]:
    async with sessions() as session, session.begin():
        return await sync_templates(session, templates=templates)


async def stored_versions(sessions: SessionFactory) -> list[tuple[str, int]]:
    async with sessions() as session:
        rows = await session.exec(select(Template.key, Template.version))
        return sorted(rows.all())


async def question_texts(
    sessions: SessionFactory, template_id: uuid.UUID
) -> list[tuple[int, str, str]]:
    async with sessions() as session:
        rows = await session.exec(
            select(
                TemplateQuestion.position, TemplateQuestion.key, TemplateQuestion.text
            )
            .where(TemplateQuestion.template_id == template_id)
            .order_by(col(TemplateQuestion.position))
        )
        return list(rows.all())


async def question_count(sessions: SessionFactory) -> int:
    async with sessions() as session:
        return (
            await session.exec(select(func.count()).select_from(TemplateQuestion))
        ).one()


async def test_each_version_is_stored_once_with_its_questions_in_order(
    sessions: SessionFactory,
) -> None:
    [template] = await sync(sessions, [small()])
    assert (template.key, template.version, template.title) == (
        "small-check",
        1,
        "Small check",
    )
    assert await question_texts(sessions, template.id) == [
        (1, "Q1", "My workload is manageable."),
        (2, "HOURS", "Hours over contract last week?"),
        (3, "BULLIED", "Have you been bullied?"),
        (4, "WHO", "Who from?"),
        (5, "NPS", "Recommend us?"),
        (6, "TX1", "One change?"),
    ]
    async with sessions() as session:
        definition = await template_definition(session, template_id=template.id)
    assert definition == small()


async def test_syncing_again_changes_nothing(sessions: SessionFactory) -> None:
    first = await sync(sessions, [small()])
    again = await sync(sessions, [small(), small()])
    assert [t.id for t in again] == [first[0].id, first[0].id]
    assert await stored_versions(sessions) == [("small-check", 1)]
    assert await question_count(sessions) == 6


async def test_the_shipped_banks_sync_once(sessions: SessionFactory) -> None:
    banks = load_all()
    await sync(sessions, banks)
    stored = await stored_versions(sessions)
    assert stored == sorted((bank.key, bank.version) for bank in banks)
    assert {key for key, _ in stored} == {
        "social-worker-health-check",
        "wider-workforce-health-check",
        "pulse-check",
        "briefing-feedback",
    }
    questions = await question_count(sessions)
    assert questions == sum(len(bank.questions) for bank in banks)
    await sync(sessions, load_all())
    assert await stored_versions(sessions) == stored
    assert await question_count(sessions) == questions


async def test_an_edited_version_is_refused_and_says_to_bump_the_version(
    sessions: SessionFactory,
) -> None:
    [original] = await sync(sessions, [small()])
    edited = reworded(version=1)
    other = small(key="other-check")
    # The refusal is caught inside a transaction that then commits, so anything
    # written before it would be stored and seen.
    async with sessions() as session, session.begin():
        with pytest.raises(QuestionBankError) as refused:
            await sync_templates(session, templates=[other, edited])
    assert refused.value.problems == [
        "small-check: version 1 is already in use with different questions; "
        "bump `version` to change it"
    ]
    assert await stored_versions(sessions) == [("small-check", 1)]
    texts = await question_texts(sessions, original.id)
    assert texts[0] == (1, "Q1", "My workload is manageable.")


async def test_one_version_given_twice_with_different_questions_is_refused(
    sessions: SessionFactory,
) -> None:
    with pytest.raises(QuestionBankError, match="bump `version`"):
        await sync(sessions, [small(), reworded(version=1)])
    assert await stored_versions(sessions) == []


async def test_latest_template_is_the_highest_version(
    sessions: SessionFactory,
) -> None:
    await sync(sessions, [small(1), small(10, title="Small check ten"), small(2)])
    async with sessions() as session:
        latest = await latest_template(session, key="small-check")
    assert (latest.version, latest.title) == (10, "Small check ten")


async def test_latest_template_names_the_templates_there_are(
    sessions: SessionFactory,
) -> None:
    async with sessions() as session:
        with pytest.raises(NotFoundError) as empty:
            await latest_template(session, key="small-check")
    assert str(empty.value) == (
        "There is no template 'small-check'. Templates: none yet."
    )
    await sync(sessions, [small(), small(2), small(key="other-check")])
    async with sessions() as session:
        with pytest.raises(NotFoundError) as unknown:
            await latest_template(session, key="smal-check")
    assert str(unknown.value) == (
        "There is no template 'smal-check'. Templates: other-check, small-check."
    )


async def test_a_new_version_leaves_earlier_campaigns_on_their_questions(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await sync(sessions, [reworded(version=2)])
    async with sessions() as session, session.begin():
        newer = await create_campaign(
            session,
            organisation_id=org.organisation.id,
            template_key="small-check",
            name="Small check 2027",
            year=2027,
            audience=Audience(),
        )
        await open_campaign(session, campaign=newer, now=NOW)
    async with sessions() as session:
        before = await template_definition(
            session, template_id=org.campaign.template_id
        )
        after = await template_definition(session, template_id=newer.template_id)
    assert before.question("Q1").text == "My workload is manageable."
    assert after.question("Q1").text == "I can manage my caseload in my working hours."
    assert [q.id for q in before.questions] == [
        "Q1",
        "HOURS",
        "BULLIED",
        "WHO",
        "NPS",
        "TX1",
    ]
    assert "HOURS" not in [q.id for q in after.questions]

    # Answers are still checked against the questions each campaign asked.
    person = org.people[0]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            state=DraftState(answers=full_answers()),
            now=NOW,
        )
    async with sessions() as session:
        kept = await load_draft(
            session, secret=SECRET, person=person, campaign=org.campaign
        )
    assert kept.answers["HOURS"] == 4
    with pytest.raises(AnswerError, match="'HOURS' is not a question in this survey"):
        async with sessions() as session, session.begin():
            await save_draft(
                session,
                secret=SECRET,
                person=person,
                campaign=newer,
                state=DraftState(answers=full_answers()),
                now=NOW,
            )
