"""How close does a Slack fan-out get to Slack's rate limits, and is it exact?

Invites ``--people`` (5,000) people through the fake Slack Web API
(``tests/fakes/slack_api.py``, real HTTP on 127.0.0.1), which enforces a
per-method rate limit of ``--rate`` calls a second on ``chat.postMessage``,
``conversations.open`` and ``conversations.history`` and answers 429 with
``Retry-After`` beyond it. The real worker (``bot.worker.Worker`` with
``SlackDelivery``: outbox leases, metadata idempotency keys, stored DM channel
ids, the proactive throttle and slack-sdk's rate-limit retry handler) runs in a
separate process, as in production. Three runs on one database:

``first broadcast``
    Invitations to everyone: each needs ``conversations.open`` (DM ids are then
    stored) and ``chat.postMessage``.
``killed half way``
    Reminders to everyone; the worker gets SIGKILL when half are posted and a
    new worker takes over once the dead one's leases expire. Messages in doubt
    are checked against ``conversations.history`` (by the outbox key in each
    post's metadata) before any is sent again.
``second broadcast``
    Another reminder to everyone: DM channels are stored, so no
    ``conversations.open`` at all.

For each run it prints the sending time (first Slack call to last post) against
the time the limit allows (calls needed / rate, for the busiest method), the
429s Slack gave, and duplicates and losses counted per outbox key from what the
fake Web API received. Figures, not a test: it never fails on a number, and
with the defaults each run takes well under two minutes.

    python benchmarks/slack_fanout.py [--people 5000] [--rate 80]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import func  # noqa: E402
from sqlmodel import col, select  # noqa: E402

from bot.runtime import Runtime  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from bot.slack.delivery import EVENT_TYPE, SlackDelivery  # noqa: E402
from bot.slack.throttle import SlackLimits  # noqa: E402
from bot.worker import Worker  # noqa: E402
from survey import migrate  # noqa: E402
from survey.campaigns import Audience, create_campaign, open_campaign  # noqa: E402
from survey.db import SessionFactory, create_engine, session_factory  # noqa: E402
from survey.models import (  # noqa: E402
    Campaign,
    OutboxMessage,
    Participation,
    Person,
    Service,
    Team,
)
from survey.organisations import create_organisation  # noqa: E402
from survey.questions.bank import load_all  # noqa: E402
from survey.questions.catalogue import sync_templates  # noqa: E402
from survey.schedule.reminders import INVITATION, REMINDER, Messenger  # noqa: E402

SECRET = "slack-fanout-benchmark-secret-0123456789"
BOT_TOKEN = "xoxb-fake-bot-token"
SAFETY = 0.99
"""The worker's throttle runs this fraction of the limit, so jitter rarely 429s."""
BURST_SECONDS = 0.5
"""The worker banks up to half a second of calls; the fake allows a second's."""
BATCH = 200
"""Messages a worker leases at once; at the rate that is a few seconds of sends."""
CONCURRENCY = 64
LEASE_SECONDS = 4
"""Longer than a batch takes to send, as it must be with several workers."""


def settings_for(database_url: str, api_url: str) -> Settings:
    return load_settings(
        database_url=database_url,
        secret_key=SECRET,
        seed_demo=False,
        slack_enabled=True,
        slack_signing_secret="benchmark-signing-secret",
        slack_bot_token=BOT_TOKEN,
        slack_api_url=api_url,
        send_lease_seconds=LEASE_SECONDS,
    )


def limits(rate: float) -> SlackLimits:
    per_minute = rate * 60 * SAFETY
    return SlackLimits(
        per_method={
            "chat.postMessage": per_minute,
            "conversations.open": per_minute,
            "conversations.history": per_minute,
        },
        burst_seconds=BURST_SECONDS,
        per_channel_seconds=1.0,
    )


# -- the worker process --------------------------------------------------------


async def work(database_url: str, api_url: str, rate: float) -> None:
    """Run the real worker loop until SIGTERM (or SIGKILL, for the crash run)."""
    settings = settings_for(database_url, api_url)
    runtime = Runtime.build(settings)
    delivery = SlackDelivery.from_settings(settings, limits=limits(rate))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    worker = Worker(
        runtime,
        {"slack": delivery},
        batch=BATCH,
        concurrency=CONCURRENCY,
        send_lease=timedelta(seconds=LEASE_SECONDS),
    )
    try:
        while not stop.is_set():
            if not await worker.work_once():
                await asyncio.sleep(0.05)
    finally:
        await delivery.close()
        await runtime.close()


