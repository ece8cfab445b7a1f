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
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks.fixtures.fanout_bench import set_up  # noqa: E402
from benchmarks.fixtures.fanout_run import Outcome, run  # noqa: E402
from benchmarks.fixtures.slack_worker import LEASE_SECONDS  # noqa: E402
from survey.schedule.reminders import INVITATION, REMINDER  # noqa: E402


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--rate", type=float, default=80.0)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.people, arguments.rate))
