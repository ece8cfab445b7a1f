"""The report as an Excel workbook: one sheet per part, hidden cells say "hidden".

A hidden figure is written as the text "hidden" (never a number, never a blank
that reads as zero) with the reason in a "Why hidden" column, and every text cell
is protected against formula injection.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from analytics.report import Report
from analytics.writers import tables
from analytics.writers.cells import Cell, Row, Table, hidden_cell, not_applicable
from analytics.writers.findings import key_findings
from analytics.writers.safe_text import safe_cell, safe_text
from analytics.writers.text import (
    HIDDEN,
    NO_ACTIONS,
    NO_THEMES,
    SECTION_METHOD,
    method_note,
    percent,
)

BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
NOTE = Font(italic=True)
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
TONE_FILLS = {
    "low": "F6C9B3",
    "red": "F6C9B3",
    "moderate": "FBE3B0",
    "amber": "FBE3B0",
    "high": "C6DBEF",
    "green": "CDE8D5",
}
WRAP = Alignment(wrap_text=True, vertical="top")
WHY_HIDDEN = "Why hidden"


def _clean(value: object) -> object:
    """Safe against formulas and free of characters Excel cannot store."""
    if isinstance(value, str):
        return safe_text(ILLEGAL_CHARACTERS_RE.sub("", value))
    return safe_cell(value)


def _put(sheet: Worksheet, row: int, column: int, value: object) -> None:
    sheet.cell(row=row, column=column, value=_clean(value))


def _why(row: Row) -> str:
    reasons = [row.hidden] if row.hidden else [c.hidden for c in row.cells if c.hidden]
    return "; ".join(dict.fromkeys(reason for reason in reasons if reason))


def write_table(sheet: Worksheet, table: Table, start: int = 1) -> int:
    """Write a captioned table from row ``start``; returns the next free row."""
    _put(sheet, start, 1, table.caption)
    sheet.cell(row=start, column=1).font = BOLD
    columns = list(table.columns) + ([WHY_HIDDEN] if table.reasons else [])
    header = start + 1
    for index, name in enumerate(columns, start=1):
        _put(sheet, header, index, name)
        cell = sheet.cell(row=header, column=index)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    line = header
    for line, row in enumerate(table.rows, start=header + 1):
        _put(sheet, line, 1, row.label)
        sheet.cell(row=line, column=1).alignment = WRAP
        for index, cell in enumerate(row.cells, start=2):
            _put(sheet, line, index, cell.sheet_value)
            if cell.tone in TONE_FILLS and cell.hidden is None:
                fill = PatternFill("solid", fgColor=TONE_FILLS[cell.tone])
                sheet.cell(row=line, column=index).fill = fill
        if table.reasons:
            _put(sheet, line, len(columns), _why(row))
    for offset, note in enumerate(table.notes, start=1):
        _put(sheet, line + offset, 1, note)
        sheet.cell(row=line + offset, column=1).font = NOTE
    return line + len(table.notes) + 2


def _sheet(book: Workbook, title: str, label_width: int = 40) -> Worksheet:
    sheet = book.create_sheet(title)
    sheet.column_dimensions["A"].width = label_width
    for column in range(2, 60):
        sheet.column_dimensions[get_column_letter(column)].width = 14
    return sheet


def _lines(sheet: Worksheet, start: int, heading: str, lines: Iterable[str]) -> int:
    _put(sheet, start, 1, heading)
    sheet.cell(row=start, column=1).font = BOLD
    row = start
    for row, line in enumerate(lines, start=start + 1):
        _put(sheet, row, 1, line)
        sheet.cell(row=row, column=1).alignment = WRAP
    return row + 2


def _or_hidden(value: float | None) -> float | str:
    return HIDDEN if value is None else round(value, 1)


def _summary(book: Workbook, report: Report) -> None:
    sheet = book.active
    assert sheet is not None
    sheet.title = "Summary"
    sheet.column_dimensions["A"].width = 100
    sheet.column_dimensions["B"].width = 30
    _put(sheet, 1, 1, f"{report.template_title}: {report.organisation}")
    sheet.cell(row=1, column=1).font = TITLE
    rate = report.overall.response_rate
    facts: list[tuple[str, object]] = [
        ("Organisation", report.organisation),
        ("Campaign", report.campaign),
        ("Year", report.year),
        ("Compared with", report.previous_year or "no earlier round"),
        ("Respondents", _or_hidden(report.overall.respondents)),
        ("Response rate (%)", _or_hidden(rate.rate if rate else None)),
        ("Smallest group shown", report.min_group_size),
    ]
    for row, (name, value) in enumerate(facts, start=3):
        _put(sheet, row, 1, name)
        sheet.cell(row=row, column=1).font = BOLD
        _put(sheet, row, 2, value)
    row = _lines(sheet, len(facts) + 4, "Key findings", key_findings(report))
    row = write_table(sheet, tables.trend_table(report), row)
    _lines(sheet, row, SECTION_METHOD, method_note(report.min_group_size))


def _answers(report: Report) -> Table:
    """The question table with each question's answer distribution added."""
    table = tables.questions_table(report)
    rows = []
    for question, row in zip(report.overall.questions, table.rows, strict=True):
        if question.hidden is not None:
            extra = hidden_cell(question.hidden)
        elif question.distribution:
            extra = Cell(
                "; ".join(
                    f"{share.label} {percent(share.percent)}"
                    for share in question.distribution
                )
            )
        else:
            extra = not_applicable()
        rows.append(Row(row.label, (*row.cells, extra)))
    columns = (*table.columns, "Answers (% of those answering)")
    return Table(table.key, table.caption, columns, tuple(rows), table.notes)


def write_xlsx(report: Report, path: Path) -> None:
    """Write the workbook."""
    book = Workbook()
    _summary(book, report)
    questions = _sheet(book, "Questions", 70)
    write_table(questions, _answers(report))
    questions.freeze_panes = "B3"
    write_table(_sheet(book, "Standards", 50), tables.standards_table(report))
    for title, groups in (
        ("By service", report.by_service),
        ("By team", report.by_team),
        ("By role", report.by_role),
    ):
        sheet = _sheet(book, title)
        caption = f"{title}, {report.year}"
        write_table(sheet, tables.group_matrix(report, title, caption, groups))
        sheet.freeze_panes = "B3"
    rates = _sheet(book, "Response rates")
    row = write_table(rates, tables.response_rates_table(report))
    write_table(rates, tables.trend_table(report), row)
    themes = _sheet(book, "Themes", 30)
    if report.themes:
        row = write_table(themes, tables.themes_table(report))
        quotes = tuple(
            Row(theme.label, (Cell(quote),))
            for theme in report.themes
            for quote in theme.quotes
        )
        write_table(themes, Table("quotes", "Quotes", ("Theme", "Quote"), quotes), row)
        themes.column_dimensions["B"].width = 90
    else:
        _lines(themes, 1, "Themes", [NO_THEMES])
    actions = _sheet(book, "Actions", 50)
    if report.actions:
        write_table(actions, tables.actions_table(report))
        actions.column_dimensions["B"].width = 50
    else:
        _lines(actions, 1, "You said, we did", [NO_ACTIONS])
    if report.benchmarks:
        national = _sheet(book, "National comparison")
        write_table(national, tables.benchmarks_table(report))
    book.save(path)
