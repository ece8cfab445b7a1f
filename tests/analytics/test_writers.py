"""Report files read back: visible figures present, hidden groups' figures nowhere.

The hidden team's figures are worked out here straight from the database rows, so
the checks fail if any writer (or chart) lets them through.
"""

from __future__ import annotations

import base64
import csv
import re
from dataclasses import dataclass, replace
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from builders import NOW, SECRET, answer_as, full_answers, org_with_teams
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import func
from sqlmodel import col, select

from analytics.charts import report_charts, response_rates_chart, response_trend_chart
from analytics.model import GroupResults, ResponseRate
from analytics.report import ActionRow, Benchmark, Report, ThemeSummary, build_report
from analytics.writers import FORMATS, UnknownFormatError, write_report
from analytics.writers.safe_text import safe_text
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.errors import SurveyError
from survey.models import Answer, Campaign, Response

PNG = b"\x89PNG\r\n\x1a\n"
INJECTION = '=HYPERLINK("http://x") <script>alert(1)</script>'
FEWER = "hidden to protect anonymity (fewer than 5 responses)"
FAVOURABLE = ("agree", "strongly_agree")


@dataclass(frozen=True)
class Built:
    """A report with hidden teams, and what the hidden team's figures would be."""

    report: Report
    hidden_labels: tuple[str, ...]
    tiny_respondents: int
    tiny_percent: str  # as prose formats would write it, e.g. "33%"
    tiny_decimal: str  # as spreadsheets would, e.g. "33.3"
    whole_percent: str
    whole_decimal: float


async def _answer_round(
    sessions: SessionFactory, campaign: Campaign, people: list[tuple[object, str, int]]
) -> None:
    for person, q1, hours in people:
        answers = full_answers()
        answers["Q1"], answers["HOURS"] = q1, hours
        await answer_as(sessions, person, campaign, answers)  # type: ignore[arg-type]
    async with sessions() as session, session.begin():
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(
            session, campaign=stored, now=NOW + timedelta(days=1), secret=SECRET
        )


# Built once per database kind: the Report is frozen data that the tests only read,
# and writing 40-odd answers per test would make this module slow.
_BUILT: dict[str, Built] = {}


@pytest.fixture
async def built(sessions: SessionFactory, request: pytest.FixtureRequest) -> Built:
    kind = request.node.callspec.params["database_url"]
    if kind not in _BUILT:
        _BUILT[kind] = await _build(sessions)
    return _BUILT[kind]


