"""A job running when PostgreSQL goes away runs again within seconds of its return.

Real ``healthcheck worker`` processes on a private PostgreSQL cluster that the
test stops and starts (``tests/private_postgres.py``). The job is a real one (the
daily retention purge); the test holds a lock on the table it reads first, so the
job is caught mid-transaction, deterministically, when the database drops.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from private_postgres import PrivatePostgres, private_postgres

from survey import migrate
from survey.db import create_engine, session_factory
from survey.delivery.jobs import schedule_job
from survey.organisations import create_organisation
from survey.retention.jobs import PURGE_JOB

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
SECRET = "outage-test-secret-0123456789abcdef"
OUTAGE_SECONDS = 3.0
DUE_IN_SECONDS = 2.0
DAY = 86_400.0
BACK_WITHIN_SECONDS = 20.0
"""Backoff tops out at 8 s between tries; the rest is a busy machine's slack."""


def _worker(
    url: str, logs: Path, name: str, lease_seconds: int
) -> subprocess.Popen[bytes]:
    with (logs / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "worker"],
            env={
                **os.environ,
                "DATABASE_URL": url,
                "HEALTHCHECK_SECRET_KEY": SECRET,
                "HEALTHCHECK_SEED_DEMO": "false",
                "HEALTHCHECK_RETENTION_AUTO_PURGE": "false",
                "HEALTHCHECK_JOB_LEASE_SECONDS": str(lease_seconds),
                "PYTHONUNBUFFERED": "1",
            },
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


@contextmanager
def _stopped_at_end(*workers: subprocess.Popen[bytes]) -> Iterator[None]:
    try:
        yield
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                worker.wait(timeout=30)


async def _organisation(url: str) -> uuid.UUID:
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            organisation = await create_organisation(
                session, slug="outage", name="Outage Council"
            )
        return organisation.id
    finally:
        await engine.dispose()


async def _purge(url: str, organisation_id: uuid.UUID, key: str, due: float) -> None:
    """A retention purge of the organisation, due in ``due`` seconds."""
    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session, session.begin():
            await schedule_job(
                session,
                kind=PURGE_JOB,
                dedupe_key=f"retention:{organisation_id}:{key}",
                run_at=datetime.now(UTC) + timedelta(seconds=due),
                payload={"organisation_id": str(organisation_id), "months": None},
            )
    finally:
        await engine.dispose()


def _status(url: str, key: str) -> str | None:
    with psycopg.connect(url, connect_timeout=2) as connection:
        row = connection.execute(
            "SELECT status FROM job WHERE dedupe_key LIKE %s", (f"retention:%:{key}",)
        ).fetchone()
    return None if row is None else str(row[0])


async def _started(url: str, organisation_id: uuid.UUID) -> None:
    """Once the worker has started, queue the purge to catch.

    A worker started with automatic purging off cancels pending purges first
    thing: a sentinel's cancellation says it is up. The purge to catch is due
    in a moment, time for the test to take its lock first.
    """
    await _until(lambda: _status(url, "sentinel") == "cancelled", "a worker started")
    await _purge(url, organisation_id, "outage", due=DUE_IN_SECONDS)


