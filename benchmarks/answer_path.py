"""How fast does a person move through a survey in the local web channel?

Starts the real server (``healthcheck serve``, one process) on 127.0.0.1 and
creates a bench organisation of social workers with the social work health check
open. One answer is timed the way a browser does it: ``POST /answer`` (303)
followed by the ``GET /?survey=...`` that draws the next question. The same
app's no-op ``GET /healthz`` is the baseline, measured in the same run under the
same load. Each engine (SQLite, then PostgreSQL when reachable) gets these runs
(``--modes``, all three by default):

``alone``
    One respondent answers the whole health check with no pause: the service
    time of one answer on an otherwise idle server.
``paced`` (the primary figures)
    ``--respondents`` people (100) answer the whole health check at the same
    time, each reading every question for a think time drawn uniformly from
    ``--think`` (0.5-1.5 s; real people take longer) before answering it, and
    arriving over the first two seconds. Latency here is what a person waits
    for under a realistic concurrent load. Stopped at ``--paced-seconds``.
``realistic``
    ``--realistic-respondents`` people (300) answer at once through the one
    web process, each reading every question for ``--realistic-think`` (3-10 s,
    what people take) before answering it, for ``--realistic-seconds`` (60):
    the p99 a whole team answering together waits for.
``saturation``
    Another ``--respondents`` people answer back to back with no think time,
    for ``--saturation-seconds``: the most answers per second the server can
    take. Every answer then waits behind the others' (latency is about
    respondents / throughput for any endpoint), so its latency is printed but
    only its throughput is compared.
The no-op is measured alone, paced and at saturation with as many clients.

Figures, not a test: it never fails on a number. Traffic goes only to 127.0.0.1
and every loop is bounded in count and time.

    python benchmarks/answer_path.py [--respondents 100] [--engines sqlite,postgres]
        [--modes alone,paced,realistic,saturation] [--realistic-respondents 300]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.fixtures.answer_server import postgres_database, server  # noqa: E402
from benchmarks.fixtures.answer_timings import BACK_TO_BACK, Pacing, Timings  # noqa: E402
from benchmarks.fixtures.answering_org import (  # noqa: E402
    build_bench_org,
    people_and_campaign,
)
from benchmarks.fixtures.web_respondents import (  # noqa: E402
    ARRIVAL_SECONDS,
    alone_run,
    answers_run,
    no_op_run,
)
from survey import migrate  # noqa: E402

P99_TARGET_MS = 50.0
THROUGHPUT_TARGET = 0.25
MODES = ("alone", "paced", "realistic", "saturation")
ALONE = 2
"""Respondents answering one after another, each alone, for the service time."""


@dataclass(frozen=True)
class Plan:
    """What one engine's run does."""

    respondents: int
    think: Pacing
    paced_seconds: float
    saturation_seconds: float
    no_op_seconds: float
    modes: tuple[str, ...] = MODES
    realistic: int = 300
    realistic_think: Pacing = Pacing(3.0, 10.0)
    realistic_seconds: float = 60.0

    @property
    def paced_no_op_seconds(self) -> float:
        """Long enough for every paced no-op client to call a few times."""
        return max(self.no_op_seconds, ARRIVAL_SECONDS + 3 * self.think.high)

    @property
    def realistic_no_op_seconds(self) -> float:
        """Long enough for every realistic no-op client to call a few times."""
        return max(self.no_op_seconds, ARRIVAL_SECONDS + 3 * self.realistic_think.high)


