"""Checking an earlier round's export against a template, before anything is stored.

Decisions worth knowing:

- A blank cell is a question not answered; a row with no answers is a problem.
- Answers match an option by its code or its words (any case), never by its
  position: old tools numbered their scales differently, so "4" could mean
  "agree" or "disagree". Numbers can be mapped with ``values`` in a mapping file.
- An answer to a conditional question whose condition does not hold (PE02 when
  PE01 is not "yes") is dropped, as a live response never stores one, and the
  report counts what was dropped. Refusing would block most exports from tools
  that asked every question of everyone.
- Duplicates: with a ``respondent_id`` column a repeated id is a problem; without
  one, rows identical in every column are a problem (an export pasted in twice
  is the usual cause), and adding a ``respondent_id`` column tells genuine
  look-alikes apart. Refusing is the safe side: an imported round cannot be
  partly undone.
- Cells are only ever read as text. A formula (``=...`` in CSV, or a formula
  cell in XLSX, read as its text) is never worked out: as an answer to a closed
  question it is refused, and in a free-text column it is stored as the text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from survey.errors import HistoricImportError
from survey.historic.columns import (
    ATTRIBUTE_COLUMNS,
    IGNORE,
    ImportColumn,
    resolve_columns,
)
from survey.historic.dates import DAY_FIRST, detect_format
from survey.historic.file import ColumnMapping, ResponseTable
from survey.historic.problems import ImportProblems
from survey.historic.values import (
    CellError,
    RosterNames,
    check_encoding,
    read_answer,
    read_date,
    workforce_group,
)
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import AnswerValue
from survey.roster.names import name_key


@dataclass(frozen=True)
class HistoricResponse:
    """One checked respondent, ready to store.

    It deliberately has no respondent id: the old tool's id is used only to find
    duplicates while checking and is then thrown away (README.md,
    Anonymity), so an imported response cannot be matched to the old tool's records.

    Attributes:
        row: The spreadsheet row it came from (for messages; never stored).
        team: The team's name as the organisation spells it, if given.
        service: The service's name (the team's own when only a team is given).
        role: A role code; ``workforce`` follows from it.
        answers: Checked answers by question id, in template order.

    """

    row: int
    submitted_on: date
    team: str | None
    service: str | None
    role: str | None
    workforce: str | None
    employment_type: str | None
    answers: dict[str, AnswerValue]


@dataclass(frozen=True)
class CheckedResponses:
    """A file that passed every check.

    Attributes:
        responses: One per respondent, in file order.
        dropped: Answers to conditional questions whose condition did not hold,
            by question id, in template order; they are not stored.
        warnings: Things worth knowing that do not stop the import.

    """

    responses: list[HistoricResponse]
    dropped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def check_responses(
    table: ResponseTable,
    *,
    definition: TemplateDefinition,
    year: int,
    today: date,
    teams: dict[str, str],
    services: list[str] | None = None,
    mapping: ColumnMapping | None = None,
    invited: int | None = None,
    date_order: str | None = None,
) -> CheckedResponses:
    """Check a whole export against a template and an organisation's names.

    Pure: it reads no file and no database, so every problem is found before
    anything is written.

    Args:
        table: The export, from :func:`survey.historic.file.read_table`.
        definition: The template the round used.
        year: The round's reporting year; a missing date means 31 March of it.
        today: Today's date, for refusing dates in the future.
        teams: The organisation's teams: team name -> service name.
        services: The organisation's services (those of ``teams`` count anyway).
        mapping: The export's own headings matched to question ids.
        invited: How many people were invited, if known.
        date_order: How slashed dates are written (``--date-format``); None
            works it out from the whole date column, refusing if it cannot.

    Returns:
        The checked responses, what was dropped, and any warnings.

    Raises:
        HistoricImportError: listing every problem by row and column.

    """
    problems = ImportProblems()
    if year > today.year:
        problems.add(0, f"--year {year} is in the future")
    elif year < 2000:
        problems.add(0, f"--year {year} is too early; give the year as four digits")
    if invited is not None and invited < len(table.rows):
        problems.add(
            0,
            f"--invited is {invited}, fewer than the {len(table.rows)} responses "
            "in the file",
        )
    headings = ImportProblems()
    columns = resolve_columns(table.header, definition, mapping, headings)
    if headings:  # with the columns wrong, every row's problems would mislead
        raise HistoricImportError(problems.messages() + headings.messages())
    order = date_order or _date_order(table, columns)
    rows = _RowChecker(definition, columns, RosterNames(teams, services or []))
    for number, cells in table.rows:
        rows.check(
            number, cells, table.header, problems, year=year, today=today, order=order
        )
    if problems:
        raise HistoricImportError(problems.messages())
    warnings = []
    if len(table.sheets) > 1:
        warnings.append(
            f"the workbook has {len(table.sheets)} sheets; only the first, "
            f"'{table.sheets[0]}', was read"
        )
    dropped = {
        question.id: rows.dropped[question.id]
        for question in definition.questions
        if rows.dropped[question.id]
    }
    return CheckedResponses(rows.responses, dropped=dropped, warnings=warnings)


def _date_order(table: ResponseTable, columns: list[ImportColumn]) -> str:
    """The date column's order (day or month first), read from all its dates."""
    found = [column for column in columns if column.target == "date"]
    if not found:
        return DAY_FIRST
    index = found[0].index
    values = (cells[index] for _, cells in table.rows if index < len(cells))
    return detect_format(values, found[0].label)


