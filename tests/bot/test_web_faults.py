"""Faults while people answer: a web process killed, PostgreSQL restarted.

Real ``healthcheck serve`` and ``healthcheck worker`` processes, real people's
browsers over HTTP (``benchmarks/fixtures/crowd.py``): a browser whose request
fails reloads on the other web process and carries on, as a person would. Each
test checks that every response people sent is stored exactly once with exactly
their answers (compared whole, as multisets, because responses are anonymous)
and that the briefing the workers were sending at the time reached everyone
once. A worker killed mid-broadcast is in ``test_worker_faults.py``.

Also here: starting against a database one migration behind is refused with a
clear message, and ``healthcheck db upgrade`` fixes it.
"""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from private_postgres import private_postgres
from sqlalchemy import create_engine, pool, text

from benchmarks.fixtures.briefing_org import (
    SHORT_CHECK,
    Briefing,
    announce,
    build_briefing,
)
from benchmarks.fixtures.crowd import Pacing, Tally, briefing_burst
from benchmarks.fixtures.stored import Stored, sent, settle
from benchmarks.fixtures.topology import (
    HEALTHCHECK,
    Deployment,
    deployment,
    environment,
    ready,
    start_web,
)
from bot.cli import main
from bot.web.text import unavailable
from survey import migrate
from survey.db import sqlite_connect_hook, sync_url

PEOPLE = 40
PACING = Pacing(arrive_within=2.0, think_low=1.0, think_high=2.0)
OUTAGE_SECONDS = 3.0


async def _until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 90
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        await asyncio.sleep(0.01)  # noqa: ASYNC110 - watching other processes


async def _mid_broadcast(
    tally: Tally, running: Deployment, database_url: str, briefing: Briefing
) -> None:
    """Wait until everyone is answering, then send the briefing and see it start."""
    await _until(lambda: len(tally.latencies) >= PEOPLE, "an answer each")
    await announce(database_url, organisation_id=briefing.organisation_id)
    await _until(lambda: len(running.balancer.handed) >= 1, "the briefing going out")


def _assert_nothing_lost_nothing_twice(
    tally: Tally, crowd_answers: list[dict[str, object]], found: Stored
) -> None:
    assert tally.finished == PEOPLE
    assert found.completed == PEOPLE
    assert found.responses == sent(crowd_answers)
    assert found.sealed == 0, "the close wrote every sealed response"
    assert (found.delivered, found.delivered_keys) == (PEOPLE, PEOPLE)
    assert (found.done, found.parked, found.waiting) == (PEOPLE, 0, 0)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_a_web_process_killed_mid_answer_loses_no_answer(
    database_url: str, tmp_path: Path
) -> None:
    briefing = await build_briefing(
        database_url,
        slug="killed",
        people=PEOPLE,
        question_keys=SHORT_CHECK,
        announce_now=False,
    )
    at_kill: dict[str, int] = {}
    with deployment(
        database_url, organisation="killed", logs=tmp_path, webs=2, workers=1
    ) as running:

        async def kill_one(tally: Tally) -> None:
            await _mid_broadcast(tally, running, database_url, briefing)
            running.webs[0].kill()
            at_kill["answers"] = len(tally.latencies)
            at_kill["handed"] = len(running.balancer.handed)

        tally, crowd = await briefing_burst(
            running.web_urls,
            campaign_id=str(briefing.campaign_id),
            people=[str(person) for person in briefing.people],
            pacing=PACING,
            during=kill_one,
        )
        found = await settle(database_url, briefing, seconds=120)
        handed = running.balancer.handed
        survivors = [running.webs[1].alive(), running.workers[0].alive()]
    print(f"\nweb process killed at {at_kill}: {tally.describe()}")

    assert not running.webs[0].alive()
    assert all(survivors)
    assert at_kill["answers"] < len(tally.latencies), "people answered after it"
    assert tally.dropped >= 1, "some browser lost its connection to the killed one"
    assert tally.reloads >= 1
    assert tally.server_error_count == 0, tally.server_errors[:1]
    _assert_nothing_lost_nothing_twice(
        tally, [person.answers for person in crowd], found
    )
    assert set(handed.values()) == {1}, "a message was handed over twice"


