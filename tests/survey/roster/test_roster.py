"""Roster import against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from survey.db import SessionFactory
from survey.errors import NotFoundError, RosterImportError
from survey.models import ManagerOf, Organisation, Person, Service, Team
from survey.roster.importing import RosterImportReport, import_roster, parse_roster
from survey.roster.roles import access_for, find_role, workforce_of

EXAMPLE = Path(__file__).parents[3] / "examples" / "roster.csv"
COLUMNS = [
    "name",
    "email",
    "slack_id",
    "teams_id",
    "team",
    "service",
    "role",
    "employment_type",
    "manager_of",
    "access",
]
# Spreadsheet rows 2 to 9.
BASE = [
    "Priya Raman|priya.raman@westmere.gov.uk|U0PRIYA01||Adults Duty|Adults"
    "|principal_social_worker|permanent||",
    "Tom Ashworth|tom.ashworth@westmere.gov.uk|U0TOMASH1|29:tom-aad|Adults Duty|Adults"
    "|Team Manager|permanent|Adults Duty|",
    "Grace Okafor|Grace.Okafor@Westmere.gov.uk||29:grace-aad|Adults Duty|Adults"
    "|senior social worker|Permanent||",
    "Daniel Hughes|daniel.hughes@westmere.gov.uk|U0DANHUG1||Hospital Discharge|Adults"
    "|social_worker|agency||",
    "Helen Marsh|helen.marsh@westmere.gov.uk|||Hospital Discharge|Adults"
    "|service_manager|permanent|Adults Duty; hospital discharge|",
    "James Whitfield|james.whitfield@westmere.gov.uk|U0JAMESW1||Children in Care"
    "|Children's|team_manager|fixed-term|Children in Care|",
    "Kwame Mensah|kwame.mensah@westmere.gov.uk|||Children in Care|Children's"
    "|social_work_assistant|bank||",
    "Ellie Shaw|ellie.shaw@westmere.gov.uk|||Children in Care|Children\u2019s"
    "|ASYE|permanent||",
]


def rows(
    changes: dict[int, dict[str, str]] | None = None,
    *,
    add: list[dict[str, str]] | None = None,
    drop: tuple[int, ...] = (),
) -> list[dict[str, str]]:
    """The base roster, changed by spreadsheet row number."""
    people = [dict(zip(COLUMNS, line.split("|"), strict=True)) for line in BASE]
    for number, change in (changes or {}).items():
        people[number - 2].update(change)
    kept = [person for number, person in enumerate(people, 2) if number not in drop]
    return kept + [{column: "" for column in COLUMNS} | extra for extra in add or []]


def to_csv(people: list[dict[str, str]], columns: list[str] = COLUMNS) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(
        [[person.get(column, "") for column in columns] for person in people]
    )
    return out.getvalue()


def roster(
    changes: dict[int, dict[str, str]] | None = None,
    *,
    add: list[dict[str, str]] | None = None,
    drop: tuple[int, ...] = (),
) -> bytes:
    return to_csv(rows(changes, add=add, drop=drop)).encode()


def new_person(team: str, service: str = "Children's") -> dict[str, str]:
    email = f"{uuid.uuid4().hex[:8]}@westmere.gov.uk"
    return {
        "name": "New Starter",
        "email": email,
        "team": team,
        "service": service,
        "role": "support_worker",
        "employment_type": "permanent",
    }


def extra_cell(data: bytes, number: int) -> bytes:
    """Add a cell past the last heading on one spreadsheet row."""
    lines = data.split(b"\r\n")
    lines[number - 1] += b",oops"
    return b"\r\n".join(lines)


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / f"roster-{uuid.uuid4().hex[:8]}.csv"
    path.write_bytes(data)
    return path


@pytest.fixture
async def organisation_id(sessions: SessionFactory) -> uuid.UUID:
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="westmere", name="Westmere Borough Council")
        session.add(organisation)
    return organisation.id


async def run_import(
    sessions: SessionFactory,
    organisation_id: uuid.UUID,
    path: Path,
    *,
    create_teams: bool = False,
) -> RosterImportReport:
    async with sessions() as session, session.begin():
        return await import_roster(
            session,
            organisation_id=organisation_id,
            path=path,
            create_teams=create_teams,
        )


async def refused_import(
    sessions: SessionFactory,
    organisation_id: uuid.UUID,
    path: Path,
    *,
    create_teams: bool = False,
) -> RosterImportError:
    """Import a bad file, catching the error inside a transaction that then commits.

    So any write made before the error was raised would be stored and seen.
    """
    async with sessions() as session, session.begin():
        with pytest.raises(RosterImportError) as refused:
            await import_roster(
                session,
                organisation_id=organisation_id,
                path=path,
                create_teams=create_teams,
            )
    return refused.value


async def snapshot(sessions: SessionFactory) -> dict[str, Any]:
    async with sessions() as session:
        people = (await session.exec(select(Person).order_by(Person.email))).all()
        links = (await session.exec(select(ManagerOf))).all()
        teams = (await session.exec(select(Team))).all()
        services = (await session.exec(select(Service))).all()
    return {
        "people": [person.model_dump() for person in people],
        "links": sorted((str(link.person_id), str(link.team_id)) for link in links),
        "teams": sorted((team.name, str(team.service_id)) for team in teams),
        "services": sorted(service.name for service in services),
    }


async def people_by_email(sessions: SessionFactory) -> dict[str, Person]:
    async with sessions() as session:
        people = (await session.exec(select(Person))).all()
    return {person.email: person for person in people}


async def managed_teams(sessions: SessionFactory) -> dict[str, set[str]]:
    async with sessions() as session:
        result = await session.exec(
            select(Person.email, Team.name)
            .join(ManagerOf, col(ManagerOf.person_id) == col(Person.id))
            .join(Team, col(Team.id) == col(ManagerOf.team_id))
        )
        pairs = result.all()
    managed: dict[str, set[str]] = {}
    for email, team in pairs:
        managed.setdefault(email, set()).add(team)
    return managed


@pytest.fixture
async def seeded(
    sessions: SessionFactory, organisation_id: uuid.UUID, tmp_path: Path
) -> uuid.UUID:
    """An organisation with the base roster imported."""
    await run_import(
        sessions, organisation_id, write(tmp_path, roster()), create_teams=True
    )
    return organisation_id


async def test_good_import_stores_people_teams_and_managers(
    sessions: SessionFactory, organisation_id: uuid.UUID, tmp_path: Path
) -> None:
    report = await run_import(
        sessions, organisation_id, write(tmp_path, roster()), create_teams=True
    )

    assert (report.added, report.teams_created, report.services_created) == (8, 3, 2)
    assert (report.updated, report.unchanged, report.deactivated) == (0, 0, 0)
    assert report.summary() == (
        "Roster imported: 8 added, 0 updated, 0 reactivated, 0 deactivated, "
        "0 unchanged; created 3 teams and 2 services."
    )
    people = await people_by_email(sessions)
    grace = people["grace.okafor@westmere.gov.uk"]
    assert (grace.role, grace.employment_type, grace.access) == (
        "senior_social_worker",
        "permanent",
        "staff",
    )
    assert grace.teams_id == "29:grace-aad"
    assert grace.slack_id is None
    assert people["ellie.shaw@westmere.gov.uk"].role == "asye_social_worker"
    assert people["james.whitfield@westmere.gov.uk"].employment_type == "fixed_term"
    access = {email: person.access for email, person in people.items()}
    assert access == {
        "priya.raman@westmere.gov.uk": "psw",
        "tom.ashworth@westmere.gov.uk": "manager",
        "grace.okafor@westmere.gov.uk": "staff",
        "daniel.hughes@westmere.gov.uk": "staff",
        "helen.marsh@westmere.gov.uk": "manager",
        "james.whitfield@westmere.gov.uk": "manager",
        "kwame.mensah@westmere.gov.uk": "staff",
        "ellie.shaw@westmere.gov.uk": "staff",
    }
    assert await managed_teams(sessions) == {
        "tom.ashworth@westmere.gov.uk": {"Adults Duty"},
        "helen.marsh@westmere.gov.uk": {"Adults Duty", "Hospital Discharge"},
        "james.whitfield@westmere.gov.uk": {"Children in Care"},
    }
    async with sessions() as session:
        teams = (
            await session.exec(select(Team.name, Service.name).join(Service))
        ).all()
    assert sorted(teams) == [
        ("Adults Duty", "Adults"),
        ("Children in Care", "Children's"),
        ("Hospital Discharge", "Adults"),
    ]


async def test_formula_cells_are_stored_as_text_and_bom_is_accepted(
    sessions: SessionFactory, seeded: uuid.UUID, tmp_path: Path
) -> None:
    formula = '=HYPERLINK("http://evil.example","Click")'
    data = b"\xef\xbb\xbf" + roster({3: {"name": formula}, 4: {"name": "@SUM(1+1)"}})

    report = await run_import(sessions, seeded, write(tmp_path, data))

    assert (report.updated, report.unchanged) == (2, 6)
    people = await people_by_email(sessions)
    assert people["tom.ashworth@westmere.gov.uk"].name == formula
    assert people["grace.okafor@westmere.gov.uk"].name == "@SUM(1+1)"


ROLES_LIST = "use one of: asye_social_worker, social_worker, senior_social_worker"
SAVE_AS = "in Excel use File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
ALL_COLUMNS = ", ".join(COLUMNS[:2] + COLUMNS[4:8] + COLUMNS[2:4] + COLUMNS[8:])
# Each case: the file, whether teams may be created, and the one problem expected
# (its start, then any further text it must contain).
BAD_FILES = [
    pytest.param(
        to_csv(rows(), ["name", "email", "team", "employment_type"]).encode(),
        False,
        [f"missing columns: service, role; the columns are {ALL_COLUMNS}"],
        id="missing-columns",
    ),
    pytest.param(
        to_csv(rows(), [*COLUMNS[:-2], "manger_of"]).encode(),
        False,
        ["column 'manger_of' is not a roster column (did you mean 'manager_of'?)"],
        id="unknown-column",
    ),
    pytest.param(
        b"name;email;team;service;role;employment_type\r\n"
        b"Tom;tom@westmere.gov.uk;Adults Duty;Adults;social_worker;agency\r\n",
        False,
        [f"the file is not comma-separated; {SAVE_AS}"],
        id="semicolon-separated",
    ),
    pytest.param(b"", False, ["the file is empty"], id="empty-file"),
    pytest.param(b"\xef\xbb\xbf\r\n", False, ["the file is empty"], id="only-bom"),
    pytest.param(
        to_csv([]).encode(),
        False,
        ["the file has column headings but no people"],
        id="headings-only",
    ),
    pytest.param(
        roster({7: {"email": "bob@"}}),
        False,
        ["row 7: email 'bob@' is not a valid email address"],
        id="bad-email",
    ),
    pytest.param(
        roster({5: {"team": "Hospital Discharges"}}),
        False,
        [
            "row 5: team 'Hospital Discharges' is not a team in this organisation "
            "(did you mean 'Hospital Discharge'?); fix the spelling, or import with "
            "--create-teams to add it"
        ],
        id="unknown-team",
    ),
    pytest.param(
        roster({8: {"service": "Adults"}}),
        False,
        ["row 8: team 'Children in Care' is in service 'Children's', not 'Adults'"],
        id="team-in-other-service",
    ),
    pytest.param(
        roster(add=[new_person("Reablement", "Adults"), new_person("reablement")]),
        True,
        [
            "row 11: team 'Reablement' is under service 'Adults' on row 10, "
            "but under 'Children's' here"
        ],
        id="new-team-in-two-services",
    ),
    pytest.param(
        roster({4: {"role": "Senior Socail Worker"}}),
        False,
        [
            "row 4: role 'Senior Socail Worker' is not a known role (did you mean "
            "'senior_social_worker'?); " + ROLES_LIST
        ],
        id="unknown-role",
    ),
    pytest.param(
        roster({5: {"employment_type": "contractor"}}),
        False,
        [
            "row 5: employment_type 'contractor' is not one of "
            "permanent, agency, bank, fixed_term"
        ],
        id="unknown-employment-type",
    ),
    pytest.param(
        roster({4: {"access": "admin"}}),
        False,
        ["row 4: access 'admin' is not one of staff, manager, psw"],
        id="unknown-access",
    ),
    pytest.param(
        roster({6: {"role": ""}}), False, ["row 6: role is empty"], id="empty-role"
    ),
    pytest.param(
        roster({9: {"email": "PRIYA.RAMAN@westmere.gov.uk"}}),
        False,
        [
            "row 9: email 'priya.raman@westmere.gov.uk' is also on row 2; "
            "each person may appear only once"
        ],
        id="duplicate-email",
    ),
    pytest.param(
        roster({8: {"slack_id": "U0PRIYA01"}}),
        False,
        ["row 8: slack_id 'U0PRIYA01' is also on row 2"],
        id="duplicate-slack-id",
    ),
    pytest.param(
        roster({9: {"teams_id": "29:tom-aad"}}),
        False,
        ["row 9: teams_id '29:tom-aad' is also on row 3"],
        id="duplicate-teams-id",
    ),
    pytest.param(
        roster({4: {"slack_id": "@grace"}}),
        False,
        ["row 4: slack_id '@grace' is not a Slack member ID"],
        id="bad-slack-id",
    ),
    pytest.param(
        roster({3: {"manager_of": "Adults Duty; Adult Duty Team"}}),
        False,
        [
            "row 3: manager_of names team 'Adult Duty Team', which is not a team in "
            "this organisation (did you mean 'Adults Duty'?)"
        ],
        id="manager-of-unknown-team",
    ),
    pytest.param(
        roster({3: {"name": "T" * 201}}),
        False,
        ["row 3: name is 201 characters long; the most allowed is 200"],
        id="overlong-name",
    ),
    pytest.param(
        roster({3: {"team": "X" * 121}}),
        False,
        ["row 3: team is 121 characters long; the most allowed is 120"],
        id="overlong-team",
    ),
    pytest.param(
        roster({3: {"name": "Tom\nAshworth"}}),
        False,
        ["row 3: name contains a line break or control character"],
        id="line-break-in-name",
    ),
    pytest.param(
        extra_cell(roster(), 8),
        False,
        ["row 8: column 11 has a value but no heading"],
        id="cell-without-heading",
    ),
    pytest.param(
        to_csv(rows({4: {"name": "Ren\u00e9e Okafor"}})).encode("cp1252"),
        False,
        [
            "the file is not saved as UTF-8 (line 4 has a character that is not "
            f"UTF-8); {SAVE_AS}"
        ],
        id="windows-1252",
    ),
    pytest.param(
        to_csv(rows()).encode("utf-16"),
        False,
        [f"the file is saved as UTF-16, not UTF-8; {SAVE_AS}"],
        id="utf-16",
    ),
    pytest.param(
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
        False,
        [f"this is an Excel workbook, not a CSV file; {SAVE_AS}"],
        id="excel-workbook",
    ),
    pytest.param(
        roster({4: {"slack_id": "U0DANHUG1"}, 5: {"slack_id": ""}}),
        False,
        [
            "row 4: fits more than one person already on the roster (email "
            "'grace.okafor@westmere.gov.uk' is grace.okafor@westmere.gov.uk's; "
            "slack_id 'U0DANHUG1' is daniel.hughes@westmere.gov.uk's)"
        ],
        id="row-fits-two-people",
    ),
    pytest.param(
        roster(
            {4: {"email": "grace.o@westmere.gov.uk"}},
            add=[
                {
                    "name": "Grace Okafor",
                    "email": "grace.okafor@westmere.gov.uk",
                    "team": "Adults Duty",
                    "service": "Adults",
                    "role": "social_worker",
                    "employment_type": "permanent",
                }
            ],
        ),
        False,
        ["row 10: is the same person as row 4 (grace.okafor@westmere.gov.uk"],
        id="two-rows-one-person",
    ),
]


@pytest.mark.parametrize(("data", "create_teams", "expected"), BAD_FILES)
async def test_bad_file_is_refused_and_nothing_changes(
    sessions: SessionFactory,
    seeded: uuid.UUID,
    tmp_path: Path,
    data: bytes,
    create_teams: bool,
    expected: list[str],
) -> None:
    before = await snapshot(sessions)

    refused = await refused_import(
        sessions, seeded, write(tmp_path, data), create_teams=create_teams
    )

    problems = refused.problems
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected[0]), problems
    for fragment in expected[1:]:
        assert fragment in problems[0]
    assert await snapshot(sessions) == before


async def test_every_problem_is_reported_at_once(
    sessions: SessionFactory, seeded: uuid.UUID, tmp_path: Path
) -> None:
    data = roster(
        {
            3: {"email": "tom@@westmere.gov.uk"},
            5: {"role": "wizard"},
            8: {"team": "Children In Kare"},
        }
    )
    before = await snapshot(sessions)

    refused = await refused_import(sessions, seeded, write(tmp_path, data))

    problems = refused.problems
    assert len(problems) == 3, problems
    assert (
        problems[0]
        == "row 3: email 'tom@@westmere.gov.uk' is not a valid email address"
    )
    assert problems[1].startswith("row 5: role 'wizard' is not a known role")
    assert problems[2].startswith(
        "row 8: team 'Children In Kare' is not a team in this organisation "
        "(did you mean 'Children in Care'?)"
    )
    assert str(refused) == "\n".join(problems)
    assert await snapshot(sessions) == before


async def test_unknown_teams_are_grouped_with_their_rows(
    sessions: SessionFactory, organisation_id: uuid.UUID, tmp_path: Path
) -> None:
    refused = await refused_import(sessions, organisation_id, write(tmp_path, roster()))

    assert refused.problems == [
        "rows 2, 3, 4: team 'Adults Duty' is not a team in this organisation; "
        "fix the spelling, or import with --create-teams to add it",
        "rows 5, 6: team 'Hospital Discharge' is not a team in this organisation; "
        "fix the spelling, or import with --create-teams to add it",
        "rows 7, 8, 9: team 'Children in Care' is not a team in this organisation; "
        "fix the spelling, or import with --create-teams to add it",
    ]
    assert (await snapshot(sessions))["people"] == []


async def test_reimport_updates_in_place_and_deactivates_leavers(
    sessions: SessionFactory, seeded: uuid.UUID, tmp_path: Path
) -> None:
    first = await people_by_email(sessions)
    changed = roster(
        {
            4: {"email": "grace.adebayo@westmere.gov.uk", "name": "Grace Adebayo"},
            5: {"name": "Dan Hughes", "employment_type": "permanent"},
            6: {"manager_of": "Hospital Discharge"},
            8: {"role": "family_support_worker"},
        },
        drop=(3,),
        add=[new_person("Children in Care") | {"email": "new@westmere.gov.uk"}],
    )

    report = await run_import(sessions, seeded, write(tmp_path, changed))

    assert report.summary() == (
        "Roster imported: 1 added, 4 updated, 0 reactivated, 1 deactivated, "
        "3 unchanged."
    )
    second = await people_by_email(sessions)
    assert len(second) == 9
    grace = second["grace.adebayo@westmere.gov.uk"]
    assert grace.id == first["grace.okafor@westmere.gov.uk"].id
    assert grace.name == "Grace Adebayo"
    assert "grace.okafor@westmere.gov.uk" not in second
    dan = second["daniel.hughes@westmere.gov.uk"]
    assert (dan.id, dan.name, dan.employment_type) == (
        first["daniel.hughes@westmere.gov.uk"].id,
        "Dan Hughes",
        "permanent",
    )
    tom = second["tom.ashworth@westmere.gov.uk"]
    assert tom.id == first["tom.ashworth@westmere.gov.uk"].id
    assert tom.active is False
    unchanged = second["priya.raman@westmere.gov.uk"]
    assert unchanged.updated_at == first["priya.raman@westmere.gov.uk"].updated_at
    assert await managed_teams(sessions) == {
        "helen.marsh@westmere.gov.uk": {"Hospital Discharge"},
        "james.whitfield@westmere.gov.uk": {"Children in Care"},
    }

    back = await run_import(sessions, seeded, write(tmp_path, roster()))

    assert (back.reactivated, back.deactivated, back.added) == (1, 1, 0)
    assert (back.updated, back.unchanged) == (4, 3)
    third = await people_by_email(sessions)
    assert third["tom.ashworth@westmere.gov.uk"].id == tom.id
    assert third["tom.ashworth@westmere.gov.uk"].active is True
    assert third["new@westmere.gov.uk"].active is False
    assert third["grace.okafor@westmere.gov.uk"].id == grace.id
    assert "tom.ashworth@westmere.gov.uk" in await managed_teams(sessions)


async def test_same_file_twice_changes_nothing(
    sessions: SessionFactory, seeded: uuid.UUID, tmp_path: Path
) -> None:
    before = await snapshot(sessions)

    report = await run_import(sessions, seeded, write(tmp_path, roster()))

    assert report.summary() == (
        "Roster imported: 0 added, 0 updated, 0 reactivated, 0 deactivated, "
        "8 unchanged."
    )
    assert await snapshot(sessions) == before


async def test_example_roster_imports_cleanly(
    sessions: SessionFactory, organisation_id: uuid.UUID
) -> None:
    report = await run_import(sessions, organisation_id, EXAMPLE, create_teams=True)

    assert (report.added, report.teams_created, report.services_created) == (21, 4, 2)
    people = await people_by_email(sessions)
    access = [person.access for person in people.values()]
    assert access.count("psw") == 1
    assert access.count("manager") == 6
    assert sum(person.employment_type == "agency" for person in people.values()) == 4
    assert len(await managed_teams(sessions)) == 6


async def test_missing_file_and_unknown_organisation(
    sessions: SessionFactory, organisation_id: uuid.UUID, tmp_path: Path
) -> None:
    with pytest.raises(RosterImportError, match="no such file"):
        await run_import(sessions, organisation_id, tmp_path / "nope.csv")
    with pytest.raises(NotFoundError):
        await run_import(sessions, uuid.uuid4(), write(tmp_path, roster()))


def test_parse_roster_uses_the_organisations_spelling() -> None:
    known = {"Adults Duty": "Adults", "Hospital Discharge": "Adults"}
    known |= {"Children in Care": "Children's"}
    data = roster(
        {
            2: {"team": "adults  duty", "service": "ADULTS"},
            6: {"manager_of": "ADULTS DUTY;Adults Duty; ;hospital discharge"},
        }
    )

    people = parse_roster(data, known_teams=known, create_teams=False)

    assert [person.row for person in people] == list(range(2, 10))
    assert (people[0].team, people[0].service) == ("Adults Duty", "Adults")
    assert people[4].manager_of == ("Adults Duty", "Hospital Discharge")
    assert people[6].service == "Children's"
    assert people[1].email == "tom.ashworth@westmere.gov.uk"
    assert people[2].email == "grace.okafor@westmere.gov.uk"


def test_parse_roster_keeps_row_numbers_across_blank_lines() -> None:
    data = roster({5: {"email": "dan@"}})
    data = data.replace(b"\r\nDaniel", b"\r\n,,,,,,,,,\r\n\r\nDaniel")

    with pytest.raises(RosterImportError) as refused:
        parse_roster(data, known_teams={}, create_teams=True)

    assert refused.value.problems == [
        "row 7: email 'dan@' is not a valid email address"
    ]


def test_access_on_the_roster_can_raise_but_never_lower_access() -> None:
    known = {"Adults Duty": "Adults", "Hospital Discharge": "Adults"}
    known |= {"Children in Care": "Children's"}
    data = roster(
        {4: {"access": "PSW"}, 3: {"access": "staff"}, 2: {"access": "staff"}}
    )

    people = parse_roster(data, known_teams=known, create_teams=False)

    assert [person.access for person in people[:3]] == ["psw", "manager", "psw"]


@pytest.mark.parametrize(
    ("typed", "code", "workforce"),
    [
        ("Senior Social Worker", "senior_social_worker", "social_work"),
        ("senior-social-worker", "senior_social_worker", "social_work"),
        ("  NQSW ", "asye_social_worker", "social_work"),
        ("Newly qualified social worker (ASYE)", "asye_social_worker", "social_work"),
        ("Occupational Therapist", "occupational_therapist", "social_work"),
        ("PSW", "principal_social_worker", "social_work"),
        ("Family Support Worker", "family_support_worker", "wider_workforce"),
        ("OT assistant", None, None),
        (
            "Occupational therapy assistant",
            "occupational_therapy_assistant",
            "wider_workforce",
        ),
    ],
)
def test_roles_are_read_however_they_are_typed(
    typed: str, code: str | None, workforce: str | None
) -> None:
    role = find_role(typed)
    assert (role.code if role else None) == code
    if code is not None:
        assert workforce_of(typed) == workforce
    else:
        with pytest.raises(NotFoundError, match="use one of: asye_social_worker"):
            workforce_of(typed)


@pytest.mark.parametrize(
    ("role", "manages_teams", "explicit", "access"),
    [
        ("principal_social_worker", False, None, "psw"),
        ("social_worker", False, "PSW", "psw"),
        ("team_manager", True, None, "manager"),
        ("team_manager", True, "staff", "manager"),
        ("team_manager", False, None, "staff"),
        ("social_worker", False, "", "staff"),
    ],
)
def test_access_for(
    role: str, manages_teams: bool, explicit: str | None, access: str
) -> None:
    assert access_for(role, manages_teams, explicit) == access
