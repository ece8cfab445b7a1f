"""Sent answers to a short survey: editable for a grace period, then sealed once.

Proved on the real tables: a send leaves the draft (marked sent) and no pool
entry; the job at the end of the grace period, or the close, seals it into the
pool exactly once; results count it once.
"""

from __future__ import annotations

from typing import Any

import pytest
from builders import NOW, SECRET, full_answers, small_org
from plan_builders import run_due
from sqlmodel import col, func, select

from survey.anonymity import draft_key
from survey.answering import DraftState, save_draft, submit
from survey.campaigns import close_campaign
from survey.db import SessionFactory
from survey.errors import AlreadySubmittedError
from survey.models import (
    Answer,
    Campaign,
    Draft,
    Participation,
    Response,
    SealedResponse,
)
from survey.sent_answers import EDIT_GRACE, SEAL_JOB


async def _count(sessions: SessionFactory, model: Any) -> int:
    async with sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def _send(sessions: SessionFactory, org: Any, index: int) -> None:
    person = org.people[index]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            state=DraftState(answers=full_answers()),
            now=NOW,
        )
    async with sessions() as session, session.begin():
        await submit(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            now=NOW,
            keep_editable=True,
        )


async def test_a_send_keeps_the_draft_marked_sent_and_adds_nothing_to_the_pool(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await _send(sessions, org, 0)

    person = org.people[0]
    async with sessions() as session:
        draft = await session.get(
            Draft,
            draft_key(SECRET, person_id=person.id, campaign_id=org.campaign.id),
        )
        participation = (
            await session.exec(
                select(Participation).where(
                    col(Participation.person_id) == person.id,
                    col(Participation.campaign_id) == org.campaign.id,
                )
            )
        ).one()
    assert draft is not None
    assert draft.sent_at == NOW
    assert participation.status == "completed"
    assert participation.answered == 0
    assert await _count(sessions, SealedResponse) == 0
    assert await _count(sessions, Response) == 0
    with pytest.raises(AlreadySubmittedError):
        async with sessions() as session, session.begin():
            await submit(
                session,
                secret=SECRET,
                person=person,
                campaign=org.campaign,
                now=NOW,
                keep_editable=True,
            )


async def test_the_grace_periods_job_seals_each_sent_draft_once(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await _send(sessions, org, 0)
    await _send(sessions, org, 1)

    # Not yet: the job waits for the end of the grace period.
    assert SEAL_JOB not in await run_due(sessions, now=NOW + EDIT_GRACE / 2)
    assert await _count(sessions, SealedResponse) == 0
    ran = await run_due(sessions, now=NOW + EDIT_GRACE)
    assert ran.count(SEAL_JOB) == 2
    assert await _count(sessions, SealedResponse) == 2
    assert await _count(sessions, Draft) == 0

    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        await close_campaign(
            session, campaign=campaign, now=NOW + EDIT_GRACE * 2, secret=SECRET
        )
    assert await _count(sessions, Response) == 2
    assert await _count(sessions, SealedResponse) == 0


async def test_the_close_seals_sent_answers_still_in_their_grace_period(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await _send(sessions, org, 0)

    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        await close_campaign(
            session, campaign=campaign, now=NOW + EDIT_GRACE / 3, secret=SECRET
        )

    assert await _count(sessions, Response) == 1
    assert await _count(sessions, Draft) == 0
    assert await _count(sessions, SealedResponse) == 0
    async with sessions() as session:
        stored = (await session.exec(select(Response))).one()
        answers = (
            await session.exec(
                select(Answer).where(col(Answer.response_id) == stored.id)
            )
        ).all()
    assert stored.submitted_on == NOW.date()
    assert {row.question_key for row in answers} >= {"Q1", "HOURS", "NPS"}
    # The job that was waiting finds nothing left to seal.
    assert (await run_due(sessions, now=NOW + EDIT_GRACE)).count(SEAL_JOB) == 1
    assert await _count(sessions, Response) == 1
