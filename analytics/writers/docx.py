"""The report as a Word document shaped like a council committee report.

Title block, 1. Purpose, 2. Recommendations, 3. Background, 4. Findings,
5. "You said, we did", 6. Next steps, then appendix tables. Places the PSW must
write are marked "[PSW to edit: ...]" and highlighted.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Cm, Inches, Length, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from analytics.charts import Chart, report_charts
from analytics.model import QuestionResult
from analytics.report import Report
from analytics.writers import tables, text
from analytics.writers.cells import Table, runs
from analytics.writers.findings import (
    LOW_RESPONSE_RATE,
    areas_to_improve,
    hours_sentences,
    key_findings,
    response_sentence,
    strengths,
)
from survey.questions.themes import STANDARDS

FILLS = {
    "low": "F6C9B3",
    "red": "F6C9B3",
    "moderate": "FBE3B0",
    "amber": "FBE3B0",
    "high": "C6DBEF",
    "green": "CDE8D5",
}
MARKED = re.compile(r"(\[[^\]]+\])")
TEXT_WIDTH = 6.4  # inches inside A4 portrait with 2.2 cm margins
LANDSCAPE_WIDTH = 9.8
MIN_CHARS, MAX_CHARS, CELL_PADDING = 6, 40, 4  # column widths, in characters


class _Writer:
    """Keeps the running figure and table numbers while the document is built."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.document: DocumentType = Document()
        self.charts = report_charts(report)
        self.figures = 0
        self.tables = 0
        for section in self.document.sections:
            section.page_width, section.page_height = Cm(21), Cm(29.7)
            section.left_margin = section.right_margin = Cm(2.2)
        style = self.document.styles["Normal"]
        style.font.name = "Arial"
        style.font.size = Pt(11)

    def heading(self, words: str, level: int = 1) -> None:
        self.document.add_heading(words, level=level)

    def para(self, words: str, number: str = "", *, marked: bool = True) -> Paragraph:
        """A paragraph; bracketed text in our own wording is highlighted."""
        paragraph = self.document.add_paragraph()
        if number:
            paragraph.add_run(f"{number}\t")
        if marked:
            _marked(paragraph, words)
        else:
            paragraph.add_run(words)
        return paragraph

    def bullets(self, lines: list[str], style: str = "List Bullet") -> None:
        for line in lines:
            self.document.add_paragraph(line, style=style)

    def quote(self, words: str) -> None:
        # User text: never highlighted or interpreted, only shown.
        paragraph = self.document.add_paragraph(style="Quote")
        paragraph.add_run(f"\u201c{words}\u201d")

    def chart(self, chart: Chart | None, width: float = TEXT_WIDTH) -> None:
        if chart is None:
            return
        self.document.add_picture(
            io.BytesIO(chart.png), width=Inches(min(chart.width, width))
        )
        # Keep the picture on the same page as its caption.
        self.document.paragraphs[-1].paragraph_format.keep_with_next = True
        picture = self.document.inline_shapes[-1]
        picture._inline.docPr.set("descr", chart.alt)
        picture._inline.docPr.set("title", chart.title)
        self.figures += 1
        self.document.add_paragraph(
            f"Figure {self.figures}: {chart.title}", style="Caption"
        )

    def table(self, table: Table, font: float = 9, width: float = TEXT_WIDTH) -> None:
        self.tables += 1
        caption = self.document.add_paragraph(
            f"Table {self.tables}: {table.caption}", style="Caption"
        )
        caption.paragraph_format.keep_with_next = True
        grid = self.document.add_table(rows=1, cols=len(table.columns))
        grid.style = "Table Grid"
        grid.alignment = WD_TABLE_ALIGNMENT.LEFT
        for cell, name in zip(grid.rows[0].cells, table.columns, strict=True):
            _write(cell, name, font, bold=True)
            _shade(cell, "E7E6E6")
        _repeat_header(grid.rows[0]._tr)
        for row in table.rows:
            added = grid.add_row()
            added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            cells = added.cells
            _write(cells[0], row.label, font, bold=True)
            column = 1
            for cell, span in runs(row):
                target = cells[column]
                if span > 1:
                    target = target.merge(cells[column + span - 1])
                _write(target, cell.prose, font, italic=cell.hidden is not None)
                if cell.tone in FILLS and cell.hidden is None:
                    _shade(target, FILLS[cell.tone])
                column += span
        _widths(grid, width, table)
        if table.notes:
            notes = self.para(" ".join(table.notes), marked=False)
            notes.runs[-1].font.size = Pt(font)
        self.document.add_paragraph()