def start_worker(
    database_url: str, api_url: str, rate: float
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, __file__, "worker", database_url, api_url, str(rate)],
        cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


# -- setting up --------------------------------------------------------------


@dataclass
class Bench:
    """The organisation, campaign and people the runs write to."""

    sessions: SessionFactory
    reads: SessionFactory
    campaign: Campaign
    people: list[Person]


async def set_up(database_url: str, people: int, fake: object) -> Bench:
    migrate.upgrade(database_url)
    engine = create_engine(database_url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        organisation = await create_organisation(
            session, slug="fanout", name="Fan-out Council"
        )
        await sync_templates(session, templates=load_all())
        service = Service(organisation_id=organisation.id, name="Children's")
        session.add(service)
        await session.flush()
        team = Team(organisation_id=organisation.id, service_id=service.id, name="All")
        session.add(team)
        await session.flush()
        roster = [
            Person(
                organisation_id=organisation.id,
                name=f"Worker {n}",
                email=f"worker{n}@fanout.example",
                slack_id=f"U{n:08d}",
                team_id=team.id,
                role="social_worker",
                employment_type="permanent",
            )
            for n in range(people)
        ]
        session.add_all(roster)
        await session.flush()
        campaign = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key="pulse-check",
            name="Fan-out pulse",
            year=2026,
            audience=Audience(),
        )
        await open_campaign(session, campaign=campaign, now=datetime.now(UTC))
    for person in roster:
        assert person.slack_id is not None
        fake.add_user(person.slack_id, email=person.email)  # type: ignore[attr-defined]
    reads = session_factory(create_engine(database_url, read_only=True))
    return Bench(sessions, reads, campaign, roster)


async def queue(bench: Bench, kind: str, tag: str) -> list[str]:
    """Queue one message per person, keyed as the scheduler keys them."""
    now = datetime.now(UTC)
    keys = []
    async with bench.sessions() as session, session.begin():
        messenger = await Messenger.for_campaign(
            session, campaign=bench.campaign, platforms=("slack",), now=now
        )
        participations = {
            row.person_id: row
            for row in (
                await session.exec(
                    select(Participation).where(
                        Participation.campaign_id == bench.campaign.id
                    )
                )
            ).all()
        }
        for person in bench.people:
            key = f"{tag}:{bench.campaign.id}:{person.id}"
            await messenger.send(
                session,
                kind=kind,
                key=key,
                person=person,
                participation=participations[person.id],
                not_before=now,
            )
            keys.append(key)
    return keys


async def finished(bench: Bench, tag: str) -> int:
    async with bench.reads() as session:
        return (
            await session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    col(OutboxMessage.idempotency_key).startswith(tag + ":"),
                    col(OutboxMessage.status).in_(["done", "parked"]),
                )
            )
        ).one()


# -- a run -------------------------------------------------------------------


@dataclass
class Outcome:
    """One run's figures."""

    name: str
    seconds: float
    allowed: float
    refused: int
    opens: int
    posts: int
    history: int
    duplicates: int
    losses: int
    parked: int
    gap: float = 0.0


async def run(
    name: str,
    bench: Bench,
    fake: object,
    *,
    database_url: str,
    rate: float,
    kind: str,
    tag: str,
    kill_at: int | None = None,
) -> Outcome:
    keys = await queue(bench, kind, tag)
    calls_before = len(fake.calls)  # type: ignore[attr-defined]
    refused_before = sum(fake.refused.values())  # type: ignore[attr-defined]
    posts_before = fake.answered["chat.postMessage"]  # type: ignore[attr-defined]
    worker = start_worker(database_url, fake.api_url, rate)  # type: ignore[attr-defined]
    killed = False
    killed_at = 0.0
    try:
        deadline = time.monotonic() + 600
        while await finished(bench, tag) < len(keys):
            if kill_at is not None and not killed:
                posted = fake.answered["chat.postMessage"] - posts_before  # type: ignore[attr-defined]
                if posted >= kill_at:
                    worker.send_signal(signal.SIGKILL)
                    worker.wait()
                    killed = True
                    killed_at = time.monotonic()
                    worker = start_worker(database_url, fake.api_url, rate)  # type: ignore[attr-defined]
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name}: not finished in 10 minutes")
            await asyncio.sleep(0.05 if kill_at is not None and not killed else 0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    calls = fake.calls[calls_before:]  # type: ignore[attr-defined]
    methods = Counter(call.method for call in calls if call.status == 200)
    posts = [
        call
        for call in calls
        if call.method == "chat.postMessage" and call.status == 200
    ]
    seconds = posts[-1].at - calls[0].at if posts else 0.0
    busiest = max(methods["chat.postMessage"], methods["conversations.open"])
    gap = 0.0
    if killed:
        before = [call.at for call in calls if call.at <= killed_at]
        after = [call.at for call in calls if call.at > killed_at]
        gap = (after[0] - before[-1]) if before and after else 0.0
    delivered = _posted_keys(fake, tag)
    async with bench.reads() as session:
        parked = (
            await session.exec(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    col(OutboxMessage.idempotency_key).startswith(tag + ":"),
                    OutboxMessage.status == "parked",
                )
            )
        ).one()
    return Outcome(
        name=name,
        seconds=seconds,
        allowed=busiest / rate,
        refused=sum(fake.refused.values()) - refused_before,  # type: ignore[attr-defined]
        opens=methods["conversations.open"],
        posts=methods["chat.postMessage"],
        history=methods["conversations.history"],
        duplicates=sum(count - 1 for count in delivered.values() if count > 1),
        losses=len(set(keys) - set(delivered)),
        parked=parked,
        gap=gap,
    )


