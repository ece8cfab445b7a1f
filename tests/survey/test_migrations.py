"""Alembic migrations: a fresh database goes up and down, and matches the models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, inspect, pool, text
from sqlmodel import SQLModel

import survey.models  # noqa: F401  (registers every table on the metadata)
from survey.db import sqlite_connect_hook, sync_url
from survey.errors import SettingsError
from survey.migrate import (
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    require_current,
    upgrade,
)

EXPECTED_TABLES = {
    "organisation",
    "person",
    "team",
    "service",
    "template",
    "question",
    "campaign",
    "participation",
    "draft",
    "response",
    "answer",
    "comment",
    "sealed_response",
    "action",
    "announcement",
    "job",
    "outbox",
    "manager_of",
}


@contextmanager
def connect(database_url: str) -> Iterator[Connection]:
    url = sync_url(database_url)
    engine = create_engine(url, poolclass=pool.NullPool)
    if url.get_backend_name() == "sqlite":
        sqlite_connect_hook(engine)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def table_names(database_url: str) -> set[str]:
    with connect(database_url) as connection:
        return set(inspect(connection).get_table_names())


def schema_differences(database_url: str) -> list[Any]:
    """What `alembic revision --autogenerate` would write for this database.

    The options are the ones survey/migrations/env.py uses: column types are
    compared, server defaults are not (a migration may add a NOT NULL column with
    a server default to fill existing rows, which the model rightly does not have).
    """
    with connect(database_url) as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_a_fresh_database_upgrades_to_head_and_downgrades_to_nothing(
    empty_database_url: str,
) -> None:
    assert table_names(empty_database_url) == set()
    assert current_revision(empty_database_url) is None

    upgrade(empty_database_url)
    assert table_names(empty_database_url) >= EXPECTED_TABLES | {"alembic_version"}
    assert current_revision(empty_database_url) == head_revision()
    upgrade(empty_database_url)  # the release step runs on every deploy
    assert current_revision(empty_database_url) == head_revision()

    downgrade(empty_database_url)
    assert table_names(empty_database_url) == {"alembic_version"}
    assert current_revision(empty_database_url) is None


def test_the_migrations_build_exactly_what_the_models_describe(
    empty_database_url: str,
) -> None:
    # No type differences needed to be ignored: UTCDateTime, JSON, Uuid and
    # AutoString reflect back as equivalent types on both engines, so anything
    # reported here is a model change that has no revision (or the reverse).
    upgrade(empty_database_url)
    assert schema_differences(empty_database_url) == []


def test_the_model_comparison_notices_a_missing_index(
    empty_database_url: str,
) -> None:
    # Proves the check above is live: the same comparison spots a real drift.
    upgrade(empty_database_url)
    with connect(empty_database_url) as connection:
        connection.execute(text("DROP INDEX ix_person_slack_id"))
        connection.commit()
    differences = schema_differences(empty_database_url)
    assert [(change[0], change[1].name) for change in differences] == [
        ("add_index", "ix_person_slack_id")
    ]


def test_require_current_accepts_a_database_at_head(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    require_current(empty_database_url)


def test_require_current_refuses_an_empty_database(empty_database_url: str) -> None:
    with pytest.raises(SettingsError) as refused:
        require_current(empty_database_url)
    message = str(refused.value)
    assert "nothing (empty)" in message
    assert head_revision() in message
    assert "Run `healthcheck db upgrade` first." in message


def test_require_current_refuses_a_database_one_migration_behind(
    empty_database_url: str,
) -> None:
    upgrade(empty_database_url)
    downgrade(empty_database_url, "-1")
    scripts = ScriptDirectory.from_config(alembic_config(empty_database_url))
    previous = scripts.get_revision(head_revision()).down_revision
    assert current_revision(empty_database_url) == previous
    with pytest.raises(SettingsError) as refused:
        require_current(empty_database_url)
    message = str(refused.value)
    assert f"at {previous or 'nothing (empty)'}" in message
    assert f"needs {head_revision()}" in message
    assert "Run `healthcheck db upgrade` first." in message


@pytest.mark.postgres
@pytest.mark.parametrize("empty_database_url", ["postgres"], indirect=True)
def test_require_current_names_an_unreachable_database(
    empty_database_url: str,
) -> None:
    # PostgreSQL only: an SQLite file is created on first use, so is always there.
    missing = empty_database_url.rsplit("/", 1)[0] + "/hc_no_such_database"
    with pytest.raises(SettingsError) as refused:
        require_current(missing)
    message = str(refused.value)
    assert message.startswith("Cannot reach the database at postgresql+psycopg://")
    assert "hc_no_such_database" in message


def test_teams_workforce_channel_is_kept_only_where_it_was_unambiguous(
    empty_database_url: str,
) -> None:
    """0012: a council with one Teams channel keeps it; one with two gets none."""
    upgrade(empty_database_url, "0008")
    insert_org = text(
        "INSERT INTO organisation (id, slug, name, timezone, min_group_size, "
        "created_at) VALUES (:id, :slug, :slug, 'Europe/London', 5, "
        "'2026-01-01 00:00:00')"
    )
    insert_channel = text(
        "INSERT INTO chat_conversation (id, organisation_id, platform, "
        "conversation_id, kind, reference, active, updated_at) VALUES (:id, :org, "
        "'teams', :conversation, 'channel', '{}', :active, '2026-01-01 00:00:00')"
    )
    one, two = "a" * 32, "b" * 32
    with connect(empty_database_url) as connection:
        for org in (one, two):
            connection.execute(insert_org, {"id": org, "slug": f"org-{org[0]}"})
        rows = [
            (one, "19:only@thread.tacv2", True),
            (one, "19:removed@thread.tacv2", False),
            (two, "19:first@thread.tacv2", True),
            (two, "19:second@thread.tacv2", True),
        ]
        for number, (org, conversation, active) in enumerate(rows):
            connection.execute(
                insert_channel,
                {
                    "id": f"{number:032d}",
                    "org": org,
                    "conversation": conversation,
                    "active": active,
                },
            )
        connection.commit()
    upgrade(empty_database_url)
    with connect(empty_database_url) as connection:
        chosen = dict(
            connection.execute(
                text("SELECT slug, teams_workforce_channel FROM organisation")
            ).all()
        )
    assert chosen == {"org-a": "19:only@thread.tacv2", "org-b": None}
