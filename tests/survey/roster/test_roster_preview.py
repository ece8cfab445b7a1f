"""A roster file's preview: the import's own checks, its changes, nothing written."""

from __future__ import annotations

import uuid

from sqlmodel import col, select
from test_roster import new_person, organisation_id, roster

from survey.db import SessionFactory
from survey.models import Person, Team
from survey.roster.importing import import_roster
from survey.roster.preview import RosterPreview, preview_roster

__all__ = ["organisation_id"]  # the organisation fixture, shared with test_roster


async def preview(
    sessions: SessionFactory,
    organisation_id: uuid.UUID,
    data: bytes,
    *,
    create_teams: bool = False,
) -> RosterPreview:
    async with sessions() as session:
        return await preview_roster(
            session,
            organisation_id=organisation_id,
            data=data,
            create_teams=create_teams,
        )


async def apply(
    sessions: SessionFactory, organisation_id: uuid.UUID, data: bytes
) -> str:
    async with sessions() as session, session.begin():
        report = await import_roster(
            session, organisation_id=organisation_id, data=data, create_teams=True
        )
    return report.summary()


async def people(sessions: SessionFactory) -> dict[str, tuple[bool, str]]:
    async with sessions() as session:
        teams = {
            team.id: team.name for team in (await session.exec(select(Team))).all()
        }
        found = (await session.exec(select(Person).order_by(col(Person.email)))).all()
        return {p.email: (p.active, teams[p.team_id]) for p in found}


async def test_a_first_roster_is_all_joiners_and_new_teams(
    sessions: SessionFactory, organisation_id: uuid.UUID
) -> None:
    found = await preview(sessions, organisation_id, roster(), create_teams=True)
    assert found.problems == []
    assert [change.row for change in found.joiners] == list(range(2, 10))
    assert found.joiners[0].name == "Priya Raman"
    assert found.leavers == found.moves == found.returning == []
    assert "Adults Duty (Adults)" in found.new_teams
    assert found.changes_anything
    assert await people(sessions) == {}


async def test_joiners_leavers_and_moves_match_what_the_import_then_does(
    sessions: SessionFactory, organisation_id: uuid.UUID
) -> None:
    await apply(sessions, organisation_id, roster())
    before = await people(sessions)
    changed = roster(
        {5: {"team": "Adults Duty"}},
        add=[new_person("Children in Care")],
        drop=(8,),
    )
    found = await preview(sessions, organisation_id, changed)
    assert found.problems == []
    assert [(c.name, c.team) for c in found.joiners] == [
        ("New Starter", "Children in Care")
    ]
    assert [(c.name, c.team) for c in found.leavers] == [
        ("Kwame Mensah", "Children in Care")
    ]
    assert [(c.row, c.name, c.team, c.to_team) for c in found.moves] == [
        (5, "Daniel Hughes", "Hospital Discharge", "Adults Duty")
    ]
    assert found.unchanged == 6
    assert await people(sessions) == before, "a preview writes nothing"

    summary = await apply(sessions, organisation_id, changed)
    assert summary.startswith(
        "Roster imported: 1 added, 1 updated, 0 reactivated, 1 deactivated"
    )
    after = await people(sessions)
    assert after["daniel.hughes@westmere.gov.uk"] == (True, "Adults Duty")
    assert after["kwame.mensah@westmere.gov.uk"][0] is False


async def test_someone_back_after_leaving_is_listed_as_returning(
    sessions: SessionFactory, organisation_id: uuid.UUID
) -> None:
    await apply(sessions, organisation_id, roster())
    await apply(sessions, organisation_id, roster(drop=(8,)))
    found = await preview(sessions, organisation_id, roster())
    assert [(c.row, c.name) for c in found.returning] == [(8, "Kwame Mensah")]
    assert found.joiners == []


async def test_problems_are_listed_by_row_and_no_changes_are_given(
    sessions: SessionFactory, organisation_id: uuid.UUID
) -> None:
    await apply(sessions, organisation_id, roster())
    found = await preview(
        sessions,
        organisation_id,
        roster({3: {"team": "Nowhere"}, 6: {"email": "not-an-email"}}),
    )
    assert any(problem.startswith("row 3") for problem in found.problems)
    assert any(problem.startswith("row 6") for problem in found.problems)
    assert found.joiners == found.leavers == found.moves == []
    unreadable = await preview(sessions, organisation_id, b"PK\x03\x04")
    assert unreadable.problems[0].startswith("this is an Excel workbook")


async def test_the_same_file_again_changes_nothing(
    sessions: SessionFactory, organisation_id: uuid.UUID
) -> None:
    await apply(sessions, organisation_id, roster())
    found = await preview(sessions, organisation_id, roster())
    assert not found.changes_anything
    assert found.unchanged == 8
