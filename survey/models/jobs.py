"""The job table and the outbox: crash-safe scheduled work and messages out."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from survey.models.columns import JSONColumn, UTCDateTime, new_id, utcnow


class Job(SQLModel, table=True):
    """A unit of scheduled work; ``dedupe_key`` makes each occurrence run once."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id"
    )
    kind: str = Field(max_length=40)
    dedupe_key: str = Field(max_length=200, unique=True)
    payload: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONColumn, nullable=False)
    )
    status: str = Field(default="pending", max_length=10, index=True)
    run_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    attempts: int = 0
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    last_error: str | None = None
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class OutboxMessage(SQLModel, table=True):
    """One message to send, at most once, keyed by ``idempotency_key``."""

    __tablename__ = "outbox"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id"
    )
    idempotency_key: str = Field(max_length=200, unique=True)
    platform: str = Field(max_length=20)
    recipient: str = Field(max_length=200)
    payload: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONColumn, nullable=False)
    )
    status: str = Field(default="pending", max_length=10, index=True)
    attempts: int = 0
    next_attempt_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
    locked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    last_error: str | None = None
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


class LocalDelivery(SQLModel, table=True):
    """A message the local web channel has received (its "platform" side).

    The idempotency key is unique, so the local platform, like a careful real one,
    shows a message once however often it is handed over.
    """

    __tablename__ = "local_delivery"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id"
    )
    idempotency_key: str = Field(max_length=200, unique=True)
    recipient: str = Field(max_length=200, index=True)
    payload: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONColumn, nullable=False)
    )
    delivered_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
