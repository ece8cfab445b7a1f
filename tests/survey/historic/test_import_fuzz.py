"""Hostile import files: only our own errors, each with a message, and nothing stored.

Covers the roster CSV, the historic responses export (CSV and XLSX) and the
column-mapping file (YAML and CSV). Parsers are fuzzed directly; the imports
that write are fuzzed against a real SQLite database, which must be unchanged
whenever a file is refused.
"""

from __future__ import annotations

import asyncio
import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlmodel import SQLModel, func, select

from survey.db import SessionFactory, create_engine, session_factory
from survey.errors import HistoricImportError, RosterImportError, SurveyError
from survey.historic.check import check_responses
from survey.historic.file import read_mapping, read_table
from survey.historic.importing import import_responses
from survey.models import Organisation, Service, Team
from survey.questions.bank import load_all
from survey.questions.catalogue import sync_templates
from survey.roster.file import COLUMNS
from survey.roster.importing import import_roster, parse_roster

EXAMPLES = Path(__file__).parents[3] / "examples"
ROSTER = (EXAMPLES / "roster.csv").read_bytes()
HISTORIC = (EXAMPLES / "historic-2024.csv").read_bytes()
MAPPING = (EXAMPLES / "historic-columns.yaml").read_bytes()
DEFINITION = next(t for t in load_all() if t.key == "social-worker-health-check")
TEAMS = {"Adults Duty and Assessment": "Adults", "Front Door": "Children's"}

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            '=HYPERLINK("https://evil.example")',
            "\x00",
            "U0BAD",
            "a@b",
            "psw",
            "Team manager",
            "permanent",
            "31/02/2024",
            "9" * 40,
            "-1e309",
            "Agree",
            "\u202etxet",
        ]
    ),
)


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8", "surrogatepass")


def _mutated(original: bytes) -> st.SearchStrategy[bytes]:
    """The example file with cells replaced, rows dropped or bytes spliced in."""
    table = list(csv.reader(io.StringIO(original.decode("utf-8"))))

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        rows = [list(row) for row in table[: draw(st.integers(0, 6))]]
        for _ in range(draw(st.integers(0, 6))):
            if not rows:
                break
            row = draw(st.sampled_from(rows))
            if row:
                row[draw(st.integers(0, len(row) - 1))] = draw(cells)
        data = _csv(rows)
        if draw(st.booleans()):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.binary(max_size=8)) + data[at:]
        return data

    return build()


def _refusal(action: Callable[[], object], kind: type[SurveyError]) -> str | None:
    """The message of a refused file, or ``None`` if it was accepted."""
    try:
        action()
    except kind as error:
        return str(error)
    return None


def _has_message(message: str | None) -> bool:
    return message is None or bool(message.strip())


# Parsers --------------------------------------------------------------------------


@FUZZ
@given(_mutated(ROSTER) | st.binary(max_size=200))
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"name,email\r\n\x00,\x00")
@example(",".join(COLUMNS).encode() + b"\r\n" + b'"unclosed')
def test_a_roster_file_gives_people_or_our_error(data: bytes) -> None:
    refused = _refusal(
        lambda: parse_roster(data, known_teams=TEAMS, create_teams=True),
        RosterImportError,
    )
    assert _has_message(refused)


@FUZZ
@given(_mutated(HISTORIC) | st.binary(max_size=200))
@example(b"Response ID\r\n" + b"x\r\n" * 3)
def test_a_historic_csv_gives_checked_responses_or_our_error(data: bytes) -> None:
    mapping = read_mapping(MAPPING, name="historic-columns.yaml")

    def check() -> object:
        return check_responses(
            read_table(data),
            definition=DEFINITION,
            year=2024,
            today=date(2026, 11, 23),
            teams=TEAMS,
            mapping=mapping,
        )

    assert _has_message(_refusal(check, HistoricImportError))


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


XLSX = _xlsx([["date", "team", "WL01"], ["2024-03-14", "Front Door", "Agree"]])
xlsx_values = st.one_of(
    # Strings openpyxl can write: no control characters, no formulas.
    cells.filter(lambda text: not ILLEGAL_CHARACTERS_RE.search(text)).filter(
        lambda text: not text.startswith("=")
    ),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.dates(min_value=date(1900, 3, 1)),
)


@FUZZ
@given(
    st.lists(st.lists(xlsx_values, max_size=5), max_size=5).map(_xlsx)
    | st.binary(max_size=100).map(lambda junk: b"PK\x03\x04" + junk)
    | st.integers(0, len(XLSX) - 1).map(lambda at: XLSX[:at])
)
def test_a_workbook_gives_a_table_or_our_error(data: bytes) -> None:
    assert _has_message(_refusal(lambda: read_table(data), HistoricImportError))