async def _build(sessions: SessionFactory) -> Built:
    organisation, campaign, people, teams = await org_with_teams(
        sessions,
        teams={
            "Alpha": ("Adults", 8),
            "Beta": ("Adults", 8),
            "Gamma": ("Children's", 7),
            "Tiny": ("Children's", 3),
        },
    )
    async with sessions() as session, session.begin():
        last_year = await create_campaign(
            session,
            organisation_id=organisation.id,
            template_key="small-check",
            name="Teams check 2025",
            year=2025,
            audience=Audience(),
        )
        await open_campaign(session, campaign=last_year, now=NOW)
    earlier = people["Alpha"] + people["Beta"]
    await _answer_round(
        sessions,
        last_year,
        [(p, "agree" if n % 2 else "disagree", 4) for n, p in enumerate(earlier)],
    )
    this_year = (
        [(p, "agree", 4) for p in people["Alpha"]]
        + [
            (p, "agree" if n < 4 else "disagree", 4)
            for n, p in enumerate(people["Beta"][:7])
        ]
        + [(p, "agree", 4) for p in people["Gamma"][:6]]
        + [(people["Tiny"][0], "agree", 17)]
        + [(p, "disagree", 17) for p in people["Tiny"][1:]]
    )
    await _answer_round(sessions, campaign, this_year)

    tiny = teams["Tiny"]
    async with sessions() as session:
        respondents = (
            await session.exec(
                select(func.count())
                .select_from(Response)
                .where(
                    col(Response.campaign_id) == campaign.id,
                    col(Response.team_id) == tiny.id,
                )
            )
        ).one()
        options = (
            await session.exec(
                select(Answer.option)
                .join(Response, col(Response.id) == col(Answer.response_id))
                .where(
                    col(Response.campaign_id) == campaign.id,
                    col(Response.team_id) == tiny.id,
                    col(Answer.question_key) == "Q1",
                )
            )
        ).all()
        all_options = (
            await session.exec(
                select(Answer.option)
                .join(Response, col(Response.id) == col(Answer.response_id))
                .where(
                    col(Response.campaign_id) == campaign.id,
                    col(Answer.question_key) == "Q1",
                )
            )
        ).all()
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        report = await build_report(
            session,
            campaign=stored,
            themes=(
                ThemeSummary(
                    "workload",
                    "Workload",
                    12,
                    2,
                    3,
                    7,
                    ("Caseloads are far too high.", INJECTION),
                ),
            ),
            actions=(
                ActionRow(
                    INJECTION, "Capped allocations.", "workload", "PSW", None, "done"
                ),
            ),
            benchmarks=(
                Benchmark(
                    "My workload is too high",
                    "58%",
                    "LA children's social workers",
                    "Community Care, 26 Jul 2021",
                    year="2020",
                    question_id="Q1",
                ),
            ),
        )
    tiny_share = 100 * sum(o in FAVOURABLE for o in options) / len(options)
    whole_share = 100 * sum(o in FAVOURABLE for o in all_options) / len(all_options)
    assert respondents == 3, "the test needs a team below the minimum of 5"
    return Built(
        report=replace(report, campaign=f"Teams check 2026 {INJECTION}"),
        hidden_labels=("Children's: Tiny", "Children's: Gamma"),
        tiny_respondents=respondents,
        tiny_percent=f"{round(tiny_share)}%",
        tiny_decimal=f"{tiny_share:.1f}",
        whole_percent=f"{round(whole_share)}%",
        whole_decimal=round(whole_share, 1),
    )


class _Rows(HTMLParser):
    """Table rows as lists of cell texts, plus every img tag's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.images: list[dict[str, str | None]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th") and self.rows:
            self._cell = []
        elif tag == "img":
            self.images.append(dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _assert_row_hidden(cells: list[str], built: Built) -> None:
    """Every figure in a hidden group's row says hidden and carries no number."""
    figures = cells[1:]
    assert figures, cells
    for cell in figures:
        assert "hidden" in cell, cells
        assert not re.search(r"\d", cell.replace(FEWER, "")), cells
    assert built.tiny_percent not in " ".join(figures)


def test_html_shows_figures_hides_small_groups_and_escapes(
    built: Built, tmp_path: Path
) -> None:
    path = write_report(built.report, "html", tmp_path / "report.html")
    page = path.read_text(encoding="utf-8")
    parser = _Rows()
    parser.feed(page)

    whole = next(r for r in parser.rows if r and r[0] == "My workload is manageable.")
    assert built.whole_percent in whole
    assert any("+" in cell and "pts" in cell for cell in whole), "change vs 2025"
    alpha = next(r for r in parser.rows if r and r[0] == "Adults: Alpha")
    assert alpha[1] == "8"
    hidden_rows = [r for r in parser.rows if r and r[0] in built.hidden_labels]
    assert len(hidden_rows) >= 4, "by team and response rate tables each list both"
    for row in hidden_rows:
        _assert_row_hidden(row, built)
    assert built.tiny_percent not in page
    assert FEWER in page

    assert "<script" not in page.lower()
    assert "&lt;script&gt;" in page
    assert parser.images, "charts are embedded"
    for image in parser.images:
        assert image["alt"]
        source = image["src"] or ""
        assert source.startswith("data:image/png;base64,")
        assert base64.b64decode(source.split(",", 1)[1]).startswith(PNG)
    assert not re.search(r'(src|href)="(https?:)?//', page), "nothing is fetched"


