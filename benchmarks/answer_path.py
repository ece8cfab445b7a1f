"""How fast does a person move through a survey in the local web channel?

Starts the real server (``healthcheck serve``) on 127.0.0.1, creates a bench
organisation of 100 social workers with the social work health check open, and
has 100 simulated respondents answer the FULL health check at the same time over
HTTP, each with its own cookie. One answer is timed the way a browser does it:
``POST /answer`` (303) followed by the ``GET /?survey=...`` that draws the next
question. The same app's no-op ``GET /healthz`` is measured in the same run at
the same concurrency, and the script prints answers per second, p50/p95/p99 per
answer, and the ratios. Runs on SQLite, then on PostgreSQL when reachable.

Figures, not a test: it never fails on a number. Traffic goes only to 127.0.0.1
and every loop is bounded in count and time.

    python benchmarks/answer_path.py [--respondents 100] [--seconds 240]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey import migrate  # noqa: E402
from survey.campaigns import Audience, create_campaign, open_campaign  # noqa: E402
from survey.catalogue import sync_templates  # noqa: E402
from survey.db import create_engine, session_factory  # noqa: E402
from survey.models import Person, Service, Team  # noqa: E402
from survey.organisations import create_organisation  # noqa: E402
from survey.question_bank import load_all  # noqa: E402

POSTGRES_ADMIN = os.environ.get(
    "HEALTHCHECK_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SECRET_KEY = "benchmark-secret-key-0123456789abcdef"
ORG = "bench"
HOST = "127.0.0.1"
P99_TARGET_MS = 50.0
THROUGHPUT_TARGET = 0.25
FIELD = re.compile(r'name="(campaign_id|question_id|form_token)" value="([^"]*)"')
RADIO = re.compile(
    r'type="(?:radio|checkbox)" name="answer" id="[^"]+" value="([^"]+)"'
)
NUMBER_MIN = re.compile(r'type="number"[^>]*min="(-?\d+)"')


@dataclass
class Timings:
    """Latencies in seconds, and the wall time they were measured over."""

    latencies: list[float] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0

    @property
    def rate(self) -> float:
        span = self.finished - self.started
        return len(self.latencies) / span if span > 0 else 0.0

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
        return ordered[index] * 1000


async def build_bench_org(url: str, respondents: int) -> None:
    """An organisation of ``respondents`` social workers with the health check open."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    try:
        async with sessions() as session, session.begin():
            organisation = await create_organisation(
                session, slug=ORG, name="Benchmark Council"
            )
            await sync_templates(session, templates=load_all())
            service = Service(organisation_id=organisation.id, name="Adults")
            session.add(service)
            await session.flush()
            teams = []
            for number in range(10):
                team = Team(
                    organisation_id=organisation.id,
                    service_id=service.id,
                    name=f"Team {number + 1}",
                )
                session.add(team)
                teams.append(team)
            await session.flush()
            for number in range(respondents):
                session.add(
                    Person(
                        organisation_id=organisation.id,
                        name=f"Respondent {number + 1}",
                        email=f"respondent{number + 1}@bench.example",
                        team_id=teams[number % len(teams)].id,
                        role="social_worker",
                        employment_type="permanent",
                    )
                )
            await session.flush()
            now = datetime.now(UTC)
            campaign = await create_campaign(
                session,
                organisation_id=organisation.id,
                template_key="social-worker-health-check",
                name="Bench health check",
                year=now.year,
                audience=Audience(workforce=["social_work"]),
                closes_at=now + timedelta(days=7),
            )
            await open_campaign(session, campaign=campaign, now=now)
    finally:
        await engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(url: str, log: Path) -> Iterator[str]:
    """``healthcheck serve`` on a free loopback port, stopped on the way out."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HEALTHCHECK_SECRET_KEY": SECRET_KEY,
        "HEALTHCHECK_ORGANISATION": ORG,
        "HEALTHCHECK_SEED_DEMO": "false",
    }
    command = Path(sys.executable).parent / "healthcheck"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(command), "serve", "--host", HOST, "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://{HOST}:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("server did not start:\n" + log.read_text())
                time.sleep(0.2)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=15)


def next_answer(html: str) -> dict[str, str] | None:
    """What a respondent sends for the screen on ``html`` (None on the review)."""
    fields = dict(FIELD.findall(html))
    if fields.get("question_id") in (None, "__review__"):
        return None
    picked = RADIO.search(html)
    if picked:
        value = picked.group(1)
        data = {**fields, "action": "answer", "answer": value}
        if 'name="multiple"' in html:
            data["multiple"] = "1"
        return data
    number = NUMBER_MIN.search(html)
    if number:
        return {**fields, "action": "answer", "answer": str(int(number.group(1)) + 1)}
    return {**fields, "action": "answer", "answer": "More time for direct work."}


async def respondent(
    base: str,
    person_id: str,
    campaign_id: str,
    answers: Timings,
    posts: list[float],
    gets: list[float],
    submitted: list[str],
    deadline: float,
) -> int:
    """Answer the whole survey as one person; returns how many answers were sent."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await client.post("/persona", data={"person_id": person_id})
        page = await client.post(
            "/start", data={"campaign_id": campaign_id}, follow_redirects=True
        )
        html = page.text
        sent = 0
        for _ in range(200):
            data = next_answer(html)
            if data is None or time.monotonic() > deadline:
                break
            began = time.perf_counter()
            posted = await client.post("/answer", data=data)
            middle = time.perf_counter()
            if posted.status_code != 303:
                raise RuntimeError(f"answer refused ({posted.status_code})")
            shown = await client.get(posted.headers["location"])
            ended = time.perf_counter()
            answers.latencies.append(ended - began)
            posts.append(middle - began)
            gets.append(ended - middle)
            html = shown.text
            sent += 1
        if data is None:
            done = await client.post(
                "/answer", data={**dict(FIELD.findall(html)), "action": "submit"}
            )
            if done.status_code == 303 and done.headers["location"] == "/":
                submitted.append(person_id)
        return sent


