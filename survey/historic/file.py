"""Reading an earlier round's export (CSV or XLSX) and its column mapping file.

Nothing here knows about questions or the database: it turns bytes into a table
of text cells, or says in plain words why it cannot.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import yaml

from survey.errors import HistoricImportError
from survey.roster.file import SAVE_AS_UTF8
from survey.roster.names import name_key

MAX_FILE_BYTES = 20_000_000
MAX_ROWS = 20_000
MAX_COLUMNS = 500

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class ResponseTable:
    """An export as text cells: its headings and its non-blank rows.

    Attributes:
        header: The first row's cells, stripped.
        rows: ``(spreadsheet row number, cells)`` for every row with any value;
            blank rows are left out but still counted, so numbers match the sheet.
        sheets: The workbook's sheet names (empty for CSV); only the first is read.

    """

    header: list[str]
    rows: list[tuple[int, list[str]]]
    sheets: list[str] = field(default_factory=list)

    def fingerprint(self) -> str:
        """Return a sha256 of the cells, the same whatever the file format.

        Byte order marks, line endings, blank rows and spaces around values do
        not change it, so a file re-saved from Excel still counts as the same.
        """
        cells = [self.header, *(cells for _, cells in self.rows)]
        trimmed = [_without_trailing_blanks(row) for row in cells]
        text = json.dumps(trimmed, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ColumnMapping:
    """The export's own headings matched to question ids or import columns.

    Attributes:
        source: The mapping file's name, used in messages.
        columns: ``name_key(heading)`` -> target as written (a question id,
            ``date``, ``team``, ``service``, ``role``, ``employment_type``,
            ``respondent_id`` or ``ignore``).
        headings: ``name_key(heading)`` -> the heading as written in the mapping.
        values: ``name_key(heading)`` -> ``{name_key(answer): replacement}``.
        answers: ``name_key(answer)`` -> the answer as written, for messages.

    """

    source: str
    columns: dict[str, str]
    headings: dict[str, str]
    values: dict[str, dict[str, str]]
    answers: dict[str, str] = field(default_factory=dict)


def read_table(data: bytes) -> ResponseTable:
    """Split an export into headings and rows of text.

    XLSX workbooks are recognised by their content, whatever the file is called;
    anything else must be UTF-8 CSV (with or without a byte order mark).

    Raises:
        HistoricImportError: if the file cannot be read as either.

    """
    if data.startswith(XLSX_MAGIC):
        table = _read_xlsx(data)
    elif data.startswith(XLS_MAGIC):
        raise HistoricImportError(
            [
                "this is an old-style Excel .xls workbook; open it in Excel and save "
                f"it as .xlsx, or {SAVE_AS_UTF8}"
            ]
        )
    else:
        table = _read_csv(_decode(data))
    if not any(table.header):
        raise HistoricImportError(["row 1 is empty; it must hold the column headings"])
    if len(table.header) > MAX_COLUMNS:
        raise HistoricImportError(
            [
                f"the file has {len(table.header)} columns; the most allowed is "
                f"{MAX_COLUMNS}"
            ]
        )
    if not table.rows:
        raise HistoricImportError(["the file has column headings but no responses"])
    return table


def _decode(data: bytes) -> str:
    """Return the text of a UTF-8 file; never guess at any other encoding."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise HistoricImportError(
            [f"the file is saved as UTF-16, not UTF-8; {SAVE_AS_UTF8}"]
        )
    data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise HistoricImportError(
            [
                f"the file is not saved as UTF-8 (line {line} has a character that "
                f"is not UTF-8, as in files saved by older Excel); {SAVE_AS_UTF8}"
            ]
        ) from None
    if "\x00" in text:
        raise HistoricImportError([f"the file is not CSV text; {SAVE_AS_UTF8}"])
    if not text.strip():
        raise HistoricImportError(["the file is empty"])
    return text


def _read_csv(text: str) -> ResponseTable:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
        if len(header) == 1 and re.search(r"[;\t|]", header[0]):
            raise HistoricImportError(
                [f"the file is not comma-separated; {SAVE_AS_UTF8}"]
            )
        rows = _non_blank(enumerate(reader, start=2))
    except csv.Error as error:
        raise HistoricImportError(
            [f"line {reader.line_num}: the file could not be read as CSV ({error})"]
        ) from None
    return ResponseTable(header=header, rows=rows)


def _read_xlsx(data: bytes) -> ResponseTable:
    # openpyxl is imported here so that reading CSV never pays for it.
    import zipfile

    from openpyxl import load_workbook

    try:
        # data_only=False on purpose: with True, openpyxl hands back the result
        # Excel last cached for a formula (or None if the file was never opened
        # in Excel), so a formula would silently become an answer or a blank.
        # Read this way a formula arrives as its text ("=SUM(A1:A3)") and is
        # checked like anything else typed in the cell; it is never worked out.
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise HistoricImportError(
            [f"the file looks like an Excel workbook but cannot be opened ({error})"]
        ) from None
    try:
        if not workbook.worksheets:
            raise HistoricImportError(["the workbook has no worksheet"])
        sheet = workbook.worksheets[0]
        lines = (
            (number, [_cell_text(cell) for cell in cells])
            for number, cells in enumerate(sheet.iter_rows(values_only=True), 1)
        )
        first = next(lines, (1, []))[1]
        rows = _non_blank(lines)
        return ResponseTable(
            header=[cell.strip() for cell in first],
            rows=rows,
            sheets=list(workbook.sheetnames),
        )
    finally:
        workbook.close()