def _job(url: str) -> tuple[str, int, datetime | None]:
    with psycopg.connect(url, connect_timeout=2) as connection:
        row = connection.execute(
            "SELECT status, attempts, locked_until FROM job "
            "WHERE dedupe_key LIKE 'retention:%:outage'"
        ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def _lock_organisations(url: str) -> psycopg.Connection:
    """Hold the organisation table, so the purge waits on its first read."""
    connection = psycopg.connect(url)
    connection.execute("LOCK TABLE organisation IN ACCESS EXCLUSIVE MODE")
    return connection


async def _until(check: object, what: str, seconds: float = 90) -> float:
    """Wait until ``check()`` is true; the seconds it took."""
    started = time.monotonic()
    while not check():  # type: ignore[operator]
        if time.monotonic() - started > seconds:
            raise AssertionError(f"never happened within {seconds:.0f} s: {what}")
        await asyncio.sleep(0.1)  # noqa: ASYNC110 - watching other processes
    return time.monotonic() - started


def _waiting_on_the_lock(url: str) -> bool:
    with psycopg.connect(url, connect_timeout=2) as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone()
    return row is not None and row[0] >= 1


async def _caught_mid_job(cluster: PrivatePostgres) -> None:
    await _until(lambda: _job(cluster.url)[0] == "running", "the job claimed")
    await _until(lambda: _waiting_on_the_lock(cluster.url), "the job mid-transaction")


async def _outage(cluster: PrivatePostgres, held: psycopg.Connection) -> None:
    await asyncio.to_thread(cluster.stop)
    with suppress(psycopg.Error):
        held.close()
    await asyncio.sleep(OUTAGE_SECONDS)
    await asyncio.to_thread(cluster.start)
    await asyncio.to_thread(cluster.wait_until_up)


async def test_a_worker_that_survives_the_outage_runs_its_job_again_at_once(
    tmp_path: Path,
) -> None:
    with private_postgres() as cluster:
        migrate.upgrade(cluster.url)
        organisation_id = await _organisation(cluster.url)
        await _purge(cluster.url, organisation_id, "sentinel", due=DAY)
        # A lease far longer than the test: the job must not wait for it.
        worker = _worker(cluster.url, tmp_path, "worker", lease_seconds=600)
        with _stopped_at_end(worker):
            await _started(cluster.url, organisation_id)
            held = _lock_organisations(cluster.url)
            await _caught_mid_job(cluster)
            assert _job(cluster.url)[1] == 1

            await _outage(cluster, held)
            back = await _until(
                lambda: _job(cluster.url)[0] == "done", "the job done after the outage"
            )
            status, attempts, locked_until = _job(cluster.url)
            alive = worker.poll() is None
    log = (tmp_path / "worker.log").read_text()
    print(f"\njob done {back:.1f} s after PostgreSQL was back")

    assert alive, log[-2000:]
    assert back < BACK_WITHIN_SECONDS, f"took {back:.0f} s: it waited for its lease"
    assert (status, attempts, locked_until) == ("done", 2, None)
    assert "interrupted job(s) due again" in log


async def test_a_dead_workers_job_is_taken_after_one_short_lease_never_while_held(
    tmp_path: Path,
) -> None:
    lease = 4
    with private_postgres() as cluster:
        migrate.upgrade(cluster.url)
        organisation_id = await _organisation(cluster.url)
        await _purge(cluster.url, organisation_id, "sentinel", due=DAY)
        first = _worker(cluster.url, tmp_path, "first", lease_seconds=lease)
        with _stopped_at_end(first):
            await _started(cluster.url, organisation_id)
            held = _lock_organisations(cluster.url)
            await _caught_mid_job(cluster)
            claimed_until = _job(cluster.url)[2]
            second = _worker(cluster.url, tmp_path, "second", lease_seconds=lease)
            with _stopped_at_end(second):
                # Three leases long, the first worker's heartbeat keeps its claim:
                # the second worker polls all along and never takes the job.
                await asyncio.sleep(3 * lease)
                status, attempts, renewed_until = _job(cluster.url)
                assert (status, attempts) == ("running", 1)
                assert claimed_until is not None
                assert renewed_until is not None
                assert renewed_until > claimed_until, "the lease was renewed"

                first.send_signal(signal.SIGKILL)
                first.wait(timeout=10)
                await _outage(cluster, held)
                back = await _until(
                    lambda: _job(cluster.url)[0] == "done", "the dead worker's job done"
                )
                status, attempts, _ = _job(cluster.url)
                alive = second.poll() is None
    print(f"\ndead worker's job done {back:.1f} s after PostgreSQL was back")

    assert alive
    assert back < lease + BACK_WITHIN_SECONDS
    assert (status, attempts) == ("done", 2)