def test_xlsx_marks_hidden_cells_as_text_and_defuses_formulas(
    built: Built, tmp_path: Path
) -> None:
    path = write_report(built.report, "xlsx", tmp_path / "report.xlsx")
    book = load_workbook(path)
    assert book.sheetnames[:9] == [
        "Summary",
        "Questions",
        "Standards",
        "By service",
        "By team",
        "By role",
        "Response rates",
        "Themes",
        "Actions",
    ]
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "@", "\t", "\r"))]
    assert f"'{INJECTION}" in texts
    numbers = [c.value for c in cells if isinstance(c.value, int | float)]
    assert float(built.tiny_decimal) not in numbers
    assert not [t for t in texts if built.tiny_percent in t]

    questions = book["Questions"]
    q1 = next(
        r
        for r in questions.iter_rows(values_only=True)
        if r[0] == "My workload is manageable."
    )
    assert built.whole_decimal in q1
    hidden_rows = [
        row
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        if row[0] in built.hidden_labels
    ]
    assert len(hidden_rows) >= 4
    for row in hidden_rows:
        values = [v for v in row[1:] if v is not None]
        assert "hidden" in values
        assert not [v for v in values if isinstance(v, int | float)], row
        assert all(
            v == "hidden" or "fewer than" in v or "subtraction" in v for v in values
        )


def test_csv_is_tidy_bom_prefixed_and_hides_small_groups(
    built: Built, tmp_path: Path
) -> None:
    path = write_report(built.report, "csv", tmp_path / "report.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "group",
        "question_id",
        "question",
        "measure",
        "value",
        "change",
        "hidden_reason",
    ]
    whole_q1 = next(
        r
        for r in rows
        if r["group"] == "Whole organisation"
        and r["question_id"] == "Q1"
        and r["measure"] == "% favourable"
    )
    assert float(whole_q1["value"]) == built.whole_decimal
    assert float(whole_q1["change"]) > 0
    hidden = [r for r in rows if r["group"] in built.hidden_labels]
    assert hidden
    for row in hidden:
        assert row["value"] == "hidden"
        assert row["hidden_reason"]
        assert row["change"] == ""
    assert not [
        r for r in rows if r["value"] in (built.tiny_decimal, built.tiny_percent)
    ]
    for row in rows:
        for value in row.values():
            if value.startswith("-"):
                float(value)  # only numbers may start with a minus
            assert not value.startswith(("=", "+", "@", "\t", "\r"))
    assert f"'{INJECTION}" in [r["value"] for r in rows]


def test_docx_reads_like_a_committee_report_without_hidden_figures(
    built: Built, tmp_path: Path
) -> None:
    path = write_report(built.report, "docx", tmp_path / "report.docx")
    document = Document(str(path))
    paragraphs = [p.text for p in document.paragraphs]
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    for expected in (
        "1. Purpose",
        "2. Recommendations",
        "3. Background",
        "4. Findings",
        "5. You said, we did",
        "6. Next steps",
        "Appendix: tables",
    ):
        assert expected in headings
    assert any("[PSW to edit:" in p for p in paragraphs)
    assert any(p.startswith("Figure 1:") for p in paragraphs)
    assert f"\u201c{INJECTION}\u201d" in paragraphs, "quotes shown as written"

    rows = [
        [cell.text for cell in row.cells]
        for table in document.tables
        for row in table.rows
    ]
    whole = next(r for r in rows if r[0] == "My workload is manageable.")
    assert built.whole_percent in whole
    hidden_rows = [r for r in rows if r[0] in built.hidden_labels]
    assert len(hidden_rows) >= 4
    for row in hidden_rows:
        _assert_row_hidden(row, built)
    everything = "\n".join(paragraphs + [cell for row in rows for cell in row])
    assert built.tiny_percent not in everything

    images = [
        part.blob
        for part in document.part.related_parts.values()
        if part.content_type == "image/png"
    ]
    assert images
    assert all(blob.startswith(PNG) for blob in images)
    described = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert all(described)


