"""The background worker: runs due jobs and sends the outbox, until stopped.

Any number of workers may run against PostgreSQL; on SQLite run one. Each job's
effects and its completion are one transaction; each message is leased, handed to
its platform, and its outcome recorded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from analytics.comment_jobs import queue_unread_campaigns  # registers its job
from bot.platforms.local import LocalChannelDelivery
from bot.runtime import Runtime, database_unreachable
from bot.settings import Settings
from survey.delivery.job_kinds import Deferred
from survey.delivery.job_runner import run_job
from survey.delivery.jobs import (
    Claims,
    LeaseLostError,
    claim_jobs,
    defer_job,
    fail_job,
    finish_job,
    release_jobs,
    renew_jobs,
)
from survey.delivery.outbox import Delivery, SendResult, claim_messages, record
from survey.models import Job, OutboxMessage
from survey.retention.jobs import schedule_daily_purges
from survey.schedule.plans import OPEN
from survey.schedule.pulses import PULSE_RUN

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0
OUTAGE_PAUSE_LONGEST = 8.0
"""Seconds between tries at most while the database cannot be reached."""
JOB_LEASE = timedelta(minutes=5)
"""A job's lease where it is not renewed (SQLite: one worker, no heartbeat)."""
RENEWALS_PER_LEASE = 3
"""A renewed lease is renewed this many times within its length."""
SEND_LEASE = timedelta(seconds=30)
WORKER_POOL = 5
"""Database connections a worker keeps: it sends in batches from few sessions."""

INVITING_JOBS = frozenset({OPEN, PULSE_RUN})
"""Jobs that send invitations: people are linked to chat accounts first."""

Clock = Callable[[], datetime]


@runtime_checkable
class LinksPeople(Protocol):
    """A delivery that can find roster people's chat accounts (Slack, by email)."""

    async def link_people(self, organisation_id: uuid.UUID, *, occasion: str) -> object:
        """Link the organisation's unlinked people; ``occasion`` keys the report."""
        ...


def _now() -> datetime:
    return datetime.now(UTC)


def default_deliveries(settings: Settings) -> dict[str, Delivery]:
    """The platforms this deployment delivers to (the local channel always)."""
    deliveries: dict[str, Delivery] = {
        "local": LocalChannelDelivery(
            base_url=settings.local_inbox_url, secret=settings.secret
        )
    }
    if settings.teams_enabled:
        from bot.teams.delivery import build_delivery

        deliveries["teams"] = build_delivery(settings)
    if settings.slack_enabled:
        from bot.slack.delivery import SlackDelivery

        deliveries["slack"] = SlackDelivery.from_settings(settings)
    return deliveries


