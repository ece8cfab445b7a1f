"""``healthcheck retention purge``: what it prints, what it removes, what it refuses.

The command counts back from the real clock, so the old round's answers and
drafts are dated 400 days ago and the open round's answer today.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from retention_builders import RetentionOrg, retention_org, snapshot
from sqlalchemy import update
from sqlmodel import col

from bot.cli import main
from survey.audit import list_events
from survey.db import SessionFactory, create_engine, session_factory
from survey.models import Draft, Response
from survey.retention.purge import PURGED

T = TypeVar("T")
AGO = timedelta(days=400)


def _with_sessions(url: str, work: Callable[[SessionFactory], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(url, pool_size=2)
        try:
            return await work(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


async def _aged_org(sessions: SessionFactory) -> RetentionOrg:
    org = await retention_org(sessions)
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        await session.exec(
            update(Response)
            .where(col(Response.campaign_id) == org.old.id)
            .values(submitted_on=(now - AGO).date())
        )
        await session.exec(
            update(Response)
            .where(col(Response.campaign_id) == org.current.id)
            .values(submitted_on=now.date())
        )
        await session.exec(update(Draft).values(updated_at=now - AGO))
    return org


@pytest.fixture
def org(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> RetentionOrg:
    """The retention organisation, aged, and settings naming it and nothing else."""
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")  # as `make run`
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "teams-org")
    return _with_sessions(database_url, _aged_org)


def _tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    return _with_sessions(url, snapshot)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["retention", "purge", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_a_dry_run_prints_counts_then_a_purge_removes_and_a_second_finds_none(
    org: RetentionOrg, database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _tables(database_url)
    code, out, err = _cli(capsys, "--dry-run", "--months", "12")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == (
        "Dry run for 'teams-org': nothing has been removed. It would remove:"
    )
    assert lines[1].startswith("  comments: 5 (free text submitted before ")
    assert lines[1].endswith(", over 12 months ago)")
    assert lines[2].startswith("  drafts: 2 (last saved before ")
    assert lines[3] == (
        "  participation records: 11 of 'Teams check 2026' (11); "
        "kept as counts per team, role and employment type, "
        "no group smaller than 5"
    )
    assert lines[4] == (
        "  personal messages: 0 (invitations, reminders and notes about those "
        "campaigns)"
    )
    assert _tables(database_url) == before

    # 24 months: comments stay; the closed round's drafts go with its
    # participation (a closed round's draft can never be sent).
    code, out, err = _cli(capsys, "--org", "teams-org")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == "Removed from 'teams-org':"
    assert out.splitlines()[1].startswith("  comments: 0 ")
    assert out.splitlines()[2].startswith("  drafts: 2 ")
    assert "participation records: 11 of 'Teams check 2026' (11)" in out
    after = _tables(database_url)
    assert after["Response"] == before["Response"]
    assert after["Comment"] == before["Comment"]
    assert len(after["Participation"]) == 11

    code, out, err = _cli(capsys, "--months", "12")
    assert (code, err) == (0, "")
    assert "comments: 5 " in out
    assert "drafts: 0 " in out

    code, out, _ = _cli(capsys, "--months", "12")
    assert code == 0
    assert out.splitlines()[0] == "Nothing to remove for 'teams-org'. Checked:"

    async def events(sessions: SessionFactory) -> list[tuple[str, str, str]]:
        async with sessions() as session:
            found = await list_events(session, organisation_id=org.organisation.id)
        return [(event.action, event.channel, event.actor) for event in found]

    logged = _with_sessions(database_url, events)
    assert [(action, channel) for action, channel, _ in logged] == [
        (PURGED, "cli"),
        (PURGED, "cli"),
    ]
    assert all(actor.startswith("command line (") for _, _, actor in logged)


MISTAKES: list[tuple[list[str], dict[str, str], str]] = [
    (
        ["--months", "0"],
        {},
        "Error: The retention period must be a whole number of months, "
        "1 or more (got 0).",
    ),
    (
        ["--months", "twelve"],
        {},
        "Error: Invalid value for '--months': Input should be a valid integer, "
        "unable to parse string as an integer (see --help)",
    ),
    (
        [],
        {"HEALTHCHECK_RETENTION_MONTHS": "0"},
        "Error: Settings problem: HEALTHCHECK_RETENTION_MONTHS: must be a "
        "whole number of months, 1 or more, or 'keep' to keep comments and "
        "drafts for good (got '0')",
    ),
    (
        ["--months", "6", "--org", "nowhere"],
        {},
        "Error: There is no organisation 'nowhere'. Run `healthcheck demo "
        "seed` for the demo, or `healthcheck org create` for a real one.",
    ),
]


def test_a_mistake_prints_one_error_line_and_removes_nothing(
    org: RetentionOrg,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = _tables(database_url)
    for arguments, environment, message in MISTAKES:
        with monkeypatch.context() as patch:
            for name, value in environment.items():
                patch.setenv(name, value)
            code, out, err = _cli(capsys, *arguments)
        assert code != 0, arguments
        assert out == ""
        assert err.splitlines() == [message]
        assert _tables(database_url) == before


def test_keep_leaves_comments_and_drafts_but_still_tallies(
    org: RetentionOrg,
    database_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HEALTHCHECK_RETENTION_MONTHS", "keep")
    before = _tables(database_url)
    code, out, _ = _cli(capsys)
    assert code == 0
    assert out.splitlines()[1:3] == [
        "  comments: kept for good (HEALTHCHECK_RETENTION_MONTHS=keep)",
        "  drafts: 2 (of campaigns whose participation goes; others kept for good)",
    ]
    after = _tables(database_url)
    assert after["Comment"] == before["Comment"]
    # Both drafts are of the closed round, whose participation goes.
    assert after["Draft"] == []
    assert after["Participation"] != before["Participation"]
