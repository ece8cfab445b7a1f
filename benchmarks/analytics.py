"""How long does a national round take to analyse and write out?

Builds a national-scale round in a real database (``fixtures/national_round.py``:
25,000 respondents to the social worker health check over 8 services and 120
teams, some too small to show, with an invitation list and a previous year of the
same size), then times, in one process:

(a) loading the round (``load_round``);
(b) the full results, end to end (``build_report``: names, both rounds, overall and
    every service, team and role group, with change on last year), and its CPU
    half alone (``assemble_report`` on the rounds already loaded);
(c) each report format (``analytics.writers.write_report``), if there;
(d) the baseline: one bare pandas groupby of % favourable per question per team on
    the same answers frame; and the ratio of every figure to it;
(e) the full report as ``healthcheck report`` makes it: ``build_report`` with the
    disclosure gate decided afresh (a new process has not decided it yet; later
    runs in one process reuse the decisions), then every format the report
    command writes, the charts drawn once and shared by HTML and DOCX.

Memory is the process's peak resident size during each step: ``getrusage``
maxrss, after resetting the high-water mark through ``/proc/self/clear_refs``
(Linux), so a step's peak is its own; the growth over the size at the step's
start is shown beside it. Where the mark cannot be reset, the first line says
so and each peak is the process's peak so far. CPU seconds (all the process's
threads) are shown beside wall seconds: on a busy machine they vary less.

Figures, not a test: nothing here fails on a number.

    python benchmarks/analytics.py [--respondents 25000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pandas as pd
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fixtures.national_round import build_fixture  # noqa: E402

from analytics.data import Round, earlier_campaign, load_names, load_round  # noqa: E402
from analytics.disclosure import _decide  # noqa: E402
from analytics.report import Report, assemble_report, build_report  # noqa: E402
from analytics.scoring import OPT_OUTS  # noqa: E402
from survey.db import create_engine, session_factory  # noqa: E402
from survey.models import Campaign, Organisation  # noqa: E402

FORMATS = ("html", "xlsx", "csv", "docx")
FULL_RESULTS_SECONDS = 5.0
FULL_RESULTS_BYTES = 1 << 30
RATIO_TARGET = 3.0
MiB = 1 << 20
CLEAR_REFS = Path("/proc/self/clear_refs")

T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    """One measured step: its best run's wall and CPU time, and memory."""

    seconds: float
    cpu: float  # CPU seconds of the process (every thread) in that run
    runs: int
    peak: int  # bytes resident at the step's peak
    growth: int  # bytes over the resident size at the step's start

    def ratio(self, step: Step) -> str:
        """``step`` as a multiple of this one (the baseline), wall and CPU."""
        return (
            f"   {step.seconds / self.seconds:6.1f}x wall, "
            f"{step.cpu / max(self.cpu, 1e-9):5.1f}x cpu of (d)"
        )

    def line(self, label: str, note: str = "") -> str:
        best = f"best of {self.runs}" if self.runs > 1 else "one run  "
        return (
            f"   {label:<40} {self.seconds:6.2f} s ({best}, cpu {self.cpu:5.2f} s)"
            f"   peak RSS {self.peak / MiB:5,.0f} MiB (+{self.growth / MiB:,.0f})"
            f"{note}"
        )


def reset_peak() -> int | None:
    """Reset the resident high-water mark; the size now, or None if it cannot."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return None
    return peak_resident()


def peak_resident() -> int:
    """The process's peak resident size in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def measure(run: Callable[[], Awaitable[T]], runs: int = 1) -> tuple[T, Step]:
    """Run ``run`` ``runs`` times: the best time, and the highest peak."""
    best = Step(float("inf"), 0.0, runs, 0, 0)
    for _ in range(runs):
        start = reset_peak()
        started, cpu = time.perf_counter(), time.process_time()
        result = await run()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = peak_resident()
        growth = peak - start if start is not None else 0
        best = Step(
            min(best.seconds, seconds),
            cpu if seconds < best.seconds else best.cpu,
            runs,
            max(best.peak, peak),
            max(best.growth, growth),
        )
    return result, best


def bare_favourable_by_team(round_: Round) -> pd.Series:
    """The baseline: % favourable per question per team in one groupby."""
    favourable = pd.MultiIndex.from_tuples(
        [
            (question.id, code)
            for question in round_.definition.questions
            for code in question.favourable_codes()
        ]
    )
    answers = round_.answers.merge(
        round_.responses[["response_id", "team_id"]], on="response_id"
    )
    real = answers[answers["option"].notna() & ~answers["option"].isin(OPT_OUTS)]
    pairs = pd.MultiIndex.from_arrays([real["question_key"], real["option"]])
    liked = pd.Series(pairs.isin(favourable), index=real.index)
    by = [real["team_id"], real["question_key"]]
    return liked.groupby(by, observed=True).mean() * 100


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


