"""Feedback surveys for a briefing or an event, from the shipped template.

A feedback survey is an ordinary campaign of ``briefing-feedback`` (one 1-5
rating and an optional comment), so its answers are anonymous and its results
suppressed like any other survey's. It is created as a draft with the briefing
and opened, for two weeks, when the briefing is posted.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.campaigns import audience_people, create_campaign, open_campaign
from survey.delivery.jobs import schedule_job
from survey.errors import CampaignStateError, NotFoundError
from survey.follow_up.announcements import AnnouncementError, Reach
from survey.models import Campaign, CampaignStatus
from survey.questions.bank import BANK_DIR, load_template
from survey.questions.catalogue import latest_template, sync_templates
from survey.schedule.plans import CLOSE

FEEDBACK_TEMPLATE = "briefing-feedback"
FEEDBACK_DAYS = 14
PREFIX = "Feedback: "
# The campaign table's name column.
CAMPAIGN_NAME_LIMIT = 120


async def create_feedback_campaign(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    title: str,
    reach: Reach,
    when: datetime,
) -> Campaign:
    """A draft feedback survey for the people ``reach`` covers.

    It is named "Feedback: <title>", with the date (and then a number) added if a
    survey of that name exists.

    Raises:
        AnnouncementError: nobody active would be asked.
    """
    await _store_template(session)
    people = await audience_people(
        session, organisation_id=organisation_id, audience=reach.campaign_audience()
    )
    if not people:
        raise AnnouncementError(
            "Nobody active on the roster could be asked for feedback, so no "
            "feedback survey can be opened."
        )
    return await create_campaign(
        session,
        organisation_id=organisation_id,
        template_key=FEEDBACK_TEMPLATE,
        name=await _free_name(
            session, organisation_id=organisation_id, title=title, when=when
        ),
        year=when.year,
        audience=reach.campaign_audience(),
    )


async def open_feedback_campaign(
    session: AsyncSession, *, campaign_id: uuid.UUID, now: datetime
) -> Campaign | None:
    """Open a draft feedback survey for two weeks and queue its close.

    Safe to repeat. Returns the open survey, or None if it cannot be answered
    (everyone in its audience left before the briefing went out, or it closed).
    """
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None:
        return None
    if campaign.status == CampaignStatus.DRAFT:
        closes_at = now + timedelta(days=FEEDBACK_DAYS)
        campaign.closes_at = closes_at
        try:
            await open_campaign(session, campaign=campaign, now=now)
        except CampaignStateError:
            return None
        await schedule_job(
            session,
            kind=CLOSE,
            dedupe_key=f"campaign:{campaign.id}:close:feedback",
            run_at=closes_at,
            payload={"campaign_id": str(campaign.id)},
            organisation_id=campaign.organisation_id,
        )
    return campaign if campaign.status == CampaignStatus.OPEN else None


async def _store_template(session: AsyncSession) -> None:
    """Store the shipped feedback template if this database does not have it yet."""
    try:
        await latest_template(session, key=FEEDBACK_TEMPLATE)
    except NotFoundError:
        definition = load_template(BANK_DIR / f"{FEEDBACK_TEMPLATE}.yaml")
        await sync_templates(session, templates=[definition])


async def _free_name(
    session: AsyncSession, *, organisation_id: uuid.UUID, title: str, when: datetime
) -> str:
    """A campaign name from the title, made unique with the date, then a number."""
    room = CAMPAIGN_NAME_LIMIT - len(PREFIX) - len(" (30 Sep 2026) (99)")
    short = title if len(title) <= room else title[: room - 1].rstrip() + "…"
    base = PREFIX + short
    dated = f"{base} ({when:%-d %b %Y})"
    candidates = [base, dated, *(f"{dated} ({n})" for n in range(2, 100))]
    taken = set(
        (
            await session.exec(
                select(func.lower(Campaign.name)).where(
                    Campaign.organisation_id == organisation_id
                )
            )
        ).all()
    )
    for candidate in candidates:
        if candidate.lower() not in taken:
            return candidate
    raise AnnouncementError("Too many feedback surveys share this title; change it.")
