"""Submitted answers: anonymous by construction (see README.md, Anonymity).

On SQLite these tables are ``WITHOUT ROWID`` so there is no hidden insertion order.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel

from survey.models.columns import JSONColumn, new_id

NO_ROWID = {"sqlite_with_rowid": False}


class Response(SQLModel, table=True):
    """One person's submitted survey: a random id, the date, roster attributes."""

    __table_args__ = NO_ROWID

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", index=True)
    submitted_on: date
    service_id: uuid.UUID | None = Field(default=None, foreign_key="service.id")
    team_id: uuid.UUID | None = Field(default=None, foreign_key="team.id")
    role: str | None = Field(default=None, max_length=60)
    workforce: str | None = Field(default=None, max_length=30)
    employment_type: str | None = Field(default=None, max_length=30)


class Answer(SQLModel, table=True):
    """One closed answer: an option code, a whole number, or a set of codes."""

    __table_args__ = NO_ROWID

    response_id: uuid.UUID = Field(foreign_key="response.id", primary_key=True)
    question_key: str = Field(primary_key=True, max_length=20)
    option: str | None = Field(default=None, max_length=40)
    number: int | None = None
    choices: list[str] | None = Field(default=None, sa_column=Column(JSONColumn))


class Comment(SQLModel, table=True):
    """One free-text answer; analysis fields are filled in later."""

    __table_args__ = NO_ROWID

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    response_id: uuid.UUID = Field(foreign_key="response.id", index=True)
    question_key: str = Field(max_length=20)
    text: str
    analysis: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONColumn))
    # The comment model's reading, stored once by the worker (analytics.comment_jobs);
    # null until then, or for good without the model extra: reports use the rules.
    sentiment: str | None = Field(default=None, max_length=10)
    sentiment_confidence: float | None = None
    # No time of analysis is kept: it would date the comment's submission.
    analysed_by: str | None = Field(default=None, max_length=80)


class SealedResponse(SQLModel, table=True):
    """A submitted response waiting, sealed, to be written with others.

    ``sealed`` is the response encrypted under a key derived from the server
    secret (see :mod:`survey.response_pool`), padded so its length says little.
    The row carries a random id and the campaign only: no person, no time, no
    sequential key. It is deleted when its batch is written as responses.
    """

    __tablename__ = "sealed_response"
    __table_args__ = NO_ROWID

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    campaign_id: uuid.UUID = Field(foreign_key="campaign.id", index=True)
    sealed: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