def _non_blank(lines: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    rows: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        values = [cell.strip() for cell in cells]
        if any(values):
            if len(rows) == MAX_ROWS:
                raise HistoricImportError(
                    [
                        f"the file has more than {MAX_ROWS} responses; is it the right "
                        "file?"
                    ]
                )
            rows.append((number, values))
    return rows


def _cell_text(value: Any) -> str:
    """Return what a workbook cell shows as text, without working anything out."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time | int | float | str):
        return str(value)
    # Array and data-table formulas come back as objects holding their text.
    return str(getattr(value, "text", value))


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]


def read_mapping(data: bytes, *, name: str) -> ColumnMapping:
    """Read a column mapping file: YAML (``.yaml``, ``.yml``) or CSV (``.csv``).

    YAML maps each heading to a target, or to ``{question: ..., values: {...}}``
    to also replace answers::

        "Response ID": respondent_id
        "Q1. I can do my workload safely": WL01
        "Q2. How manageable is your workload?":
          question: WL02
          values: {"Just about": just_about}
        "IP address": ignore

    CSV has the columns ``header,question_id`` and optionally ``answer,code``;
    a heading may take several lines, one per answer it replaces.

    Raises:
        HistoricImportError: if the file cannot be read or is not shaped as above.

    """
    text = _mapping_text(data, name)
    if name.lower().endswith(".csv"):
        return _mapping_from_csv(text, name)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise HistoricImportError(
            [f"{name}{where}: {getattr(error, 'problem', None) or 'not valid YAML'}"]
        ) from None
    except (ValueError, OverflowError) as error:
        # PyYAML builds dates itself: "2024-02-30" raises ValueError, not YAMLError.
        raise HistoricImportError(
            [f"{name}: a value in the file cannot be read ({error})"]
        ) from None
    except RecursionError:
        raise HistoricImportError([f"{name}: the file is nested too deeply"]) from None
    if not isinstance(raw, dict) or not raw:
        raise HistoricImportError(
            [f'{name}: write one line per heading, like  "Q1. Workload": WL01']
        )
    mapping = _MappingBuilder(name)
    for heading, target in raw.items():
        if isinstance(target, dict):
            question = target.get("question")
            values = target.get("values") or {}
            extra = set(target) - {"question", "values"}
            if extra or not isinstance(values, dict):
                mapping.problem(
                    heading, "give only `question` and a mapping of `values`"
                )
                continue
            mapping.add(heading, question)
            for answer, code in values.items():
                mapping.add_value(heading, answer, code)
        else:
            mapping.add(heading, target)
    return mapping.finish()


def _mapping_text(data: bytes, name: str) -> str:
    try:
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise HistoricImportError(
            [f"{name}: the file is not saved as UTF-8; {SAVE_AS_UTF8}"]
        ) from None


def _mapping_from_csv(text: str, name: str) -> ColumnMapping:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [name_key(cell).replace(" ", "_") for cell in rows[0]] if rows else []
    if header[:2] != ["header", "question_id"] or not set(header[2:]) <= {
        "answer",
        "code",
    }:
        raise HistoricImportError(
            [
                f"{name}: the first line must be  header,question_id  (optionally "
                "followed by  answer,code)"
            ]
        )
    mapping = _MappingBuilder(name)
    for line, cells in enumerate(rows[1:], start=2):
        record = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        if not any(record.values()):
            continue
        heading = record.get("header", "")
        mapping.add(heading, record.get("question_id", ""), line=line)
        if record.get("answer") or record.get("code"):
            mapping.add_value(
                heading, record.get("answer", ""), record.get("code", ""), line=line
            )
    return mapping.finish()


class _MappingBuilder:
    """Collects a mapping file's lines, noting every problem before giving up."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.columns: dict[str, str] = {}
        self.headings: dict[str, str] = {}
        self.values: dict[str, dict[str, str]] = {}
        self.answers: dict[str, str] = {}
        self.problems: list[str] = []

    def problem(self, heading: Any, message: str, line: int | None = None) -> None:
        where = f"line {line}: " if line else ""
        self.problems.append(f"{self.source}: {where}'{heading}': {message}")

    def add(self, heading: Any, target: Any, *, line: int | None = None) -> None:
        if isinstance(heading, int | float) and not isinstance(heading, bool):
            heading = str(heading)  # a heading such as 2023 reads as a number
        if not isinstance(heading, str) or not heading.strip():
            self.problems.append(
                f"{self.source}: {f'line {line}: ' if line else ''}a heading is empty"
            )
            return
        if target is None or not isinstance(target, str) or not target.strip():
            self.problem(
                heading,
                "give a question id, a column name, or ignore (to leave it out)",
                line,
            )
            return
        key = name_key(heading)
        known = self.columns.setdefault(key, target.strip())
        self.headings.setdefault(key, heading.strip())
        if name_key(known) != name_key(target):
            self.problem(heading, f"is mapped to both {known} and {target}", line)

    def add_value(
        self, heading: str, answer: Any, code: Any, *, line: int | None = None
    ) -> None:
        if isinstance(answer, bool) or isinstance(code, bool):
            self.problem(
                heading,
                'put yes and no in quotes, like "Yes": "yes" (unquoted, YAML reads '
                "them as true/false)",
                line,
            )
            return
        if not isinstance(answer, str | int) or not isinstance(code, str | int):
            self.problem(heading, "each answer needs a replacement", line)
            return
        if str(answer).strip() == "" or str(code).strip() == "":
            self.problem(heading, "each answer needs a replacement", line)
            return
        given = self.values.setdefault(name_key(heading), {})
        given[name_key(str(answer))] = str(code).strip()
        self.answers.setdefault(name_key(str(answer)), str(answer).strip())

    def finish(self) -> ColumnMapping:
        if self.problems:
            raise HistoricImportError(self.problems)
        return ColumnMapping(
            source=self.source,
            columns=self.columns,
            headings=self.headings,
            values=self.values,
            answers=self.answers,
        )
