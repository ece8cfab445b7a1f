"""Importing earlier rounds from CSV and XLSX, against real SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func
from sqlmodel import SQLModel, col, select

from analytics.data import earlier_campaign
from survey.campaigns import Audience, create_campaign
from survey.db import SessionFactory
from survey.demo import TEAMS
from survey.errors import CampaignStateError, HistoricImportError
from survey.historic.importing import (
    ImportReport,
    check_responses,
    import_responses,
    read_mapping,
    read_table,
)
from survey.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Comment,
    Organisation,
    Response,
    Service,
    Team,
)
from survey.questions.bank import load_all
from survey.questions.catalogue import sync_templates

EXAMPLES = Path(__file__).parents[3] / "examples"
TEMPLATE = "social-worker-health-check"
HEADER = [
    "date",
    "team",
    "service",
    "role",
    "employment_type",
    "WL01",
    "WL02",
    "WL08",
    "EQ02",
    "EQ03",
    "RT03",
    "TX01",
]
# Spreadsheet rows 2 to 4.
GOOD = [
    [
        "14/03/2024",
        "Hospital Discharge",
        "Adults",
        "Senior social worker",
        "Permanent",
        "Agree",
        "Just about manageable",
        "18",
        "Yes",
        "Age; Race or ethnicity",
        "7",
        "More admin support, please.",
    ],
    [
        "2024-03-20 09:15",
        "child  protection",
        "",
        "SW",
        "agency",
        "strongly disagree",
        "not_manageable",
        "N/A",
        "No",
        "",
        "3",
        "",
    ],
    [
        "",
        "",
        "",
        "",
        "",
        "Neither agree nor disagree",
        "",
        "",
        "Prefer not to say",
        "",
        "",
        "Hybrid working helps.\nKeep it.",
    ],
]
GOOD_STORED = [
    {
        "submitted_on": date(2024, 3, 14),
        "team": "Hospital Discharge",
        "service": "Adults",
        "role": "senior_social_worker",
        "workforce": "social_work",
        "employment_type": "permanent",
        "answers": {
            "WL01": "agree",
            "WL02": "just_about",
            "WL08": 18,
            "EQ02": "yes",
            "EQ03": ["age", "race"],
            "RT03": 7,
        },
        "comments": {"TX01": "More admin support, please."},
    },
    {
        "submitted_on": date(2024, 3, 20),
        "team": "Child Protection",
        "service": "Children's",
        "role": "social_worker",
        "workforce": "social_work",
        "employment_type": "agency",
        "answers": {
            "WL01": "strongly_disagree",
            "WL02": "not_manageable",
            "WL08": "not_applicable",
            "EQ02": "no",
            "RT03": 3,
        },
        "comments": {},
    },
    {
        "submitted_on": date(2024, 3, 31),
        "team": None,
        "service": None,
        "role": None,
        "workforce": None,
        "employment_type": None,
        "answers": {"WL01": "neither", "EQ02": "prefer_not_to_say"},
        "comments": {"TX01": "Hybrid working helps.\nKeep it."},
    },
]
AGREE = "Strongly disagree, Disagree, Neither agree nor disagree, Agree, Strongly agree"


@pytest.fixture
async def council(sessions: SessionFactory) -> uuid.UUID:
    """An organisation with the demo council's teams and the shipped templates."""
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="westmere", name="Westmere Council")
        session.add(organisation)
        await session.flush()
        services = {
            name: Service(organisation_id=organisation.id, name=name)
            for name in sorted({team.service for team in TEAMS})
        }
        session.add_all(services.values())
        await session.flush()
        session.add_all(
            Team(
                organisation_id=organisation.id,
                service_id=services[team.service].id,
                name=team.name,
            )
            for team in TEAMS
        )
        await sync_templates(session, templates=load_all())
        return organisation.id


def write_csv(
    path: Path, header: list[str], rows: list[list[str]], *, encoding: str = "utf-8"
) -> Path:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Responses"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def changed(
    rows: dict[int, dict[str, str]], base: list[list[str]] = GOOD
) -> list[list[str]]:
    """The good rows, changed by spreadsheet row number and column name."""
    result = [list(row) for row in base]
    for number, change in rows.items():
        for column, value in change.items():
            result[number - 2][HEADER.index(column)] = value
    return result


