"""One committee paper for two health checks: social work and the wider workforce.

Councils report both checks to the same committee. The paper names both rounds,
gives each one's response rate and key findings, puts the questions the two
templates share (same id, same wording) side by side, then each workforce's own
questions and actions. Every figure comes from the two already suppressed
:class:`analytics.report.Report` objects; nothing is recomputed here.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from analytics.model import QuestionResult
from analytics.report import Report
from analytics.writers import tables, text
from analytics.writers.cells import (
    Cell,
    Row,
    Table,
    change_cell,
    hidden_cell,
    not_applicable,
    percent_cell,
)
from analytics.writers.docx import LANDSCAPE_WIDTH, _Writer
from analytics.writers.findings import key_findings
from survey.errors import SurveyError

PURPOSE = (
    "This report presents the findings of {organisation}'s workforce health "
    "checks: {names}. Each is an anonymous survey measured against the Local "
    "Government Association (LGA) Standards for employers of social workers in "
    "England. Questions the health checks share are shown side by side; each "
    "workforce's own questions follow."
)


class CombinedReportError(SurveyError):
    """Two rounds that cannot go in one paper."""


def shared_questions(first: Report, second: Report) -> list[str]:
    """The ids both rounds asked with the same wording, in the first's order."""
    theirs = {q.question_id: q.text for q in second.overall.questions}
    return [
        q.question_id
        for q in first.overall.questions
        if theirs.get(q.question_id) == q.text
    ]


def _cells(question: QuestionResult) -> list[Cell]:
    if question.hidden is not None:
        return [hidden_cell(question.hidden), hidden_cell(question.hidden)]
    if question.favourable is None:
        return [not_applicable(), not_applicable()]
    return [
        percent_cell(question.favourable, question.decimals, question.measure),
        change_cell(question.change),
    ]


def side_by_side(first: Report, second: Report) -> Table:
    """The shared questions: each round's share and change, in one table."""
    mine = {q.question_id: q for q in first.overall.questions}
    theirs = {q.question_id: q for q in second.overall.questions}
    columns = (
        "Question",
        f"{first.template_title} %",
        "Change",
        f"{second.template_title} %",
        "Change",
    )
    rows = tuple(
        Row(mine[key].text, (*_cells(mine[key]), *_cells(theirs[key])))
        for key in shared_questions(first, second)
    )
    return Table("shared", "Questions both health checks asked", columns, rows)


def own_questions(report: Report, shared: list[str]) -> Table:
    """The round's questions the other did not ask."""
    kept = tuple(q for q in report.overall.questions if q.question_id not in shared)
    own = replace(report, overall=replace(report.overall, questions=kept))
    table = tables.questions_table(own)
    caption = f"{report.template_title}: its own questions"
    return Table(table.key, caption, table.columns, table.rows, table.notes)


def write_combined_docx(first: Report, second: Report, path: Path) -> None:
    """Write one committee paper covering both health checks."""
    if first.organisation != second.organisation:
        raise CombinedReportError("Both rounds must be the same organisation's.")
    writer = _Writer(first)
    title = f"Workforce health checks: annual report {max(first.year, second.year)}"
    writer.document.core_properties.title = title
    writer.document.core_properties.author = first.organisation
    writer.document.add_heading(title, level=0)
    writer.para(f"{text.placeholder('committee or panel')}, {text.placeholder('date')}")
    writer.para(f"Report produced {datetime.now(UTC):%d %B %Y}", marked=False)
    names = f"the {first.campaign} and the {second.campaign}"
    writer.heading("1. Purpose")
    writer.para(
        PURPOSE.format(organisation=first.organisation, names=names),
        "1.1",
        marked=False,
    )
    writer.heading("2. Recommendations")
    writer.para(
        f"The {text.placeholder('committee or panel')} is recommended to note and "
        f"comment on the findings of {names}, and on the actions proposed.",
        "2.1",
    )
    writer.heading("3. How the surveys were answered")
    for number, report in enumerate((first, second), start=1):
        collected = text.how_collected(report.collected, report.collected_from)
        writer.para(f"{report.campaign}: {collected}", f"3.{number}", marked=False)
    shared = shared_questions(first, second)
    writer.heading("4. Questions both health checks asked")
    writer.table(side_by_side(first, second))
    for section, report in enumerate((first, second), start=5):
        writer.heading(f"{section}. {report.template_title} ({report.campaign})")
        writer.heading("Key findings", 2)
        writer.bullets(key_findings(report))
        writer.heading(text.SECTION_ACTIONS, 2)
        if report.actions:
            writer.table(tables.actions_table(report))
        else:
            writer.para(text.NO_ACTIONS, marked=False)
    writer.heading("7. Next steps")
    for number, step in enumerate(text.NEXT_STEPS, start=1):
        writer.para(step, f"7.{number}")
    writer.heading("Appendix: each health check's own questions")
    for report in (first, second):
        writer.table(own_questions(report, shared), font=8, width=LANDSCAPE_WIDTH)
    writer.heading(text.SECTION_METHOD, 2)
    for paragraph in text.method_note(first.min_group_size):
        writer.para(paragraph, marked=False)
    writer.document.save(str(path))