def test_a_zip_that_is_not_a_workbook_gets_our_error() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(HistoricImportError) as refused:
        read_table(out.getvalue())
    assert str(refused.value).strip()


@FUZZ
@given(
    st.one_of(
        _mutated(b"header,question_id,answer,code\r\nQ1,WL01,Sort of,agree\r\n").map(
            lambda data: (data, "columns.csv")
        ),
        st.text(max_size=120).map(lambda text: (text.encode(), "columns.yaml")),
        st.binary(max_size=60).map(lambda data: (data, "columns.yml")),
    )
)
@example((b"Q1: 2024-02-30", "columns.yaml"))
@example((b'"Q1": {question: WL01, values: [1, 2]}', "columns.yaml"))
@example((b"? [a, b]\n: WL01", "columns.yaml"))
@example((b"[" * 800, "columns.yaml"))
def test_a_mapping_file_gives_a_mapping_or_our_error(given: tuple[bytes, str]) -> None:
    data, name = given
    refused = _refusal(lambda: read_mapping(data, name=name), HistoricImportError)
    assert _has_message(refused)
    if refused is not None:
        assert refused.startswith(name), refused


# Imports that write: a refused file changes nothing -------------------------------


@pytest.fixture
def council(sqlite_url: str) -> Iterator[tuple[SessionFactory, object]]:
    engine = create_engine(sqlite_url)
    sessions = session_factory(engine)

    async def seed() -> object:
        async with sessions() as session, session.begin():
            organisation = Organisation(slug="westmere", name="Westmere Council")
            session.add(organisation)
            await session.flush()
            for team, service_name in TEAMS.items():
                service = Service(organisation_id=organisation.id, name=service_name)
                session.add(service)
                await session.flush()
                session.add(
                    Team(
                        organisation_id=organisation.id,
                        service_id=service.id,
                        name=team,
                    )
                )
            await sync_templates(session, templates=[DEFINITION])
            return organisation.id

    loop = asyncio.new_event_loop()
    organisation_id = loop.run_until_complete(seed())
    yield sessions, organisation_id
    loop.run_until_complete(engine.dispose())
    loop.close()


async def _counts(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        return {
            name: (await session.exec(select(func.count()).select_from(table))).one()
            for name, table in SQLModel.metadata.tables.items()
        }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(_mutated(ROSTER))
def test_a_refused_roster_stores_nothing(
    council: tuple[SessionFactory, object], tmp_path: Path, data: bytes
) -> None:
    sessions, organisation_id = council
    path = tmp_path / "roster.csv"
    path.write_bytes(data)

    async def attempt() -> tuple[str | None, dict[str, int], dict[str, int]]:
        before = await _counts(sessions)
        try:
            async with sessions() as session, session.begin():
                await import_roster(
                    session,
                    organisation_id=organisation_id,  # type: ignore[arg-type]
                    path=path,
                    create_teams=False,
                )
                # Undo an accepted file too, so each example starts the same.
                await session.rollback()
        except RosterImportError as error:
            return str(error), before, await _counts(sessions)
        return None, before, await _counts(sessions)

    refused, before, after = asyncio.run(attempt())
    assert _has_message(refused)
    assert after == before


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(_mutated(HISTORIC))
def test_a_refused_export_of_an_earlier_round_stores_nothing(
    council: tuple[SessionFactory, object], tmp_path: Path, data: bytes
) -> None:
    sessions, organisation_id = council
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    mapping = tmp_path / "columns.yaml"
    mapping.write_bytes(MAPPING)

    async def attempt() -> tuple[str | None, dict[str, int], dict[str, int]]:
        before = await _counts(sessions)
        try:
            async with sessions() as session, session.begin():
                await import_responses(
                    session,
                    organisation_id=organisation_id,  # type: ignore[arg-type]
                    path=path,
                    template_key=DEFINITION.key,
                    campaign_name="Health check 2024",
                    year=2024,
                    mapping_path=mapping,
                )
                await session.rollback()
        except HistoricImportError as error:
            return str(error), before, await _counts(sessions)
        return None, before, await _counts(sessions)

    refused, before, after = asyncio.run(attempt())
    assert _has_message(refused)
    assert after == before


def test_a_mapping_with_a_date_that_does_not_exist_gets_a_clear_message() -> None:
    with pytest.raises(HistoricImportError) as refused:
        read_mapping(b'"Q1. Workload": 2024-02-30', name="columns.yaml")
    assert refused.value.problems == [
        "columns.yaml: a value in the file cannot be read "
        "(day is out of range for month)"
    ]