async def run_import(
    sessions: SessionFactory, organisation_id: uuid.UUID, path: Path, **options: Any
) -> ImportReport:
    arguments: dict[str, Any] = {
        "template_key": TEMPLATE,
        "campaign_name": "Health check 2024",
        "year": 2024,
    } | options
    async with sessions() as session, session.begin():
        return await import_responses(
            session, organisation_id=organisation_id, path=path, **arguments
        )


async def row_counts(sessions: SessionFactory) -> dict[str, int]:
    tables: list[type[SQLModel]] = [Response, Answer, Comment, Campaign]
    counts = {}
    async with sessions() as session:
        for table in tables:
            query = select(func.count()).select_from(table)
            counts[table.__name__] = (await session.exec(query)).one()
    return counts


async def problems_of(
    sessions: SessionFactory, organisation_id: uuid.UUID, path: Path, **options: Any
) -> list[str]:
    """The problems an import reports; it must leave the database as it was."""
    before = await row_counts(sessions)
    with pytest.raises(HistoricImportError) as refused:
        await run_import(sessions, organisation_id, path, **options)
    assert await row_counts(sessions) == before
    assert str(refused.value) == "\n".join(refused.value.problems)
    return refused.value.problems


async def stored(sessions: SessionFactory, name: str) -> list[dict[str, Any]]:
    """What was stored for a campaign, one dict per response, by date."""
    async with sessions() as session:
        campaign = (
            await session.exec(select(Campaign).where(Campaign.name == name))
        ).one()
        teams = {team.id: team.name for team in await session.exec(select(Team))}
        services = {s.id: s.name for s in await session.exec(select(Service))}
        responses = (
            await session.exec(
                select(Response).where(Response.campaign_id == campaign.id)
            )
        ).all()
        result = []
        for response in responses:
            answers = (
                await session.exec(
                    select(Answer).where(Answer.response_id == response.id)
                )
            ).all()
            comments = (
                await session.exec(
                    select(Comment).where(Comment.response_id == response.id)
                )
            ).all()
            result.append(
                {
                    "submitted_on": response.submitted_on,
                    "team": teams.get(response.team_id) if response.team_id else None,
                    "service": services.get(response.service_id)
                    if response.service_id
                    else None,
                    "role": response.role,
                    "workforce": response.workforce,
                    "employment_type": response.employment_type,
                    "answers": {
                        a.question_key: a.choices
                        if a.choices is not None
                        else a.number
                        if a.number is not None
                        else a.option
                        for a in answers
                    },
                    "comments": {c.question_key: c.text for c in comments},
                }
            )
    return sorted(result, key=lambda row: (row["submitted_on"], row["team"] or ""))


async def test_a_good_csv_is_stored_as_a_closed_round(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "export.csv", HEADER, GOOD)

    report = await run_import(sessions, council, path, invited=10)

    assert (report.responses, report.answers, report.comments) == (3, 13, 2)
    assert report.summary().splitlines()[:2] == [
        "Imported 3 responses as 'Health check 2024' (2024, closed): 13 answers "
        "and 2 comments.",
        "10 were invited: a 30% response rate.",
    ]
    assert await stored(sessions, "Health check 2024") == GOOD_STORED
    async with sessions() as session:
        campaign = (await session.exec(select(Campaign))).one()
    assert campaign.status == CampaignStatus.CLOSED
    assert campaign.year == 2024
    imported = campaign.audience["imported"]
    assert (imported["rows"], imported["invited"]) == (3, 10)
    assert len(imported["sha256"]) == 64
    assert campaign.opens_at is not None
    assert campaign.closes_at is not None
    assert campaign.opens_at < campaign.closes_at