async def run_measurements(url: str, campaign_id: uuid.UUID, folder: Path) -> None:
    engine = create_engine(url, read_only=True)
    sessions = session_factory(engine)
    try:
        async with sessions() as session:
            campaign = await session.get(Campaign, campaign_id)
            assert campaign is not None
            organisation = await session.get(Organisation, campaign.organisation_id)
            assert organisation is not None
            names = await load_names(session, organisation_id=organisation.id)
            before = await earlier_campaign(session, campaign=campaign)
            assert before is not None

        async def load() -> Round:
            assert campaign is not None
            async with sessions() as session:
                return await load_round(session, campaign=campaign)

        async def report() -> Report:
            assert campaign is not None
            async with sessions() as session:
                return await build_report(session, campaign=campaign)

        current, loading = await measure(load, runs=2)
        async with sessions() as session:
            previous = await load_round(session, campaign=before)

        async def figures() -> Report:
            assert organisation is not None
            return assemble_report(organisation, names, current, previous=previous)

        async def baseline() -> pd.Series:
            return bare_favourable_by_team(current)

        async def cold_report() -> Report:
            # As in a new `healthcheck report` process: no decisions kept yet.
            _decide.cache_clear()
            return await report()

        async def full_report() -> Report:
            built = await cold_report()
            for fmt in FORMATS:
                await _write_once(built, fmt, folder)
            return built

        favourable, bare = await measure(baseline, runs=3)
        _, cold = await measure(cold_report, runs=1)
        built, full = await measure(report, runs=2)
        _, compute = await measure(figures, runs=3)
        _, whole = await measure(full_report, runs=1)
    finally:
        await engine.dispose()

    shown = (*built.by_service, *built.by_team, *built.by_role)
    hidden = sum(group.hidden is not None for group in shown)
    print(
        f"   {len(current.responses):,} responses and {len(current.answers):,} "
        f"answers this year; {len(shown) + 1} groups in the report, {hidden} hidden "
        f"by suppression; {len(favourable):,} team x question cells in the baseline\n"
    )
    print(loading.line("(a) load_round, one round", bare.ratio(loading)))
    print(cold.line("(b) build_report, gate decided afresh", bare.ratio(cold)))
    print(full.line("    build_report, gate already decided", bare.ratio(full)))
    print(compute.line("    its figures alone (assemble_report)", bare.ratio(compute)))
    for fmt in FORMATS:
        written = await _write(built, fmt, folder)
        if written is None:
            print(f"   (c) {fmt}: analytics.writers is not there yet")
            continue
        path, step = written
        size = path.stat().st_size / 1024
        print(
            step.line(
                f"(c) write_report {fmt}", f"{bare.ratio(step)}   {size:,.0f} KiB"
            )
        )
    print(bare.line("(d) baseline: bare groupby % favourable"))
    print(
        whole.line(
            "(e) full report, every format",
            f"{bare.ratio(whole)}   targets < {FULL_RESULTS_SECONDS:.0f} s: "
            f"{verdict(whole.seconds < FULL_RESULTS_SECONDS)}, < 1 GiB: "
            f"{verdict(whole.peak < FULL_RESULTS_BYTES)}",
        )
    )
    print()
    for label, step in (
        ("figures alone (assemble_report)", compute),
        ("build_report end to end, reading both rounds", full),
    ):
        ratio = step.seconds / bare.seconds
        print(
            f"   ratio to the baseline, {label}: {ratio:.1f}x wall, "
            f"{step.cpu / bare.cpu:.1f}x cpu (target < {RATIO_TARGET:.0f}: "
            f"{verdict(ratio < RATIO_TARGET)})"
        )


async def _write_once(report: Report, fmt: str, folder: Path) -> None:
    """Write one format, unmeasured (for the full report's own measure)."""
    from analytics.writers import write_report

    write_report(report, fmt, folder / f"full.{fmt}")


async def _write(report: Report, fmt: str, folder: Path) -> tuple[Path, Step] | None:
    try:
        from analytics.writers import write_report
    except ImportError:
        return None

    async def write() -> Path:
        return write_report(report, fmt, folder / f"report.{fmt}")

    return await measure(write)


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A scratch database on the server at ``admin_url``, dropped afterwards."""
    name = f"hc_bench_analytics_{uuid.uuid4().hex[:10]}"
    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{plain.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(plain, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def bench(label: str, url: str, respondents: int, folder: Path) -> None:
    print(f"\n== {label}: {respondents:,} respondents a year, two years")
    started = time.perf_counter()
    campaign_id, answers = build_fixture(url, respondents)
    print(
        f"   fixture: {answers:,} answer rows in both years, written in "
        f"{time.perf_counter() - started:.0f} s with bulk inserts (not measured)"
    )
    asyncio.run(run_measurements(url, campaign_id, folder))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=25_000)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="also run on PostgreSQL: a server URL whose user may create databases",
    )
    args = parser.parse_args()
    respondents = max(500, min(args.respondents, 100_000))
    memory = (
        "each step's own peak (the mark is reset before it)"
        if reset_peak() is not None
        else "the process's peak so far (the mark cannot be reset here)"
    )
    print(
        "Analytics on a national round. Times are wall seconds (and the process's "
        f"CPU seconds, steadier on a busy machine); peak RSS is getrusage maxrss, "
        f"{memory}."
    )
    with tempfile.TemporaryDirectory() as folder:
        bench("SQLite", f"sqlite:///{folder}/bench.db", respondents, Path(folder))
        if args.postgres:
            with postgres_database(args.postgres) as url:
                bench("PostgreSQL", url, respondents, Path(folder))


if __name__ == "__main__":
    main()
