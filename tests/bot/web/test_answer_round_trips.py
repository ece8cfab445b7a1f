"""One answer in the local channel costs a few database statements, and stores it.

An answer is a ``POST /answer`` and the ``GET`` of the next question. The post
reads the sign-in session with its person and team in the transaction that
stores the answer (no separate read session), reads the campaign with the
participation locked and the draft, and writes the draft and the progress count;
the page reads the session with its person and team, their open surveys and
their drafts. More statements than that is a regression on the
path a whole workforce takes at a briefing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from builders import SmallOrg, small_org
from sqlalchemy import event
from sqlmodel import select
from webchat import SECRET_KEY, Chat, TestClient

from bot.app import create_app
from bot.settings import load_settings
from survey.anonymity import draft_key
from survey.db import create_engine, session_factory
from survey.models import Draft, Participation, ParticipationStatus

POST_SELECTS = 3
"""Session with visitor; campaign with the participation locked; draft."""
POST_STATEMENTS = POST_SELECTS + 2
"""The reads, then write draft and progress."""
GET_STATEMENTS = 3
"""Session with visitor; open surveys with participation; drafts.

The session is looked up on every request (so sign-out and revoke take effect at
once); its last use is written at most once a minute, not within this test.
"""


def _org(url: str) -> SmallOrg:
    async def build() -> SmallOrg:
        engine = create_engine(url)
        try:
            return await small_org(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(build())


def _stored(url: str, org: SmallOrg) -> tuple[Draft | None, Participation]:
    async def read() -> tuple[Draft | None, Participation]:
        engine = create_engine(url)
        person = org.people[0]
        key = draft_key(
            SECRET_KEY.encode(), person_id=person.id, campaign_id=org.campaign.id
        )
        try:
            async with session_factory(engine)() as session:
                draft = await session.get(Draft, key)
                participation = (
                    await session.exec(
                        select(Participation).where(
                            Participation.person_id == person.id,
                            Participation.campaign_id == org.campaign.id,
                        )
                    )
                ).one()
                return draft, participation
        finally:
            await engine.dispose()

    return asyncio.run(read())


@pytest.fixture
def counted(database_url: str) -> Iterator[tuple[TestClient, list[str]]]:
    """A client of the app, and every statement its engines run, as they run."""
    settings = load_settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        organisation="test-org",
        seed_demo=False,
    )
    statements: list[str] = []

    def record(*args: Any) -> None:
        verb = str(args[2]).split()[0].upper()
        if verb in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            statements.append(verb)  # not SQLite's BEGIN IMMEDIATE

    with TestClient(create_app(settings)) as client:
        runtime = client.app.state.runtime  # type: ignore[attr-defined]
        engines = [runtime.engine, runtime.reader]
        for engine in engines:
            if engine is not None:
                event.listen(engine.sync_engine, "before_cursor_execute", record)
        yield client, statements


def test_an_answer_and_the_next_question_take_ten_statements(
    database_url: str, counted: tuple[TestClient, list[str]]
) -> None:
    org = _org(database_url)
    client, statements = counted
    chat = Chat(client)
    chat.pick(org.people[0])
    chat.start(org.campaign)
    assert chat.question == "Q1"
    posted = client.post(
        "/answer",
        data={**chat.form(), "action": "answer", "answer": "agree"},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    statements.clear()

    chat.answer("agree")  # the form is now out of date: refused, nothing stored
    assert chat.question == "HOURS"
    assert len(statements) <= POST_STATEMENTS + GET_STATEMENTS

    statements.clear()
    chat.answer("4")
    assert chat.question == "BULLIED"
    assert statements.count("SELECT") == POST_SELECTS + GET_STATEMENTS, statements
    assert statements.count("UPDATE") == 2, statements
    assert len(statements) == POST_STATEMENTS + GET_STATEMENTS, statements

    draft, participation = _stored(database_url, org)
    assert draft is not None
    assert draft.answers == {"Q1": "agree", "HOURS": 4}
    assert draft.current == "BULLIED"
    assert participation.status == ParticipationStatus.STARTED
    assert participation.answered == 2
