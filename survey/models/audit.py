"""The audit log: who viewed or exported which results, never who answered what."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from survey.models.columns import UTCDateTime, new_id, utcnow


class AuditEvent(SQLModel, table=True):
    """One view or export of results, or one change to what is kept.

    It records the viewer (a person on the roster, or the operator of the
    command line) and what they looked at: a campaign, a group, a format. It
    never records a respondent, an answer or a comment.
    """

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    actor_person_id: uuid.UUID | None = Field(default=None, foreign_key="person.id")
    actor: str = Field(max_length=200)
    channel: str = Field(max_length=20)
    action: str = Field(max_length=40)
    subject: str = Field(default="", max_length=500)
