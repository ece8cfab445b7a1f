"""Every row of every table, to show what a command changed and whose rows they are."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, create_engine, pool
from sqlalchemy import select as core_select
from sqlmodel import SQLModel
from two_councils import Council, TwoCouncils

from survey.db import sqlite_connect_hook, sync_url

Snapshot = dict[str, dict[str, dict[str, Any]]]


def snapshot(url: str) -> Snapshot:
    """Every row of every table, by table and primary key, as JSON-ready dicts."""
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    if url.startswith("sqlite"):
        sqlite_connect_hook(engine)
    try:
        with engine.connect() as connection:
            return {
                table.name: _rows(connection, table.name)
                for table in SQLModel.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _rows(connection: Connection, name: str) -> dict[str, dict[str, Any]]:
    table = SQLModel.metadata.tables[name]
    keys = [column.name for column in table.primary_key.columns]
    rows = {}
    for row in connection.execute(core_select(table)).mappings():
        values = {column: _plain(value) for column, value in row.items()}
        rows["|".join(str(values[key]) for key in keys)] = values
    return rows


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"[0-9a-f]{32}", value):
        return str(uuid.UUID(value))
    if isinstance(value, dict | list | int | float | bool) or value is None:
        return value
    return str(value)


@dataclass(frozen=True)
class Change:
    """One row a command added, removed or changed."""

    table: str
    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def text(self) -> str:
        """Both versions as JSON, for searching for ids."""
        return json.dumps([self.before, self.after], default=str)


def changes(before: Snapshot, after: Snapshot) -> list[Change]:
    """Every row that differs between two snapshots."""
    found = []
    for table, rows in after.items():
        earlier = before.get(table, {})
        for key in sorted(set(rows) | set(earlier)):
            if rows.get(key) != earlier.get(key):
                found.append(Change(table, key, earlier.get(key), rows.get(key)))
    return found


def ids_of(council: Council, state: Snapshot) -> set[str]:
    """Every id in ``state`` that belongs to ``council``: its rows and theirs."""
    org = str(council.id)
    owned: set[str] = {org}
    for table in ("service", "team", "person", "campaign", "action", "announcement"):
        owned |= {
            key
            for key, row in state[table].items()
            if row.get("organisation_id") == org
        }
    owned |= {
        key for key, row in state["response"].items() if row["campaign_id"] in owned
    }
    return owned


def owner_of(change: Change, state: Snapshot, councils: TwoCouncils) -> str | None:
    """``"a"`` or ``"b"``: whose row changed, or None for a row of no council."""
    row = change.after or change.before or {}
    a_ids, b_ids = ids_of(councils.a, state), ids_of(councils.b, state)
    for column in ("organisation_id", "campaign_id", "person_id", "response_id"):
        value = row.get(column)
        if value in a_ids:
            return "a"
        if value in b_ids:
            return "b"
    return None
