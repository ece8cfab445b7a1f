"""A cancelled scheduled briefing is never delivered by the worker; the others are.

The real :class:`bot.worker.Worker` delivers through the real local channel to
the real web app's inbox on loopback; only the clock is the test's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta

import pytest
from builders import NOW, SECRET, SmallOrg, small_org
from fakes.flaky_platform import ServerThread
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.app import create_app
from bot.platforms.local import LocalChannelDelivery
from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from bot.worker import Worker
from survey.db import SessionFactory
from survey.follow_up.briefings import POST_BRIEFING, Briefing, create_briefing
from survey.follow_up.scheduled_posts import (
    CancelError,
    cancel_briefing,
    scheduled_briefings,
)
from survey.models import Job, LocalDelivery, OutboxMessage

LATER = NOW + timedelta(days=1)


class Clock:
    """The worker's idea of now; the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(
        database_url=database_url, secret_key=SECRET.decode(), seed_demo=False
    )


@pytest.fixture
def inbox(settings: Settings) -> Iterator[str]:
    with ServerThread(create_app(settings)) as server:  # type: ignore[arg-type]
        yield server.url


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
async def worker(
    settings: Settings,
    engine: AsyncEngine,
    sessions: SessionFactory,
    inbox: str,
    clock: Clock,
) -> AsyncIterator[Worker]:
    delivery = LocalChannelDelivery(base_url=inbox, secret=settings.secret)
    runtime = Runtime(settings=settings, engine=engine, sessions=sessions)
    yield Worker(runtime, {"local": delivery}, clock=clock)
    await delivery.close()


async def at(worker: Worker, clock: Clock, moment: datetime) -> None:
    clock.now = moment
    for _ in range(50):
        if not await worker.work_once():
            return
    raise AssertionError("the worker never ran out of work")


async def schedule(sessions: SessionFactory, org: SmallOrg, title: str) -> Briefing:
    async with sessions() as session, session.begin():
        return await create_briefing(
            session,
            organisation_id=org.organisation.id,
            title=title,
            body=f"{title}: sessions every morning.",
            at=LATER,
            now=NOW,
        )


async def delivered_titles(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        rows = (await session.exec(select(LocalDelivery))).all()
    return sorted(str(row.payload.get("title")) for row in rows)


async def test_a_cancelled_briefing_never_goes_and_the_other_goes_once(
    sessions: SessionFactory, worker: Worker, clock: Clock
) -> None:
    org = await small_org(sessions)
    kept = await schedule(sessions, org, "Practice week")
    dropped = await schedule(sessions, org, "Team away day")
    async with sessions() as session, session.begin():
        cancelled = await cancel_briefing(
            session,
            organisation_id=org.organisation.id,
            announcement_id=dropped.announcement.id,
        )
    assert cancelled.state == "cancelled"

    await at(worker, clock, NOW + timedelta(hours=1))
    assert await delivered_titles(sessions) == []

    await at(worker, clock, LATER + timedelta(minutes=1))
    await at(worker, clock, LATER + timedelta(days=2))

    assert await delivered_titles(sessions) == ["Practice week"]
    async with sessions() as session:
        outbox = (await session.exec(select(OutboxMessage))).all()
        jobs = {
            job.payload["announcement_id"]: job.status
            for job in (
                await session.exec(select(Job).where(Job.kind == POST_BRIEFING))
            ).all()
        }
        states = {
            item.announcement.title: item.state
            for item in await scheduled_briefings(
                session, organisation_id=org.organisation.id
            )
        }
    assert [message.payload["title"] for message in outbox] == ["Practice week"]
    assert jobs == {
        str(kept.announcement.id): "done",
        str(dropped.announcement.id): "cancelled",
    }
    assert states == {"Practice week": "posted", "Team away day": "cancelled"}

    # Once it has gone, it cannot be cancelled, and says so.
    with pytest.raises(CancelError) as caught:
        async with sessions() as session, session.begin():
            await cancel_briefing(
                session,
                organisation_id=org.organisation.id,
                announcement_id=kept.announcement.id,
                timezone="Europe/London",
            )
    assert str(caught.value).startswith("'Practice week' was already posted at ")
    assert str(caught.value).endswith(
        "so it cannot be cancelled: everyone it was for has it."
    )
