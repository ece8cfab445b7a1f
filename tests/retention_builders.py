"""A two-team organisation two years on: an old closed round, an open one, drafts.

The purge runs at ``PURGE_AT`` with 24 months' retention, so the cutoff is
``CUTOFF`` (2 March 2026, 10:30 UTC): answers submitted on 1 March 2026 lose
their comment, those on 2 March keep it; a draft saved a second before the
cutoff goes, one saved at the cutoff stays.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from builders import NOW, SECRET, answer_as, full_answers, org_with_teams
from sqlalchemy import update
from sqlmodel import col, select

from survey.answering import DraftState, save_draft
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.models import (
    Answer,
    AuditEvent,
    Campaign,
    Comment,
    Draft,
    Job,
    Organisation,
    Participation,
    ParticipationTally,
    Person,
    Response,
)
from survey.response_pool import drain_pool

PURGE_AT = datetime(2028, 3, 2, 10, 30, tzinfo=UTC)
MONTHS = 24
CUTOFF = datetime(2026, 3, 2, 10, 30, tzinfo=UTC)
TABLES: tuple[type[Any], ...] = (
    Response,
    Answer,
    Comment,
    Draft,
    Participation,
    ParticipationTally,
    AuditEvent,
)


@dataclass
class RetentionOrg:
    """What :func:`retention_org` made."""

    organisation: Organisation
    old: Campaign
    current: Campaign
    people: dict[str, list[Person]]
    old_comments: set[uuid.UUID]
    kept_comments: set[uuid.UUID]


async def retention_org(sessions: SessionFactory) -> RetentionOrg:
    """Build the organisation of this module's docstring.

    The old round ("Teams check 2026") invited 11 (6 in Team A, 5 in Team B):
    5 answered with a comment (2 on 1 March, 3 on 2 March) and 2 saved a draft
    without submitting. It closed on 20 March 2026. The current round
    ("Teams check 2028") is open with everyone invited and one answer.
    """
    organisation, old, people, _ = await org_with_teams(
        sessions, teams={"Team A": ("Adults", 6), "Team B": ("Children", 5)}
    )
    everyone_ = people["Team A"] + people["Team B"]
    for person in people["Team A"][:3] + people["Team B"][:2]:
        await answer_as(sessions, person, old, full_answers())
    for person in (people["Team A"][5], people["Team B"][4]):
        async with sessions() as session, session.begin():
            await save_draft(
                session,
                secret=SECRET,
                person=person,
                campaign=old,
                state=DraftState(answers={"Q1": "agree"}),  # type: ignore[arg-type]
                now=NOW,
            )
    async with sessions() as session, session.begin():
        fresh = await session.get(Campaign, old.id)
        assert fresh is not None
        # The close writes the round's five sealed responses.
        await close_campaign(
            session,
            campaign=fresh,
            now=datetime(2026, 3, 20, tzinfo=UTC),
            secret=SECRET,
        )
    async with sessions() as session, session.begin():
        responses = (
            await session.exec(
                select(Response.id)
                .where(Response.campaign_id == old.id)
                .order_by(col(Response.id))
            )
        ).all()
        early = list(responses[:2])
        await session.exec(
            update(Response)
            .where(col(Response.id).in_(early))
            .values(submitted_on=date(2026, 3, 1))
        )
        await session.exec(
            update(Response)
            .where(col(Response.id).in_(list(responses[2:])))
            .values(submitted_on=date(2026, 3, 2))
        )
        drafts = (await session.exec(select(Draft).order_by(col(Draft.key)))).all()
        assert len(drafts) == 2
        drafts[0].updated_at = CUTOFF - timedelta(seconds=1)
        drafts[1].updated_at = CUTOFF
        session.add_all(drafts)
        current = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key="small-check",
            name="Teams check 2028",
            year=2028,
            audience=Audience(),
        )
        await open_campaign(session, campaign=current, now=PURGE_AT - timedelta(days=3))
    await answer_as(sessions, everyone_[0], current, full_answers())
    async with sessions() as session, session.begin():
        # Stands in for a batch of the open round being written: these tests
        # need one stored response of it (in use, one waits in the pool until
        # four more arrive or the round closes).
        await drain_pool(session, secret=SECRET, campaign=current, closing=True)
        await session.exec(
            update(Response)
            .where(col(Response.campaign_id) == current.id)
            .values(submitted_on=PURGE_AT.date())
        )
    comments = await comment_ids(sessions)
    async with sessions() as session:
        old_ids = set(
            (
                await session.exec(
                    select(Comment.id).where(col(Comment.response_id).in_(early))
                )
            ).all()
        )
    assert len(old_ids) == 2
    assert len(comments) == 6
    return RetentionOrg(organisation, old, current, people, old_ids, comments - old_ids)


async def comment_ids(sessions: SessionFactory) -> set[uuid.UUID]:
    """Every comment's id."""
    async with sessions() as session:
        return set((await session.exec(select(Comment.id))).all())


MODEL_READING = {"sentiment", "sentiment_confidence", "analysed_by"}


async def snapshot(sessions: SessionFactory) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables a purge may touch, as sorted tuples."""
    taken: dict[str, list[tuple[Any, ...]]] = {}
    async with sessions() as session:
        for table in TABLES:
            rows = (await session.exec(select(table))).all()
            # The comment model's reading is written by the worker's own job, not
            # by a purge: compare what a purge may remove.
            taken[table.__name__] = sorted(
                (
                    tuple(sorted(row.model_dump(exclude=MODEL_READING).items()))
                    for row in rows
                ),
                key=repr,
            )
    return taken


async def pending_reminder(sessions: SessionFactory, campaign: Campaign) -> None:
    """A reminder of ``campaign`` still waiting in the job table."""
    from survey.delivery.jobs import schedule_job

    async with sessions() as session, session.begin():
        await schedule_job(
            session,
            kind="campaign.remind",
            dedupe_key=f"campaign:{campaign.id}:remind:3:test",
            run_at=PURGE_AT + timedelta(days=1),
            payload={"campaign_id": str(campaign.id), "day": 3},
            organisation_id=campaign.organisation_id,
        )


async def jobs_named(sessions: SessionFactory, kind: str) -> list[Job]:
    """Jobs of a kind, by key."""
    async with sessions() as session:
        rows = await session.exec(
            select(Job).where(Job.kind == kind).order_by(col(Job.dedupe_key))
        )
        return list(rows.all())
