"""Sign-in sessions of the local web channel and dashboard, kept on the server."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from survey.models.columns import UTCDateTime, new_id, utcnow


class WebSession(SQLModel, table=True):
    """One browser signed in as one person; only a hash of its cookie is stored.

    The browser's cookie holds a random token; the table keeps ``sha256(token)``,
    so a copy of the table cannot be used to sign in. A session ends when its
    person signs out, when an administrator revokes it, when it has been idle
    too long, or when it reaches its absolute lifetime, whichever comes first.
    """

    __tablename__ = "web_session"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    person_id: uuid.UUID = Field(foreign_key="person.id", index=True)
    signed_in_by: str = Field(max_length=16)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    last_seen_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    ended_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
