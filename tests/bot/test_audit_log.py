"""The audit log: who viewed or exported which results, and never who answered what.

One council per engine for the module; each test looks only at the events it
caused, so the order the tests run in does not matter.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from builders import NOW, SECRET
from export_builders import CAMPAIGN, Council, council_database
from sqlalchemy import inspect, update
from sqlmodel import col, select

from bot import cli
from bot.audit_cli import audit_table
from bot.commands import dispatch
from bot.commands.access import standing_of
from bot.commands.insights import summary_messages, target_messages
from survey.audit import record_event
from survey.db import SessionFactory, create_engine, session_factory
from survey.models import Answer, AuditEvent, Comment, Draft, Person, Response

LATER = NOW + timedelta(days=2)


@pytest.fixture(
    scope="module",
    params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
)
def council_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Council]]:
    with council_database(request, tmp_path_factory.mktemp("audit")) as built:
        yield built


@pytest.fixture
async def council_sessions(
    council_url: tuple[str, Council],
) -> AsyncIterator[SessionFactory]:
    engine = create_engine(council_url[0], pool_size=2)
    yield session_factory(engine)
    await engine.dispose()


async def _events(sessions: SessionFactory) -> dict[uuid.UUID, AuditEvent]:
    async with sessions() as session:
        return {e.id: e for e in (await session.exec(select(AuditEvent))).all()}


async def _one_new(
    sessions: SessionFactory, before: dict[uuid.UUID, AuditEvent]
) -> AuditEvent:
    new = [e for key, e in (await _events(sessions)).items() if key not in before]
    assert len(new) == 1, [(e.action, e.subject) for e in new]
    return new[0]


async def _ask(sessions: SessionFactory, person: Person, words: str) -> str:
    result = await dispatch(
        sessions, secret=SECRET, person=person, text=words, now=LATER, channel="local"
    )
    return " ".join(str(message) for message in result.messages)


@pytest.mark.parametrize(
    ("who", "words", "action", "subject"),
    [
        ("manager", "summary", "summary.viewed", f"{CAMPAIGN} · team Alpha"),
        ("psw", "themes", "themes.viewed", f"{CAMPAIGN} · whole organisation"),
        ("psw", "summary Gamma", "summary.viewed", f"{CAMPAIGN} · team Gamma"),
        ("psw", "summary Adults", "summary.viewed", f"{CAMPAIGN} · service Adults"),
    ],
)
async def test_each_view_by_command_is_logged_once(
    council_sessions: SessionFactory,
    council_url: tuple[str, Council],
    who: str,
    words: str,
    action: str,
    subject: str,
) -> None:
    person: Person = getattr(council_url[1], who)
    before = await _events(council_sessions)
    await _ask(council_sessions, person, words)
    event = await _one_new(council_sessions, before)
    assert (event.action, event.subject) == (action, subject)
    assert (event.actor, event.actor_person_id) == (person.name, person.id)
    assert event.organisation_id == council_url[1].organisation.id
    assert event.channel == "local"


async def test_a_refused_or_failed_view_logs_nothing(
    council_sessions: SessionFactory, council_url: tuple[str, Council]
) -> None:
    built = council_url[1]
    before = await _events(council_sessions)
    refused = await _ask(council_sessions, built.manager, "summary Beta")
    assert "only see summaries for the teams you manage" in refused
    unknown = await _ask(council_sessions, built.psw, "summary Nowhere")
    assert "I don't know 'Nowhere': it is not a survey, team or service." in unknown
    assert (await _events(council_sessions)).keys() == before.keys()


async def test_the_channel_and_a_target_are_recorded(
    council_sessions: SessionFactory, council_url: tuple[str, Council]
) -> None:
    built = council_url[1]
    async with council_sessions() as session:
        standing = await standing_of(session, person=built.psw)
    assert standing is not None
    before = await _events(council_sessions)
    await summary_messages(
        council_sessions,
        standing=standing,
        organisation=built.organisation,
        args=(),
        channel="slack",
    )
    viewed = await _one_new(council_sessions, before)
    assert (viewed.channel, viewed.subject) == (
        "slack",
        f"{CAMPAIGN} · whole organisation",
    )
    before = await _events(council_sessions)
    await target_messages(
        council_sessions,
        organisation=built.organisation,
        args=("q1", "75", "small-check"),
        standing=standing,
        channel="teams",
    )
    target = await _one_new(council_sessions, before)
    assert (target.action, target.channel, target.actor) == (
        "target.set",
        "teams",
        "Pat Principal",
    )
    assert target.subject == "small-check · Q1 target 75% favourable"


@pytest.mark.parametrize(
    ("words", "action"),
    [
        ("target Q1 60 small-check", "target.set"),
        ("trends small-check", "trends.viewed"),
        (f'participation "{CAMPAIGN}"', "participation.viewed"),
    ],
)
async def test_target_trends_and_participation_by_command_are_logged_once(
    council_sessions: SessionFactory,
    council_url: tuple[str, Council],
    words: str,
    action: str,
) -> None:
    before = await _events(council_sessions)
    await _ask(council_sessions, council_url[1].psw, words)
    event = await _one_new(council_sessions, before)
    assert (event.action, event.actor) == (action, "Pat Principal")


async def test_the_log_holds_no_respondent_data(
    council_sessions: SessionFactory, council_url: tuple[str, Council]
) -> None:
    built = council_url[1]
    for words in ("summary", "themes", "summary Alpha"):
        await _ask(council_sessions, built.psw, words)
    async with council_sessions() as session:
        events = (await session.exec(select(AuditEvent))).all()
        response_ids = {str(r) for r in (await session.exec(select(Response.id)))}
        comments = set((await session.exec(select(Comment.text))).all())
        options = {
            str(o)
            for o in (await session.exec(select(Answer.option))).all()
            if o is not None
        }
        drafts = set((await session.exec(select(Draft.key))).all())
        respondents = {p.id for p in (await session.exec(select(Person))).all()} - {
            built.psw.id,
            built.manager.id,
        }
    assert len(events) >= 3
    assert set(inspect(AuditEvent).columns.keys()) == {
        "id",
        "organisation_id",
        "at",
        "actor_person_id",
        "actor",
        "channel",
        "action",
        "subject",
    }
    for event in events:
        words = " ".join((event.actor, event.channel, event.action, event.subject))
        assert not [r for r in response_ids if r in words]
        assert not [c for c in comments if c in words]
        assert not [k for k in drafts if k in words]
        assert not set(words.replace("·", " ").split()) & options
        assert event.actor_person_id not in respondents
        assert str(event.id) not in response_ids


async def test_a_report_from_the_command_line_is_logged_once(
    council_url: tuple[str, Council],
    council_sessions: SessionFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", council_url[0])
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "teams-org")
    before = await _events(council_sessions)
    out = tmp_path / "report.csv"
    code = await _in_thread(
        cli.main, ["report", CAMPAIGN, "--format", "csv", "--out", str(out)]
    )
    assert code == 0
    assert out.is_file()
    event = await _one_new(council_sessions, before)
    assert event.action == "report.exported"
    assert event.channel == "cli"
    assert event.actor.startswith("command line (")
    assert event.subject == f"{CAMPAIGN} · csv · {out}"


async def _in_thread(main: object, argv: list[str]) -> int:
    """Run the CLI (which starts its own event loop) beside this test's loop."""
    import asyncio

    assert callable(main)
    result: int = await asyncio.to_thread(main, argv)
    return result


