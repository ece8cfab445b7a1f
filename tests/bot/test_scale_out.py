"""The scale-out deployment under the briefing burst, on PostgreSQL.

Exactly the topology of ``docs/deployment.md``, started for real: two
``healthcheck serve`` processes and two ``healthcheck worker`` processes against
one PostgreSQL database (the shared driver is ``benchmarks/fixtures/``, which
``benchmarks/burst.py`` uses too). 300 people arrive within three seconds and
answer a cut of the social work health check with one question of every kind
(a choice, a number, yes/no with a multiple-choice follow-up, free text),
reading each for 2-6 s, while the workers send a briefing to all of them.
Latency is printed, never asserted.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.fixtures.briefing_org import SHORT_CHECK, build_briefing
from benchmarks.fixtures.crowd import Pacing, briefing_burst
from benchmarks.fixtures.stored import sent, settle
from benchmarks.fixtures.topology import deployment

PEOPLE = 300
PACING = Pacing(arrive_within=3.0, think_low=2.0, think_high=6.0)


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
async def test_300_people_answer_at_once_on_two_web_processes_and_two_workers(
    database_url: str, tmp_path: Path
) -> None:
    briefing = await build_briefing(
        database_url, slug="briefing", people=PEOPLE, question_keys=SHORT_CHECK
    )
    with deployment(
        database_url, organisation="briefing", logs=tmp_path, webs=2, workers=2
    ) as running:
        tally, crowd = await briefing_burst(
            running.web_urls,
            campaign_id=str(briefing.campaign_id),
            people=[str(person) for person in briefing.people],
            pacing=PACING,
        )
        found = await settle(database_url, briefing, seconds=120)
        handed = running.balancer.handed
        alive = [process.alive() for process in running.webs + running.workers]
    print(f"\nscale-out burst: {tally.describe()}")

    assert tally.server_error_count == 0, tally.server_errors[:1]
    assert (tally.dropped, tally.reloads) == (0, 0), tally.drops
    assert tally.finished == PEOPLE
    answers = [person.answers for person in crowd]
    assert all(len(given) >= 4 for given in answers)
    assert found.completed == PEOPLE
    assert found.responses == sent(answers)
    assert found.sealed == 0, "the close wrote every sealed response"
    assert (found.delivered, found.delivered_keys) == (PEOPLE, PEOPLE)
    assert (found.done, found.parked, found.waiting) == (PEOPLE, 0, 0)
    assert len(handed) == PEOPLE
    assert set(handed.values()) == {1}, "a message was handed over twice"
    assert all(alive)
