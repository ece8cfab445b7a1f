"""Personal one-time links into the local web channel, for staff without chat."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from survey.models.columns import UTCDateTime, new_id, utcnow


class PersonalLink(SQLModel, table=True):
    """A one-time link naming a person; only a hash of its token is stored.

    Whoever holds the raw token can sign in once as the person, so the database
    keeps ``sha256(token)`` and a leaked table cannot be turned back into links.
    """

    __tablename__ = "personal_link"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True)
    campaign_id: uuid.UUID | None = Field(default=None, foreign_key="campaign.id")
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
