"""The report as one self-contained HTML file (charts embedded, nothing fetched)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from analytics.charts import report_charts
from analytics.report import Report
from analytics.writers import tables, text
from analytics.writers.cells import runs
from analytics.writers.findings import areas_to_improve, key_findings, strengths


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("analytics.writers", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["b64"] = lambda data: base64.b64encode(data).decode("ascii")
    environment.globals["runs"] = runs
    environment.globals["hidden_label"] = text.hidden_label
    return environment


def render_html(report: Report) -> str:
    """The report as an HTML page."""
    groups = [
        ("by-service", text.SECTION_SERVICE, report.by_service),
        ("by-team", text.SECTION_TEAM, report.by_team),
        ("by-role", text.SECTION_ROLE, report.by_role),
    ]
    group_tables = [
        (
            anchor,
            heading,
            tables.groups_table(report, anchor, f"{heading}, {report.year}", found),
        )
        for anchor, heading, found in groups
    ]
    contents = [
        ("summary", text.SECTION_SUMMARY),
        ("response", text.SECTION_RESPONSE),
        ("standards", text.SECTION_STANDARDS),
        ("strongest", text.SECTION_STRONGEST),
        ("questions", text.SECTION_QUESTIONS),
        *((anchor, heading) for anchor, heading, _ in groups),
        ("hours", text.SECTION_HOURS),
        ("themes", text.SECTION_THEMES),
        ("actions", text.SECTION_ACTIONS),
        *((("national", text.SECTION_BENCHMARKS),) if report.benchmarks else ()),
        ("method", text.SECTION_METHOD),
    ]
    template = _environment().get_template("report.html")
    return template.render(
        report=report,
        title=text.report_title(report.template_title, report.year),
        produced=f"{datetime.now(UTC):%d %B %Y}",
        text=text,
        contents=contents,
        findings=key_findings(report),
        charts=report_charts(report),
        trend=tables.trend_table(report),
        rates=tables.response_rates_table(report),
        standards=tables.standards_table(report),
        strongest=tables.favourable_table(
            report, "strongest", "Strongest questions", strengths(report)
        ),
        weakest=tables.favourable_table(
            report, "weakest", "Weakest questions", areas_to_improve(report)
        ),
        questions=tables.questions_table(report),
        groups=group_tables,
        hours=tables.hours_table(report),
        themes=tables.themes_table(report),
        actions=tables.actions_table(report),
        benchmarks=tables.benchmarks_table(report),
        method=text.method_note(report.min_group_size),
    )


def write_html(report: Report, path: Path) -> None:
    """Write the HTML file (UTF-8)."""
    path.write_text(render_html(report), encoding="utf-8")
