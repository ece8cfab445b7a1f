"""The in-process worker with a test clock: campaigns and pulses run themselves.

The worker is the real :class:`bot.worker.Worker`, delivering through the real
local channel (:class:`LocalChannelDelivery`) to the real web app's inbox served
on loopback. The clock is the only thing the tests control: they move it on and
let the worker catch up, then read the outbox and what the inbox received.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from builders import SECRET, answer_as, full_answers
from fakes.flaky_platform import ServerThread
from plan_builders import MONDAY, PlanOrg, address, draft, jobs_of, plan_org
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.app import create_app
from bot.platforms.local import LocalChannelDelivery
from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from bot.worker import Worker
from survey.campaigns import Audience
from survey.db import SessionFactory
from survey.models import (
    Campaign,
    CampaignStatus,
    LocalDelivery,
    OutboxMessage,
    Person,
)
from survey.schedule.plans import REMIND, schedule_campaign
from survey.schedule.pulses import create_pulse_schedule
from survey.schedule.reminders import set_muted
from survey.schedule.working_hours import parse_local_time

SECRET_KEY = SECRET.decode()
"""The web side (here ``answer_as``) and the worker share the server secret."""


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(typed: str) -> datetime:
    return parse_local_time(typed, timezone="Europe/London", what="time")


class Clock:
    """The worker's idea of now; the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(
        database_url=database_url, secret_key=SECRET_KEY, seed_demo=False
    )


@pytest.fixture
def inbox(settings: Settings) -> Iterator[str]:
    """The real web app, serving the local channel's inbox on loopback."""
    with ServerThread(create_app(settings)) as server:  # type: ignore[arg-type]
        yield server.url


@pytest.fixture
async def clock() -> Clock:
    return Clock(MONDAY)


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
    """Move the clock to ``moment`` and let the worker do everything due."""
    clock.now = moment
    for _ in range(50):
        if not await worker.work_once():
            return
    raise AssertionError("the worker never ran out of work")


async def delivered(sessions: SessionFactory, kind: str) -> Counter[str]:
    """How many messages of a kind the inbox received, per recipient."""
    async with sessions() as session:
        rows = (await session.exec(select(LocalDelivery))).all()
    return Counter(row.recipient for row in rows if row.payload.get("kind") == kind)


async def campaign_named(sessions: SessionFactory, name: str) -> Campaign:
    async with sessions() as session:
        return (await session.exec(select(Campaign).where(Campaign.name == name))).one()


async def scheduled(
    sessions: SessionFactory,
    org: PlanOrg,
    *,
    opens: str,
    closes: str,
    days: list[int],
    now: datetime,
    audience: Audience | None = None,
) -> Campaign:
    campaign = await draft(sessions, org, audience=audience)
    async with sessions() as session, session.begin():
        fresh = await session.get(Campaign, campaign.id)
        assert fresh is not None
        await schedule_campaign(
            session,
            campaign=fresh,
            opens_at=local(opens),
            closes_at=local(closes),
            reminder_days=days,
            now=now,
        )
    return campaign


async def test_a_campaign_runs_itself_from_schedule_to_close(
    sessions: SessionFactory, worker: Worker, clock: Clock
) -> None:
    org = await plan_org(sessions)
    campaign = await scheduled(
        sessions,
        org,
        opens="2026-12-01T09:00",
        closes="2026-12-21T17:00",
        days=[3, 7, -1],
        now=MONDAY,
    )
    finished, muting, leaver, *waiting = org.people["Team A"]

    await at(worker, clock, utc(2026, 12, 1, 8, 59))
    assert (await campaign_named(sessions, campaign.name)).status == "draft"

    await at(worker, clock, utc(2026, 12, 1, 9, 0))
    campaign = await campaign_named(sessions, campaign.name)
    assert campaign.status == "open"
    assert await delivered(sessions, "invitation") == Counter(
        {address(person): 1 for person in org.people["Team A"]}
    )
    await answer_as(sessions, finished, campaign, full_answers())
    async with sessions() as session, session.begin():
        await set_muted(session, person=muting, campaign=campaign, muted=True)
        gone = await session.get(Person, leaver.id)
        assert gone is not None
        gone.active = False
        session.add(gone)

    for moment in (
        utc(2026, 12, 4, 9, 0),  # day 3
        utc(2026, 12, 5, 11, 0),  # Saturday: nothing
        utc(2026, 12, 8, 9, 0),  # day 7
        utc(2026, 12, 21, 9, 0),  # the day before closing falls on Sunday
        utc(2026, 12, 21, 17, 0),  # close
        utc(2026, 12, 23, 10, 0),
    ):
        await at(worker, clock, moment)

    assert await delivered(sessions, "reminder") == Counter(
        {address(person): 3 for person in waiting}
    )
    assert (await campaign_named(sessions, campaign.name)).status == "closed"
    async with sessions() as session:
        statuses = (await session.exec(select(OutboxMessage.status))).all()
    assert set(statuses) == {"done"}
    assert len(statuses) == 6 + 3 * 3


async def test_a_second_worker_at_the_same_moment_sends_nothing_twice(
    sessions: SessionFactory, worker: Worker, clock: Clock, settings: Settings
) -> None:
    org = await plan_org(sessions)
    await scheduled(
        sessions,
        org,
        opens="2026-12-01T09:00",
        closes="2026-12-21T17:00",
        days=[3],
        now=MONDAY,
    )
    await at(worker, clock, utc(2026, 12, 1, 9, 0))
    other = Worker(worker.runtime, worker.deliveries, clock=clock)

    clock.now = utc(2026, 12, 4, 9, 0)
    if worker.runtime.engine.dialect.name == "postgresql":
        await asyncio.gather(worker.work_once(), other.work_once())
    else:  # SQLite runs one worker at a time
        await other.work_once()
    await at(worker, clock, utc(2026, 12, 4, 9, 5))
    await at(other, clock, utc(2026, 12, 4, 9, 10))

    assert await delivered(sessions, "reminder") == Counter(
        {address(person): 1 for person in org.people["Team A"]}
    )


