"""Retention: free text and drafts go after N months, participation after a campaign.

What goes:

* comments (free-text answers) whose response was submitted before the cutoff,
  N calendar months before now; a comment submitted on the cutoff date stays;
* drafts last saved before the cutoff, and every draft of a campaign whose
  participation goes (a closed campaign's draft can never be sent, and its key
  would tell anyone holding the server secret who started but did not finish);
* the participation rows of a campaign that is closed, has no job of its plan
  still to run (no reminder or nudge due) and closed longer ago than the
  organisation's longest pulse cool-down (pulses leave out people who were in a
  recent health check, and learn who from these rows). They are first counted
  into :class:`~survey.models.ParticipationTally` rows per group (frozen
  attributes, small groups merged upward) and status, so response rates
  survive; the campaign's personal messages (invitations, reminders, nudges,
  "you said, we did" notes) go with them, from the outbox, the local channel's
  delivery rows and the chat platforms' delivery receipts.

Responses and closed answers stay: they are anonymous, and year-on-year
comparison needs them. ``months`` None keeps comments and drafts for good.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from survey.audit import record_event
from survey.delivery.queue import PENDING, RUNNING
from survey.errors import RetentionError
from survey.models import (
    Campaign,
    CampaignStatus,
    Comment,
    Draft,
    Job,
    Organisation,
    Participation,
    ParticipationTally,
    PulseSchedule,
    Response,
)
from survey.retention.messages import personal_messages, remove_personal_messages
from survey.retention.tallies import tally_and_remove

PURGED = "retention.purged"
MAX_MONTHS = 1200


@dataclass(frozen=True)
class CampaignParticipation:
    """One campaign whose participation rows go (or went), and how many."""

    campaign_id: uuid.UUID
    name: str
    records: int


@dataclass(frozen=True)
class PurgePlan:
    """What a purge removes (or removed) from one organisation.

    Attributes:
        organisation_id: Whose data.
        months: The retention period; None keeps comments and drafts.
        cutoff: Comments submitted before this date and drafts saved before
            this moment go; None when ``months`` is None.
        comments: How many comments.
        drafts: How many drafts.
        participation: The campaigns whose participation rows go, by name.
        messages: Personal messages about those campaigns.
        minimum: The organisation's minimum group size; no participation
            tally is smaller.
    """

    organisation_id: uuid.UUID
    months: int | None
    cutoff: datetime | None
    comments: int
    drafts: int
    participation: tuple[CampaignParticipation, ...]
    messages: int = 0
    minimum: int = 5

    @property
    def participation_records(self) -> int:
        """Participation rows in all."""
        return sum(campaign.records for campaign in self.participation)

    @property
    def empty(self) -> bool:
        """Whether there is nothing to remove."""
        return not (
            self.comments or self.drafts or self.participation_records or self.messages
        )

    def describe(self) -> str:
        """The counts in one line, for the audit log (no names of people)."""
        words = f"comments: {self.comments}, drafts: {self.drafts}, "
        words += f"participation records: {self.participation_records}"
        if self.participation:
            words += " (" + ", ".join(c.name for c in self.participation) + ")"
        if self.messages:
            words += f", personal messages: {self.messages}"
        if self.cutoff is not None:
            words += f"; older than {self.months} months: before {self.cutoff:%Y-%m-%d}"
        return words


def check_months(months: int | None) -> int | None:
    """The retention period if usable.

    Raises:
        RetentionError: not a whole number from 1 to 1200.
    """
    if months is None:
        return None
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise RetentionError(
            "The retention period must be a whole number of months, 1 or more "
            f"(got {months!r})."
        )
    if months > MAX_MONTHS:
        raise RetentionError(
            f"The retention period must be at most {MAX_MONTHS} months (got {months})."
        )
    return months


def months_before(moment: datetime, months: int) -> datetime:
    """The same time ``months`` calendar months earlier (31 March - 1: 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


async def plan_purge(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    now: datetime,
    months: int | None,
) -> PurgePlan:
    """Count what a purge at ``now`` would remove; changes nothing.

    Raises:
        RetentionError: a retention period that cannot be used.
    """
    months = check_months(months)
    cutoff = months_before(now, months) if months is not None else None
    comments = 0
    if cutoff is not None:
        comments = (
            await session.exec(
                select(func.count())
                .select_from(Comment)
                .where(
                    col(Comment.response_id).in_(
                        _old_responses(organisation_id, cutoff.date())
                    )
                )
            )
        ).one()
    participation = await _finished_campaigns(
        session, organisation_id=organisation_id, now=now
    )
    drafts = (
        await session.exec(
            select(func.count())
            .select_from(Draft)
            .where(_old_drafts(organisation_id, cutoff, participation))
        )
    ).one()
    messages = await personal_messages(
        session, campaigns=await _campaigns(session, organisation_id, participation)
    )
    organisation = await session.get(Organisation, organisation_id)
    minimum = organisation.min_group_size if organisation else PurgePlan.minimum
    return PurgePlan(
        organisation_id,
        months,
        cutoff,
        comments,
        drafts,
        participation,
        messages.count,
        minimum,
    )


async def purge(
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    now: datetime,
    months: int | None,
    actor: str,
    channel: str,
) -> PurgePlan:
    """Remove what :func:`plan_purge` counts, in the caller's transaction.

    Participation rows become tallies first. When anything was removed, an
    audit event ``retention.purged`` records the counts. A second run at the
    same moment removes nothing.

    Args:
        session: The caller's session; everything commits or nothing does.
        organisation_id: Whose data.
        now: The moment the retention period counts back from.
        months: The retention period; None keeps comments and drafts.
        actor: Who purged, as the audit log shows it.
        channel: From where: ``cli`` or ``worker``.

    Returns:
        What was removed.

    Raises:
        RetentionError: a retention period that cannot be used.
    """
    plan = await plan_purge(
        session, organisation_id=organisation_id, now=now, months=months
    )
    comments = 0
    if plan.cutoff is not None:
        old = _old_responses(organisation_id, plan.cutoff.date())
        comments = (
            await session.exec(delete(Comment).where(col(Comment.response_id).in_(old)))
        ).rowcount
    drafts = (
        await session.exec(
            delete(Draft).where(
                _old_drafts(organisation_id, plan.cutoff, plan.participation)
            )
        )
    ).rowcount
    messages = await remove_personal_messages(
        session,
        campaigns=await _campaigns(session, organisation_id, plan.participation),
    )
    removed = []
    for campaign in plan.participation:
        records = await tally_and_remove(session, campaign_id=campaign.campaign_id)
        if records:
            removed.append(
                CampaignParticipation(campaign.campaign_id, campaign.name, records)
            )
    done = PurgePlan(
        organisation_id,
        plan.months,
        plan.cutoff,
        comments,
        drafts,
        tuple(removed),
        messages,
        plan.minimum,
    )
    if not done.empty:
        await record_event(
            session,
            organisation_id=organisation_id,
            actor=actor,
            channel=channel,
            action=PURGED,
            subject=done.describe(),
        )
    await session.flush()
    return done


async def _campaigns(
    session: AsyncSession,
    organisation_id: uuid.UUID,
    participation: tuple[CampaignParticipation, ...],
) -> list[Campaign]:
    """The campaigns whose participation goes now or went at an earlier purge.

    Earlier ones are included so that their personal messages go too (those
    purged before messages were removed, or queued since).
    """
    ids = [campaign.campaign_id for campaign in participation]
    tallied = select(ParticipationTally.campaign_id)
    rows = await session.exec(
        select(Campaign).where(
            col(Campaign.organisation_id) == organisation_id,
            or_(col(Campaign.id).in_(ids), col(Campaign.id).in_(tallied)),
        )
    )
    return list(rows.all())


def _old_responses(
    organisation_id: uuid.UUID, before: date
) -> SelectOfScalar[uuid.UUID]:
    """The organisation's responses submitted before ``before``, as a subquery."""
    return (
        select(Response.id)
        .join(Campaign, col(Campaign.id) == col(Response.campaign_id))
        .where(
            col(Campaign.organisation_id) == organisation_id,
            col(Response.submitted_on) < before,
        )
    )


def _old_drafts(
    organisation_id: uuid.UUID,
    before: datetime | None,
    participation: tuple[CampaignParticipation, ...],
) -> ColumnElement[bool]:
    """The organisation's drafts saved before ``before``, or of these campaigns."""
    campaigns = select(Campaign.id).where(
        col(Campaign.organisation_id) == organisation_id
    )
    finished = [campaign.campaign_id for campaign in participation]
    ended = col(Draft.campaign_id).in_(finished)
    if before is None:
        return ended
    old = and_(col(Draft.campaign_id).in_(campaigns), col(Draft.updated_at) < before)
    return or_(old, ended)


async def _finished_campaigns(
    session: AsyncSession, *, organisation_id: uuid.UUID, now: datetime
) -> tuple[CampaignParticipation, ...]:
    """Closed campaigns past every reminder and the pulse cool-down, with rows."""
    cooldown = (
        await session.exec(
            select(func.max(PulseSchedule.cooldown_days)).where(
                col(PulseSchedule.organisation_id) == organisation_id,
                col(PulseSchedule.active),
            )
        )
    ).one() or 0
    closed_before = now - timedelta(days=cooldown)
    rows = await session.exec(
        select(Campaign.id, Campaign.name, Campaign.closes_at, func.count())
        .join(Participation, col(Participation.campaign_id) == col(Campaign.id))
        .where(
            col(Campaign.organisation_id) == organisation_id,
            col(Campaign.status) == CampaignStatus.CLOSED,
        )
        .group_by(col(Campaign.id), col(Campaign.name), col(Campaign.closes_at))
        .order_by(col(Campaign.name))
    )
    candidates = [
        CampaignParticipation(campaign_id, name, records)
        for campaign_id, name, closes_at, records in rows.all()
        if closes_at is None or closes_at <= closed_before
    ]
    if not candidates:
        return ()
    waiting = set(
        (
            await session.exec(
                select(Job.dedupe_key).where(
                    col(Job.status).in_((PENDING, RUNNING)),
                    col(Job.dedupe_key).startswith("campaign:"),
                )
            )
        ).all()
    )
    still_due = {key.split(":")[1] for key in waiting}
    return tuple(c for c in candidates if str(c.campaign_id) not in still_due)
