"""The sealed response pool (README.md, anonymity rule 9), proved on the real tables.

A submit leaves only an opaque pool entry; responses appear in batches of at
least the minimum group size, or all at once at the close; a crash in the middle
of writing a batch loses nothing and writes nothing twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from builders import NOW, SECRET, full_answers, small_org
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import func, select

from survey.answering import DraftState, save_draft, submit
from survey.campaigns import close_campaign
from survey.db import SessionFactory
from survey.errors import SealedResponseError
from survey.migrate import current_revision, downgrade
from survey.models import (
    Answer,
    Campaign,
    Comment,
    Draft,
    Job,
    Organisation,
    Response,
    SealedResponse,
)
from survey.response_pool import DRAIN_JOB, PAD_TO, drain_pool, seal, unseal


async def _submit(
    sessions: SessionFactory, org: Any, index: int, **answers: Any
) -> None:
    person = org.people[index]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            state=DraftState(answers={**full_answers(), **answers}),
            now=NOW,
        )
    async with sessions() as session, session.begin():
        await submit(
            session, secret=SECRET, person=person, campaign=org.campaign, now=NOW
        )


async def _count(sessions: SessionFactory, model: Any) -> int:
    async with sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def _drain(sessions: SessionFactory, org: Any, *, closing: bool) -> int:
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        return await drain_pool(
            session, secret=SECRET, campaign=campaign, closing=closing
        )


async def test_a_submit_writes_only_a_sealed_entry_that_names_no_one(
    sessions: SessionFactory, engine: AsyncEngine
) -> None:
    org = await small_org(sessions)
    await _submit(sessions, org, 0, TX1="Tyler Jones needs a bigger team")
    assert await _count(sessions, Response) == 0
    assert await _count(sessions, Answer) == 0
    assert await _count(sessions, Comment) == 0
    assert await _count(sessions, Draft) == 0

    def columns(connection: Any) -> list[str]:
        return [
            column["name"]
            for column in inspect(connection).get_columns("sealed_response")
        ]

    async with engine.connect() as connection:
        assert sorted(await connection.run_sync(columns)) == [
            "campaign_id",
            "id",
            "sealed",
        ]
        rows = (await connection.execute(text("SELECT * FROM sealed_response"))).all()
    assert len(rows) == 1
    entry_id, campaign_id, sealed = rows[0]
    person = org.people[0]
    blob = bytes(sealed)
    for secret_text in ("Tyler", "agree", str(person.id), person.email, "Team A"):
        assert secret_text.encode() not in blob
    assert str(org.team.id).encode() not in blob
    # nonce + padded body + GCM tag: the length tells only a size class
    assert (len(blob) - 12 - 16) % PAD_TO == 0
    record = unseal(
        SECRET, entry_id=_uuid(entry_id), campaign_id=_uuid(campaign_id), sealed=blob
    )
    assert record["comments"] == [["TX1", "Tyler Jones needs a bigger team"]]
    with pytest.raises(SealedResponseError):
        unseal(
            b"another-secret-0123456789",
            entry_id=_uuid(entry_id),
            campaign_id=_uuid(campaign_id),
            sealed=blob,
        )


def _uuid(value: Any) -> Any:
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def test_an_entry_opens_only_as_itself_in_its_own_campaign() -> None:
    import uuid

    entry, campaign, other = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    record = {"answers": [["Q1", "agree"]], "comments": []}
    sealed = seal(SECRET, entry_id=entry, campaign_id=campaign, record=record)
    assert unseal(SECRET, entry_id=entry, campaign_id=campaign, sealed=sealed) == record
    with pytest.raises(SealedResponseError):
        unseal(SECRET, entry_id=entry, campaign_id=other, sealed=sealed)
    with pytest.raises(SealedResponseError):
        unseal(SECRET, entry_id=other, campaign_id=campaign, sealed=sealed)
    again = seal(SECRET, entry_id=entry, campaign_id=campaign, record=record)
    assert again != sealed, "a fresh nonce each time"


async def test_responses_wait_until_a_batch_of_the_minimum_group_size(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions, size=7)
    for index in range(4):
        await _submit(sessions, org, index, HOURS=index)
    assert await _drain(sessions, org, closing=False) == 0
    assert await _count(sessions, Response) == 0
    async with sessions() as session:
        drain_jobs = (
            await session.exec(select(Job).where(Job.kind == DRAIN_JOB))
        ).all()
    assert drain_jobs == [], "no batch asked for below the minimum"

    await _submit(sessions, org, 4, HOURS=4)
    async with sessions() as session:
        drain_jobs = (
            await session.exec(select(Job).where(Job.kind == DRAIN_JOB))
        ).all()
    assert len(drain_jobs) == 1
    assert drain_jobs[0].payload == {"campaign_id": str(org.campaign.id)}
    assert await _drain(sessions, org, closing=False) == 5
    assert await _count(sessions, Response) == 5
    assert await _count(sessions, SealedResponse) == 0
    async with sessions() as session:
        hours = (
            await session.exec(
                select(Answer.number).where(Answer.question_key == "HOURS")
            )
        ).all()
        comments = (await session.exec(select(Comment.text))).all()
    assert sorted(hours) == [0, 1, 2, 3, 4]
    assert comments == ["More staff."] * 5


async def test_the_close_writes_every_waiting_response_however_few(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await _submit(sessions, org, 0)
    await _submit(sessions, org, 1, HOURS=9)
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        await close_campaign(session, campaign=campaign, now=NOW, secret=SECRET)
    assert await _count(sessions, Response) == 2
    assert await _count(sessions, SealedResponse) == 0
    async with sessions() as session:
        response = (await session.exec(select(Response))).first()
    assert response is not None
    assert response.submitted_on == NOW.date()
    assert response.team_id == org.team.id
    assert (response.role, response.workforce) == ("social_worker", "social_work")


async def test_a_close_with_the_wrong_secret_closes_nothing_and_loses_nothing(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await _submit(sessions, org, 0)

    async def close_with(secret: bytes) -> None:
        async with sessions() as session, session.begin():
            campaign = await session.get(Campaign, org.campaign.id)
            assert campaign is not None
            await close_campaign(session, campaign=campaign, now=NOW, secret=secret)

    with pytest.raises(SealedResponseError, match="HEALTHCHECK_SECRET_KEY changed"):
        await close_with(b"rotated-secret-0123456789")
    assert await _count(sessions, SealedResponse) == 1
    async with sessions() as session:
        campaign = await session.get(Campaign, org.campaign.id)
    assert campaign is not None
    assert campaign.status == "open"
    await close_with(SECRET)
    assert await _count(sessions, Response) == 1


async def test_a_small_organisation_minimum_makes_smaller_batches(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        organisation = await session.get(Organisation, org.organisation.id)
        assert organisation is not None
        organisation.min_group_size = 3
        session.add(organisation)
    for index in range(3):
        await _submit(sessions, org, index)
    assert await _drain(sessions, org, closing=False) == 3


CRASH_MID_DRAIN = """
import asyncio, os, signal, uuid
from builders import SECRET
from survey.db import create_engine, session_factory
from survey.models import Campaign
from survey.response_pool import drain_pool

