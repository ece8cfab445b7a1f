"""Campaigns (a run of a template), who takes part, and answers in progress."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from survey.models.columns import JSONColumn, UTCDateTime, new_id, utcnow


class CampaignStatus(StrEnum):
    """Where a campaign is in its life."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class ParticipationStatus(StrEnum):
    """How far one person has got. It never says what they answered."""

    INVITED = "invited"
    STARTED = "started"
    COMPLETED = "completed"


class Campaign(SQLModel, table=True):
    """A run of a template for an audience, e.g. "Health check 2026"."""

    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    template_id: uuid.UUID = Field(foreign_key="template.id", index=True)
    name: str = Field(max_length=120)
    year: int
    status: str = Field(default=CampaignStatus.DRAFT, max_length=10)
    audience: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONColumn, nullable=False)
    )
    opens_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closes_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reminder_days: list[int] = Field(
        default_factory=list, sa_column=Column(JSONColumn, nullable=False, default=list)
    )
    pulse_schedule_id: uuid.UUID | None = Field(
        default=None, foreign_key="pulse_schedule.id"
    )
    question_keys: list[str] | None = Field(
        default=None,
        sa_column=Column(JSONColumn, nullable=True),
        description="the template questions asked (a pulse's rotation); None: all",
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class PulseSchedule(SQLModel, table=True):
    """A pulse check repeated every few weeks for an audience."""

    __tablename__ = "pulse_schedule"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=120)
    template_key: str = Field(max_length=60)
    audience: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONColumn, nullable=False)
    )
    every_weeks: int
    open_days: int = 7
    questions_per_pulse: int | None = None
    cooldown_days: int = 14
    next_run_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    runs: int = 0
    active: bool = True
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class Participation(SQLModel, table=True):
    """Who was invited and whether they finished; holds no answers and no finish time.

    It deliberately records no completion timestamp, so it cannot be lined up
    against the date on a response. The person's reporting attributes (service,
    team, role, workforce, employment type) are copied when they are invited, so
    a later roster change cannot move them between groups and reveal, by a
    changed response rate, who did not take part.
    """

    __table_args__ = (UniqueConstraint("campaign_id", "person_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", index=True)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True)
    service_id: uuid.UUID = Field(foreign_key="service.id")
    team_id: uuid.UUID = Field(foreign_key="team.id")
    role: str = Field(max_length=60)
    workforce: str = Field(max_length=30)
    employment_type: str = Field(max_length=30)
    status: str = Field(default=ParticipationStatus.INVITED, max_length=10)
    reminders_sent: int = 0
    reminders_muted: bool = False
    answered: int = Field(
        default=0,
        description=(
            "questions answered or skipped so far, counting only those asked of "
            "everyone (never follow-ups, whose presence would hint at an answer); "
            "reset to 0 on submit so it cannot be matched to the response"
        ),
    )


class ParticipationTally(SQLModel, table=True):
    """How many were invited and finished, per group, once participation is purged.

    The retention purge replaces a closed campaign's participation rows with
    these counts, so response rates survive without keeping who took part.
    Groups are the attributes frozen when each person was invited. No group is
    smaller than the organisation's minimum: small groups are merged upward
    (employment type, then role, then team, then service are left out, None),
    so a tally cannot single anyone out.
    """

    __table_args__ = (
        UniqueConstraint(
            "campaign_id",
            "service_id",
            "team_id",
            "role",
            "employment_type",
            "status",
        ),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", index=True)
    service_id: uuid.UUID | None = Field(default=None, foreign_key="service.id")
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id")
    role: str | None = Field(default=None, max_length=60)
    employment_type: str | None = Field(default=None, max_length=30)
    status: str = Field(max_length=10)
    people: int


class Draft(SQLModel, table=True):
    """Answers in progress, keyed by an HMAC of person and campaign, not by person."""

    key: str = Field(primary_key=True, max_length=64)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", index=True)
    answers: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONColumn, nullable=False)
    )
    current: str | None = Field(default=None, max_length=20)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    sent_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime, nullable=True)
    )
    """When a short survey's answers were sent: still editable for a grace period,
    sealed into the response pool when it ends (or at the close)."""