@pytest.mark.parametrize(
    ("opens", "closes", "worker_back", "too_early", "expected"),
    [
        # Autumn: the clocks go back on Sunday 25 October. Day 4 is Friday 23
        # October 09:00 BST; the worker is down until 18:30 that evening.
        (
            "2026-10-19T09:00",
            "2026-10-30T17:00",
            utc(2026, 10, 23, 17, 30),
            utc(2026, 10, 26, 8, 30),  # 08:30 GMT: before work
            utc(2026, 10, 26, 9, 0),  # 09:00 GMT
        ),
        # Spring: the clocks go forward on Sunday 29 March.
        (
            "2026-03-23T09:00",
            "2026-04-03T17:00",
            utc(2026, 3, 27, 17, 30),
            utc(2026, 3, 30, 7, 59),
            utc(2026, 3, 30, 8, 0),  # 09:00 BST
        ),
    ],
)
async def test_a_late_reminder_waits_over_the_weekend_and_the_clock_change(
    sessions: SessionFactory,
    worker: Worker,
    clock: Clock,
    opens: str,
    closes: str,
    worker_back: datetime,
    too_early: datetime,
    expected: datetime,
) -> None:
    org = await plan_org(sessions)
    opening = local(opens)
    await scheduled(
        sessions,
        org,
        opens=opens,
        closes=closes,
        days=[4],
        now=opening - timedelta(days=7),
    )
    await at(worker, clock, opening)

    await at(worker, clock, worker_back)
    (job,) = await jobs_of(sessions, kind=REMIND)
    assert (job.status, job.run_at) == ("pending", expected)
    for quiet in (worker_back + timedelta(hours=16), too_early):
        await at(worker, clock, quiet)
        assert await delivered(sessions, "reminder") == Counter()

    await at(worker, clock, expected)

    assert sum((await delivered(sessions, "reminder")).values()) == 6


async def test_invitations_for_a_weekend_opening_wait_for_monday(
    sessions: SessionFactory, worker: Worker, clock: Clock
) -> None:
    org = await plan_org(sessions)
    await scheduled(
        sessions,
        org,
        opens="2026-12-05T10:00",
        closes="2026-12-18T17:00",
        days=[],
        now=MONDAY,
    )

    await at(worker, clock, utc(2026, 12, 5, 10, 0))
    campaign = await campaign_named(sessions, "Health check 2026")
    assert campaign.status == CampaignStatus.OPEN
    assert await delivered(sessions, "invitation") == Counter()

    await at(worker, clock, utc(2026, 12, 7, 9, 0))

    assert sum((await delivered(sessions, "invitation")).values()) == 6


async def test_a_recurring_pulse_rotates_and_rests_people_under_the_worker(
    sessions: SessionFactory, worker: Worker, clock: Clock
) -> None:
    org = await plan_org(
        sessions, teams={"Team A": ("Adults", 5), "Team B": ("Adults", 5)}
    )
    async with sessions() as session, session.begin():
        await create_pulse_schedule(
            session,
            organisation_id=org.organisation.id,
            audience=Audience(),
            every_weeks=2,
            questions_per_pulse=3,
            open_days=5,
            template_key="small-pulse",
            first_run_at=MONDAY,
            now=MONDAY,
        )
    # Team A has a health check in the first days of December.
    await scheduled(
        sessions,
        org,
        opens="2026-12-01T09:00",
        closes="2026-12-04T17:00",
        days=[],
        now=MONDAY,
        audience=Audience(teams=["Team A"]),
    )

    for day in range(0, 6 * 7, 1):
        await at(worker, clock, MONDAY + timedelta(days=day))

    async with sessions() as session:
        pulses = list(
            (
                await session.exec(
                    select(Campaign)
                    .where(col(Campaign.pulse_schedule_id).is_not(None))
                    .order_by(col(Campaign.opens_at))
                )
            ).all()
        )
    assert [pulse.question_keys for pulse in pulses] == [
        ["P1", "P2", "P3", "P3A"],
        ["P4", "P5", "P6"],
        ["P1", "P2", "P3", "P3A"],
    ]
    assert all(pulse.status == CampaignStatus.CLOSED for pulse in pulses)
    team_a = {address(person) for person in org.people["Team A"]}
    team_b = {address(person) for person in org.people["Team B"]}
    asked = [await invited_to(sessions, pulse) for pulse in pulses]
    # Team A rests from the pulses of 23 November (its health check opens within
    # 14 days) and 7 December (3 days after it closed), not from 21 December.
    assert asked == [team_b, team_b, team_a | team_b]
    invitations = await delivered(sessions, "invitation")
    assert invitations == Counter(
        {**{person: 2 for person in team_a}, **{person: 3 for person in team_b}}
    )


async def invited_to(sessions: SessionFactory, campaign: Campaign) -> set[str]:
    async with sessions() as session:
        rows = await session.exec(
            select(LocalDelivery).where(
                col(LocalDelivery.idempotency_key).startswith(f"invite:{campaign.id}:")
            )
        )
        return {row.recipient for row in rows.all()}
