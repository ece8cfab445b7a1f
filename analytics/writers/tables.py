"""The report's tables, built once from a Report and rendered by every writer."""

from __future__ import annotations

from collections.abc import Sequence

from analytics.model import GroupResults, QuestionResult, ResponseRate
from analytics.report import Benchmark, Report
from analytics.writers.cells import (
    Cell,
    Row,
    Table,
    change_cell,
    count_cell,
    hidden_cell,
    hidden_row,
    not_applicable,
    number_cell,
    percent_cell,
    rag_cell,
    score_cell,
    text_cell,
)
from analytics.writers.findings import standard_rag
from analytics.writers.text import standard_name

HOURS_COLUMNS = {
    "None": "No extra hours",
    "Up to 5": "Up to 5 extra",
    "5 to 10": "5 to 10 extra",
    "Over 10": "Over 10 extra",
}
NO_TARGETS = (
    "No targets have been set, so questions have no RAG rating; the Principal "
    "Social Worker can set a target % favourable per question."
)


def change_heading(report: Report) -> str:
    """The change column's heading, naming the year compared with."""
    return f"Change since {report.previous_year}"


def _favourable(question: QuestionResult) -> Cell:
    if question.hidden is not None:
        return hidden_cell(question.hidden)
    if question.favourable is None:
        return not_applicable()
    return percent_cell(question.favourable, question.decimals, question.measure)


def _mean(question: QuestionResult) -> Cell:
    if question.hidden is not None:
        return hidden_cell(question.hidden)
    return not_applicable() if question.mean is None else number_cell(question.mean)


def _answered(question: QuestionResult) -> Cell:
    if question.hidden is not None or question.answered is None:
        return hidden_cell(question.hidden or "not shown")
    return count_cell(question.answered)


def _skipped(question: QuestionResult) -> Cell:
    if question.hidden is not None:
        return hidden_cell(question.hidden)
    if question.skipped is None:
        return not_applicable()
    return count_cell(question.skipped)


def _national(benchmarks: Sequence[Benchmark], question_id: str) -> Cell:
    found = [b for b in benchmarks if b.question_id == question_id]
    if not found:
        return not_applicable()
    return text_cell(
        "; ".join(
            f"{b.value} ({b.population}, {b.year or 'year not given'})" for b in found
        )
    )


def questions_table(report: Report) -> Table:
    """Every question for the whole organisation, with change, target and RAG."""
    with_change = report.previous_year is not None
    with_targets = any(q.target is not None for q in report.overall.questions)
    national = [b for b in report.benchmarks if b.question_id]
    columns = ["Question", "ID", "Standard", "Answered", "Skipped", "% favourable"]
    columns += ["Mean"]
    columns += [change_heading(report)] if with_change else []
    columns += ["Target", "RAG"] if with_targets else []
    columns += ["Comparison (same wording)"] if national else []
    rows = []
    for question in report.overall.questions:
        cells = [
            text_cell(question.question_id),
            text_cell(str(question.standard) if question.standard else "none"),
            _answered(question),
            _skipped(question),
            _favourable(question),
            _mean(question),
        ]
        if with_change:
            cells.append(
                hidden_cell(question.hidden)
                if question.hidden
                else change_cell(question.change)
            )
        if with_targets:
            target = question.target
            cells.append(not_applicable() if target is None else percent_cell(target))
            cells.append(
                hidden_cell(question.hidden)
                if question.hidden
                else rag_cell(question.rag)
            )
        if national:
            cells.append(_national(national, question.question_id))
        rows.append(Row(question.text, tuple(cells)))
    notes = () if with_targets else (NO_TARGETS,)
    caption = f"Every question, whole organisation, {report.year}"
    return Table("questions", caption, tuple(columns), tuple(rows), notes)


def standards_table(report: Report) -> Table:
    """Each LGA standard's score, band, change and RAG for the whole organisation."""
    with_change = report.previous_year is not None
    columns = ["Standard", "Score (0 to 100)", "Band"]
    columns += [change_heading(report)] if with_change else []
    columns += ["RAG"]
    rows = []
    for standard in report.overall.standards:
        cells = [
            score_cell(standard, with_band=False),
            Cell(standard.band or "n/a", tone=standard.band),
        ]
        if with_change:
            cells.append(change_cell(standard.change))
        cells.append(rag_cell(standard_rag(standard)))
        rows.append(Row(standard_name(standard.standard), tuple(cells)))
    caption = f"LGA standards: scores and bands, whole organisation, {report.year}"
    return Table("standards", caption, tuple(columns), tuple(rows))


def favourable_table(
    report: Report, key: str, caption: str, questions: Sequence[QuestionResult]
) -> Table:
    """A short list of questions with % favourable (strongest or weakest)."""
    with_change = report.previous_year is not None
    columns = ["Question", "% favourable"]
    columns += [change_heading(report)] if with_change else []
    rows = []
    for question in questions:
        cells = [_favourable(question)]
        if with_change:
            cells.append(change_cell(question.change))
        rows.append(Row(question.text, tuple(cells)))
    return Table(key, caption, tuple(columns), tuple(rows))


def _rate_cells(rate: ResponseRate | None) -> list[Cell]:
    if rate is None:
        return [not_applicable()] * 2
    if rate.rate is None or rate.invited is None:
        return [hidden_cell(rate.hidden or "not shown")] * 2
    return [count_cell(rate.invited), percent_cell(rate.rate)]