def test_charts_are_pngs_that_never_name_a_hidden_group(built: Built) -> None:
    charts = report_charts(built.report).all()
    assert len(charts) >= 4
    for chart in charts:
        assert chart.png.startswith(PNG)
        assert chart.alt
        drawn = " ".join(chart.texts) + " " + chart.alt
        for label in built.hidden_labels:
            assert label not in drawn
            assert label.split(": ")[1] not in drawn
    rates = report_charts(built.report).rates
    assert rates is not None
    assert "Adults: Alpha" in rates.texts


def test_html_and_docx_of_one_report_share_one_drawing_of_its_charts(
    built: Built, tmp_path: Path
) -> None:
    charts = report_charts(built.report)
    assert report_charts(built.report) is charts, "drawn once per report"
    html = write_report(built.report, "html", tmp_path / "report.html").read_text()
    document = Document(str(write_report(built.report, "docx", tmp_path / "r.docx")))

    drawn = {chart.png for chart in charts.all()}
    in_html = {
        base64.b64decode(data)
        for data in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html)
    }
    in_docx = {
        part.blob
        for part in document.part.related_parts.values()
        if part.content_type == "image/png"
    }
    assert in_html == drawn
    assert in_docx == drawn
    changed = replace(built.report, year=built.report.year + 1)
    assert report_charts(changed) is not charts, "another report draws its own"
    assert report_charts(changed).rates != charts.rates


def test_a_hidden_figure_is_never_drawn_as_a_zero_bar() -> None:
    rates = [
        ResponseRate("Shown team", 10, 6, 60.0),
        ResponseRate("Small team", None, None, None, "fewer than 5 responses"),
    ]
    chart = response_rates_chart(rates, title="Response rates")
    assert chart is not None
    assert "Shown team" in chart.texts
    assert "Small team" not in " ".join(chart.texts)
    assert "0%" not in chart.texts
    trend = response_trend_chart([(2024, None), (2025, 57.0)], title="Trend")
    assert trend is not None
    assert "2024" not in trend.texts
    assert response_rates_chart(rates[1:], title="Nothing to show") is None


def _nothing_to_show() -> Report:
    whole = GroupResults(
        "Whole organisation", "Check 2026", 2026, None, hidden="fewer than 5 responses"
    )
    rate = ResponseRate(
        "Whole organisation", None, None, None, "fewer than 5 responses"
    )
    return Report(
        organisation="Test Council",
        campaign="Check 2026",
        template_title="Check",
        year=2026,
        previous_year=None,
        overall=replace(whole, response_rate=rate),
        by_service=(),
        by_team=(),
        by_role=(),
        response_rates=(rate,),
        rate_trend=((2026, None),),
    )


def test_unknown_format_is_a_clear_survey_error(tmp_path: Path) -> None:
    with pytest.raises(UnknownFormatError, match="Choose one of: html, xlsx") as caught:
        write_report(_nothing_to_show(), "pdf", tmp_path / "report.pdf")
    assert isinstance(caught.value, SurveyError)
    assert isinstance(caught.value, ValueError)
    assert not (tmp_path / "report.pdf").exists()
    assert FORMATS == ("html", "xlsx", "csv", "docx")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_with_nothing_to_show_says_why(fmt: str, tmp_path: Path) -> None:
    path = write_report(_nothing_to_show(), fmt, tmp_path / f"report.{fmt}")
    if fmt == "html":
        words = path.read_text("utf-8")
    elif fmt == "docx":
        words = "\n".join(p.text for p in Document(str(path)).paragraphs)
    elif fmt == "csv":
        words = path.read_text("utf-8-sig")
    else:
        book = load_workbook(path)
        words = "\n".join(
            str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
        )
    assert "fewer than 5 responses" in words
    if fmt in ("html", "docx", "xlsx"):
        assert "No actions have been logged" in words
    if fmt in ("html", "docx"):
        assert "No figures can be shown for the whole organisation" in words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+44 1902", "'+44 1902"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\tname", "'\tname"),
        ("\rname", "'\rname"),
        ("Workload is high = stress", "Workload is high = stress"),
        ("", ""),
    ],
)
def test_safe_text_defuses_only_leading_formula_characters(
    text: str, expected: str
) -> None:
    assert safe_text(text) == expected
