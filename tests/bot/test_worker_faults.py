"""Fault tests for the outbox: killed workers, two workers, a misbehaving platform.

The real web app (the local channel's inbox) and real worker processes run
against the test database; only the platform's misbehaviour is staged, by a
loopback stand-in in front of the inbox that also counts what it is handed.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from builders import NOW
from fakes.flaky_platform import FlakyPlatform, ServerThread, free_port
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from benchmarks.fixtures.topology import Balancer
from benchmarks.fixtures.topology import ServerThread as TopologyServer
from bot.platforms.local import LocalChannelDelivery
from bot.runtime import Runtime
from bot.settings import load_settings
from bot.worker import Worker
from survey.db import SessionFactory
from survey.delivery.outbox import enqueue
from survey.models import LocalDelivery, OutboxMessage

SECRET = "fault-test-secret-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "HEALTHCHECK_SECRET_KEY": SECRET,
        "HEALTHCHECK_SEED_DEMO": "false",
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


@contextmanager
def _web(database_url: str) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        env=_env(database_url),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("web app did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def _worker(database_url: str, inbox: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        env=_env(
            database_url,
            HEALTHCHECK_LOCAL_INBOX_URL=inbox,
            HEALTHCHECK_SEND_LEASE_SECONDS="3",
        ),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _queue(sessions: SessionFactory, count: int) -> None:
    async with sessions() as session, session.begin():
        for n in range(count):
            await enqueue(
                session,
                idempotency_key=f"broadcast:{n:04d}",
                platform="local",
                recipient=f"person:{n}",
                payload={"kind": "announcement", "text": f"Message {n}"},
                organisation_id=None,
                not_before=NOW,
            )


async def _counts(sessions: SessionFactory) -> tuple[int, int, int]:
    async with sessions() as session:
        delivered = (
            await session.exec(select(func.count()).select_from(LocalDelivery))
        ).one()
        done = (
            await session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == "done")
            )
        ).one()
        parked = (
            await session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status == "parked")
            )
        ).one()
    return delivered, done, parked


async def _wait_for(
    sessions: SessionFactory, *, delivered: int
) -> tuple[int, int, int]:
    deadline = time.monotonic() + 240
    while True:
        counts = await _counts(sessions)
        if (counts[0] >= delivered and counts[1] >= delivered) or (
            time.monotonic() > deadline
        ):
            return counts
        await asyncio.sleep(0.25)  # noqa: ASYNC110 - polling another process


async def test_a_worker_killed_mid_broadcast_delivers_every_message_once(
    sessions: SessionFactory, database_url: str
) -> None:
    await _queue(sessions, 500)
    with _web(database_url) as web:
        platform = FlakyPlatform(upstream=web)
        with ServerThread(platform.app()) as proxy:
            worker = _worker(database_url, proxy.url)
            deadline = time.monotonic() + 60
            while (await _counts(sessions))[0] < 60 and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.02)
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            at_kill = (await _counts(sessions))[0]
            assert 0 < at_kill < 500, "the kill must land mid-broadcast"
            restarted = _worker(database_url, proxy.url)
            try:
                delivered, done, parked = await _wait_for(sessions, delivered=500)
            finally:
                restarted.terminate()
                restarted.wait(timeout=20)
    assert (delivered, done, parked) == (500, 500, 0)
    assert len(platform.posted) == 500
    duplicates = {key: n for key, n in platform.posted.items() if n != 1}
    assert duplicates == {}, "a message was handed to the platform twice"


@pytest.mark.postgres
async def test_two_workers_on_postgres_share_the_work_without_duplicates(
    sessions: SessionFactory, database_url: str
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers need PostgreSQL; SQLite runs one worker")
    await _queue(sessions, 500)
    with _web(database_url) as web:
        platform = FlakyPlatform(upstream=web)
        with ServerThread(platform.app()) as proxy:
            workers = [_worker(database_url, proxy.url) for _ in range(2)]
            try:
                delivered, done, parked = await _wait_for(sessions, delivered=500)
            finally:
                for worker in workers:
                    worker.terminate()
                    worker.wait(timeout=20)
    assert (delivered, done, parked) == (500, 500, 0)
    assert sorted(set(platform.posted.values())) == [1]
    assert len(platform.posted) == 500


async def test_a_platform_answering_429_and_500_delays_but_loses_nothing(
    sessions: SessionFactory, database_url: str
) -> None:
    await _queue(sessions, 40)
    with _web(database_url) as web:
        platform = FlakyPlatform(upstream=web, failures=[429] * 4 + [500] * 4)
        with ServerThread(platform.app()) as proxy:
            worker = _worker(database_url, proxy.url)
            started = time.monotonic()
            try:
                delivered, done, parked = await _wait_for(sessions, delivered=40)
            finally:
                worker.terminate()
                worker.wait(timeout=20)
            took = time.monotonic() - started
    assert (delivered, done, parked) == (40, 40, 0)
    assert platform.refused == 8
    assert sorted(set(platform.posted.values())) == [1]
    assert took >= 1, "Retry-After: 1 was obeyed"
    async with sessions() as session:
        retried = (
            await session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.attempts > 1)
            )
        ).one()
    assert retried >= 1


async def test_a_message_whose_lease_is_nearly_spent_is_left_for_the_next_claim(
    sessions: SessionFactory, engine: AsyncEngine, database_url: str
) -> None:
    """Queued behind a slow platform, a message is not sent on a running-out lease.

    Another worker may take it once the lease ends; were it still sent, both
    could reach the platform. It is left unrecorded for whoever claims it next.
    """
    await _queue(sessions, 5)
    settings = load_settings(
        database_url=database_url, secret_key=SECRET, seed_demo=False
    )
    runtime = Runtime(settings=settings, engine=engine, sessions=sessions)
    with _web(database_url) as web:
        slow = Balancer([web], delay=1.0)
        with TopologyServer(slow.app()) as platform:
            delivery = LocalChannelDelivery(
                base_url=platform.url, secret=settings.secret
            )
            worker = Worker(
                runtime,
                {"local": delivery},
                concurrency=1,
                send_lease=timedelta(seconds=4),
            )
            try:
                await worker.work_once()
                first = sum(slow.handed.values())
                states = await _states(sessions)
                deadline = time.monotonic() + 120
                while (await _counts(sessions))[1] < 5 and time.monotonic() < deadline:
                    await asyncio.sleep(0.5)
                    await worker.work_once()
            finally:
                await delivery.close()
    assert 1 <= first < 5, "the first round sent only while the lease had time"
    assert states == {("done", 1): first, ("running", 1): 5 - first}
    assert await _counts(sessions) == (5, 5, 0)
    assert sorted(slow.handed.values()) == [1] * 5


async def _states(sessions: SessionFactory) -> dict[tuple[str, int], int]:
    async with sessions() as session:
        rows = await session.exec(
            select(OutboxMessage.status, OutboxMessage.attempts, func.count()).group_by(
                col(OutboxMessage.status), col(OutboxMessage.attempts)
            )
        )
        return {(status, attempts): n for status, attempts, n in rows.all()}