async def test_postgres_restarting_mid_answer_loses_nothing_and_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    with private_postgres() as cluster:
        migrate.upgrade(cluster.url)
        briefing = await build_briefing(
            cluster.url,
            slug="restart",
            people=PEOPLE,
            question_keys=SHORT_CHECK,
            announce_now=False,
        )
        outage: dict[str, int] = {}
        with deployment(
            cluster.url, organisation="restart", logs=tmp_path, webs=2, workers=2
        ) as running:

            async def restart(tally: Tally) -> None:
                await _mid_broadcast(tally, running, cluster.url, briefing)
                answers, refused = len(tally.latencies), tally.statuses[503]
                await asyncio.to_thread(cluster.stop)
                await asyncio.sleep(OUTAGE_SECONDS)
                await asyncio.to_thread(cluster.start)
                outage["answers_before"] = answers
                outage["503_during"] = tally.statuses[503] - refused

            tally, crowd = await briefing_burst(
                running.web_urls,
                campaign_id=str(briefing.campaign_id),
                people=[str(person) for person in briefing.people],
                pacing=PACING,
                during=restart,
            )
            found = await settle(cluster.url, briefing, seconds=120)
            handed = running.balancer.handed
            confirmed = running.balancer.confirmed
            twice = await _history(cluster.url, [k for k, n in handed.items() if n > 1])
            alive = [process.alive() for process in running.webs + running.workers]
            logs = "".join(process.log_tail(400) for process in running.workers)
    print(f"\nPostgreSQL restarted ({outage}): {tally.describe()}")

    assert all(alive), "no process was restarted or died"
    assert outage["503_during"] >= 1, "requests in the outage were answered 503"
    assert outage["answers_before"] < len(tally.latencies)
    assert {status for status in tally.statuses if status >= 500} == {503}
    for page in tally.server_errors:
        assert unavailable() in page
        assert "Traceback" not in page
    _assert_nothing_lost_nothing_twice(
        tally, [person.answers for person in crowd], found
    )
    assert twice == [], f"handed over twice:\n{logs}"
    # A POST whose commit landed as the database went down loses its answer; the
    # worker then asks the inbox, which confirms it, and does not send it again.
    assert len(set(handed) | set(confirmed)) == PEOPLE
    assert "database unavailable, trying again" in logs


def test_a_database_one_migration_behind_is_refused_until_db_upgrade(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = environment(database_url, "westmere")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    assert main(["org", "create", "westmere", "Westmere"]) == 0
    migrate.downgrade(database_url, "-1")
    behind, head = migrate.current_revision(database_url), migrate.head_revision()
    assert behind is not None
    assert behind != head
    for command in (["serve", "--port", "8799"], ["worker"]):
        refused = subprocess.run(
            [str(HEALTHCHECK), *command],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert refused.returncode == 1
        assert "Traceback" not in refused.stdout + refused.stderr
        assert refused.stderr.splitlines() == [
            f"Error: The database schema is at {behind}, but this version needs "
            f"{head}. Run `healthcheck db upgrade` first."
        ]
    assert _organisations(database_url) == ["westmere"]

    capsys.readouterr()
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out == f"Database is at {head}.\n"
    web = start_web("web-after-upgrade", env, tmp_path)
    try:
        ready(web)
    finally:
        web.stop()
    assert _organisations(database_url) == ["westmere"]


def _organisations(database_url: str) -> list[str]:
    url = sync_url(database_url)
    engine = create_engine(url, poolclass=pool.NullPool)
    if url.get_backend_name() == "sqlite":
        sqlite_connect_hook(engine)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT slug FROM organisation"))
            return [str(row[0]) for row in rows]
    finally:
        engine.dispose()


async def _history(database_url: str, keys: list[str]) -> list[tuple[object, ...]]:
    """How the outbox saw messages that were handed over more than once."""
    if not keys:
        return []
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT idempotency_key, attempts, status, last_error "
                    "FROM outbox WHERE idempotency_key = ANY(:keys)"
                ),
                {"keys": keys},
            )
            return [tuple(row) for row in rows]
    finally:
        engine.dispose()
