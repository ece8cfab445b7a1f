"""Closing the loop: "you said, we did" actions and announcements."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from survey.models.columns import UTCDateTime, new_id, utcnow


class Action(SQLModel, table=True):
    """Something the organisation is doing about what staff said."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    campaign_id: uuid.UUID | None = Field(default=None, foreign_key="campaign.id")
    theme: str = Field(max_length=40)
    question_key: str | None = Field(default=None, max_length=20)
    you_said: str = Field(max_length=1000)
    we_did: str = Field(max_length=2000)
    owner: str = Field(max_length=200)
    due_on: date | None = None
    status: str = Field(default="planned", max_length=20)
    status_reason: str | None = Field(default=None, max_length=1000)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class Announcement(SQLModel, table=True):
    """A briefing or "you said, we did" post to the workforce."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    kind: str = Field(max_length=20)
    title: str = Field(max_length=150)
    body: str = Field(max_length=3000)
    link: str | None = Field(default=None, max_length=500)
    feedback_campaign_id: uuid.UUID | None = Field(
        default=None, foreign_key="campaign.id"
    )
    scheduled_for: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    posted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class Target(SQLModel, table=True):
    """The PSW's target percent favourable for a question, for RAG status."""

    __table_args__ = (
        UniqueConstraint("organisation_id", "template_key", "question_key"),
    )

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    template_key: str = Field(max_length=60)
    question_key: str = Field(max_length=20)
    percent: float
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