def _posted_keys(fake: object, tag: str) -> Counter[str]:
    keys: Counter[str] = Counter()
    with fake.lock:  # type: ignore[attr-defined]
        for messages in fake.messages.values():  # type: ignore[attr-defined]
            for message in messages:
                metadata = message.metadata or {}
                if metadata.get("event_type") != EVENT_TYPE:
                    continue
                key = str(metadata["event_payload"]["key"])
                if key.startswith(tag + ":"):
                    keys[key] += 1
    return keys


def report(outcomes: list[Outcome], people: int, rate: float) -> None:
    print()
    print(
        f"Slack fan-out to {people:,} people; the fake Web API allows {rate:g} calls/s "
        "per method (chat.postMessage, conversations.open, conversations.history) "
        "and answers 429 + Retry-After beyond that."
    )
    header = (
        f"{'run':<22}{'sending':>9}{'allowed':>9}{'ratio':>7}{'429s':>6}"
        f"{'opens':>7}{'posts':>7}{'history':>8}{'dupes':>7}{'lost':>6}{'parked':>8}"
    )
    print(header)
    print("-" * len(header))
    for o in outcomes:
        print(
            f"{o.name:<22}{o.seconds:>8.1f}s{o.allowed:>8.1f}s"
            f"{o.seconds / o.allowed if o.allowed else 0:>7.2f}{o.refused:>6}"
            f"{o.opens:>7}{o.posts:>7}{o.history:>8}{o.duplicates:>7}{o.losses:>6}"
            f"{o.parked:>8}"
        )
        if o.gap:
            print(
                f"{'':<22}(no Slack calls for {o.gap:.1f} s between the kill and the "
                f"new worker's first call; {o.history} in-doubt posts checked)"
            )
    print(
        "\nsending: first Slack call to last post. allowed: the busiest method's "
        "calls / the rate (the fastest the limit permits). ratio: sending / "
        "allowed (target 1.10 or less). dupes and lost are counted per outbox key "
        "from what Slack received. The killed run includes the dead worker's "
        f"{LEASE_SECONDS} s lease and the new process starting."
    )


async def main(people: int, rate: float) -> None:
    from fakes.flaky_platform import ServerThread
    from fakes.slack_api import FakeSlack

    fake = FakeSlack()
    for method in ("chat.postMessage", "conversations.open", "conversations.history"):
        fake.limit(method, int(rate), 1.0)
    with tempfile.TemporaryDirectory() as directory, ServerThread(fake.app()) as server:  # type: ignore[arg-type]
        fake.url = server.url
        database_url = f"sqlite:///{Path(directory) / 'fanout.db'}"
        bench = await set_up(database_url, people, fake)
        outcomes = [
            await run(
                "first broadcast",
                bench,
                fake,
                database_url=database_url,
                rate=rate,
                kind=INVITATION,
                tag="invite",
            ),
            await run(
                "killed half way",
                bench,
                fake,
                database_url=database_url,
                rate=rate,
                kind=REMINDER,
                tag="remind1",
                kill_at=people // 2,
            ),
            await run(
                "second broadcast",
                bench,
                fake,
                database_url=database_url,
                rate=rate,
                kind=REMINDER,
                tag="remind2",
            ),
        ]
    report(outcomes, people, rate)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        asyncio.run(work(sys.argv[2], sys.argv[3], float(sys.argv[4])))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=80.0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.people, arguments.rate))
