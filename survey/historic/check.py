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
from survey.historic.file import ColumnMapping, ResponseTable
from survey.historic.values import (
    CellError,
    RosterNames,
    check_encoding,
    read_answer,
    read_date,
    suggest,
)
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import AnswerValue
from survey.roster.file import name_key
from survey.roster.roles import normalise_code

ATTRIBUTE_COLUMNS = (
    "date",
    "team",
    "service",
    "role",
    "employment_type",
    "respondent_id",
)
IGNORE = "ignore"
MAX_PROBLEMS = 100
ROWS_LISTED = 10


@dataclass(frozen=True)
class HistoricResponse:
    """One checked respondent, ready to store.

    It deliberately has no respondent id: the old tool's id is used only to find
    duplicates while checking and is then thrown away (DESIGN.md, anonymity
    model), so an imported response cannot be matched to the old tool's records.

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


class ImportProblems:
    """Problems found so far, by row and column; identical ones are merged.

    Row 0 is the whole file. The same message in the same column on many rows
    is reported once, naming the rows, so one misspelt team does not bury every
    other problem.
    """

    def __init__(self) -> None:
        self._found: dict[tuple[str | None, str], list[int]] = {}

    def add(self, row: int, message: str, *, column: str | None = None) -> None:
        """Record a problem with a row (0 for the file), optionally in a column."""
        self._found.setdefault((column, message), []).append(row)

    def __bool__(self) -> bool:
        return bool(self._found)

    def messages(self) -> list[str]:
        """Return the problems in row order, at most ``MAX_PROBLEMS`` of them."""
        ordered = sorted(self._found.items(), key=lambda item: min(item[1]))
        lines = [_where(rows, column) + text for (column, text), rows in ordered]
        if len(lines) > MAX_PROBLEMS:
            more = len(lines) - MAX_PROBLEMS
            lines = [*lines[:MAX_PROBLEMS], f"... and {more} more problems"]
        return lines


@dataclass(frozen=True)
class _Column:
    index: int
    target: str
    label: str
    values: dict[str, str]


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
    columns = _resolve_columns(table.header, definition, mapping, problems)
    rows = _RowChecker(definition, columns, RosterNames(teams, services or []))
    for number, cells in table.rows:
        rows.check(number, cells, table.header, problems, year=year, today=today)
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


def _resolve_columns(
    header: list[str],
    definition: TemplateDefinition,
    mapping: ColumnMapping | None,
    problems: ImportProblems,
) -> list[_Column]:
    """Match each heading to a question or an import column; report the rest."""
    if mapping is not None:
        _check_mapping(mapping, definition, problems)
    columns: list[_Column] = []
    unknown: list[str] = []
    taken: dict[str, str] = {}
    for index, heading in enumerate(header):
        key = name_key(heading)
        mapped = mapping is not None and key in mapping.columns
        target = _target(
            mapping.columns[key] if mapping and mapped else heading, definition
        )
        if not heading or (mapped and target is None):
            continue  # an empty heading is checked row by row; a bad map above
        if target is None:
            if normalise_code(heading) == "workforce":
                problems.add(
                    0,
                    "column 'workforce': the workforce is worked out from the role; "
                    "delete this column, or map it to ignore",
                )
            else:
                unknown.append(heading)
            continue
        if target != IGNORE and target in taken:
            problems.add(
                0,
                f"columns '{taken[target]}' and '{heading}' both hold {target}; "
                "keep one of them",
            )
            continue
        taken[target] = heading
        label = target if name_key(target) == key else f"'{heading}' ({target})"
        values = mapping.values.get(key, {}) if mapping and mapped else {}
        columns.append(_Column(index, target, label, values))
    for heading in unknown:
        hint = suggest(name_key(heading), _target_names(definition))
        problems.add(
            0,
            f"column '{heading}' is not a question of {definition.key} or an "
            f"import column{hint}",
        )
    if unknown:
        problems.add(
            0,
            f"the columns can be {', '.join(ATTRIBUTE_COLUMNS)} and the question "
            f"ids of {definition.key}: "
            f"{', '.join(question.id for question in definition.questions)}; to "
            "keep the export's own headings, give --mapping FILE matching each "
            "heading to a question id (or to ignore, to leave a column out)",
        )
    elif all(column.target in (*ATTRIBUTE_COLUMNS, IGNORE) for column in columns):
        problems.add(0, f"the file has no columns for questions of {definition.key}")
    return columns


def _check_mapping(
    mapping: ColumnMapping, definition: TemplateDefinition, problems: ImportProblems
) -> None:
    """Every target must exist, and every replacement answer must fit its question."""
    for key, typed in mapping.columns.items():
        heading = mapping.headings[key]
        target = _target(typed, definition)
        if target is None:
            hint = suggest(name_key(typed), _target_names(definition))
            problems.add(
                0,
                f"{mapping.source}: '{heading}' is mapped to '{typed}', which is "
                f"not a question of {definition.key} or an import column{hint}",
            )
        elif target not in (*ATTRIBUTE_COLUMNS, IGNORE):
            question = definition.question(target)
            for answer, replacement in mapping.values.get(key, {}).items():
                try:
                    read_answer(question, replacement, {})
                except CellError as error:
                    problems.add(
                        0,
                        f"{mapping.source}: '{heading}': the replacement for "
                        f"'{mapping.answers.get(answer, answer)}' does not fit "
                        f"{question.id}: {error}",
                    )


def _target(typed: str, definition: TemplateDefinition) -> str | None:
    """The question id or import column a heading names, or None."""
    code = normalise_code(typed)
    if code in ATTRIBUTE_COLUMNS or code == IGNORE:
        return code
    wanted = typed.strip().casefold()
    for question in definition.questions:
        if question.id.casefold() == wanted:
            return question.id
    return None


def _target_names(definition: TemplateDefinition) -> dict[str, str]:
    names = {name: name for name in ATTRIBUTE_COLUMNS}
    names.update({q.id.casefold(): q.id for q in definition.questions})
    return names


class _RowChecker:
    """Checks respondents one by one, remembering what duplicates need."""

    def __init__(
        self,
        definition: TemplateDefinition,
        columns: list[_Column],
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
                    submitted = read_date(value, year=year, today=today)
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
        self.responses.append(
            HistoricResponse(
                row=number,
                submitted_on=submitted,
                team=team,
                service=service,
                role=role,
                workforce=self.names.workforce_of(role) if role else None,
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


def _where(rows: list[int], column: str | None) -> str:
    numbers = sorted(set(rows) - {0})
    parts = []
    if numbers:
        listed = ", ".join(str(number) for number in numbers[:ROWS_LISTED])
        if len(numbers) > ROWS_LISTED:
            listed += f" and {len(numbers) - ROWS_LISTED} more"
        parts.append(f"{'row' if len(numbers) == 1 else 'rows'} {listed}")
    if column is not None:
        parts.append(f"column {column}")
    return ", ".join(parts) + ": " if parts else ""