class _RowChecker:
    """Checks respondents one by one, remembering what duplicates need."""

    def __init__(
        self,
        definition: TemplateDefinition,
        columns: list[ImportColumn],
        names: RosterNames,
    ) -> None:
        self.definition = definition
        self.columns = [column for column in columns if column.target != IGNORE]
        self.names = names
        self.by_target = {column.target: column for column in self.columns}
        self.seen: dict[object, int] = {}
        self.responses: list[HistoricResponse] = []
        self.dropped: Counter[str] = Counter()

    def check(
        self,
        number: int,
        cells: list[str],
        header: list[str],
        problems: ImportProblems,
        *,
        year: int,
        today: date,
        order: str = DAY_FIRST,
    ) -> None:
        """Check one row; keep it only if it has no problems."""
        for index, value in enumerate(cells):
            if value and (index >= len(header) or not header[index]):
                problems.add(number, f"column {index + 1} has a value but no heading")
        found = {
            column.target: cells[column.index]
            for column in self.columns
            if column.index < len(cells) and cells[column.index]
        }
        self._check_duplicate(number, found, problems)
        ok, refused_answer = True, False
        answers: dict[str, AnswerValue] = {}
        details: dict[str, str] = {}
        submitted = date(year, 3, 31)
        for target, raw in found.items():
            column = self.by_target[target]
            value = column.values.get(name_key(raw), raw)
            try:
                check_encoding(raw)
                if target == "date":
                    submitted = read_date(value, year=year, today=today, order=order)
                elif target == "role" and workforce_group(value) is not None:
                    details["workforce"] = str(workforce_group(value))
                elif target in ("team", "service", "role", "employment_type"):
                    details[target] = self.names.read(target, value)
                elif target != "respondent_id":
                    question = self.definition.question(target)
                    answer = read_answer(question, value, column.values)
                    if answer is not None:
                        answers[target] = answer
            except CellError as error:
                problems.add(number, str(error), column=column.label)
                ok = False
                refused_answer = refused_answer or target not in ATTRIBUTE_COLUMNS
        team, service = details.get("team"), details.get("service")
        if team is not None:
            home = self.names.service_of(team)
            if service is not None and name_key(service) != name_key(home):
                message = f"team '{team}' is in service '{home}', not '{service}'"
                problems.add(number, message, column=self.by_target["team"].label)
                ok = False
            service = home
        kept = self._applicable(answers)
        # A refused answer explains itself; "blank" or "does not apply" would mislead.
        if not answers and not refused_answer:
            problems.add(
                number, "every question is blank; delete the row or fill it in"
            )
        elif answers and not kept and not refused_answer:
            problems.add(
                number,
                "its only answers are to questions that do not apply, given its "
                "other answers; delete the row",
            )
        if not (ok and kept):
            return
        role = details.get("role")
        workforce = details.get("workforce")
        if role is not None:
            workforce = self.names.workforce_of(role)
        self.responses.append(
            HistoricResponse(
                row=number,
                submitted_on=submitted,
                team=team,
                service=service,
                role=role,
                workforce=workforce,
                employment_type=details.get("employment_type"),
                answers=kept,
            )
        )

    def _check_duplicate(
        self, number: int, found: dict[str, str], problems: ImportProblems
    ) -> None:
        if "respondent_id" in self.by_target:
            if "respondent_id" not in found:
                return
            typed = found["respondent_id"]
            first = self.seen.setdefault(("id", name_key(typed)), number)
            if first != number:
                problems.add(
                    number,
                    f"'{typed}' is also on row {first}; each response may be "
                    "imported only once",
                    column=self.by_target["respondent_id"].label,
                )
            return
        content = tuple(
            sorted((target, name_key(raw)) for target, raw in found.items())
        )
        first = self.seen.setdefault(content, number)
        if first != number:
            problems.add(
                number,
                f"identical to row {first} in every column, so the same response may "
                "have been exported twice; delete the copies, or, if they are "
                "different people, add a respondent_id column giving each row its "
                "own id (the old tool's response id, or simply 1, 2, 3 ...)",
            )

    def _applicable(self, answers: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
        """The answers in template order, without those whose condition fails."""
        kept: dict[str, AnswerValue] = {}
        for question in self.definition.questions:
            if question.id not in answers:
                continue
            if question.applies(kept):
                kept[question.id] = answers[question.id]
            else:
                self.dropped[question.id] += 1
        return kept