class Worker:
    """One worker process's loop over the job table and the outbox."""

    def __init__(
        self,
        runtime: Runtime,
        deliveries: dict[str, Delivery],
        *,
        clock: Clock = _now,
        batch: int = 50,
        concurrency: int = 8,
        send_lease: timedelta = SEND_LEASE,
        job_lease: timedelta = JOB_LEASE,
        renew_leases: bool = False,
    ) -> None:
        self.runtime = runtime
        self.deliveries = deliveries
        self.clock = clock
        self.batch = batch
        self.concurrency = concurrency
        self.send_lease = send_lease
        self.platforms = tuple(deliveries)
        self.job_lease = job_lease
        self.renew_leases = renew_leases
        self.in_hand: Claims = {}
        """Jobs claimed and not yet settled (running or waiting their turn)."""
        self.interrupted: Claims = {}
        """Jobs in hand when the database went away, to hand back once it is back."""

    async def run(self, stop: asyncio.Event) -> None:
        """Work until ``stop`` is set, sleeping briefly whenever nothing is due.

        While the database cannot be reached (PostgreSQL restarting, say) the
        worker waits and tries again, longer each time, instead of exiting.
        Jobs in hand then (their transactions rolled back) are handed back as
        soon as the database answers again, so they run again within seconds,
        not when their lease would end. A message it had claimed is taken again
        once its (short) lease runs out, and one that may already have been
        handed over is checked with the platform before it is resent.

        With ``renew_leases`` a heartbeat renews the lease of every job in hand
        every third of ``job_lease``; it stops when the worker does, so a worker
        that dies leaves its jobs to others within one lease.
        """
        heartbeat = (
            asyncio.create_task(self._keep_leases(stop)) if self.renew_leases else None
        )
        try:
            await self._work_until(stop)
        finally:
            if heartbeat is not None:
                heartbeat.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await heartbeat

    async def _work_until(self, stop: asyncio.Event) -> None:
        pause = POLL_SECONDS
        while not stop.is_set():
            try:
                busy = await self.work_once()
            except Exception as error:
                if not database_unreachable(error):
                    raise
                self.interrupted.update(self.in_hand)
                self.in_hand.clear()
                log.warning(
                    "database unavailable, trying again in %.0f s: %s",
                    pause,
                    str(error).splitlines()[0] if str(error) else repr(error),
                )
                await _sleep(stop, pause)
                pause = min(pause * 2, OUTAGE_PAUSE_LONGEST)
                continue
            pause = POLL_SECONDS
            if not busy:
                await _sleep(stop, POLL_SECONDS)

    async def work_once(self) -> bool:
        """Run due jobs, then send due messages; True if anything was done."""
        if self.interrupted:
            await self._release_interrupted()
        jobs = await self._run_jobs()
        sent = await self._send_messages()
        return bool(jobs or sent)

    async def _run_jobs(self) -> int:
        now = self.clock()
        async with self.runtime.sessions() as session, session.begin():
            jobs = await claim_jobs(session, now=now, lease=self.job_lease, limit=10)
        self.in_hand.update({job.id: job.attempts for job in jobs})
        for job in jobs:
            await self._run_job(job)
            del self.in_hand[job.id]
        return len(jobs)

    async def _release_interrupted(self) -> None:
        """Hand back the jobs the database's outage interrupted."""
        async with self.runtime.sessions() as session, session.begin():
            released = await release_jobs(session, claims=self.interrupted)
        # Beside the outage warnings, so the log tells the whole story.
        log.warning("database back: %d interrupted job(s) due again", released)
        self.interrupted.clear()

    async def _keep_leases(self, stop: asyncio.Event) -> None:
        """Renew the lease of every job in hand until the worker stops."""
        every = self.job_lease.total_seconds() / RENEWALS_PER_LEASE
        while not stop.is_set():
            await _sleep(stop, every)
            claims = dict(self.in_hand)
            if not claims:
                continue
            try:
                async with self.runtime.sessions() as session, session.begin():
                    await renew_jobs(
                        session, claims=claims, until=self.clock() + self.job_lease
                    )
            except Exception as error:
                # Jobs whose transactions failed with the database are handed
                # back on reconnect; the heartbeat itself just tries again.
                level = (
                    logging.WARNING if database_unreachable(error) else logging.ERROR
                )
                log.log(level, "job leases not renewed: %r", error)

    async def _link_people(self, job: Job) -> None:
        """Before invitations go out, let each platform find people's accounts."""
        if job.kind not in INVITING_JOBS or job.organisation_id is None:
            return
        for delivery in self.deliveries.values():
            if not isinstance(delivery, LinksPeople):
                continue
            try:
                await delivery.link_people(job.organisation_id, occasion=job.dedupe_key)
            except Exception as error:
                if database_unreachable(error):
                    raise
                # Invitations still go out: unlinked people get the local channel.
                log.warning(
                    "linking people before %s failed", job.dedupe_key, exc_info=True
                )

    async def _run_job(self, job: Job) -> None:
        await self._link_people(job)
        try:
            async with self.runtime.sessions() as session, session.begin():
                await run_job(
                    session,
                    job=job,
                    now=self.clock(),
                    platforms=self.platforms,
                    secret=self.runtime.settings.secret,
                )
                await finish_job(session, job_id=job.id, attempts=job.attempts)
        except LeaseLostError:
            # Its lease ran out and another worker took it: this run's effects
            # were rolled back with the transaction, so it is done only once.
            log.warning("job %s was taken by another worker", job.dedupe_key)
        except Deferred as deferred:
            async with self.runtime.sessions() as session, session.begin():
                await defer_job(session, job_id=job.id, until=deferred.until)
        except Exception as error:
            if database_unreachable(error):
                raise  # not the job's fault: it is run again when its lease ends
            log.exception("job %s (%s) failed", job.dedupe_key, job.kind)
            async with self.runtime.sessions() as session, session.begin():
                await fail_job(session, job=job, error=repr(error), now=self.clock())

    async def _send_messages(self) -> int:
        now = self.clock()
        async with self.runtime.sessions() as session, session.begin():
            messages = await claim_messages(
                session, now=now, lease=self.send_lease, limit=self.batch
            )
        if not messages:
            return 0
        gate = asyncio.Semaphore(self.concurrency)

        async def deliver(message: OutboxMessage) -> SendResult | None:
            async with gate:
                if not self._time_left(message):
                    return None
                return await self._deliver(message)

        results = await asyncio.gather(*(deliver(message) for message in messages))
        # One transaction records the whole batch; a crash before it leaves the
        # batch in doubt, which the next attempt settles with already_delivered.
        async with self.runtime.sessions() as session, session.begin():
            for message, result in zip(messages, results, strict=True):
                if result is not None:
                    await record(
                        session, message=message, result=result, now=self.clock()
                    )
        return len(messages)

    def _time_left(self, message: OutboxMessage) -> bool:
        """Whether this worker may still start sending ``message``.

        A message waits its turn behind the rest of the batch. Once less than
        half its lease is left another worker may soon take it, and two sends
        in flight at once could both reach the platform; so it is left alone
        (and not recorded) for whoever claims it next, who checks first.
        """
        if message.locked_until is None:
            return True
        return self.clock() < message.locked_until - self.send_lease / 2

    async def _deliver(self, message: OutboxMessage) -> SendResult:
        delivery = self.deliveries.get(message.platform)
        if delivery is None:
            return SendResult(
                ok=False,
                error=f"no delivery configured for {message.platform}",
                permanent=True,
            )
        # An earlier attempt may have been handed over before a worker died.
        if message.attempts > 1 and await delivery.already_delivered(message):
            return SendResult(ok=True)
        return await delivery.send(message)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    """Wait ``seconds``, or less if ``stop`` is set meanwhile."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


async def _queue_retention_purges(runtime: Runtime) -> None:
    """Queue each organisation's nightly retention purge (kept if already queued).

    Each purge queues the next night's, so this only starts the chain; if the
    database is down just now, the next start (or a purge still queued) does it.
    """
    settings = runtime.settings
    try:
        async with runtime.sessions() as session, session.begin():
            await schedule_daily_purges(
                session,
                now=_now(),
                months=settings.retention_months,
                enabled=settings.retention_auto_purge,
            )
    except Exception as error:
        if not database_unreachable(error):
            raise
        log.warning("retention purges not queued: database unavailable (%s)", error)


async def _queue_unread_comments(runtime: Runtime) -> None:
    """Queue the comment model for comments it has not read (stored before it was)."""
    try:
        async with runtime.sessions() as session, session.begin():
            await queue_unread_campaigns(session, now=_now())
    except Exception as error:
        if not database_unreachable(error):
            raise
        log.warning("comment reading not queued: database unavailable (%s)", error)


async def run_worker(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    deliveries: dict[str, Delivery] | None = None,
    on_start: Callable[[], Awaitable[None]] | None = None,
) -> None:
    """Run a worker until SIGTERM/SIGINT or ``stop``."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    runtime = Runtime.build(settings, pool_size=WORKER_POOL)
    deliveries = deliveries or default_deliveries(settings)
    await _queue_retention_purges(runtime)
    await _queue_unread_comments(runtime)
    log.info("worker started")
    if on_start is not None:
        await on_start()
    try:
        # Only PostgreSQL takes several workers; there the job lease is short and
        # renewed. SQLite's single worker keeps the long lease: a renewal would
        # wait behind the running job's write lock.
        postgres = runtime.engine.dialect.name == "postgresql"
        worker = Worker(
            runtime,
            deliveries,
            send_lease=timedelta(seconds=settings.send_lease_seconds),
            job_lease=(
                timedelta(seconds=settings.job_lease_seconds) if postgres else JOB_LEASE
            ),
            renew_leases=postgres,
        )
        await worker.run(stop)
    finally:
        for delivery in deliveries.values():
            close = getattr(delivery, "close", None)
            if close is not None:
                await close()
        await runtime.close()
        log.info("worker stopped")
