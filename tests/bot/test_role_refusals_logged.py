"""Role escalation is refused and logged: staff at PSW commands, managers elsewhere.

The refusal a person sees, the unchanged database and the security log record
are shown through ``dispatch``; the record's details through the roster
standing that ``dispatch`` asks (``Standing.permits`` and ``Standing.manages``).
"""

from __future__ import annotations

import logging

import pytest
from builders import NOW, SECRET, org_with_teams
from sqlmodel import SQLModel, func, select

from bot.commands import dispatch
from bot.commands.access import Standing, standing_of
from bot.commands.grammar import CommandName
from bot.conversation.messages import Notice
from survey.db import SessionFactory
from survey.models import ManagerOf, Person

SECURITY = "healthcheck.security"


async def table_counts(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        return {
            name: (await session.exec(select(func.count()).select_from(table))).one()
            for name, table in SQLModel.metadata.tables.items()
        }


async def roster(sessions: SessionFactory) -> tuple[Person, Person, Person]:
    """A social worker, the manager of Alpha and the PSW."""
    _, _, people, teams = await org_with_teams(
        sessions, teams={"Alpha": ("Adults", 5), "Beta": ("Adults", 5)}
    )
    worker, manager, psw = people["Alpha"][0], people["Alpha"][1], people["Beta"][0]
    async with sessions() as session, session.begin():
        stored_psw = await session.get(Person, psw.id)
        assert stored_psw is not None
        stored_psw.access = "psw"
        session.add(ManagerOf(person_id=manager.id, team_id=teams["Alpha"].id))
    return worker, manager, psw


async def standing(sessions: SessionFactory, person: Person) -> Standing:
    async with sessions() as session:
        found = await standing_of(session, person=person)
    assert found is not None
    return found


def refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == SECURITY]


@pytest.mark.parametrize(
    "typed",
    ['campaign close "Teams check 2026"', "brief Alpha"],
)
async def test_a_social_worker_at_a_psw_command_is_refused_and_nothing_changes(
    sessions: SessionFactory, typed: str, caplog: pytest.LogCaptureFixture
) -> None:
    worker, _, _ = await roster(sessions)
    before = await table_counts(sessions)

    with caplog.at_level(logging.INFO):
        result = await dispatch(
            sessions, secret=SECRET, person=worker, text=typed, now=NOW
        )

    [record] = refusals(caplog)
    assert record.facts["person"] == str(worker.id)  # type: ignore[attr-defined]
    assert record.facts["needed"] == "psw"  # type: ignore[attr-defined]

    (notice,) = result.messages
    assert isinstance(notice, Notice)
    assert notice.text.startswith("Only the Principal Social Worker can use")
    assert "Nothing was changed." in notice.text
    assert await table_counts(sessions) == before


@pytest.mark.parametrize("typed", ["summary Beta", "participation Beta"])
async def test_a_manager_naming_another_team_is_refused_and_nothing_changes(
    sessions: SessionFactory, typed: str, caplog: pytest.LogCaptureFixture
) -> None:
    _, manager, _ = await roster(sessions)
    before = await table_counts(sessions)

    with caplog.at_level(logging.INFO):
        result = await dispatch(
            sessions, secret=SECRET, person=manager, text=typed, now=NOW
        )

    [record] = refusals(caplog)
    assert record.refusal == "team"  # type: ignore[attr-defined]
    expected = {"person": str(manager.id), "team": "Beta"}
    assert record.facts == expected  # type: ignore[attr-defined]

    said = " ".join(m.text for m in result.messages if isinstance(m, Notice))
    assert "for the teams you manage" in said
    assert "Alpha" in said
    assert await table_counts(sessions) == before


async def test_a_command_above_ones_access_is_logged_with_no_arguments(
    sessions: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    worker, manager, psw = await roster(sessions)
    worker_standing = await standing(sessions, worker)

    with caplog.at_level(logging.INFO):
        assert worker_standing.permits(CommandName.STATUS)
        assert refusals(caplog) == []
        assert not worker_standing.permits(CommandName.CAMPAIGN_CLOSE)
        assert (await standing(sessions, psw)).permits(CommandName.CAMPAIGN_CLOSE)
        assert not (await standing(sessions, manager)).permits(CommandName.BRIEF)

    first, second = refusals(caplog)
    assert first.levelno == logging.WARNING
    assert first.refusal == "command"  # type: ignore[attr-defined]
    assert first.facts == {  # type: ignore[attr-defined]
        "person": str(worker.id),
        "command": "campaign_close",
        "held": "staff",
        "needed": "psw",
    }
    assert second.facts["person"] == str(manager.id)  # type: ignore[attr-defined]
    assert second.facts["held"] == "manager"  # type: ignore[attr-defined]
    # may() answers a question (what to list in help) and logs nothing.
    caplog.clear()
    assert not worker_standing.may(CommandName.TRENDS)
    assert refusals(caplog) == []


async def test_a_manager_naming_a_team_they_do_not_manage_is_logged(
    sessions: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    _, manager, psw = await roster(sessions)
    managers = await standing(sessions, manager)

    with caplog.at_level(logging.INFO):
        assert managers.manages("alpha")
        assert (await standing(sessions, psw)).manages("Beta")
        assert refusals(caplog) == []
        assert not managers.manages("Beta\n refused command person=someone-else")

    [record] = refusals(caplog)
    assert record.refusal == "team"  # type: ignore[attr-defined]
    assert record.facts["person"] == str(manager.id)  # type: ignore[attr-defined]
    # A typed newline cannot start a forged log line.
    assert "\n" not in record.getMessage()
    assert record.facts["team"].startswith("Beta?_refused")  # type: ignore[attr-defined]