def bench(label: str, url: str, plan: Plan) -> None:
    print(f"\n== {label}")
    migrate.upgrade(url)
    # The first respondent warms the server up and is not reported.
    group = plan.respondents
    crowd = plan.realistic if "realistic" in plan.modes else 0
    asyncio.run(build_bench_org(url, 1 + ALONE + 2 * group + crowd))
    people, campaign_id = asyncio.run(people_and_campaign(url))
    warm_up, alone = people[:1], people[1 : 1 + ALONE]
    paced, saturated, realistic = (
        people[1 + ALONE : 1 + ALONE + group],
        people[1 + ALONE + group : 1 + ALONE + 2 * group],
        people[1 + ALONE + 2 * group :],
    )
    log = Path(tempfile.gettempdir()) / f"answer_path_{label.lower()}.log"
    print(f"   load average before: {_load()} ({os.cpu_count()} cores)")
    with server(url, log) as target:

        async def runs() -> dict[str, Timings]:
            forever = 600.0
            await answers_run(target, warm_up, campaign_id, BACK_TO_BACK, forever, 0)
            found: dict[str, Timings] = {}
            if "alone" in plan.modes:
                found["alone"] = await alone_run(target, alone, campaign_id)
                found["no-op alone"] = await no_op_run(target, 1, BACK_TO_BACK, 2.0, 1)
            if "paced" in plan.modes:
                found["paced"] = await answers_run(
                    target, paced, campaign_id, plan.think, plan.paced_seconds, 2
                )
                found["no-op paced"] = await no_op_run(
                    target, group, plan.think, plan.paced_no_op_seconds, 3
                )
            if "realistic" in plan.modes:
                found["realistic"] = await answers_run(
                    target,
                    realistic,
                    campaign_id,
                    plan.realistic_think,
                    plan.realistic_seconds,
                    6,
                )
                found["no-op realistic"] = await no_op_run(
                    target,
                    len(realistic),
                    plan.realistic_think,
                    plan.realistic_no_op_seconds,
                    7,
                )
            if "saturation" in plan.modes:
                found["saturation"] = await answers_run(
                    target,
                    saturated,
                    campaign_id,
                    BACK_TO_BACK,
                    plan.saturation_seconds,
                    4,
                )
                found["no-op saturation"] = await no_op_run(
                    target, group, BACK_TO_BACK, plan.no_op_seconds, 5
                )
            return found

        found = asyncio.run(runs())
    print(f"   load average after:  {_load()}")
    _report_engine(found, plan)


def _report_engine(found: dict[str, Timings], plan: Plan) -> None:
    if "alone" in found:
        _report_alone(found)
    if "paced" in found:
        _report_paced(found, plan)
    if "realistic" in found:
        _report_realistic(found, plan)
    if "saturation" in found:
        _report_saturation(found, plan)


def _report_alone(found: dict[str, Timings]) -> None:
    alone = found["alone"]
    print(
        f" alone: {ALONE} respondents one after another, each answering the whole "
        f"health check ({len(alone.latencies)} answers) with no other load:"
    )
    print(
        f"   answer p50 {alone.percentile(0.5):.1f} ms (POST "
        f"{alone.percentile(0.5, alone.posts):.1f} + GET "
        f"{alone.percentile(0.5, alone.gets):.1f}), p95 "
        f"{alone.percentile(0.95):.1f} ms; CPU per answer: server "
        f"{alone.cpu_ms_each:.1f} ms, browsers {alone.client_cpu_ms_each:.1f} ms; "
        f"no-op p50 {found['no-op alone'].percentile(0.5):.1f} ms"
    )


def _report_paced(found: dict[str, Timings], plan: Plan) -> None:
    paced = found["paced"]
    think = plan.think
    print(
        f" paced (primary): {paced.clients} respondents at once, arriving over "
        f"{ARRIVAL_SECONDS:.0f} s, each reading every question for "
        f"{think.low:g}-{think.high:g} s (uniform) before answering; "
        f"{paced.finishers} of {paced.clients} sent the whole health check, "
        f"{len(paced.latencies)} answers in {paced.span:.1f} s"
        + (
            f" (stopped at {plan.paced_seconds:.0f} s)"
            if paced.finishers < paced.clients
            else ""
        )
    )
    _line("answer (POST /answer + GET next)", paced)
    _line(
        f"no-op (GET /healthz), same pacing for {plan.paced_no_op_seconds:.0f} s",
        found["no-op paced"],
    )
    p99 = paced.percentile(0.99)
    print(
        f"   p99 answer / target: {p99:.1f} / {P99_TARGET_MS:.0f} ms = "
        f"{p99 / P99_TARGET_MS:.2f} "
        f"({'met' if p99 < P99_TARGET_MS else 'MISSED'})"
    )


def _report_realistic(found: dict[str, Timings], plan: Plan) -> None:
    realistic = found["realistic"]
    think = plan.realistic_think
    print(
        f" realistic: {realistic.clients} respondents through the one web process, "
        f"arriving over {ARRIVAL_SECONDS:.0f} s, each reading every question for "
        f"{think.low:g}-{think.high:g} s (uniform) before answering; "
        f"{len(realistic.latencies)} answers in {realistic.span:.1f} s"
        + (
            f" (stopped at {plan.realistic_seconds:.0f} s)"
            if realistic.finishers < realistic.clients
            else ""
        )
    )
    _line("answer (POST /answer + GET next)", realistic)
    _line(
        f"no-op (GET /healthz), same pacing for {plan.realistic_no_op_seconds:.0f} s",
        found["no-op realistic"],
    )
    p99 = realistic.percentile(0.99)
    print(
        f"   p99 answer / target: {p99:.1f} / {P99_TARGET_MS:.0f} ms = "
        f"{p99 / P99_TARGET_MS:.2f} "
        f"({'met' if p99 < P99_TARGET_MS else 'MISSED'})"
    )


