"""The briefing burst: 300 people answer the health check at once, on PostgreSQL.

Starts the scale-out deployment of ``docs/deployment.md`` on this machine: a
fresh PostgreSQL database, two ``healthcheck serve`` processes on two loopback
ports and two ``healthcheck worker`` processes (delivering through a loopback
balancer). It builds an organisation of ``--people`` social workers (300) with
the social work health check open and a briefing to all of them scheduled for
now, which the workers send while people answer.

Then everyone arrives within ``--arrive`` seconds (5) -- the protected time at
a briefing -- each on one of the two web processes in turn, as a load balancer
spreads them. Each signs in, presses Start, and answers every question after
reading it for a think time drawn uniformly from ``--think`` (2-6 s), then sends
the answers. One answer is ``POST /answer`` (303) plus the ``GET`` of the next
question, timed together as a browser user waits for it. A browser drops a
connection idle for 2 s (before the server's 5 s), so after a long think the
time includes connecting again, for answers and the no-op alike.

Printed: answers per second, p50/p95/p99 answer latency, the 5xx count, stored
responses against what people sent (compared whole, as multisets, because
responses are anonymous), messages delivered and how often each was handed
over, and the same latency figures for the no-op ``GET /healthz`` under the same
number of paced clients, as the baseline. Figures, not a test: it never fails on
a number. Only 127.0.0.1 is contacted and every loop is bounded.

    python benchmarks/burst.py [--people 300] [--think 2-6] [--questions all]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixtures.briefing_org import (  # noqa: E402
    SHORT_CHECK,
    build_briefing,
)
from benchmarks.fixtures.crowd import (  # noqa: E402
    Pacing,
    Tally,
    briefing_burst,
    no_op_burst,
)
from benchmarks.fixtures.stored import Sheet, Stored, sent, settle  # noqa: E402
from benchmarks.fixtures.topology import Deployment, deployment  # noqa: E402
from survey import migrate  # noqa: E402

POSTGRES_ADMIN = os.environ.get(
    "HEALTHCHECK_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
ORG = "briefing"
P99_TARGET_MS = 200.0
DELIVERY_WAIT_SECONDS = 120.0


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    name = f"hc_burst_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_ADMIN, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{POSTGRES_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(args: argparse.Namespace) -> None:
    """Build, start, burst, read back, print."""
    keys = None if args.questions == "all" else SHORT_CHECK
    with fresh_database() as url, tempfile.TemporaryDirectory() as logs:
        migrate.upgrade(url)
        briefing = asyncio.run(
            build_briefing(url, slug=ORG, people=args.people, question_keys=keys)
        )
        print(
            f"{args.people} people, health check of "
            f"{'all questions' if keys is None else f'{len(keys)} questions'}; "
            f"{args.webs} web processes, {args.workers} workers, one PostgreSQL; "
            f"{os.cpu_count()} cores; load average before {_load()}"
        )
        with deployment(
            url,
            organisation=ORG,
            logs=Path(logs),
            webs=args.webs,
            workers=args.workers,
        ) as running:
            cpu_before, browsers_before = _cpu(running), time.process_time()
            tally, crowd = asyncio.run(
                briefing_burst(
                    running.web_urls,
                    campaign_id=str(briefing.campaign_id),
                    people=[str(person) for person in briefing.people],
                    pacing=args.pacing,
                )
            )
            cpu = _cpu(running) - cpu_before
            browsers = time.process_time() - browsers_before
            print(f"load average after the burst {_load()}")
            report_answers(args, tally, cpu, browsers)
            found = asyncio.run(settle(url, briefing, seconds=DELIVERY_WAIT_SECONDS))
            expected = sent(person.answers for person in crowd if person.finished)
            report_stored(args, tally, found, expected, running.balancer.handed)
            no_op = asyncio.run(
                no_op_burst(
                    running.web_urls,
                    clients=args.people,
                    pacing=args.pacing,
                    seconds=args.no_op_seconds,
                )
            )
        report_baseline(args, tally, no_op)


def report_answers(
    args: argparse.Namespace, tally: Tally, cpu: float, browsers: float
) -> None:
    """How the answering went."""
    pacing: Pacing = args.pacing
    print(
        f"arrivals over {pacing.arrive_within:g} s, think {pacing.think_low:g}-"
        f"{pacing.think_high:g} s per question; {tally.finished} of {args.people} "
        f"sent their answers in {tally.ended - tally.started:.1f} s"
    )
    _line("answer (POST /answer + GET next)", tally)
    answers = max(1, len(tally.latencies))
    print(
        f"  CPU per answer (sign-in and sending included): web processes and "
        f"workers {cpu * 1000 / answers:.1f} ms, simulated browsers "
        f"{browsers * 1000 / answers:.1f} ms"
    )
    p99 = tally.percentile_ms(0.99)
    print(
        f"  p99 answer / target: {p99:.0f} / {P99_TARGET_MS:.0f} ms "
        f"({'met' if p99 < P99_TARGET_MS else 'MISSED'})"
    )
    print(
        f"  5xx: {tally.server_error_count}; connections dropped: {tally.dropped} "
        f"{dict(tally.drops)}; answers refused as out of date: {tally.refused}"
    )


def report_stored(
    args: argparse.Namespace,
    tally: Tally,
    found: Stored,
    expected: Counter[Sheet],
    handed: Counter[str],
) -> None:
    """What the database and the inbox hold."""
    same = found.responses == expected
    print(
        f"stored responses: {sum(found.responses.values())} (participations "
        f"completed {found.completed}); expected {tally.finished}; identical to "
        f"what was sent: {'yes' if same else 'NO'}"
    )
    twice = sum(1 for n in handed.values() if n > 1)
    print(
        f"briefing messages: {found.delivered} delivered of {args.people}, "
        f"{found.delivered_keys} distinct; handed over twice: {twice}; "
        f"parked {found.parked}, still waiting {found.waiting}"
    )


def report_baseline(args: argparse.Namespace, tally: Tally, no_op: Tally) -> None:
    """The no-op under the same number of paced browsers, and the ratios."""
    _line(f"no-op (GET /healthz) for {args.no_op_seconds:g} s, same pacing", no_op)
    for share in (0.5, 0.99):
        ratio = tally.percentile_ms(share) / no_op.percentile_ms(share)
        print(f"  p{round(share * 100)} answer / no-op: {ratio:.1f}x")


def _line(label: str, tally: Tally) -> None:
    print(
        f"  {label}: {len(tally.latencies)} at {tally.answers_per_second:.0f}/s, "
        f"p50 {tally.percentile_ms(0.5):.0f} ms, p95 {tally.percentile_ms(0.95):.0f} "
        f"ms, p99 {tally.percentile_ms(0.99):.0f} ms"
    )


def _cpu(running: Deployment) -> float:
    return sum(process.cpu_seconds() for process in running.webs + running.workers)


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _pacing(value: str) -> tuple[float, float]:
    low, _, high = value.partition("-")
    try:
        pair = float(low), float(high or low)
    except ValueError:
        raise argparse.ArgumentTypeError("write the think time as LOW-HIGH") from None
    if not 0 <= pair[0] <= pair[1] <= 60:
        raise argparse.ArgumentTypeError("think time is LOW-HIGH seconds, 0-60")
    return pair


def main() -> None:
    """Parse the flags and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--think", type=_pacing, default=(2.0, 6.0), help="LOW-HIGH s")
    parser.add_argument("--arrive", type=float, default=5.0, help="seconds")
    parser.add_argument("--questions", choices=["all", "short"], default="all")
    parser.add_argument("--webs", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-op-seconds", type=float, default=20.0)
    args = parser.parse_args()
    args.people = max(1, min(args.people, 1000))
    args.webs = max(1, min(args.webs, 8))
    args.workers = max(0, min(args.workers, 8))
    args.no_op_seconds = max(2.0, min(args.no_op_seconds, 300.0))
    args.pacing = Pacing(max(0.0, min(args.arrive, 120.0)), *args.think)
    # Stopped with SIGTERM, still stop the processes and drop the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        run(args)
    except psycopg.OperationalError as error:
        print(f"PostgreSQL is needed and was not reachable: {error}".splitlines()[0])


if __name__ == "__main__":
    main()
