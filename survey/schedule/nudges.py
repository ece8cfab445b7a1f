"""Survey hour: protected time for a team or service to answer, with a nudge.

The PSW picks a time (say, in a briefing: "Thursday 2pm is survey hour") and the
bot nudges that group's people who have not finished, once. The job is keyed by
campaign, group and time, so planning the same survey hour twice is harmless.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.job_kinds import handles
from survey.delivery.jobs import schedule_job
from survey.errors import ScheduleError
from survey.models import Campaign, CampaignStatus, Organisation
from survey.schedule.plans import campaign_of_job, require_working_time, taking_answers
from survey.schedule.reminders import NUDGE, Messenger, unfinished_participants
from survey.schedule.working_hours import is_working_time

NUDGE_JOB = "campaign.nudge"


class GroupKind(StrEnum):
    """What kind of group a nudge goes to."""

    TEAM = "team"
    SERVICE = "service"


@dataclass(frozen=True)
class NudgeGroup:
    """The team or service a survey-hour nudge goes to."""

    kind: GroupKind
    id: uuid.UUID
    name: str


async def schedule_nudge(
    session: AsyncSession,
    *,
    campaign: Campaign,
    group: NudgeGroup,
    at: datetime,
    now: datetime,
) -> bool:
    """Plan a survey-hour nudge to a group's unfinished participants at ``at``.

    Returns:
        False if the same nudge (campaign, group, time) was already planned.

    Raises:
        ScheduleError: a closed campaign, or a time in the past, outside working
            hours, or when the campaign is not open.
    """
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    if campaign.status == CampaignStatus.CLOSED:
        raise ScheduleError(
            f"'{campaign.name}' has closed, so there is no one to nudge."
        )
    if at <= now:
        raise ScheduleError("That time is in the past.")
    if not is_working_time(at, timezone=organisation.timezone):
        raise ScheduleError(
            "Survey hour must be in working hours, Monday to Friday 09:00 to 17:00."
        )
    if campaign.status == CampaignStatus.DRAFT and campaign.opens_at is None:
        raise ScheduleError(
            f"'{campaign.name}' has no opening time yet; schedule it first."
        )
    if campaign.opens_at is not None and at < campaign.opens_at:
        raise ScheduleError(f"'{campaign.name}' does not open until after then.")
    if campaign.closes_at is not None and at >= campaign.closes_at:
        raise ScheduleError(f"'{campaign.name}' closes before then.")
    stamp = f"{at.astimezone(UTC):%Y%m%dT%H%M}"
    return await schedule_job(
        session,
        kind=NUDGE_JOB,
        dedupe_key=f"campaign:{campaign.id}:nudge:{group.kind}:{group.id}:{stamp}",
        run_at=at,
        payload={
            "campaign_id": str(campaign.id),
            "group": group.kind.value,
            "group_id": str(group.id),
            "at": stamp,
        },
        organisation_id=campaign.organisation_id,
    )


@handles(NUDGE_JOB)
async def _nudge(
    session: AsyncSession,
    payload: dict[str, Any],
    now: datetime,
    platforms: tuple[str, ...],
) -> None:
    campaign = await campaign_of_job(session, payload)
    if not taking_answers(campaign, now):
        return
    await require_working_time(session, campaign, now)
    group_id = uuid.UUID(payload["group_id"])
    in_team = payload["group"] == GroupKind.TEAM
    messenger = await Messenger.for_campaign(
        session, campaign=campaign, platforms=platforms, now=now
    )
    for person, participation in await unfinished_participants(
        session,
        campaign=campaign,
        team_id=group_id if in_team else None,
        service_id=None if in_team else group_id,
    ):
        await messenger.send(
            session,
            kind=NUDGE,
            key=f"nudge:{campaign.id}:{group_id}:{payload['at']}:{person.id}",
            person=person,
            participation=participation,
        )
