"""The tenant and its roster: organisation, services, teams, people."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from survey.models.columns import UTCDateTime, new_id, utcnow


class Organisation(SQLModel, table=True):
    """A council (the tenant). Everything else belongs to one."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    slug: str = Field(max_length=60, unique=True)
    name: str = Field(max_length=200)
    timezone: str = Field(default="Europe/London", max_length=60)
    min_group_size: int = Field(default=5)
    slack_workforce_channel: str | None = Field(default=None, max_length=40)
    teams_workforce_channel: str | None = Field(default=None, max_length=400)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class Service(SQLModel, table=True):
    """A directorate such as Adults or Children's."""

    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=120)


class Team(SQLModel, table=True):
    """A team within a service."""

    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    service_id: uuid.UUID = Field(foreign_key="service.id", index=True)
    name: str = Field(max_length=120)


class Person(SQLModel, table=True):
    """Someone on the roster. Leavers are deactivated, never deleted."""

    __table_args__ = (UniqueConstraint("organisation_id", "email"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    organisation_id: uuid.UUID = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    email: str = Field(max_length=254)
    slack_id: str | None = Field(default=None, max_length=40, index=True)
    slack_dm_channel: str | None = Field(default=None, max_length=40)
    teams_id: str | None = Field(default=None, max_length=80, index=True)
    team_id: uuid.UUID = Field(foreign_key="team.id", index=True)
    role: str = Field(max_length=60)
    employment_type: str = Field(max_length=30)
    access: str = Field(default="staff", max_length=20)
    active: bool = Field(default=True)
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False)
    )


class ManagerOf(SQLModel, table=True):
    """A manager's teams: whose summaries they may ask for."""

    __tablename__ = "manager_of"

    person_id: uuid.UUID = Field(foreign_key="person.id", primary_key=True)
    team_id: uuid.UUID = Field(foreign_key="team.id", primary_key=True)
