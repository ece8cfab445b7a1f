"""Claiming rows of the job and outbox tables safely from any number of workers.

On PostgreSQL rows are claimed with ``FOR UPDATE SKIP LOCKED`` so workers never
wait on each other or take the same row; on SQLite each transaction starts with
``BEGIN IMMEDIATE`` (see :mod:`survey.db`), so one claim runs at a time. A claim
is a lease: a worker that dies leaves rows whose lease runs out and are claimed
again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Table, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

Row = TypeVar("Row", bound=SQLModel)

PENDING = "pending"
RUNNING = "running"
DONE = "done"
PARKED = "parked"


async def insert_once(
    session: AsyncSession,
    model: type[SQLModel],
    *,
    key_column: str,
    values: dict[str, Any],
) -> bool:
    """Insert a row unless one with the same unique key exists; True if inserted."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(table)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[key_column])
        .returning(table.c.id)
    )
    result = await session.exec(statement)
    # rowcount is unreliable after ON CONFLICT DO NOTHING; a returned id is not.
    return result.first() is not None


async def claim(
    session: AsyncSession,
    model: type[Row],
    *,
    due_column: str,
    now: datetime,
    lease_until: datetime,
    limit: int,
) -> list[Row]:
    """Lease up to ``limit`` due rows: pending and due, or running past their lease."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    columns = table.c
    due = or_(
        and_(columns.status == PENDING, columns[due_column] <= now),
        and_(columns.status == RUNNING, columns.locked_until < now),
    )
    candidates = (
        select(columns.id).where(due).order_by(columns[due_column]).limit(limit)
    )
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    statement = (
        update(table)
        .where(columns.id.in_(candidates.scalar_subquery()))
        .values(status=RUNNING, locked_until=lease_until, attempts=columns.attempts + 1)
        .returning(*columns)
    )
    result = await session.exec(statement)
    return [model.model_validate(dict(row._mapping)) for row in result.all()]
