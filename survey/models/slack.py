"""Slack's own records: installations, OAuth states, workspaces, events seen.

``slack_installations``, ``slack_bots`` and ``slack_oauth_states`` are the tables
slack-sdk's SQLAlchemy installation and OAuth-state stores read and write. Their
definitions are copied here, column for column, so that Alembic owns them like
every other table (``survey`` imports no chat SDK; a test in
``tests/bot/slack`` checks the copy still matches slack-sdk's).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy
from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Table
from sqlmodel import Field, SQLModel

from survey.models.columns import UTCDateTime, new_id, utcnow

INSTALLATIONS = "slack_installations"
BOTS = "slack_bots"
OAUTH_STATES = "slack_oauth_states"

slack_installations = Table(
    INSTALLATIONS,
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("enterprise_url", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("user_id", String(32), nullable=False),
    Column("user_token", String(200)),
    Column("user_scopes", String(1000)),
    Column("user_refresh_token", String(200)),
    Column("user_token_expires_at", DateTime),
    Column("incoming_webhook_url", String(200)),
    Column("incoming_webhook_channel", String(200)),
    Column("incoming_webhook_channel_id", String(200)),
    Column("incoming_webhook_configuration_url", String(200)),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("token_type", String(32)),
    Column("installed_at", DateTime, nullable=False, default=sqlalchemy.sql.func.now()),
    Index(
        f"{INSTALLATIONS}_idx",
        "client_id",
        "enterprise_id",
        "team_id",
        "user_id",
        "installed_at",
    ),
)

slack_bots = Table(
    BOTS,
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_id", String(32), nullable=False),
    Column("app_id", String(32), nullable=False),
    Column("enterprise_id", String(32)),
    Column("enterprise_name", String(200)),
    Column("team_id", String(32)),
    Column("team_name", String(200)),
    Column("bot_token", String(200)),
    Column("bot_id", String(32)),
    Column("bot_user_id", String(32)),
    Column("bot_scopes", String(1000)),
    Column("bot_refresh_token", String(200)),
    Column("bot_token_expires_at", DateTime),
    Column("is_enterprise_install", Boolean, default=False, nullable=False),
    Column("installed_at", DateTime, nullable=False, default=sqlalchemy.sql.func.now()),
    Index(f"{BOTS}_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
)

slack_oauth_states = Table(
    OAUTH_STATES,
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("state", String(200), nullable=False),
    Column("expire_at", DateTime, nullable=False),
)


class SlackWorkspace(SQLModel, table=True):
    """Which organisation a Slack workspace (team) belongs to."""

    __tablename__ = "slack_workspace"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    team_id: str = Field(max_length=32, unique=True)
    enterprise_id: str | None = Field(default=None, max_length=32)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    linked_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class SlackEvent(SQLModel, table=True):
    """An Events API event already handled, so Slack's retries of it are not."""

    __tablename__ = "slack_event"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    event_id: str = Field(max_length=64, unique=True)
    received_at: datetime = Field(
        sa_column=Column(UTCDateTime, nullable=False, index=True)
    )
