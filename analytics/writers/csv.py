"""The report as one tidy long-format CSV: one figure per row, hidden ones marked."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from analytics.model import NOTHING_TO_SHOW, GroupResults, QuestionResult
from analytics.report import Report
from analytics.writers.safe_text import safe_cell
from analytics.writers.text import HIDDEN

COLUMNS = (
    "group",
    "question_id",
    "question",
    "measure",
    "value",
    "change",
    "hidden_reason",
)
Record = tuple[str, str, str, str, object, object, str]
NATIONAL = "England (national)"
ACTIONS = "You said, we did"


def _figure(value: float) -> float:
    return round(value, 1)


def _question_records(group: str, question: QuestionResult) -> Iterator[Record]:
    qid, text = question.question_id, question.text
    if question.hidden in NOTHING_TO_SHOW:
        yield group, qid, text, "% favourable", question.hidden, "", ""
        return
    if question.hidden is not None:
        yield group, qid, text, "% favourable", HIDDEN, "", question.hidden
        return
    if question.answered is not None:
        yield group, qid, text, "answered", question.answered, "", ""
    if question.skipped is not None:
        yield group, qid, text, "skipped", question.skipped, "", ""
    if question.favourable is not None:
        change = _figure(question.change.points) if question.change else ""
        value = _figure(question.favourable)
        measure = f"% {question.measure}" if question.measure else "% favourable"
        yield group, qid, text, measure, value, change, ""
    for name, number in (("mean", question.mean), ("median", question.median)):
        if number is not None:
            yield group, qid, text, name, _figure(number), "", ""
    for share in question.distribution:
        yield group, qid, text, f"% {share.label}", _figure(share.percent), "", ""
    if question.target is not None:
        yield group, qid, text, "target %", _figure(question.target), "", ""
    if question.rag is not None:
        yield group, qid, text, "RAG", question.rag, "", ""


def _group_records(
    group: GroupResults, standards: dict[int, str], min_size: int
) -> Iterator[Record]:
    label = group.label
    if group.hidden in NOTHING_TO_SHOW:
        yield label, "", "", "respondents", 0, "", ""
        return
    if group.hidden is not None or group.respondents is None:
        reason = group.hidden or "not shown"
        yield label, "", "", "respondents", HIDDEN, "", reason
        return
    yield label, "", "", "respondents", group.respondents, "", ""
    shown = {s.standard: s for s in group.standards}
    for number, name in standards.items():
        sid = f"S{number}"
        standard = shown.get(number)
        if standard is None or standard.score is None:
            reason = f"fewer than {min_size} answers"
            yield label, sid, name, "standard score", HIDDEN, "", reason
            continue
        change = _figure(standard.change.points) if standard.change else ""
        score = _figure(standard.score)
        yield label, sid, name, "standard score", score, change, ""
        yield label, sid, name, "band", standard.band or "", "", ""
    for question in group.questions:
        yield from _question_records(label, question)
    for row in group.hours:
        qid = "HOURS_OVER_CONTRACT"
        if row.hidden is not None:
            yield label, qid, row.pattern, "respondents", HIDDEN, "", row.hidden
            continue
        yield label, qid, row.pattern, "respondents", row.respondents, "", ""
        for share in row.bands:
            measure = f"% {share.label} extra hours"
            yield label, qid, row.pattern, measure, _figure(share.percent), "", ""
        if row.mean is not None:
            mean = _figure(row.mean)
            yield label, qid, row.pattern, "average extra hours", mean, "", ""


def records(report: Report) -> Iterator[Record]:
    """Every figure in the report as (group, question_id, ... hidden_reason)."""
    standards = {s.standard: s.name for s in report.overall.standards}
    groups = (report.overall, *report.by_service, *report.by_team, *report.by_role)
    for group in groups:
        yield from _group_records(group, standards, report.min_group_size)
    for rate in report.response_rates:
        qid = "RESPONSE_RATE"
        if rate.rate is None or rate.invited is None:
            reason = rate.hidden or "not shown"
            yield rate.label, qid, "", "response rate %", HIDDEN, "", reason
            continue
        yield rate.label, qid, "", "invited", rate.invited, "", ""
        yield rate.label, qid, "", "responded", rate.responded, "", ""
        yield rate.label, qid, "", "response rate %", _figure(rate.rate), "", ""
    whole = report.overall.label
    for year, value in report.rate_trend:
        qid, measure = "RESPONSE_RATE_TREND", "response rate %"
        if value is None:
            yield whole, qid, str(year), measure, HIDDEN, "", "not available"
        else:
            yield whole, qid, str(year), measure, _figure(value), "", ""
    for theme in report.themes:
        qid = f"THEME:{theme.theme}"
        for measure, count in (
            ("comments", theme.comments),
            ("positive", theme.positive),
            ("neutral", theme.neutral),
            ("negative", theme.negative),
        ):
            yield whole, qid, theme.label, measure, count, "", ""
        for n, quote in enumerate(theme.quotes, start=1):
            yield whole, qid, theme.label, f"quote {n}", quote, "", ""
    for action in report.actions:
        qid, said = action.question_id or "", action.you_said
        yield ACTIONS, qid, said, "we did", action.we_did, "", ""
        yield ACTIONS, qid, said, "theme", action.theme, "", ""
        if action.question:
            yield ACTIONS, qid, said, "question", action.question, "", ""
        yield ACTIONS, qid, said, "owner", action.owner, "", ""
        if action.due is not None:
            yield ACTIONS, qid, said, "due", action.due.isoformat(), "", ""
        yield ACTIONS, qid, said, "status", action.status, "", ""
    for b in report.benchmarks:
        figure = f"{b.value} ({b.population}, {b.year or 'year not given'}; {b.source})"
        yield (
            NATIONAL,
            b.question_id or "",
            b.measure,
            "national figure",
            figure,
            "",
            "",
        )


def write_csv(report: Report, path: Path) -> None:
    """Write the tidy CSV (UTF-8 with a byte-order mark, so Excel reads it right)."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for record in records(report):
            writer.writerow([safe_cell(value) for value in record])