def _marked(paragraph: Paragraph, words: str, size: Length | None = None) -> None:
    """Our own wording, with "[PSW to edit: ...]" places bold and highlighted."""
    for part in MARKED.split(words):
        run = paragraph.add_run(part)
        if size is not None:
            run.font.size = size
        if MARKED.fullmatch(part):
            run.bold = True
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _write(
    cell: _Cell, words: str, size: float, *, bold: bool = False, italic: bool = False
) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(words)
    run.font.size = Pt(size)
    run.bold = bold
    run.italic = italic


def _widths(grid: DocxTable, width: float, table: Table) -> None:
    """Share the width by what each column must fit without breaking a word."""
    weights = []
    for index, name in enumerate(table.columns):
        if index == 0:
            texts = [row.label for row in table.rows]
        else:
            texts = [
                row.cells[index - 1].prose
                for row in table.rows
                if row.cells[index - 1].hidden is None
            ]
        longest = min(max((len(t) for t in texts), default=0), MAX_CHARS)
        words = [len(word) for t in texts for word in t.split()]
        # Headers are bold, so their words need more room.
        words += [round(len(word) * 1.4) for word in name.split()]
        weights.append(max(MIN_CHARS, longest, max(words, default=0)) + CELL_PADDING)
    total = sum(weights)
    grid.autofit = False
    for column, weight in zip(grid.columns, weights, strict=True):
        share = Inches(width * weight / total)
        column.width = share
        for cell in column.cells:
            cell.width = share


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row: CT_Row) -> None:
    """Mark the header row to repeat on each page (and as headers for readers)."""
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    row.get_or_add_trPr().append(marker)


def _title_block(writer: _Writer) -> None:
    report = writer.report
    title = text.report_title(report.template_title, report.year)
    writer.document.add_heading(title, level=0)
    rows = [
        ("Meeting", text.placeholder("committee or panel"), True),
        ("Date of meeting", text.placeholder("date"), True),
        ("Report title", title, False),
        ("Organisation", report.organisation, False),
        ("Survey", report.campaign, False),
        (
            "Accountable employee",
            text.placeholder("name") + ", Principal Social Worker",
            True,
        ),
        ("Wards affected", "All", False),
        ("Report produced", f"{datetime.now(UTC):%d %B %Y}", False),
    ]
    block = writer.document.add_table(rows=0, cols=2)
    block.style = "Table Grid"
    for name, value, ours in rows:
        cells = block.add_row().cells
        _write(cells[0], name, 10, bold=True)
        paragraph = cells[1].paragraphs[0]
        if ours:
            _marked(paragraph, value, Pt(10))
        else:
            paragraph.add_run(value).font.size = Pt(10)
    block.autofit = False
    for column, inches in zip(block.columns, (2.0, TEXT_WIDTH - 2.0), strict=True):
        column.width = Inches(inches)
        for cell in column.cells:
            cell.width = Inches(inches)
    writer.document.add_paragraph()


def _purpose_and_recommendations(writer: _Writer) -> None:
    report = writer.report
    writer.heading("1. Purpose")
    comparison = (
        text.PURPOSE_COMPARISON.format(year=report.previous_year)
        if report.previous_year
        else ""
    )
    purpose = text.PURPOSE.format(
        organisation=report.organisation,
        campaign=report.campaign,
        comparison=comparison,
    )
    writer.para(purpose, "1.1", marked=False)
    writer.heading("2. Recommendations")
    writer.para(
        f"The {text.placeholder('committee or panel')} is recommended to:", "2.1"
    )
    recommendations = [
        line.format(campaign=report.campaign) for line in text.RECOMMENDATIONS
    ]
    writer.bullets(recommendations, style="List Number")
    writer.para(text.placeholder("check and adjust these recommendations"))


def _background(writer: _Writer) -> None:
    report = writer.report
    writer.heading("3. Background")
    writer.para(text.BACKGROUND_HEALTH_CHECK, "3.1")
    writer.para(text.BACKGROUND_STANDARDS, "3.2")
    writer.bullets([text.standard_name(number) for number in STANDARDS])
    collected = text.how_collected(report.collected, report.collected_from)
    how = text.BACKGROUND_HOW.format(collected=collected, k=report.min_group_size)
    when = text.placeholder("the dates the survey was open, and who was invited")
    writer.para(f"{how} {when}", "3.3")
    rate = report.overall.response_rate
    sentence = response_sentence(report)
    if rate is not None and rate.rate is not None and rate.rate < LOW_RESPONSE_RATE:
        sentence += " " + text.LOW_RESPONSE
    writer.para(sentence, "3.4", marked=False)
    writer.chart(writer.charts.trend, width=4.5)


