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
        [--modes alone,paced,saturation]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from survey import migrate  # noqa: E402
from survey.campaigns import Audience, create_campaign, open_campaign  # noqa: E402
from survey.db import create_engine, session_factory  # noqa: E402
from survey.models import Person, Service, Team  # noqa: E402
from survey.organisations import create_organisation  # noqa: E402
from survey.questions.bank import load_all  # noqa: E402
from survey.questions.catalogue import sync_templates  # noqa: E402

POSTGRES_ADMIN = os.environ.get(
    "HEALTHCHECK_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
SECRET_KEY = "benchmark-secret-key-0123456789abcdef"
ORG = "bench"
HOST = "127.0.0.1"
TEMPLATE = "social-worker-health-check"
P99_TARGET_MS = 50.0
THROUGHPUT_TARGET = 0.25
ARRIVAL_SECONDS = 2.0
ALONE = 2
MODES = ("alone", "paced", "saturation")
"""Respondents answering one after another, each alone, for the service time."""
FIELD = re.compile(
    r'name="(campaign_id|question_id|form_token|csrf_token)" value="([^"]*)"'
)
CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')
RADIO = re.compile(
    r'type="(?:radio|checkbox)" name="answer" id="[^"]+" value="([^"]+)"'
)
NUMBER_MIN = re.compile(r'type="number"[^>]*min="(-?\d+)"')


@dataclass(frozen=True)
class Pacing:
    """How long a respondent reads each question before answering it."""

    low: float = 0.0
    high: float = 0.0

    def think(self, rng: random.Random) -> float:
        return rng.uniform(self.low, self.high) if self.high > 0 else 0.0

    @property
    def paced(self) -> bool:
        return self.high > 0


BACK_TO_BACK = Pacing()


@dataclass
class Timings:
    """Latencies in seconds, and the wall time they were measured over."""

    latencies: list[float] = field(default_factory=list)
    posts: list[float] = field(default_factory=list)
    gets: list[float] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    finishers: int = 0
    clients: int = 0
    cpu_seconds: float = 0.0
    client_cpu_seconds: float = 0.0

    @property
    def span(self) -> float:
        return self.finished - self.started

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.span if self.span > 0 else 0.0

    @property
    def cpu_ms_each(self) -> float:
        """Server CPU (user + system) per request measured."""
        count = len(self.latencies)
        return self.cpu_seconds * 1000 / count if count else float("nan")

    @property
    def client_cpu_ms_each(self) -> float:
        """This process's CPU (the simulated browsers) per request measured."""
        count = len(self.latencies)
        return self.client_cpu_seconds * 1000 / count if count else float("nan")

    def percentile(self, share: float, values: list[float] | None = None) -> float:
        ordered = sorted(self.latencies if values is None else values)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
        return ordered[index] * 1000


async def build_bench_org(url: str, people: int) -> None:
    """An organisation of ``people`` social workers with the health check open."""
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
            for number in range(people):
                session.add(
                    Person(
                        organisation_id=organisation.id,
                        name=f"Respondent {number + 1:03d}",
                        email=f"respondent{number + 1:03d}@bench.example",
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
                template_key=TEMPLATE,
                name="Bench health check",
                year=now.year,
                audience=Audience(workforce=["social_work"]),
                closes_at=now + timedelta(days=7),
            )
            await open_campaign(session, campaign=campaign, now=now)
    finally:
        await engine.dispose()


async def people_and_campaign(url: str) -> tuple[list[str], str]:
    from sqlmodel import col, select

    from survey.models import Campaign

    engine = create_engine(url)
    try:
        async with session_factory(engine)() as session:
            people = (
                await session.exec(select(Person.id).order_by(col(Person.email)))
            ).all()
            campaign = (await session.exec(select(Campaign.id))).one()
    finally:
        await engine.dispose()
    return [str(person) for person in people], str(campaign)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Server:
    """The running server: its address and process (for its CPU time)."""

    base: str
    pid: int

    def cpu_seconds(self) -> float:
        """User plus system CPU the server process has used so far (Linux)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1]
        except OSError:
            return float("nan")
        utime, stime = fields.split()[11:13]
        return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")


@contextmanager
def server(url: str, log: Path) -> Iterator[Server]:
    """``healthcheck serve`` on a free loopback port, stopped on the way out."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "HEALTHCHECK_SECRET_KEY": SECRET_KEY,
        "HEALTHCHECK_ORGANISATION": ORG,
        "HEALTHCHECK_SEED_DEMO": "false",
        # The simulated people sign in through the persona picker (loopback only).
        "HEALTHCHECK_MODE": "development",
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
            yield Server(base=base, pid=process.pid)
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


async def _think(pacing: Pacing, rng: random.Random, deadline: float) -> None:
    """Read the screen for a while, but not past the end of the run."""
    left = deadline - time.perf_counter()
    await asyncio.sleep(max(0.0, min(pacing.think(rng), left + 0.001)))


def _client(base: str, cookies: httpx.Cookies | None = None) -> httpx.AsyncClient:
    """One browser: a single kept-alive connection."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return httpx.AsyncClient(base_url=base, limits=limits, timeout=60, cookies=cookies)


@dataclass
class Respondent:
    """One simulated person: their cookies and the page in front of them."""

    person_id: str
    cookies: httpx.Cookies = field(default_factory=httpx.Cookies)
    html: str = ""


def _csrf(html: str) -> str:
    found = CSRF.search(html)
    return found.group(1) if found else ""


async def sign_in(base: str, respondent: Respondent, campaign_id: str) -> None:
    """Pick the persona and press Start: the first question is on screen."""
    async with _client(base) as client:
        picker = await client.get("/people")
        chat = await client.post(
            "/persona",
            data={"person_id": respondent.person_id, "csrf_token": _csrf(picker.text)},
            follow_redirects=True,
        )
        page = await client.post(
            "/start",
            data={"campaign_id": campaign_id, "csrf_token": _csrf(chat.text)},
            follow_redirects=True,
        )
        respondent.html = page.text
        respondent.cookies = client.cookies


async def answer_survey(
    base: str,
    respondent: Respondent,
    timings: Timings,
    pacing: Pacing,
    rng: random.Random,
    deadline: float,
) -> None:
    """Answer every question on screen until the review, then send the answers."""
    html = respondent.html
    async with _client(base, respondent.cookies) as client:
        # A fresh connection, opened before the first answer is timed: one kept
        # from signing in may have been closed by the server while others signed in.
        await client.get("/healthz")
        if pacing.paced:
            await asyncio.sleep(rng.uniform(0, ARRIVAL_SECONDS))
        for _ in range(200):
            data = next_answer(html)
            if data is None:
                break
            await _think(pacing, rng, deadline)
            if time.perf_counter() > deadline:
                return
            began = time.perf_counter()
            posted = await client.post("/answer", data=data)
            middle = time.perf_counter()
            if posted.status_code != 303:
                raise RuntimeError(f"answer refused ({posted.status_code})")
            shown = await client.get(posted.headers["location"])
            ended = time.perf_counter()
            timings.latencies.append(ended - began)
            timings.posts.append(middle - began)
            timings.gets.append(ended - middle)
            html = shown.text
        done = await client.post(
            "/answer", data={**dict(FIELD.findall(html)), "action": "submit"}
        )
        if done.status_code == 303 and done.headers["location"] == "/":
            timings.finishers += 1


async def answers_run(
    target: Server,
    people: list[str],
    campaign_id: str,
    pacing: Pacing,
    seconds: float,
    seed: int,
) -> Timings:
    """``people`` answering at once, each with ``pacing``, for at most ``seconds``.

    Everyone signs in and starts first (ten at a time, not timed), so the clock
    covers answering only.
    """
    timings = Timings(clients=len(people))
    rng = random.Random(seed)
    respondents = [Respondent(person_id) for person_id in people]
    gate = asyncio.Semaphore(10)

    async def arrive(respondent: Respondent) -> None:
        async with gate:
            await sign_in(target.base, respondent, campaign_id)

    await asyncio.gather(*map(arrive, respondents))
    cpu, client_cpu = target.cpu_seconds(), time.process_time()
    timings.started = time.perf_counter()
    deadline = timings.started + seconds
    await asyncio.gather(
        *(
            answer_survey(
                target.base,
                respondent,
                timings,
                pacing,
                random.Random(rng.random()),
                deadline,
            )
            for respondent in respondents
        )
    )
    timings.finished = time.perf_counter()
    timings.cpu_seconds = target.cpu_seconds() - cpu
    timings.client_cpu_seconds = time.process_time() - client_cpu
    return timings


async def alone_run(target: Server, people: list[str], campaign_id: str) -> Timings:
    """Each of ``people`` answers the whole health check in turn, with no pause."""
    found = Timings(clients=1)
    for number, person in enumerate(people):
        one = await answers_run(
            target, [person], campaign_id, BACK_TO_BACK, 600.0, number
        )
        found.latencies += one.latencies
        found.posts += one.posts
        found.gets += one.gets
        found.finishers += one.finishers
        found.cpu_seconds += one.cpu_seconds
        found.client_cpu_seconds += one.client_cpu_seconds
    return found


async def no_op_run(
    target: Server, clients: int, pacing: Pacing, seconds: float, seed: int
) -> Timings:
    """``clients`` calling ``GET /healthz`` with ``pacing`` for ``seconds``."""
    timings = Timings(clients=clients)
    rng = random.Random(seed)

    async def one(client: httpx.AsyncClient, own: random.Random) -> None:
        if pacing.paced:
            await asyncio.sleep(own.uniform(0, ARRIVAL_SECONDS))
        while True:
            await _think(pacing, own, deadline)
            if time.perf_counter() > deadline:
                return
            began = time.perf_counter()
            await client.get("/healthz")
            timings.latencies.append(time.perf_counter() - began)

    async with AsyncExitStack() as stack:
        browsers = [
            await stack.enter_async_context(_client(target.base))
            for _ in range(clients)
        ]
        for browser in browsers:
            await browser.get("/healthz")  # connected before the clock starts
        cpu, client_cpu = target.cpu_seconds(), time.process_time()
        timings.started = time.perf_counter()
        deadline = timings.started + seconds
        await asyncio.gather(
            *(one(browser, random.Random(rng.random())) for browser in browsers)
        )
        timings.finished = time.perf_counter()
        timings.cpu_seconds = target.cpu_seconds() - cpu
        timings.client_cpu_seconds = time.process_time() - client_cpu
    return timings


@dataclass(frozen=True)
class Plan:
    """What one engine's run does."""

    respondents: int
    think: Pacing
    paced_seconds: float
    saturation_seconds: float
    no_op_seconds: float
    modes: tuple[str, ...] = MODES

    @property
    def paced_no_op_seconds(self) -> float:
        """Long enough for every paced no-op client to call a few times."""
        return max(self.no_op_seconds, ARRIVAL_SECONDS + 3 * self.think.high)


def bench(label: str, url: str, plan: Plan) -> None:
    print(f"\n== {label}")
    migrate.upgrade(url)
    # The first respondent warms the server up and is not reported.
    group = plan.respondents
    asyncio.run(build_bench_org(url, 1 + ALONE + 2 * group))
    people, campaign_id = asyncio.run(people_and_campaign(url))
    warm_up, alone = people[:1], people[1 : 1 + ALONE]
    paced, saturated = (
        people[1 + ALONE : 1 + ALONE + group],
        people[1 + ALONE + group :],
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
    parser.add_argument("--engines", type=_engines, default="sqlite,postgres")
    parser.add_argument(
        "--modes",
        type=_modes,
        default=",".join(MODES),
        help="which runs, comma-separated: alone, paced, saturation",
    )
    args = parser.parse_args()
    plan = Plan(
        respondents=max(1, min(args.respondents, 500)),
        think=args.think,
        paced_seconds=max(5.0, min(args.paced_seconds, 600.0)),
        saturation_seconds=max(2.0, min(args.saturation_seconds, 300.0)),
        no_op_seconds=max(2.0, min(args.no_op_seconds, 300.0)),
        modes=args.modes,
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
