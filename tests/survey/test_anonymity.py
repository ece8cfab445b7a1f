"""The anonymity model (README rules 1, 2 and 9), proved on the real tables."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import uuid
from datetime import timedelta
from typing import Any

import pytest
from builders import NOW, SECRET, full_answers, small_org
from sqlalchemy import Date, DateTime, event, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import func, select

from survey.anonymity import draft_key
from survey.answering import DraftState, load_draft, save_draft, submit
from survey.campaigns import close_campaign
from survey.db import SessionFactory, create_engine, session_factory
from survey.errors import AlreadySubmittedError, CampaignClosedError
from survey.models import (
    Answer,
    Campaign,
    Comment,
    Draft,
    Participation,
    ParticipationStatus,
    Response,
    SealedResponse,
)

ANONYMOUS_TABLES = ("response", "answer", "comment", "sealed_response")


async def _answer_and_submit(
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


async def _close(sessions: SessionFactory, org: Any) -> None:
    """Close the campaign, which writes every response waiting in the pool."""
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        await close_campaign(session, campaign=campaign, now=NOW, secret=SECRET)


async def _count(sessions: SessionFactory, model: Any) -> int:
    async with sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_anonymous_tables_have_no_identifying_or_precise_time_columns(
    engine: AsyncEngine,
) -> None:
    def columns(connection: Any) -> dict[str, list[dict[str, Any]]]:
        inspector = inspect(connection)
        return {table: inspector.get_columns(table) for table in ANONYMOUS_TABLES}

    async with engine.connect() as connection:
        found = await connection.run_sync(columns)
    identifying = ("person", "email", "slack", "teams", "user", "name", "platform")
    for table, table_columns in found.items():
        for column in table_columns:
            assert not any(word in column["name"] for word in identifying), (
                f"{table}.{column['name']} could identify a person"
            )
            assert not isinstance(column["type"], DateTime), (
                f"{table}.{column['name']} holds a time finer than a day"
            )
    assert [column["name"] for column in found["sealed_response"]] == [
        "id",
        "campaign_id",
        "sealed",
    ], "a pool entry carries a random id, the campaign and the sealed response only"
    response_types = {column["name"]: column["type"] for column in found["response"]}
    assert isinstance(response_types["submitted_on"], Date)


async def test_stored_responses_hold_no_person_or_platform_id(
    sessions: SessionFactory, engine: AsyncEngine
) -> None:
    org = await small_org(sessions)
    for index in range(len(org.people)):
        await _answer_and_submit(sessions, org, index)
    # Every response waits sealed in the pool until the close writes it: the
    # tables are read both while they wait and after.
    await _assert_names_no_one(org, engine)
    assert await _count(sessions, SealedResponse) > 0
    await _close(sessions, org)
    await _assert_names_no_one(org, engine)
    assert await _count(sessions, Response) == len(org.people)
    assert await _count(sessions, SealedResponse) == 0
    assert await _count(sessions, Draft) == 0


async def _assert_names_no_one(org: Any, engine: AsyncEngine) -> None:
    identifiers = set()
    for person in org.people:
        identifiers |= {
            str(person.id),
            person.id.hex,
            person.email,
            person.slack_id,
            person.name,
        }
    async with engine.connect() as connection:
        for table in (*ANONYMOUS_TABLES, "draft"):
            rows = (await connection.execute(text(f"SELECT * FROM {table}"))).all()
            for row in rows:
                for value in row:
                    as_text = str(value)
                    assert not any(
                        identifier and identifier in as_text
                        for identifier in identifiers
                    ), f"{table} holds {as_text!r}"


async def test_response_ids_are_not_in_submission_order(
    sessions: SessionFactory, engine: AsyncEngine
) -> None:
    org = await small_org(sessions, size=25)
    submitted = [f"submitter {n}" for n in range(25)]
    for n in range(25):
        await _answer_and_submit(sessions, org, n, TX1=submitted[n])
    await _close(sessions, org)
    async with engine.connect() as connection:
        # The order the table gives back: id order on SQLite (WITHOUT ROWID),
        # heap order on PostgreSQL.
        stored = (
            await connection.execute(
                text(
                    "SELECT r.id, (SELECT c.text FROM comment c "
                    "WHERE c.response_id = r.id) FROM response r"
                )
            )
        ).all()
        by_id = (
            await connection.execute(
                text(
                    "SELECT (SELECT c.text FROM comment c "
                    "WHERE c.response_id = r.id) FROM response r ORDER BY r.id"
                )
            )
        ).all()
        if connection.dialect.name == "sqlite":
            with pytest.raises(Exception, match="rowid"):
                await connection.execute(text("SELECT rowid FROM response"))
    stored_order = [row[1] for row in stored]
    assert sorted(stored_order) == sorted(submitted)
    # Written as one shuffled batch: neither the table's order nor the ids'
    # order is the submission order (a chance of 2 in 25! of a false alarm).
    assert stored_order not in (submitted, submitted[::-1])
    assert [row[0] for row in by_id] not in (submitted, submitted[::-1])
    assert all(uuid.UUID(str(row[0])).version == 4 for row in stored)


async def test_response_copies_roster_attributes_and_the_date_only(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await _answer_and_submit(sessions, org, 0)
    await _close(sessions, org)
    async with sessions() as session:
        response = (await session.exec(select(Response))).one()
        response_id = response.id
        answers = (
            await session.exec(select(Answer).where(Answer.response_id == response_id))
        ).all()
        comments = (
            await session.exec(
                select(Comment).where(Comment.response_id == response_id)
            )
        ).all()
    assert response is not None
    assert response.submitted_on == NOW.date()
    assert response.team_id == org.team.id
    assert response.role == "social_worker"
    assert response.workforce == "social_work"
    by_key = {answer.question_key: answer for answer in answers}
    assert by_key["Q1"].option == "agree"
    assert by_key["HOURS"].number == 4
    assert by_key["NPS"].number == 8
    assert "WHO" not in by_key, "a question whose condition failed is not stored"
    assert [comment.text for comment in comments] == ["More staff."]


async def test_a_person_cannot_submit_twice(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    await _answer_and_submit(sessions, org, 0)
    with pytest.raises(AlreadySubmittedError, match="already sent your answers"):
        async with sessions() as session, session.begin():
            await submit(
                session,
                secret=SECRET,
                person=org.people[0],
                campaign=org.campaign,
                now=NOW,
            )
    with pytest.raises(AlreadySubmittedError):
        async with sessions() as session, session.begin():
            await save_draft(
                session,
                secret=SECRET,
                person=org.people[0],
                campaign=org.campaign,
                state=DraftState(answers={"Q1": "agree"}),
                now=NOW,
            )
    assert await _count(sessions, SealedResponse) == 1


async def test_two_simultaneous_submits_record_one_response(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    person = org.people[0]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            state=DraftState(answers=full_answers()),
            now=NOW,
        )

    async def attempt() -> str:
        try:
            async with sessions() as session, session.begin():
                await submit(
                    session,
                    secret=SECRET,
                    person=person,
                    campaign=org.campaign,
                    now=NOW,
                )
        except AlreadySubmittedError:
            return "refused"
        return "stored"

    outcomes = await asyncio.gather(*(attempt() for _ in range(4)))
    assert sorted(outcomes) == ["refused", "refused", "refused", "stored"]
    assert await _count(sessions, SealedResponse) == 1
    assert await _count(sessions, Draft) == 0


async def test_draft_is_keyed_by_hmac_not_by_person(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    person = org.people[0]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            state=DraftState(answers={"Q1": "agree"}, current="HOURS"),
            now=NOW,
        )
    async with sessions() as session:
        drafts = (await session.exec(select(Draft))).all()
    assert len(drafts) == 1
    key = drafts[0].key
    assert key == draft_key(SECRET, person_id=person.id, campaign_id=org.campaign.id)
    assert key != draft_key(
        b"another-secret", person_id=person.id, campaign_id=org.campaign.id
    )
    assert str(person.id) not in key
    assert person.id.hex not in key


async def test_someone_elses_draft_is_never_loaded(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    author, other = org.people[0], org.people[1]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=author,
            campaign=org.campaign,
            state=DraftState(answers={"Q1": "strongly_disagree"}),
            now=NOW,
        )
    async with sessions() as session:
        seen_by_other = await load_draft(
            session, secret=SECRET, person=other, campaign=org.campaign
        )
        seen_by_author = await load_draft(
            session, secret=SECRET, person=author, campaign=org.campaign
        )
    assert seen_by_other.answers == {}
    assert seen_by_author.answers == {"Q1": "strongly_disagree"}


async def test_answering_a_closed_campaign_is_refused_and_keeps_the_draft(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    person = org.people[0]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            state=DraftState(answers={"Q1": "agree"}),
            now=NOW,
        )
        await close_campaign(session, campaign=org.campaign, now=NOW, secret=SECRET)
    later = NOW + timedelta(minutes=5)
    with pytest.raises(CampaignClosedError, match="no longer taking answers"):
        async with sessions() as session, session.begin():
            await save_draft(
                session,
                secret=SECRET,
                person=person,
                campaign=org.campaign,
                state=DraftState(answers={"Q1": "disagree"}),
                now=later,
            )
    with pytest.raises(CampaignClosedError):
        async with sessions() as session, session.begin():
            await submit(
                session, secret=SECRET, person=person, campaign=org.campaign, now=later
            )
    async with sessions() as session:
        kept = await load_draft(
            session, secret=SECRET, person=person, campaign=org.campaign
        )
    assert kept.answers == {"Q1": "agree"}
    assert await _count(sessions, Response) == 0
    assert await _count(sessions, SealedResponse) == 0


async def test_a_paused_draft_survives_a_process_restart(
    sessions: SessionFactory, database_url: str
) -> None:
    org = await small_org(sessions)
    person = org.people[0]
    script = textwrap.dedent(f"""
        import asyncio, os, uuid
        from builders import NOW, SECRET
        from survey.answering import DraftState, save_draft
        from survey.db import create_engine, session_factory
        from survey.models import Campaign, Person

        async def main():
            sessions = session_factory(create_engine({database_url!r}))
            async with sessions() as session, session.begin():
                person = await session.get(Person, uuid.UUID({str(person.id)!r}))
                campaign_id = uuid.UUID({str(org.campaign.id)!r})
                campaign = await session.get(Campaign, campaign_id)
                await save_draft(session, secret=SECRET, person=person,
                    campaign=campaign, now=NOW, state=DraftState(
                    answers={{"Q1": "agree", "HOURS": 7}}, current="BULLIED"))
            os._exit(0)  # die without any clean shutdown

        asyncio.run(main())
    """)
    tests_dir = os.path.dirname(os.path.dirname(__file__))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tests_dir, os.getcwd()])}
    await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", script],
        check=True,
        env=env,
        timeout=60,
    )
    fresh_engine = create_engine(database_url, pool_size=1)
    try:
        async with session_factory(fresh_engine)() as session:
            resumed = await load_draft(
                session, secret=SECRET, person=person, campaign=org.campaign
            )
    finally:
        await fresh_engine.dispose()
    assert resumed.answers == {"Q1": "agree", "HOURS": 7}
    assert resumed.current == "BULLIED"


@pytest.mark.parametrize(
    "failing_statement", ["DELETE FROM draft", "INSERT INTO sealed_response"]
)
async def test_a_failure_mid_submit_leaves_the_draft_and_no_response(
    sessions: SessionFactory, engine: AsyncEngine, failing_statement: str
) -> None:
    org = await small_org(sessions)
    person = org.people[0]
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.campaign,
            state=DraftState(answers=full_answers()),
            now=NOW,
        )

    def fail_on(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(failing_statement.upper()):
            raise RuntimeError("disk unplugged")

    event.listen(engine.sync_engine, "before_cursor_execute", fail_on)
    try:
        with pytest.raises(RuntimeError, match="disk unplugged"):
            async with sessions() as session, session.begin():
                await submit(
                    session,
                    secret=SECRET,
                    person=person,
                    campaign=org.campaign,
                    now=NOW,
                )
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", fail_on)

    assert await _count(sessions, SealedResponse) == 0
    assert await _count(sessions, Response) == 0
    assert await _count(sessions, Answer) == 0
    async with sessions() as session:
        kept = await load_draft(
            session, secret=SECRET, person=person, campaign=org.campaign
        )
        participation = (
            await session.exec(
                select(Participation).where(Participation.person_id == person.id)
            )
        ).one()
    assert kept.answers["Q1"] == "agree"
    assert participation.status == ParticipationStatus.STARTED

    async with sessions() as session, session.begin():
        await submit(
            session, secret=SECRET, person=person, campaign=org.campaign, now=NOW
        )
    assert await _count(sessions, SealedResponse) == 1
    assert await _count(sessions, Draft) == 0
    await _close(sessions, org)
    assert await _count(sessions, Response) == 1
    assert await _count(sessions, Answer) == 4