def _question_line(question: QuestionResult) -> str:
    line = f"\u201c{question.text}\u201d: {text.percent(question.favourable or 0)}"
    if question.change is not None:
        line += f" ({question.change.arrow} {text.change_sentence(question.change)})"
    return line


def _findings(writer: _Writer) -> None:
    report = writer.report
    writer.heading("4. Findings")
    writer.heading("Key findings", 2)
    writer.bullets(key_findings(report))
    if report.overall.hidden is not None:
        return
    writer.heading("The LGA standards", 2)
    writer.para(
        "Each standard is scored from 0 to 100 and banded as the LGA does: low (50 "
        "or below), moderate (51 to 74) or high (75 or above).",
        "4.1",
    )
    writer.chart(writer.charts.standards)
    writer.table(tables.standards_table(report))
    writer.heading("Strengths", 2)
    writer.para("The questions with the highest % favourable:", "4.2")
    writer.bullets([_question_line(q) for q in strengths(report)])
    writer.chart(writer.charts.strongest)
    writer.heading("Areas to improve", 2)
    writer.para("The questions with the lowest % favourable:", "4.3")
    writer.bullets([_question_line(q) for q in areas_to_improve(report)])
    writer.chart(writer.charts.weakest)
    writer.heading("What staff said", 2)
    if not report.themes:
        writer.para(text.NO_THEMES, "4.4")
    for number, theme in enumerate(report.themes, start=1):
        writer.para(
            f"{theme.label}: {theme.comments} comments ({theme.positive} positive, "
            f"{theme.neutral} neutral, {theme.negative} negative).",
            f"4.4.{number}",
            marked=False,
        )
        for quote in theme.quotes:
            writer.quote(quote)
    writer.heading("Hours worked over contract", 2)
    writer.bullets(hours_sentences(report))
    writer.chart(writer.charts.hours)
    writer.table(tables.hours_table(report))


def _actions_and_next_steps(writer: _Writer) -> None:
    report = writer.report
    writer.heading("5. You said, we did")
    if report.actions:
        writer.table(tables.actions_table(report))
    else:
        writer.para(text.NO_ACTIONS, "5.1", marked=False)
    writer.heading("6. Next steps")
    for number, step in enumerate(text.NEXT_STEPS, start=1):
        writer.para(step, f"6.{number}")


def _appendix(writer: _Writer) -> None:
    report = writer.report
    section = writer.document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    writer.heading("Appendix: tables")
    writer.heading("A. Every question", 2)
    writer.table(tables.questions_table(report), font=8, width=LANDSCAPE_WIDTH)
    for letter, title, groups in (
        ("B", text.SECTION_SERVICE, report.by_service),
        ("C", text.SECTION_TEAM, report.by_team),
        ("D", text.SECTION_ROLE, report.by_role),
    ):
        writer.heading(f"{letter}. {title}", 2)
        caption = f"{title}, {report.year}"
        table = tables.groups_table(report, title, caption, groups)
        writer.table(table, font=8, width=LANDSCAPE_WIDTH)
    writer.heading("E. Response rates", 2)
    writer.chart(writer.charts.rates, width=8.0)
    writer.table(tables.response_rates_table(report), width=LANDSCAPE_WIDTH)
    letter = "F"
    if report.benchmarks:
        writer.heading(f"{letter}. {text.SECTION_BENCHMARKS}", 2)
        writer.table(tables.benchmarks_table(report), width=LANDSCAPE_WIDTH)
        letter = "G"
    writer.heading(f"{letter}. {text.SECTION_METHOD}", 2)
    for paragraph in text.method_note(report.min_group_size):
        writer.para(paragraph, marked=False)


def write_docx(report: Report, path: Path) -> None:
    """Write the committee-report-shaped Word document."""
    writer = _Writer(report)
    properties = writer.document.core_properties
    properties.title = text.report_title(report.template_title, report.year)
    properties.author = report.organisation
    _title_block(writer)
    _purpose_and_recommendations(writer)
    _background(writer)
    _findings(writer)
    _actions_and_next_steps(writer)
    _appendix(writer)
    writer.document.save(str(path))