async def test_a_byte_order_mark_is_accepted(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "export.csv", HEADER, GOOD, encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    await run_import(sessions, council, path)

    assert await stored(sessions, "Health check 2024") == GOOD_STORED


async def test_a_good_xlsx_is_stored_like_the_csv(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    rows: list[list[Any]] = [list(row) for row in GOOD]
    rows[0][0] = date(2024, 3, 14)  # a real date cell
    rows[0][7], rows[1][10] = 18, 3.0  # number cells
    path = write_xlsx(tmp_path / "export.xlsx", HEADER, rows)

    report = await run_import(sessions, council, path)

    assert (report.responses, report.answers, report.comments) == (3, 13, 2)
    assert report.warnings == []
    assert await stored(sessions, "Health check 2024") == GOOD_STORED


async def test_the_same_cells_as_xlsx_or_csv_count_as_the_same_file(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    await run_import(sessions, council, write_csv(tmp_path / "a.csv", HEADER, GOOD))
    before = await row_counts(sessions)

    report = await run_import(
        sessions, council, write_xlsx(tmp_path / "a.xlsx", HEADER, GOOD)
    )

    assert report.already_imported
    assert await row_counts(sessions) == before


async def test_a_workbook_with_several_sheets_reads_the_first_and_says_so(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "export.xlsx", HEADER, GOOD)
    workbook = openpyxl.load_workbook(path)
    workbook.create_sheet("Notes").append(["WL01", "nonsense"])
    workbook.save(path)

    report = await run_import(sessions, council, path)

    assert report.responses == 3
    assert report.warnings == [
        "the workbook has 2 sheets; only the first, 'Responses', was read"
    ]


async def test_reimporting_the_same_file_changes_nothing_and_says_so(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "export.csv", HEADER, GOOD)
    await run_import(sessions, council, path, invited=10)
    before = await row_counts(sessions)
    # Re-saved by Excel: a byte order mark, other line endings, a blank row.
    path.write_bytes(
        b"\xef\xbb\xbf" + path.read_bytes().replace(b"\r\n", b"\n") + b"\n"
    )

    report = await run_import(
        sessions, council, path, campaign_name="health CHECK 2024"
    )

    assert report.already_imported
    assert report.summary() == (
        "'Health check 2024' was already imported from this file (3 responses); "
        "nothing was changed."
    )
    assert await row_counts(sessions) == before


async def test_a_name_taken_by_another_file_or_campaign_is_refused(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    await run_import(sessions, council, write_csv(tmp_path / "a.csv", HEADER, GOOD))
    other = write_csv(tmp_path / "b.csv", HEADER, GOOD[:2])
    before = await row_counts(sessions)

    with pytest.raises(CampaignStateError) as refused:
        await run_import(sessions, council, other)

    assert str(refused.value) == (
        "'Health check 2024' was imported from a different file (a.csv, 3 "
        "responses); an imported round is never added to or replaced, so nothing "
        "was imported. Choose another campaign name."
    )
    async with sessions() as session, session.begin():
        await create_campaign(
            session,
            organisation_id=council,
            template_key=TEMPLATE,
            name="Live 2025",
            year=2025,
            audience=Audience(),
        )
    with pytest.raises(CampaignStateError, match="not imported; nothing was"):
        await run_import(sessions, council, other, campaign_name="live 2025")
    after = await row_counts(sessions)
    assert after == before | {"Campaign": before["Campaign"] + 1}


async def test_a_mapping_file_matches_the_exports_own_headings(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    header = [
        "Submitted",
        "Team name",
        "Directorate",
        "Job",
        "Contract",
        "Q1 Safe workload",
        "Q2 Manageable?",
        "Cases",
        "Bullied?",
        "About",
        "Recommend",
        "One change",
        "IP address",
    ]
    rows = [[*row, "10.0.0.1"] for row in GOOD]
    rows[0][6] = "Sort of"  # replaced by the mapping's values
    mapping = tmp_path / "columns.yaml"
    mapping.write_text(
        '"Submitted": date\n"Team name": team\n"directorate": service\n'
        '"Job": role\n"Contract": employment_type\n"Q1 Safe workload": wl01\n'
        '"Q2 Manageable?":\n  question: WL02\n  values: {"Sort of": just_about}\n'
        '"Cases": WL08\n"Bullied?": EQ02\n"About": EQ03\n"Recommend": RT03\n'
        '"One change": TX01\n"IP address": ignore\n"Not in this file": WL03\n',
        encoding="utf-8",
    )
    path = write_csv(tmp_path / "export.csv", header, rows)

    await run_import(sessions, council, path, mapping_path=mapping)

    assert await stored(sessions, "Health check 2024") == GOOD_STORED


async def test_a_csv_mapping_file_works_too(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    rows = changed({2: {"WL02": "Sort of"}})
    mapping = tmp_path / "columns.csv"
    mapping.write_text(
        "header,question_id,answer,code\n"
        "How manageable,WL02,Sort of,Just about manageable\n",
        encoding="utf-8",
    )
    header = [("How manageable" if h == "WL02" else h) for h in HEADER]
    path = write_csv(tmp_path / "export.csv", header, rows)

    await run_import(sessions, council, path, mapping_path=mapping)

    assert await stored(sessions, "Health check 2024") == GOOD_STORED


async def test_a_mapping_naming_a_missing_question_is_refused(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    mapping = tmp_path / "columns.yaml"
    mapping.write_text(
        '"Workload": WL99\n"Manageable":\n  question: WL02\n'
        '  values: {"Sort of": "kind of"}\n',
        encoding="utf-8",
    )
    path = write_csv(tmp_path / "export.csv", HEADER, GOOD)

    problems = await problems_of(sessions, council, path, mapping_path=mapping)

    assert problems == [
        "columns.yaml: 'Workload' is mapped to 'WL99', which is not a question of "
        "social-worker-health-check or an import column",
        "columns.yaml: 'Manageable': the replacement for 'Sort of' does not fit "
        "WL02: 'kind of' is not an option (Manageable, Just about manageable, Not "
        "manageable)",
    ]


async def test_unknown_headings_are_refused_with_the_expected_ones(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    header = [("WL0l" if h == "WL01" else h) for h in HEADER] + ["workforce"]
    path = write_csv(tmp_path / "export.csv", header, [[*r, ""] for r in GOOD])

    problems = await problems_of(sessions, council, path)

    assert problems[0] == (
        "column 'workforce': the workforce is worked out from the role; delete "
        "this column, or map it to ignore"
    )
    assert problems[1] == (
        "column 'WL0l' is not a question of social-worker-health-check or an "
        "import column (did you mean 'WL01' or 'WL02'?)"
    )
    assert problems[2].startswith(
        "the columns can be date, team, service, role, employment_type, "
        "respondent_id and the question ids of social-worker-health-check: WL01, "
        "WL02, WL03,"
    )
    assert problems[2].endswith(
        "to keep the export's own headings, give --mapping FILE matching each "
        "heading to a question id (or to ignore, to leave a column out)"
    )
    assert len(problems) == 3


BAD_CELLS = [
    pytest.param(
        {3: {"WL01": "Agreee"}},
        f"row 3, column WL01: 'Agreee' is not an option ({AGREE})",
        id="not-an-option",
    ),
    pytest.param(
        {2: {"WL01": "4"}},
        f"row 2, column WL01: '4' is not an option ({AGREE})",
        id="numbers-are-not-positions",
    ),
    pytest.param(
        {2: {"WL08": "250"}},
        "row 2, column WL08: '250' is not a whole number from 0 to 200 cases, or "
        "Not applicable",
        id="out-of-range",
    ),
    pytest.param(
        {3: {"RT03": "seven"}},
        "row 3, column RT03: 'seven' is not a whole number from 0 to 10",
        id="wrong-type",
    ),
    pytest.param(
        {2: {"EQ03": "Age; Height"}},
        "row 2, column EQ03: 'Height' is not an option (Age, Disability, Gender "
        "reassignment, Marriage or civil partnership, Pregnancy or maternity, Race "
        "or ethnicity, Religion or belief, Sex, Sexual orientation, Something else, "
        "Prefer not to say); separate several answers with ;",
        id="multi-choice",
    ),
    pytest.param(
        {2: {"TX01": "x" * 1001}},
        "row 2, column TX01: the answer is 1,001 characters long; the most allowed "
        "is 1,000",
        id="text-too-long",
    ),
    pytest.param(
        {2: {"TX01": "I donâ€™t get supervision"}},
        "row 2, column TX01: the text is garbled ('â€' where a quote, accent or "
        "space should be), which happens when a file is converted between "
        "encodings; export it again from the old tool and save it as CSV UTF-8",
        id="mixed-encodings",
    ),
    pytest.param(
        {2: {"WL01": "=1+1"}},
        "row 2, column WL01: '=1+1' is a formula; formulas are never worked out on "
        "import, so put the answer itself in the cell",
        id="formula",
    ),
    pytest.param(
        {2: {"date": "31/02/2024"}},
        "row 2, column date: '31/02/2024' is not a date; write it as YYYY-MM-DD or "
        "DD/MM/YYYY",
        id="not-a-date",
    ),
    pytest.param(
        {2: {"date": "2019-03-01"}},
        "row 2, column date: 01/03/2019 is not within a year of 2024; check the "
        "date or --year",
        id="date-far-from-year",
    ),
    pytest.param(
        {3: {"team": "Hospital Dischrage"}},
        "row 3, column team: 'Hospital Dischrage' is not a team in this "
        "organisation (did you mean 'Hospital Discharge'?); correct it, or leave "
        "the cell blank",
        id="unknown-team",
    ),
    pytest.param(
        {2: {"service": "Children's"}},
        "row 2, column team: team 'Hospital Discharge' is in service 'Adults', not "
        "'Children's'",
        id="team-in-another-service",
    ),
    pytest.param(
        {4: {"service": "Housing"}},
        "row 4, column service: 'Housing' is not a service in this organisation; "
        "correct it, or leave the cell blank",
        id="unknown-service",
    ),
    pytest.param(
        {2: {"role": "Senior social wroker"}},
        "row 2, column role: 'Senior social wroker' is not a known role (did you "
        "mean 'senior_social_worker'?); use one of: asye_social_worker, "
        "social_worker, senior_social_worker, advanced_practitioner, "
        "consultant_social_worker, approved_mental_health_professional, "
        "occupational_therapist, assistant_team_manager, team_manager, "
        "service_manager, head_of_service, principal_social_worker, "
        "social_work_assistant, family_support_worker, early_help_practitioner, "
        "personal_adviser, support_worker, residential_care_worker, "
        "reablement_worker, occupational_therapy_assistant, community_care_officer, "
        "business_support, or map the job title to a role or to social_work or "
        "wider_workforce under values: in the mapping file (docs/importing.md)",
        id="unknown-role",
    ),
    pytest.param(
        {3: {"employment_type": "zero hours"}},
        "row 3, column employment_type: 'zero hours' is not an employment type; use "
        "one of: permanent, agency, bank, fixed_term",
        id="unknown-employment-type",
    ),
    pytest.param(
        {
            4: {
                "WL01": "",
                "EQ02": "",
                "TX01": "",
                "team": "Reablement",
            }
        },
        "row 4: every question is blank; delete the row or fill it in",
        id="no-answers",
    ),
]


@pytest.mark.parametrize(("change", "problem"), BAD_CELLS)
async def test_a_bad_cell_is_reported_by_row_and_column_and_nothing_is_stored(
    sessions: SessionFactory,
    council: uuid.UUID,
    tmp_path: Path,
    change: dict[int, dict[str, str]],
    problem: str,
) -> None:
    path = write_csv(tmp_path / "export.csv", HEADER, changed(change))

    assert await problems_of(sessions, council, path) == [problem]


async def test_every_problem_is_reported_at_once(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    rows = changed(
        {
            2: {"WL01": "Agreee", "team": "Nowhere"},
            3: {"WL01": "Agreee", "RT03": "11"},
            4: {"date": "2030-01-01"},
        }
    )
    rows.append(["", "Nowhere", "", "", "", "", "", "", "", "", "", "", "stray"])
    path = write_csv(tmp_path / "export.csv", HEADER, rows)

    problems = await problems_of(sessions, council, path, invited=2)

    assert problems == [
        "--invited is 2, fewer than the 4 responses in the file",
        "rows 2, 5, column team: 'Nowhere' is not a team in this organisation; "
        "correct it, or leave the cell blank",
        f"rows 2, 3, column WL01: 'Agreee' is not an option ({AGREE})",
        "row 3, column RT03: '11' is not a whole number from 0 to 10",
        "row 4, column date: 01/01/2030 is in the future",
        "row 5: column 13 has a value but no heading",
        "row 5: every question is blank; delete the row or fill it in",
    ]


async def test_a_windows_1252_file_gets_one_clear_message(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    rows = changed({3: {"TX01": "Caf\u00e9 culture \u2013 we need it"}})
    path = write_csv(tmp_path / "export.csv", HEADER, rows, encoding="cp1252")

    assert await problems_of(sessions, council, path) == [
        "the file is not saved as UTF-8 (line 3 has a character that is not UTF-8, "
        "as in files saved by older Excel); in Excel use File > Save As > 'CSV "
        "UTF-8 (Comma delimited) (*.csv)'"
    ]


async def test_a_repeated_respondent_id_is_refused_and_ids_are_never_stored(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    header = ["respondent_id", *HEADER]
    rows = [["R-17", *GOOD[0]], ["R-18", *GOOD[1]], ["r-17", *GOOD[2]]]
    path = write_csv(tmp_path / "export.csv", header, rows)

    assert await problems_of(sessions, council, path) == [
        "row 4, column respondent_id: 'r-17' is also on row 2; each response may "
        "be imported only once"
    ]

    rows[2][0] = "R-19"
    rows.append(["R-20", *GOOD[2]])  # identical answers, but a different person
    await run_import(sessions, council, write_csv(tmp_path / "ok.csv", header, rows))

    assert len(await stored(sessions, "Health check 2024")) == 4
    async with sessions() as session:
        texts = [
            *(await session.exec(select(Answer.option))).all(),
            *(await session.exec(select(Comment.text))).all(),
            str((await session.exec(select(Campaign.audience))).one()),
        ]
    assert not [text for text in texts if text and "R-1" in text]


async def test_identical_rows_without_respondent_ids_are_possible_duplicates(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    rows = [*GOOD, GOOD[0], GOOD[1], GOOD[0]]
    path = write_csv(tmp_path / "export.csv", HEADER, rows)

    problems = await problems_of(sessions, council, path)

    advice = (
        "in every column, so the same response may have been exported twice; "
        "delete the copies, or, if they are different people, add a respondent_id "
        "column giving each row its own id (the old tool's response id, or simply "
        "1, 2, 3 ...)"
    )
    assert problems == [
        f"rows 5, 7: identical to row 2 {advice}",
        f"row 6: identical to row 3 {advice}",
    ]


async def test_answers_to_questions_that_do_not_apply_are_dropped_and_counted(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    rows = changed({3: {"EQ03": "Sex"}, 4: {"EQ03": "Age"}})
    path = write_csv(tmp_path / "export.csv", HEADER, rows)

    report = await run_import(sessions, council, path)

    assert report.dropped == {"EQ03": 2}
    assert report.summary().splitlines()[1] == (
        "Left out 2 answers to questions that did not apply, given the other "
        "answers: EQ03 (2)."
    )
    assert await stored(sessions, "Health check 2024") == GOOD_STORED


async def test_csv_formulas_are_kept_as_text_never_worked_out(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    rows = changed({2: {"TX01": '=HYPERLINK("http://evil.example","Click")'}})
    path = write_csv(tmp_path / "export.csv", HEADER, rows)

    await run_import(sessions, council, path)

    first = (await stored(sessions, "Health check 2024"))[0]
    assert first["comments"] == {"TX01": '=HYPERLINK("http://evil.example","Click")'}


async def test_xlsx_formulas_are_read_as_their_text_never_worked_out(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "export.xlsx", HEADER, GOOD)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook.active
    assert sheet is not None
    sheet["K2"] = "=3+4"  # RT03 would be 7 if worked out
    sheet["L3"] = '=CONCAT("a","b")'
    workbook.save(path)

    assert await problems_of(sessions, council, path) == [
        "row 2, column RT03: '=3+4' is a formula; formulas are never worked out on "
        "import, so put the answer itself in the cell"
    ]

    sheet["K2"] = 7
    workbook.save(path)
    await run_import(sessions, council, path)
    second = (await stored(sessions, "Health check 2024"))[1]
    assert second["comments"] == {"TX01": '=CONCAT("a","b")'}


async def test_not_a_spreadsheet_at_all_is_refused(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"WL01\tWL02\nAgree\tManageable\n")

    assert await problems_of(sessions, council, path) == [
        "the file is not comma-separated; in Excel use File > Save As > 'CSV UTF-8 "
        "(Comma delimited) (*.csv)'"
    ]
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    problems = await problems_of(sessions, council, path)
    assert problems[0].startswith("the file looks like an Excel workbook but cannot")


async def test_the_example_file_imports_cleanly(
    sessions: SessionFactory, council: uuid.UUID
) -> None:
    report = await run_import(
        sessions,
        council,
        EXAMPLES / "historic-2024.csv",
        mapping_path=EXAMPLES / "historic-columns.yaml",
        campaign_name="Social worker health check 2024",
        invited=60,
    )

    assert report.responses == 36
    assert (report.dropped, report.warnings) == ({}, [])
    responses = await stored(sessions, "Social worker health check 2024")
    assert all(response["team"] for response in responses)
    assert {response["submitted_on"].month for response in responses} == {3}
    lines = (EXAMPLES / "historic-2024.csv").read_text(encoding="utf-8").splitlines()
    ids = {line.split(",")[0] for line in lines}
    async with sessions() as session:
        options = set((await session.exec(select(Answer.option))).all())
    assert not ids & options


async def test_an_imported_round_is_last_year_for_year_on_year(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    await run_import(sessions, council, write_csv(tmp_path / "a.csv", HEADER, GOOD))
    async with sessions() as session, session.begin():
        live = await create_campaign(
            session,
            organisation_id=council,
            template_key=TEMPLATE,
            name="Health check 2025",
            year=2025,
            audience=Audience(),
        )
        previous = await earlier_campaign(session, campaign=live)

    assert previous is not None
    assert previous.name == "Health check 2024"
    async with sessions() as session:
        years = (
            await session.exec(select(Campaign.year).order_by(col(Campaign.year)))
        ).all()
    assert years == [2024, 2025]


def test_check_responses_is_pure_and_keeps_no_respondent_id() -> None:
    definition = {template.key: template for template in load_all()}[TEMPLATE]
    lines = "".join(f"R{n},Agree,{n}\n" for n in range(3))
    table = read_table(f"respondent_id,WL01,WL08\n{lines}".encode())

    checked = check_responses(
        table, definition=definition, year=2023, today=date(2024, 1, 5), teams={}
    )

    assert [response.answers for response in checked.responses] == [
        {"WL01": "agree", "WL08": n} for n in range(3)
    ]
    assert {response.submitted_on for response in checked.responses} == {
        date(2023, 3, 31)
    }
    assert not [r for r in checked.responses if "R1" in repr(r)]


def test_one_mistake_on_many_rows_is_one_line() -> None:
    definition = {template.key: template for template in load_all()}[TEMPLATE]
    lines = "".join(f"{n},Agreee\n" for n in range(15))
    table = read_table(f"respondent_id,WL01\n{lines}".encode())

    with pytest.raises(HistoricImportError) as refused:
        check_responses(
            table, definition=definition, year=2024, today=date(2025, 1, 1), teams={}
        )

    assert refused.value.problems == [
        f"rows 2-16, column WL01: 'Agreee' is not an option ({AGREE})"
    ]


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (
            "m.yaml",
            "- WL01\n- WL02\n",
            'm.yaml: write one line per heading, like  "Q1. Workload": WL01',
        ),
        ("m.yaml", '"Q1": [WL01\n', "m.yaml (line 2): "),
        (
            "m.yaml",
            '"Q1":\n  question: PE01\n  values: {"Yes": yes}\n',
            "m.yaml: 'Q1': put yes and no in quotes",
        ),
        (
            "m.yaml",
            '"Q1": WL01\n"q1 ": WL02\n',
            "m.yaml: 'q1 ': is mapped to both WL01 and WL02",
        ),
        (
            "m.csv",
            "heading,question\nQ1,WL01\n",
            "m.csv: the first line must be  header,question_id",
        ),
        ("m.csv", "header,question_id\nQ1,\n", "m.csv: line 2: 'Q1': give a"),
    ],
)
def test_a_malformed_mapping_file_is_explained(
    name: str, text: str, problem: str
) -> None:
    with pytest.raises(HistoricImportError) as refused:
        read_mapping(text.encode(), name=name)

    assert refused.value.problems[0].startswith(problem)


async def test_an_imported_round_has_an_organisation_response_rate(
    sessions: SessionFactory, council: uuid.UUID, tmp_path: Path
) -> None:
    from analytics.data import load_round
    from analytics.groups import Group, everyone
    from analytics.results import ResultsEngine
    from analytics.suppression import Policy

    path = write_csv(tmp_path / "export.csv", HEADER, GOOD)
    await run_import(sessions, council, path, invited=10)
    async with sessions() as session:
        campaign = (await session.exec(select(Campaign))).one()
        round_ = await load_round(session, campaign=campaign)
    engine = ResultsEngine(round_, policy=Policy(5))
    rate = engine.response_rate(everyone())
    assert (rate.invited, rate.responded, rate.rate) == (10, 3, 30.0)
    some_team = Group.of("A team", team_id="x", service_id="y")
    assert engine.response_rate(some_team).rate is None