async def no_op(base: str, clients: int, requests_each: int, timings: Timings) -> None:
    async def one() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base, limits=limits) as client:
            await client.get("/healthz")
            for _ in range(requests_each):
                began = time.perf_counter()
                await client.get("/healthz")
                timings.latencies.append(time.perf_counter() - began)

    timings.started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(clients)))
    timings.finished = time.perf_counter()


async def people_and_campaign(url: str) -> tuple[list[str], str]:
    from sqlmodel import select

    from survey.models import Campaign

    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            people = (await session.exec(select(Person.id))).all()
            campaign = (await session.exec(select(Campaign.id))).one()
    finally:
        await engine.dispose()
    return [str(person) for person in people], str(campaign)


def bench(label: str, url: str, respondents: int, seconds: float) -> None:
    print(f"\n== {label}")
    migrate.upgrade(url)
    asyncio.run(build_bench_org(url, respondents))
    people, campaign_id = asyncio.run(people_and_campaign(url))
    log = Path(tempfile.gettempdir()) / f"answer_path_{label.lower()}.log"
    with server(url, log) as base:
        answers = Timings()
        posts: list[float] = []
        gets: list[float] = []
        submitted: list[str] = []
        load_before = os.getloadavg()[0]
        deadline = time.monotonic() + seconds

        async def run_all() -> list[int]:
            answers.started = time.perf_counter()
            done = await asyncio.gather(
                *(
                    respondent(
                        base,
                        person,
                        campaign_id,
                        answers,
                        posts,
                        gets,
                        submitted,
                        deadline,
                    )
                    for person in people
                )
            )
            answers.finished = time.perf_counter()
            return list(done)

        counts = asyncio.run(run_all())
        noop = Timings()
        per_client = max(10, len(answers.latencies) // max(1, respondents))
        asyncio.run(no_op(base, respondents, per_client, noop))
    print(
        f"{len(submitted)} of {len(counts)} respondents answered the whole health "
        f"check and sent it: {len(answers.latencies)} answers in "
        f"{answers.finished - answers.started:.1f} s ({respondents} at once, no "
        f"think time; load average {load_before:.1f} before, "
        f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores)"
    )
    report("answer (POST /answer + GET next)", answers)
    print(
        f"   of which POST p50 {statistics.median(posts) * 1000:.1f} ms, "
        f"GET p50 {statistics.median(gets) * 1000:.1f} ms"
    )
    report("no-op (GET /healthz)", noop)
    ratio = answers.rate / noop.rate if noop.rate else float("nan")
    p99_ratio = answers.percentile(0.99) / noop.percentile(0.99)
    print(
        f"   throughput ratio {ratio:.2f} (target >= {THROUGHPUT_TARGET}: "
        f"{'met' if ratio >= THROUGHPUT_TARGET else 'MISSED'}); "
        f"p99 ratio {p99_ratio:.1f}x"
    )


def report(label: str, timings: Timings) -> None:
    p99 = timings.percentile(0.99)
    print(
        f"   {label}: {timings.rate:.0f}/s, p50 {timings.percentile(0.5):.1f} ms, "
        f"p95 {timings.percentile(0.95):.1f} ms, p99 {p99:.1f} ms "
        f"(target p99 < {P99_TARGET_MS:.0f} ms: "
        f"{'met' if p99 < P99_TARGET_MS else 'MISSED'})"
    )


@contextmanager
def postgres_database() -> Iterator[str | None]:
    name = f"hc_bench_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(
            POSTGRES_ADMIN, autocommit=True, connect_timeout=3
        ) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.Error as error:
        print(f"\n== PostgreSQL skipped: {str(error).splitlines()[0]}")
        yield None
        return
    try:
        yield f"{POSTGRES_ADMIN.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=180, help="per engine")
    parser.add_argument("--engines", default="sqlite,postgres")
    args = parser.parse_args()
    respondents = max(1, min(args.respondents, 500))
    seconds = max(5.0, min(args.seconds, 600.0))
    print(
        "Answer path of the local web channel: one answer = POST /answer (303) + "
        "GET of the next question, as a browser does."
    )
    engines = args.engines.split(",")
    if "sqlite" in engines:
        with tempfile.TemporaryDirectory() as folder:
            bench("SQLite", f"sqlite:///{folder}/bench.db", respondents, seconds)
    if "postgres" in engines:
        with postgres_database() as url:
            if url is not None:
                bench("PostgreSQL", url, respondents, seconds)


if __name__ == "__main__":
    main()
