"""Queueing stored comments for the comment model, which the worker runs.

The job names only the campaign, never a response or a comment: the worker reads
every comment of the campaign that has no stored reading yet (see
``analytics.comment_jobs``), so a job cannot date one person's comment.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Final

from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.jobs import schedule_job
from survey.models.columns import new_id

ANALYSE_COMMENTS: Final = "comments.analyse"


async def queue_comment_analysis(
    session: AsyncSession,
    *,
    campaign_id: uuid.UUID,
    organisation_id: uuid.UUID | None,
    now: datetime,
) -> None:
    """Ask the worker to read a campaign's newly stored comments with the model.

    Args:
        session: The caller's session (the job is part of its transaction).
        campaign_id: The campaign whose comments were stored.
        organisation_id: Its organisation.
        now: When the job may run (at once).
    """
    await schedule_job(
        session,
        kind=ANALYSE_COMMENTS,
        dedupe_key=f"{ANALYSE_COMMENTS}:{campaign_id}:{new_id()}",
        run_at=now,
        payload={"campaign_id": str(campaign_id)},
        organisation_id=organisation_id,
    )