def _report_saturation(found: dict[str, Timings], plan: Plan) -> None:
    saturation = found["saturation"]
    print(
        f" saturation: {saturation.clients} other respondents answering back to "
        f"back, no think time, for {plan.saturation_seconds:.0f} s "
        f"({len(saturation.latencies)} answers, {saturation.finishers} finished); "
        "no-op with as many clients for "
        f"{plan.no_op_seconds:.0f} s. Latency here is queueing (about clients / "
        "throughput), not service time"
    )
    _line("answer (POST /answer + GET next)", saturation)
    noop = found["no-op saturation"]
    _line("no-op (GET /healthz)", noop)
    ratio = saturation.rate / noop.rate if noop.rate else float("nan")
    print(
        f"   throughput ratio answer / no-op: {saturation.rate:.0f} / "
        f"{noop.rate:.0f} = {ratio:.2f} (target >= {THROUGHPUT_TARGET}: "
        f"{'met' if ratio >= THROUGHPUT_TARGET else 'MISSED'})"
    )


def _line(label: str, timings: Timings) -> None:
    print(
        f"   {label}: {timings.rate:.0f}/s, p50 {timings.percentile(0.5):.1f} ms, "
        f"p95 {timings.percentile(0.95):.1f} ms, p99 {timings.percentile(0.99):.1f} "
        f"ms; CPU each: server {timings.cpu_ms_each:.2f} ms, browsers "
        f"{timings.client_cpu_ms_each:.2f} ms"
    )


def _load() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def _think_range(value: str) -> Pacing:
    low, _, high = value.partition("-")
    pacing = Pacing(float(low), float(high or low))
    if not 0 < pacing.low <= pacing.high <= 60:
        raise argparse.ArgumentTypeError("think time is LOW-HIGH seconds, 0 < LOW")
    return pacing


def _modes(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = sorted(set(chosen) - set(MODES))
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"modes are {', '.join(MODES)} (got {', '.join(unknown) or 'none'})"
        )
    return chosen


def _engines(value: str) -> tuple[str, ...]:
    chosen = tuple(part.strip() for part in value.split(",") if part.strip())
    unknown = sorted(set(chosen) - {"sqlite", "postgres"})
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"engines are sqlite, postgres (got {', '.join(unknown) or 'none'})"
        )
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100)
    parser.add_argument(
        "--think", type=_think_range, default=Pacing(0.5, 1.5), help="seconds, LOW-HIGH"
    )
    parser.add_argument("--paced-seconds", type=float, default=55.0)
    parser.add_argument("--saturation-seconds", type=float, default=12.0)
    parser.add_argument("--no-op-seconds", type=float, default=6.0)
    parser.add_argument("--realistic-respondents", type=int, default=300)
    parser.add_argument(
        "--realistic-think",
        type=_think_range,
        default=Pacing(3.0, 10.0),
        help="seconds, LOW-HIGH",
    )
    parser.add_argument("--realistic-seconds", type=float, default=60.0)
    parser.add_argument("--engines", type=_engines, default="sqlite,postgres")
    parser.add_argument(
        "--modes",
        type=_modes,
        default=",".join(MODES),
        help="which runs, comma-separated: alone, paced, realistic, saturation",
    )
    args = parser.parse_args()
    plan = Plan(
        respondents=max(1, min(args.respondents, 500)),
        think=args.think,
        paced_seconds=max(5.0, min(args.paced_seconds, 600.0)),
        saturation_seconds=max(2.0, min(args.saturation_seconds, 300.0)),
        no_op_seconds=max(2.0, min(args.no_op_seconds, 300.0)),
        modes=args.modes,
        realistic=max(1, min(args.realistic_respondents, 1000)),
        realistic_think=args.realistic_think,
        realistic_seconds=max(5.0, min(args.realistic_seconds, 600.0)),
    )
    print(
        "Answer path of the local web channel: one answer = POST /answer (303) + "
        "GET of the next question, as a browser does; one server process on "
        f"127.0.0.1, clients in this process, {os.cpu_count()} cores in all."
    )
    engines = args.engines
    if "sqlite" in engines:
        with tempfile.TemporaryDirectory() as folder:
            bench("SQLite", f"sqlite:///{folder}/bench.db", plan)
    if "postgres" in engines:
        with postgres_database() as url:
            if url is not None:
                bench("PostgreSQL", url, plan)


if __name__ == "__main__":
    main()
