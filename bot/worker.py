"""The background worker: works the job table and the outbox until stopped."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.runtime import Runtime
from bot.settings import Settings

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Poll for due work until ``stop`` is set or the process is signalled.

    Scheduling, reminders and the outbox arrive with the "closing the loop" work;
    until then the worker starts, checks the database and idles.
    """
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    runtime = Runtime.build(settings)
    log.info("worker started")
    try:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=POLL_SECONDS)
            except TimeoutError:
                continue
    finally:
        await runtime.close()
        log.info("worker stopped")
