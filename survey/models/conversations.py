"""Where the bot may write later: chat conversations it was let into, and its sends.

A chat platform (Teams) lets a bot message someone only in a conversation it
already knows, so the reference to each one is stored when a person or a team
first talks to the bot or installs it. Nothing here holds an answer.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from survey.models.columns import JSONColumn, UTCDateTime, new_id, utcnow


class ChatConversation(SQLModel, table=True):
    """One conversation on a chat platform: a personal chat, a channel, a group.

    Attributes:
        user_key: In a personal chat, the platform's stable id of the person
            (Teams: the Microsoft Entra object id), which the roster's
            ``teams_id`` holds.
        reference: The platform's own conversation reference (service address,
            conversation, bot, tenant), replayed to write proactively.
        active: False once the app is uninstalled there.
    """

    __tablename__ = "chat_conversation"
    __table_args__ = (UniqueConstraint("platform", "conversation_id"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID | None = Field(
        default=None, foreign_key="organisation.id", index=True
    )
    platform: str = Field(max_length=20)
    conversation_id: str = Field(max_length=400)
    kind: str = Field(max_length=20)
    user_key: str | None = Field(default=None, max_length=80, index=True)
    tenant_id: str | None = Field(default=None, max_length=80)
    title: str | None = Field(default=None, max_length=200)
    reference: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONColumn, nullable=False)
    )
    active: bool = Field(default=True)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class ChatDelivery(SQLModel, table=True):
    """A message a chat platform accepted, by the outbox key it was sent under.

    Written the moment the platform says yes, before the outbox row is marked
    sent, so a worker that dies in between can tell the message went.
    """

    __tablename__ = "chat_delivery"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    platform: str = Field(max_length=20)
    idempotency_key: str = Field(max_length=200, unique=True)
    conversation_id: str = Field(max_length=400)
    activity_id: str | None = Field(default=None, max_length=200)
    delivered_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )
