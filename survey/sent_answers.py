"""Sent answers that may still be changed: a short survey's grace period.

Sending a short survey marks the participation finished and the draft sent. The
draft stays, keyed as before by an HMAC of person and campaign, and its owner may
change it until :data:`EDIT_GRACE` has passed or the survey closes. Only then is
it sealed into the response pool (:mod:`survey.response_pool`) and deleted, by a
job that seals every sent draft of the campaign whose grace has ended, or by the
close. So an edit changes the one draft, never adds a second response, and the
pool entry is never written in the transaction that changed the participation.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.anonymity import draft_key
from survey.delivery.job_kinds import handles_with_secret
from survey.delivery.jobs import schedule_job
from survey.models import (
    Campaign,
    Draft,
    Participation,
    ParticipationStatus,
    Person,
)
from survey.models.columns import new_id
from survey.questions.sets import campaign_definition
from survey.response_pool import add_to_pool
from survey.response_rows import response_record

SHORT_SURVEY = 10
"""A survey of at most this many questions ends with Send on its last question,
and its answers can be changed for :data:`EDIT_GRACE` after."""
EDIT_GRACE = timedelta(minutes=15)
"""How long sent answers to a short survey can be changed (never past the close)."""
SEAL_JOB = "seal_sent_answers"

_DRAFTS: Table = Draft.__table__  # type: ignore[attr-defined]


def editable_until(sent_at: datetime | None) -> datetime | None:
    """When a draft sent at ``sent_at`` stops being editable (``None``: not sent)."""
    return None if sent_at is None else sent_at + EDIT_GRACE


def still_editable(sent_at: datetime | None, *, now: datetime) -> bool:
    """Whether a draft was sent (at ``sent_at``) and its grace has not ended."""
    until = editable_until(sent_at)
    return until is not None and now < until


async def mark_sent(
    session: AsyncSession, *, campaign: Campaign, key: str, now: datetime
) -> None:
    """Mark the draft sent, in the caller's (the submit's) transaction.

    The job that seals it runs when the grace period ends; its key is random and
    its payload names only the campaign, so it says nothing about who sent.
    """
    await session.exec(update(_DRAFTS).where(_DRAFTS.c.key == key).values(sent_at=now))
    await schedule_job(
        session,
        kind=SEAL_JOB,
        dedupe_key=f"{SEAL_JOB}:{campaign.id}:{new_id()}",
        run_at=now + EDIT_GRACE,
        payload={"campaign_id": str(campaign.id)},
        organisation_id=campaign.organisation_id,
    )


async def seal_sent_answers(
    session: AsyncSession,
    *,
    secret: bytes,
    campaign: Campaign,
    now: datetime,
    closing: bool,
) -> int:
    """Seal sent drafts whose grace has ended (all of them when ``closing``).

    Each becomes one entry in the response pool and its draft is deleted, in the
    caller's transaction. The person is found again from the draft's key, as the
    draft itself allows, only to copy the groups their invitation was frozen in.

    Returns:
        How many drafts were sealed.
    """
    query = (
        select(Draft)
        .where(col(Draft.campaign_id) == campaign.id, col(Draft.sent_at).is_not(None))
        .with_for_update()
    )
    if not closing:
        query = query.where(col(Draft.sent_at) <= now - EDIT_GRACE)
    drafts = (await session.exec(query)).all()
    if not drafts:
        return 0
    finished = (
        await session.exec(
            select(Participation).where(
                col(Participation.campaign_id) == campaign.id,
                col(Participation.status) == ParticipationStatus.COMPLETED,
            )
        )
    ).all()
    by_key = {
        draft_key(secret, person_id=row.person_id, campaign_id=campaign.id): row
        for row in finished
    }
    sealed = 0
    for draft in drafts:
        participation = by_key.get(draft.key)
        person = (
            await session.get(Person, participation.person_id)
            if participation is not None
            else None
        )
        if participation is None or person is None or draft.sent_at is None:
            continue
        definition = await campaign_definition(
            session, campaign=campaign, participation=participation
        )
        record = await response_record(
            session,
            definition=definition,
            person=person,
            campaign=campaign,
            answers=dict(draft.answers),
            now=draft.sent_at,
        )
        await add_to_pool(
            session, secret=secret, campaign=campaign, record=record, now=now
        )
        await session.delete(draft)
        sealed += 1
    await session.flush()
    return sealed


@handles_with_secret(SEAL_JOB)
async def _seal(
    session: AsyncSession, payload: dict[str, Any], now: datetime, secret: bytes
) -> None:
    campaign = await session.get(Campaign, uuid.UUID(payload["campaign_id"]))
    if campaign is not None:
        await seal_sent_answers(
            session, secret=secret, campaign=campaign, now=now, closing=False
        )