async def main():
    sessions = session_factory(create_engine({url!r}))
    async with sessions() as session:
        await session.begin()
        campaign = await session.get(Campaign, uuid.UUID({campaign!r}))
        written = await drain_pool(session, secret=SECRET, campaign=campaign,
            closing=True)
        assert written == {expected}, written
        await session.flush()
        print("written, not committed", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # before the commit, like a power cut

asyncio.run(main())
"""


async def test_a_process_killed_mid_drain_loses_nothing_and_writes_nothing_twice(
    sessions: SessionFactory, database_url: str
) -> None:
    org = await small_org(sessions)
    for index in range(6):
        await _submit(sessions, org, index, HOURS=index)
    script = textwrap.dedent(
        CRASH_MID_DRAIN.format(
            url=database_url, campaign=str(org.campaign.id), expected=6
        )
    )
    tests_dir = os.path.dirname(os.path.dirname(__file__))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tests_dir, os.getcwd()])}
    killed = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert "written, not committed" in killed.stdout
    await _wait_for_the_dead_connection(sessions)
    assert await _count(sessions, Response) == 0
    assert await _count(sessions, Answer) == 0
    assert await _count(sessions, SealedResponse) == 6

    assert await _drain(sessions, org, closing=True) == 6
    assert await _drain(sessions, org, closing=True) == 0
    assert await _count(sessions, Response) == 6
    assert await _count(sessions, Comment) == 6
    async with sessions() as session:
        hours = (
            await session.exec(
                select(Answer.number).where(Answer.question_key == "HOURS")
            )
        ).all()
    assert sorted(hours) == list(range(6))


async def _wait_for_the_dead_connection(sessions: SessionFactory) -> None:
    """Wait until PostgreSQL has rolled back the killed client's transaction."""
    for _ in range(100):
        async with sessions() as session:
            if session.bind.dialect.name != "postgresql":
                return
            others = (
                await session.exec(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = "
                        "current_database() AND pid <> pg_backend_pid() "
                        "AND state LIKE 'idle in transaction%'"
                    )
                )
            ).one()[0]
        if not others:
            return
        await asyncio.sleep(0.1)


POOL_REVISION = "0010_sealed_response_pool"


async def test_downgrading_past_the_pool_is_refused_while_responses_wait(
    sessions: SessionFactory, database_url: str
) -> None:
    org = await small_org(sessions)
    await _submit(sessions, org, 0)
    # Later revisions go first (SQLite runs each downgrade in its own transaction).
    await asyncio.to_thread(downgrade, database_url, POOL_REVISION)
    with pytest.raises(RuntimeError, match="close their campaigns"):
        await asyncio.to_thread(downgrade, database_url, "0008")
    assert current_revision(database_url) == POOL_REVISION
    assert await _count(sessions, SealedResponse) == 1