def groups_table(
    report: Report, key: str, caption: str, groups: Sequence[GroupResults]
) -> Table:
    """One row per group: respondents, response rate and each standard's score."""
    numbers = [s.standard for s in report.overall.standards]
    columns = ["Group", "Respondents", "Invited", "Response rate"]
    columns += [f"S{n}" for n in numbers]
    rows = []
    for group in groups:
        if group.hidden is not None or group.respondents is None:
            reason = group.hidden or "not shown"
            rows.append(hidden_row(group.label, reason, len(columns) - 1))
            continue
        scores = {s.standard: s for s in group.standards}
        cells = [count_cell(group.respondents), *_rate_cells(group.response_rate)]
        for n in numbers:
            shown = scores.get(n)
            cells.append(
                score_cell(shown)
                if shown is not None
                else hidden_cell(f"fewer than {report.min_group_size} answers")
            )
        rows.append(Row(group.label, tuple(cells)))
    notes = tuple(f"S{n} = {standard_name(n)}." for n in numbers)
    return Table(key, caption, tuple(columns), tuple(rows), notes)


def group_matrix(
    report: Report, key: str, caption: str, groups: Sequence[GroupResults]
) -> Table:
    """Every standard and every question per group (spreadsheets)."""
    compact = groups_table(report, key, caption, groups)
    questions = report.overall.questions
    columns = compact.columns + tuple(q.question_id for q in questions)
    rows = []
    for group, row in zip(groups, compact.rows, strict=True):
        if row.hidden is not None:
            rows.append(hidden_row(row.label, row.hidden, len(columns) - 1))
            continue
        found = {q.question_id: q for q in group.questions}
        extra = []
        for question in questions:
            mine = found.get(question.question_id)
            if mine is None:
                extra.append(hidden_cell("not shown"))
            elif mine.mean is not None:
                extra.append(_mean(mine))
            else:
                extra.append(_favourable(mine))
        rows.append(Row(row.label, row.cells + tuple(extra)))
    notes = (
        *compact.notes,
        "Question columns show % favourable, or the mean for number questions.",
    )
    return Table(key, caption, columns, tuple(rows), notes)


def response_rates_table(report: Report) -> Table:
    """Invited, responded and rate for the organisation, services and teams."""
    columns = ("Group", "Invited", "Responded", "Response rate")
    rows = []
    for rate in report.response_rates:
        if rate.rate is None or rate.invited is None or rate.responded is None:
            rows.append(hidden_row(rate.label, rate.hidden or "not shown", 3))
            continue
        cells = (count_cell(rate.invited), count_cell(rate.responded))
        rows.append(Row(rate.label, (*cells, percent_cell(rate.rate))))
    caption = f"Response rates by service and team, {report.year}"
    return Table("response_rates", caption, columns, tuple(rows))


def trend_table(report: Report) -> Table:
    """The whole organisation's response rate by year."""
    rows = tuple(
        Row(
            str(year),
            (percent_cell(rate) if rate is not None else hidden_cell("not available"),),
        )
        for year, rate in report.rate_trend
    )
    return Table("trend", "Response rate by year", ("Year", "Response rate"), rows)


def hours_table(report: Report) -> Table:
    """Hours over contract in a typical week, full and part time."""
    columns = ("Working pattern", "Respondents", *HOURS_COLUMNS.values(), "Average")
    rows = []
    for row in report.overall.hours:
        if row.hidden is not None or row.respondents is None:
            rows.append(hidden_row(row.pattern, row.hidden or "not shown", 6))
            continue
        shares = {share.label: share for share in row.bands}
        cells = [count_cell(row.respondents)]
        cells += [
            percent_cell(shares[label].percent) if label in shares else not_applicable()
            for label in HOURS_COLUMNS
        ]
        cells.append(not_applicable() if row.mean is None else number_cell(row.mean))
        rows.append(Row(row.pattern, tuple(cells)))
    caption = "Hours worked over contract in a typical week (% of respondents)"
    return Table("hours", caption, columns, tuple(rows))


def themes_table(report: Report) -> Table:
    """Comment themes with counts by sentiment."""
    columns = ("Theme", "Comments", "Positive", "Neutral", "Negative")
    rows = tuple(
        Row(
            theme.label,
            tuple(
                count_cell(n)
                for n in (theme.comments, theme.positive, theme.neutral, theme.negative)
            ),
        )
        for theme in report.themes
    )
    return Table("themes", "Themes in comments", columns, rows)


def actions_table(report: Report) -> Table:
    """The "you said, we did" actions."""
    columns = ("You said", "We did", "Theme", "Question", "Owner", "Due", "Status")
    rows = tuple(
        Row(
            action.you_said,
            (
                text_cell(action.we_did),
                text_cell(action.theme),
                text_cell(f"{action.question_id} {action.question}".strip())
                if action.question_id
                else not_applicable(),
                text_cell(action.owner),
                text_cell(action.due.isoformat()) if action.due else not_applicable(),
                text_cell(action.status),
            ),
        )
        for action in report.actions
    )
    return Table("actions", "You said, we did", columns, rows)


def benchmarks_table(report: Report) -> Table:
    """National comparison figures, each with its population, year and source."""
    columns = ("Measure", "Figure", "Population", "Year", "Source")
    rows = tuple(
        Row(
            b.measure,
            (
                text_cell(b.value),
                text_cell(b.population),
                text_cell(b.year or "n/a"),
                text_cell(b.source),
            ),
        )
        for b in report.benchmarks
    )
    caption = (
        "Comparison figures, with their population, year and source (context, "
        "not like for like unless the wording is the same)"
    )
    return Table("benchmarks", caption, columns, rows)
