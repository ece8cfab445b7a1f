"""The daily retention purge, run by the real worker with a test clock."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from retention_builders import (
    MONTHS,
    PURGE_AT,
    comment_ids,
    jobs_named,
    retention_org,
    snapshot,
)
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.runtime import Runtime
from bot.settings import load_settings
from bot.worker import Worker, run_worker
from survey.audit import list_events
from survey.db import SessionFactory
from survey.delivery.queue import DONE, PENDING
from survey.models import Comment, Participation, ParticipationTally, Response
from survey.retention.jobs import PURGE_JOB, schedule_daily_purges
from survey.retention.purge import PURGED


class Clock:
    """The worker's idea of now; the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


async def _settle(worker: Worker) -> None:
    for _ in range(20):
        if not await worker.work_once():
            return
    raise AssertionError("the worker never ran out of work")


async def _schedule(
    sessions: SessionFactory, *, now: datetime, enabled: bool = True
) -> int:
    async with sessions() as session, session.begin():
        return await schedule_daily_purges(
            session, now=now, months=MONTHS, enabled=enabled
        )


async def test_the_worker_purges_once_a_day(
    database_url: str, engine: AsyncEngine, sessions: SessionFactory
) -> None:
    org = await retention_org(sessions)
    settings = load_settings(
        database_url=database_url,
        secret_key="retention-worker-secret-0123456789",
        seed_demo=False,
    )
    clock = Clock(PURGE_AT)
    worker = Worker(Runtime(settings, engine, sessions), {}, clock=clock)
    # A worker starting at 10:30 queues today's purge (due at once) and tomorrow's.
    assert await _schedule(sessions, now=PURGE_AT) == 2
    assert await _schedule(sessions, now=PURGE_AT) == 0

    await _settle(worker)

    assert await comment_ids(sessions) == org.kept_comments
    async with sessions() as session:
        left = (await session.exec(select(Participation))).all()
        tallies = (await session.exec(select(ParticipationTally))).all()
        events = await list_events(session, organisation_id=org.organisation.id)
    assert {row.campaign_id for row in left} == {org.current.id}
    assert sum(tally.people for tally in tallies) == 11
    assert [(event.action, event.channel) for event in events] == [(PURGED, "worker")]
    jobs = await jobs_named(sessions, PURGE_JOB)
    assert [(job.dedupe_key.rsplit(":", 1)[1], job.status) for job in jobs] == [
        ("2028-03-02", DONE),
        ("2028-03-03", PENDING),
    ]
    assert jobs[1].run_at == datetime(2028, 3, 3, 2, 0, tzinfo=UTC)

    # The next night, what has since passed 24 months goes: the comments of
    # 2 March 2026 (the drafts went the first night, with the closed round's
    # participation). Responses and tallies stay.
    first = await snapshot(sessions)
    clock.now = jobs[1].run_at
    await _settle(worker)
    second = await snapshot(sessions)
    assert second["Draft"] == []
    async with sessions() as session:
        kept = await session.exec(
            select(Comment.id)
            .join(Response, col(Response.id) == col(Comment.response_id))
            .where(Response.campaign_id == org.current.id)
        )
        current = set(kept.all())
        events = await list_events(session, organisation_id=org.organisation.id)
    assert await comment_ids(sessions) == current
    assert events[0].subject.startswith(
        "comments: 3, drafts: 0, participation records: 0;"
    )
    for table in ("Response", "Answer", "Participation", "ParticipationTally"):
        assert second[table] == first[table]

    # The night after finds nothing, logs nothing, and queues the next night.
    clock.now += timedelta(days=1)
    await _settle(worker)
    assert await snapshot(sessions) == second
    assert [
        (job.dedupe_key.rsplit(":", 1)[1], job.status)
        for job in await jobs_named(sessions, PURGE_JOB)
    ] == [
        ("2028-03-02", DONE),
        ("2028-03-03", DONE),
        ("2028-03-04", DONE),
        ("2028-03-05", PENDING),
    ]


async def test_turning_automatic_purging_off_cancels_the_queued_runs(
    database_url: str, engine: AsyncEngine, sessions: SessionFactory
) -> None:
    await retention_org(sessions)
    before = await snapshot(sessions)
    await _schedule(sessions, now=PURGE_AT - timedelta(hours=9))
    assert await _schedule(sessions, now=PURGE_AT, enabled=False) == 0
    settings = load_settings(
        database_url=database_url,
        secret_key="retention-worker-secret-0123456789",
        seed_demo=False,
    )
    worker = Worker(
        Runtime(settings, engine, sessions), {}, clock=Clock(PURGE_AT + timedelta(2))
    )
    await _settle(worker)
    assert await snapshot(sessions) == before
    assert {job.status for job in await jobs_named(sessions, PURGE_JOB)} == {
        "cancelled"
    }
    # On again: today's and tomorrow's runs come back.
    await _schedule(sessions, now=PURGE_AT)
    assert [job.status for job in await jobs_named(sessions, PURGE_JOB)] == [
        PENDING,
        PENDING,
    ]


async def test_a_starting_worker_queues_every_organisations_purges(
    database_url: str, sessions: SessionFactory
) -> None:
    await retention_org(sessions)
    settings = load_settings(
        database_url=database_url,
        secret_key="retention-worker-secret-0123456789",
        seed_demo=False,
    )
    stop = asyncio.Event()

    async def started() -> None:
        stop.set()

    await run_worker(settings, stop=stop, deliveries={}, on_start=started)
    first = await jobs_named(sessions, PURGE_JOB)
    await run_worker(settings, stop=stop, deliveries={}, on_start=started)

    # Today's and tomorrow's, queued once however many times workers start.
    assert len(first) == 2
    assert {job.status for job in first} == {PENDING}
    assert [job.id for job in await jobs_named(sessions, PURGE_JOB)] == [
        job.id for job in first
    ]