async def test_audit_list_prints_the_newest_first_within_the_options(
    council_url: tuple[str, Council],
    council_sessions: SessionFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    built = council_url[1]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", council_url[0])
    async with council_sessions() as session, session.begin():
        old = await record_event(
            session,
            organisation_id=built.organisation.id,
            actor="Pat Principal",
            channel="local",
            action="summary.viewed",
            subject="Old round · team Alpha",
        )
        await session.exec(
            update(AuditEvent)  # type: ignore[call-overload]
            .where(col(AuditEvent.id) == old.id)
            .values(at=datetime(2020, 1, 5, 9, 15, tzinfo=UTC))
        )
    capsys.readouterr()
    code = await _in_thread(cli.main, ["audit", "list", "--org", "teams-org"])
    assert code == 0
    lines = capsys.readouterr().out.splitlines()
    # On the council's clock (January: the same as UTC in London).
    assert lines[0].split() == [
        "When",
        "(Europe/London)",
        "Who",
        "Where",
        "What",
        "Which",
        "results",
    ]
    assert set(lines[1]) <= {"-", " "}
    assert lines[-1].split("  ")[0] == "2020-01-05 09:15"
    assert "Old round · team Alpha" in lines[-1]
    code = await _in_thread(
        cli.main, ["audit", "list", "--org", "teams-org", "--since", "2026-01-01"]
    )
    assert code == 0
    assert "Old round" not in capsys.readouterr().out
    code = await _in_thread(
        cli.main, ["audit", "list", "--org", "teams-org", "--limit", "1"]
    )
    assert code == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        (["--since", "yesterday"], "Error: --since must be a date like 2026-03-01"),
        (["--since", "2026-13-01"], "Error: --since must be a date like 2026-03-01"),
        (["--limit", "0"], "Error: --limit must be 1 or more, not 0."),
        (["--org", "nope"], "Error: There is no organisation 'nope'."),
    ],
)
async def test_a_bad_option_is_one_error_line_and_the_log_is_intact(
    council_url: tuple[str, Council],
    council_sessions: SessionFactory,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    option: list[str],
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", council_url[0])
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "teams-org")
    before = await _events(council_sessions)
    capsys.readouterr()
    assert await _in_thread(cli.main, ["audit", "list", *option]) == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(expected)
    assert captured.out == ""
    assert (await _events(council_sessions)).keys() == before.keys()


def test_an_empty_log_says_so() -> None:
    assert audit_table([]) == "No results have been viewed or exported in that time."
