"""No link in the database: read PostgreSQL's own row metadata after real submissions.

Submissions go through :func:`survey.answering.submit`, batches are written by
the real worker (:class:`bot.worker.Worker`, and ``healthcheck worker`` as a real
process that is killed with SIGKILL mid-batch), and campaigns close through the
``healthcheck campaign close`` command. Then ``xmin`` (the id of the transaction
that wrote a row) and ``ctid`` (where the row sits in the table's heap) are read
as a database superuser would.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from builders import NOW, SECRET, full_answers, small_org
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import func, select

from bot.cli import main
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.worker import Worker
from survey.answering import DraftState, save_draft, submit
from survey.db import SessionFactory
from survey.models import Organisation, Response, SealedResponse

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.parametrize("database_url", ["postgres"], indirect=True),
]

HEALTHCHECK = Path(sys.executable).parent / "healthcheck"


@pytest.fixture(autouse=True)
def cli_environment(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    """The command line reaches this test's database with the test's secret."""
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", SECRET.decode())
    monkeypatch.setenv("HEALTHCHECK_SEED_DEMO", "false")
    monkeypatch.setenv("HEALTHCHECK_MODE", "production")
    # The nightly purge's catch-up run would also wait on the held comment table.
    monkeypatch.setenv("HEALTHCHECK_RETENTION_AUTO_PURGE", "false")


def _worker(engine: AsyncEngine, sessions: SessionFactory, now: datetime) -> Worker:
    settings = load_settings(
        database_url=engine.url.render_as_string(hide_password=False),
        secret_key=SECRET.decode(),
        seed_demo=False,
    )
    runtime = Runtime(settings=settings, engine=engine, sessions=sessions)
    return Worker(runtime, {}, clock=lambda: now)


async def _submit(sessions: SessionFactory, org: Any, index: int) -> None:
    person = org.people[index]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            state=DraftState(answers={**full_answers(), "TX1": f"submitter {index}"}),
            now=NOW,
        )
        await submit(
            session, secret=SECRET, person=person, campaign=org.campaign, now=NOW
        )


async def _close_by_command(name: str) -> None:
    code = await asyncio.to_thread(
        main, ["campaign", "close", name, "--org", "test-org"]
    )
    assert code == 0


async def _rows(sessions: SessionFactory, query: str) -> list[Any]:
    async with sessions() as session:
        return list((await session.exec(text(query))).all())  # type: ignore[call-overload]


async def test_no_response_shares_a_transaction_or_an_order_with_its_submission(
    sessions: SessionFactory, engine: AsyncEngine
) -> None:
    org = await small_org(sessions, size=25)
    worker = _worker(engine, sessions, NOW)
    # Five people, the worker running after each: one batch of five.
    for index in range(5):
        await _submit(sessions, org, index)
        await worker.work_once()
    # Seventeen more before the worker next runs: one batch of seventeen.
    for index in range(5, 22):
        await _submit(sessions, org, index)
    await worker.work_once()
    # Three more, then the close writes them, below the minimum.
    for index in range(22, 25):
        await _submit(sessions, org, index)
    await _close_by_command(org.campaign.name)

    participation_xmins = {
        row[0]
        for row in await _rows(
            sessions, "SELECT xmin::text FROM participation WHERE status = 'completed'"
        )
    }
    assert len(participation_xmins) == 25, "one transaction per submission"
    responses = await _rows(
        sessions,
        "SELECT r.xmin::text, c.xmin::text, a.xmin::text, c.text, c.analysed_by "
        "FROM response r JOIN comment c ON c.response_id = r.id "
        "JOIN answer a ON a.response_id = r.id AND a.question_key = 'Q1' "
        "ORDER BY r.ctid",
    )
    assert len(responses) == 25
    by_batch: dict[str, list[str]] = defaultdict(list)
    for response_xmin, comment_xmin, answer_xmin, tag, analysed_by in responses:
        assert response_xmin not in participation_xmins
        assert answer_xmin == response_xmin
        # A comment is written with its batch; the comment model's job may later
        # store its reading (a transaction per campaign's unread comments).
        assert comment_xmin not in participation_xmins
        if analysed_by is None:
            assert comment_xmin == response_xmin
        by_batch[response_xmin].append(tag)
    assert sorted(len(tags) for tags in by_batch.values()) == [3, 5, 17]

    big_batch = next(tags for tags in by_batch.values() if len(tags) == 17)
    submitted = [f"submitter {index}" for index in range(5, 22)]
    assert sorted(big_batch) == sorted(submitted)
    # Physical order is a shuffle: the chance it equals the submission order
    # (or its reverse) is 2 in 17!, about 1e-14.
    assert big_batch not in (submitted, submitted[::-1])
    assert not await _rows(sessions, "SELECT 1 FROM sealed_response")


async def test_a_worker_killed_mid_batch_loses_nothing_and_writes_nothing_twice(
    sessions: SessionFactory, engine: AsyncEngine, database_url: str
) -> None:
    org = await small_org(sessions, size=6)
    for index in range(6):
        await _submit(sessions, org, index)
    database = database_url.rsplit("/", 1)[1]
    plain_url = database_url.replace("postgresql+psycopg://", "postgresql://")
    # Hold the comment table against writes (reads still pass, so the worker's
    # start-up look for unread comments goes through) so the worker stops after
    # writing the batch's responses and answers, inside its one transaction.
    with psycopg.connect(plain_url) as blocker:
        blocker.execute("LOCK TABLE comment IN SHARE MODE")
        worker = await asyncio.create_subprocess_exec(
            str(HEALTHCHECK),
            "worker",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            backend = await _backend_waiting_on_comment(plain_url, database)
            os.kill(worker.pid, signal.SIGKILL)
        finally:
            if worker.returncode is None:
                worker.kill()
            await asyncio.wait_for(worker.wait(), timeout=30)
        blocker.rollback()
    await _backend_gone(plain_url, backend)
    assert worker.returncode == -signal.SIGKILL
    async with sessions() as session:
        assert (
            await session.exec(select(func.count()).select_from(Response))
        ).one() == 0
        waiting = select(func.count()).select_from(SealedResponse)
        assert (await session.exec(waiting)).one() == 6

    await _close_by_command(org.campaign.name)
    # The dead worker's job is claimed again once its lease runs out: it finds
    # nothing left to write.
    later = datetime.now(UTC) + timedelta(minutes=10)
    assert await _worker(engine, sessions, later).work_once()
    tags = sorted(row[0] for row in await _rows(sessions, "SELECT text FROM comment"))
    assert tags == sorted(f"submitter {index}" for index in range(6))
    assert len(await _rows(sessions, "SELECT 1 FROM response")) == 6
    assert not await _rows(sessions, "SELECT 1 FROM sealed_response")
    async with sessions() as session:
        organisation = (await session.exec(select(Organisation))).one()
    assert organisation.min_group_size == 5


async def _backend_waiting_on_comment(url: str, database: str) -> int:
    deadline = time.monotonic() + 90
    with psycopg.connect(url, autocommit=True) as watcher:
        while time.monotonic() < deadline:
            row = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s "
                "AND wait_event_type = 'Lock' AND query ILIKE 'INSERT INTO comment%%'",
                (database,),
            ).fetchone()
            if row is not None:
                written = watcher.execute(
                    "SELECT count(*) FROM pg_locks WHERE pid = %s AND granted "
                    "AND relation = 'answer'::regclass",
                    (row[0],),
                ).fetchone()
                assert written is not None
                assert written[0] == 1, "the batch's answers are written"
                return int(row[0])
            await asyncio.sleep(0.2)
    raise AssertionError("the worker never reached the batch's comments")


async def _backend_gone(url: str, pid: int) -> None:
    with psycopg.connect(url, autocommit=True) as watcher:
        for _ in range(300):
            row = watcher.execute(
                "SELECT 1 FROM pg_stat_activity WHERE pid = %s", (pid,)
            ).fetchone()
            if row is None:
                return
            await asyncio.sleep(0.1)
    raise AssertionError("the killed worker's transaction never ended")
