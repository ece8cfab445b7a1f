"""Random command text: the grammar never raises; dispatch answers in our own words.

Whatever a person types after ``/healthcheck``, ``@Health Check`` or into the
local command box, the result is one of our own messages (help, a refusal, an
explanation of what is wrong), never an exception.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from builders import NOW, SECRET, org_with_teams
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.commands import CommandName, dispatch, parse
from bot.commands.grammar import Command
from bot.conversation.messages import Notice
from survey.db import SessionFactory, create_engine, session_factory
from survey.models import ManagerOf, Person

WORDS = [name.value for name in CommandName if name != CommandName.UNKNOWN]
HOSTILE = [
    "<!channel>",
    "<!here>",
    "@here",
    "<@U123>",
    "<at>x</at>",
    "{{DATE(2020-01-01T00:00:00Z)}}",
    "[x](https://evil.example)",
    "**x**",
    "<script>alert(1)</script>",
    '=HYPERLINK("https://evil.example")',
    '"',
    "'",
    "\u201c",
    "\x00",
    "\u202e",
    "9" * 400,
    "Team A",
    "Alpha",
    "Teams check 2026",
    "2026-02-30",
    "every",
    "monday",
    "09:00",
    "--dry-run",
    "feedback=yes",
]
typed = st.one_of(
    st.text(max_size=80),
    st.tuples(
        st.sampled_from(["", "/healthcheck ", "<@U0BOT> ", "<at>Health Check</at> "]),
        st.sampled_from(WORDS),
        st.lists(st.sampled_from(HOSTILE) | st.text(max_size=12), max_size=4),
    ).map(lambda parts: f"{parts[0]}{parts[1]} {' '.join(parts[2])}"),
)


@settings(max_examples=300, deadline=None)
@given(typed)
@example("<at></at>")
@example("<@>")
@example('"""')
def test_the_grammar_reads_any_text_without_raising(text: str) -> None:
    command = parse(text)
    assert isinstance(command, Command)
    assert command.name in CommandName
    assert all(arg.strip() for arg in command.args)


@pytest.fixture
def roster(sqlite_url: str) -> Iterator[tuple[SessionFactory, list[Person]]]:
    """A social worker, the manager of Alpha and the PSW, on SQLite."""
    engine = create_engine(sqlite_url)
    sessions = session_factory(engine)

    async def seed() -> list[Person]:
        _, _, people, teams = await org_with_teams(
            sessions, teams={"Alpha": ("Adults", 5), "Beta": ("Adults", 5)}
        )
        worker, manager, psw = people["Alpha"][0], people["Alpha"][1], people["Beta"][0]
        async with sessions() as session, session.begin():
            stored = await session.get(Person, psw.id)
            assert stored is not None
            stored.access = "psw"
            session.add(ManagerOf(person_id=manager.id, team_id=teams["Alpha"].id))
        return [worker, manager, stored]

    loop = asyncio.new_event_loop()
    people = loop.run_until_complete(seed())
    yield sessions, people
    loop.run_until_complete(engine.dispose())
    loop.close()


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.integers(0, 2), typed)
@example(1, "summary Beta")
@example(0, 'campaign close "Teams check 2026"')
@example(2, "campaign schedule Alpha 2026-02-30")
@example(2, "pulse schedule every 0 weeks")
@example(2, "target Alpha 200%")
@example(2, "action <!channel> [x](https://evil.example)")
def test_dispatch_answers_any_text_in_our_own_words(
    roster: tuple[SessionFactory, list[Person]], who: int, text: str
) -> None:
    sessions, people = roster
    result = asyncio.run(
        dispatch(sessions, secret=SECRET, person=people[who], text=text, now=NOW)
    )
    assert result.messages
    for message in result.messages:
        if isinstance(message, Notice):
            assert message.text.strip()
