"""Survey templates and their questions, synced from the YAML question banks."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from survey.models.columns import JSONColumn, new_id


class Template(SQLModel, table=True):
    """One version of a question bank. A new version is a new row."""

    __table_args__ = (UniqueConstraint("key", "version"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    key: str = Field(max_length=60, index=True)
    version: int
    title: str = Field(max_length=120)
    kind: str = Field(max_length=20)
    audience: str = Field(max_length=30)
    definition: dict[str, Any] = Field(sa_column=Column(JSONColumn, nullable=False))


class TemplateQuestion(SQLModel, table=True):
    """A question of a template version, with the tags analysis needs."""

    __tablename__ = "question"

    __table_args__ = (UniqueConstraint("template_id", "key"),)

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    template_id: uuid.UUID = Field(foreign_key="template.id", index=True)
    key: str = Field(max_length=20)
    position: int
    text: str = Field(max_length=300)
    scale: str = Field(max_length=20)
    standard: int | None = None
    theme: str = Field(max_length=40)
    definition: dict[str, Any] = Field(sa_column=Column(JSONColumn, nullable=False))
