"""The worker's comment-model job: read newly stored comments once, keep the result.

``survey.comment_queue`` queues a job whenever comments are stored; this handler
(registered when the worker imports this module) reads every comment of the campaign
without a stored reading, in chunks, and stores the model's sentiment on the comment.
Reports then read the stored result (``analytics.comment_themes``) and never wait
on the model; comments not yet read fall back to the rule engine. Without the model
extra the job does nothing and the rules read every comment.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any, Final

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.comments.encoder import model_file
from analytics.comments.model import load_sentiment_model
from survey.comment_queue import ANALYSE_COMMENTS, queue_comment_analysis
from survey.delivery.job_kinds import handles
from survey.models import Campaign, Comment, Response

# Comments read per job: about 200 a second on one core, well inside a job's lease.
CHUNK: Final = 500


async def analyse_stored_comments(
    session: AsyncSession, *, campaign_id: uuid.UUID, limit: int = CHUNK
) -> tuple[int, bool]:
    """Read up to ``limit`` of a campaign's unread comments with the model.

    Args:
        session: The caller's session (the results are part of its transaction).
        campaign_id: The campaign.
        limit: The most comments read in this call.

    Returns:
        How many comments were read, and whether unread ones remain. (0, False)
        without the model extra.
    """
    model = load_sentiment_model()
    if model is None:
        return 0, False
    unread = (
        await session.exec(
            select(Comment)
            .join(Response, col(Response.id) == col(Comment.response_id))
            .where(
                col(Response.campaign_id) == campaign_id,
                col(Comment.analysed_by).is_(None),
            )
            .order_by(col(Comment.id))
            .limit(limit + 1)
        )
    ).all()
    chosen = list(unread[:limit])
    readings = await asyncio.to_thread(model.read, [c.text for c in chosen])
    for comment, reading in zip(chosen, readings, strict=True):
        comment.sentiment = reading.sentiment.value
        comment.sentiment_confidence = round(reading.confidence, 4)
        comment.analysed_by = model.name
        session.add(comment)
    await session.flush()
    return len(chosen), len(unread) > limit


async def queue_unread_campaigns(session: AsyncSession, *, now: datetime) -> int:
    """Queue a model job for each campaign with comments the model has not read.

    Called when a worker starts, so comments stored before the model was installed
    (or before database revision ``0014_comment_analysis``) are read too.

    Args:
        session: The caller's session.
        now: When the jobs may run.

    Returns:
        How many jobs were queued (none without the model extra).
    """
    if model_file() is None:
        return 0
    campaigns = (
        await session.exec(
            select(Campaign.id, Campaign.organisation_id)
            .where(
                col(Campaign.id).in_(
                    select(Response.campaign_id)
                    .join(Comment, col(Comment.response_id) == col(Response.id))
                    .where(col(Comment.analysed_by).is_(None))
                )
            )
            .order_by(col(Campaign.id))
        )
    ).all()
    for campaign_id, organisation_id in campaigns:
        await queue_comment_analysis(
            session, campaign_id=campaign_id, organisation_id=organisation_id, now=now
        )
    return len(campaigns)


@handles(ANALYSE_COMMENTS)
async def _analyse_comments(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    campaign_id = uuid.UUID(payload["campaign_id"])
    _, more = await analyse_stored_comments(session, campaign_id=campaign_id)
    if more:
        campaign = await session.get(Campaign, campaign_id)
        await queue_comment_analysis(
            session,
            campaign_id=campaign_id,
            organisation_id=campaign.organisation_id if campaign else None,
            now=now,
        )
