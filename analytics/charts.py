"""Report charts as PNG bytes, drawn only from a Report's (already suppressed) figures.

Accessible by construction: every chart has a title, axis labels, its values
printed on the bars, a colour-blind-safe palette (Okabe-Ito) with hatching so
colour is never the only cue, and alt text listing what it shows. A hidden
figure is ``None`` in the Report; it is left out, never drawn as a zero bar.
"""

from __future__ import annotations

import io
import math
import textwrap
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text

from analytics.model import HoursRow, QuestionResult, ResponseRate, StandardScore
from analytics.report import Report

BLUE, ORANGE, VERMILLION, SKY = "#0072B2", "#E69F00", "#D55E00", "#56B4E9"
INK, GRID = "#222222", "#888888"
BANDS = {
    "low": ("Low (50 or below)", VERMILLION, "//"),
    "moderate": ("Moderate (51 to 74)", ORANGE, ".."),
    "high": ("High (75 or above)", BLUE, ""),
}
HOURS_STYLE = (
    ("None", "No extra hours", "#DCEAF6", "", INK),
    ("Up to 5", "Up to 5 extra", SKY, "..", INK),
    ("5 to 10", "5 to 10 extra", BLUE, "//", "white"),
    ("Over 10", "Over 10 extra", "#08306B", "xx", "white"),
)
LOW_RESPONSE_LINE = 30.0
LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "pad": 1}
DPI = 150


@dataclass(frozen=True)
class Chart:
    """A rendered chart and the words that describe it.

    Attributes:
        title: the chart's title (also its caption).
        alt: alt text: what the chart shows, values included.
        png: the image.
        texts: every piece of text drawn on the chart (for checking what it shows).
        width: the drawn width in inches (documents place it at this size).
    """

    title: str
    alt: str
    png: bytes
    texts: tuple[str, ...]
    width: float


@dataclass(frozen=True)
class ReportCharts:
    """The charts a report shows; None where there is nothing to draw."""

    trend: Chart | None
    rates: Chart | None
    standards: Chart | None
    strongest: Chart | None
    weakest: Chart | None
    hours: Chart | None

    def all(self) -> list[Chart]:
        """Every chart that was drawn."""
        charts = (
            self.trend,
            self.rates,
            self.standards,
            self.strongest,
            self.weakest,
            self.hours,
        )
        return [chart for chart in charts if chart is not None]


def _axes(width: float, height: float) -> tuple[Figure, Axes]:
    # No pyplot and no global rcParams: safe to draw from worker threads.
    figure = Figure(figsize=(width, height), layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _title(axes: Axes, title: str) -> None:
    axes.set_title(title, loc="left", fontsize=12, fontweight="bold")


def _render(figure: Figure, title: str, alt: str) -> Chart:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    texts = tuple(
        text.get_text()
        for text in figure.findobj(Text)
        if isinstance(text, Text) and text.get_visible() and text.get_text()
    )
    width = float(figure.get_figwidth())
    return Chart(title, alt, buffer.getvalue(), texts, width)


def _wrap(text: str, width: int) -> str:
    return textwrap.fill(text, width=width, break_long_words=False)


def _pct(value: float) -> str:
    return f"{_whole(value)}%"


def _whole(value: float) -> int:
    # Half away from zero, as the report's tables round (analytics.writers.text).
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def _points(value: float) -> str:
    points = _whole(value)
    return f"{points:+d}".replace("-", "\u2212") if points else "level"


def standards_chart(standards: Sequence[StandardScore], *, title: str) -> Chart | None:
    """Horizontal bars of 0-100 standard scores, coloured and hatched by band."""
    shown = [s for s in standards if s.score is not None and s.band is not None]
    if not shown:
        return None
    figure, axes = _axes(8, 0.55 * len(shown) + 1.9)
    labels = [_wrap(f"{s.standard}. {s.name}", 34) for s in shown]
    positions = range(len(shown))
    for y, standard in zip(positions, shown, strict=True):
        name, colour, hatch = BANDS[standard.band or "low"]
        value = standard.score or 0.0
        axes.barh(y, value, color=colour, hatch=hatch, edgecolor=INK, lw=0.6)
        label = f"{round(value)} {standard.band}"
        if standard.change is not None:
            label += f"  {standard.change.arrow} {_points(standard.change.points)}"
        axes.text(value + 1, y, label, va="center", fontsize=9, bbox=LABEL_BOX)
    for line in (50, 75):
        axes.axvline(line, color=GRID, linestyle="--", linewidth=1)
    axes.set_yticks(list(positions), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, 118)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("Score out of 100 (dashed lines: band edges at 50 and 75)")
    _title(axes, title)
    figure.legend(
        handles=[
            Patch(facecolor=c, hatch=h, edgecolor=INK, label=n)
            for n, c, h in BANDS.values()
        ],
        loc="outside lower center",
        ncols=3,
        frameon=False,
    )
    alt = f"{title}. Bar chart of scores out of 100: " + "; ".join(
        f"standard {s.standard}, {s.name}: {round(s.score or 0)}, {s.band}"
        for s in shown
    )
    return _render(figure, title, alt + ".")


def favourable_chart(
    questions: Sequence[QuestionResult], *, title: str
) -> Chart | None:
    """Horizontal bars of % favourable for a few questions."""
    shown = [q for q in questions if q.favourable is not None and q.hidden is None]
    if not shown:
        return None
    figure, axes = _axes(8, 0.6 * len(shown) + 1.2)
    positions = list(range(len(shown)))
    values = [q.favourable or 0.0 for q in shown]
    axes.barh(positions, values, color=BLUE, edgecolor=INK, lw=0.6)
    for y, value in zip(positions, values, strict=True):
        axes.text(value + 1, y, _pct(value), va="center", fontsize=9, color=INK)
    axes.set_yticks(positions, [_wrap(q.text, 46) for q in shown])
    axes.invert_yaxis()
    axes.set_xlim(0, 108)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("% favourable")
    _title(axes, title)
    alt = f"{title}. Bar chart of % favourable: " + "; ".join(
        f"{q.text} {_pct(q.favourable or 0)}" for q in shown
    )
    return _render(figure, title, alt + ".")


def response_trend_chart(
    trend: Sequence[tuple[int, float | None]], *, title: str
) -> Chart | None:
    """Bars of the response rate by year; a year with no shown rate is left out."""
    shown = [(year, rate) for year, rate in trend if rate is not None]
    if not shown:
        return None
    figure, axes = _axes(6, 3.4)
    years = [str(year) for year, _ in shown]
    rates = [rate for _, rate in shown]
    axes.bar(years, rates, color=BLUE, edgecolor=INK, lw=0.6, width=0.55)
    for x, rate in enumerate(rates):
        axes.text(x, rate + 2, _pct(rate), ha="center", fontsize=10, color=INK)
    axes.axhline(
        LOW_RESPONSE_LINE,
        color=VERMILLION,
        linestyle="--",
        linewidth=1,
        label="30%: below this, results may not be representative",
    )
    spare = max(0.0, (3 - len(years)) / 2)  # keep bars narrow with one year
    axes.set_xlim(-0.5 - spare, len(years) - 0.5 + spare)
    axes.set_ylim(0, 105)
    axes.set_ylabel("Response rate (%)")
    axes.set_xlabel("Year")
    _title(axes, title)
    figure.legend(loc="outside lower center", frameon=False)
    alt = f"{title}. Bar chart: " + "; ".join(
        f"{year} {_pct(rate)}" for year, rate in shown
    )
    return _render(figure, title, alt + ".")


def response_rates_chart(rates: Sequence[ResponseRate], *, title: str) -> Chart | None:
    """Horizontal bars of response rate per shown group; hidden groups left out."""
    shown = [r for r in rates if r.rate is not None and r.hidden is None]
    if not shown:
        return None
    figure, axes = _axes(8, 0.42 * len(shown) + 1.3)
    positions = list(range(len(shown)))
    values = [r.rate or 0.0 for r in shown]
    axes.barh(positions, values, color=SKY, edgecolor=INK, lw=0.6)
    for y, rate in zip(positions, shown, strict=True):
        label = f"{_pct(rate.rate or 0)} ({rate.responded} of {rate.invited})"
        axes.text((rate.rate or 0) + 1, y, label, va="center", fontsize=9)
    axes.axvline(LOW_RESPONSE_LINE, color=VERMILLION, linestyle="--", linewidth=1)
    axes.set_yticks(positions, [_wrap(r.label, 40) for r in shown])
    axes.invert_yaxis()
    axes.set_xlim(0, 125)
    axes.set_xticks([0, 25, 50, 75, 100])
    axes.set_xlabel("Response rate (%); dashed line at 30%")
    _title(axes, title)
    alt = f"{title}. Bar chart: " + "; ".join(
        f"{r.label} {_pct(r.rate or 0)}" for r in shown
    )
    return _render(figure, title, alt + ".")


def hours_chart(hours: Sequence[HoursRow], *, title: str) -> Chart | None:
    """Stacked bars: share of full- and part-time staff in each extra-hours band."""
    shown = [row for row in hours if row.hidden is None and row.bands]
    if not shown:
        return None
    figure, axes = _axes(8, 0.8 * len(shown) + 1.6)
    positions = list(range(len(shown)))
    left = [0.0] * len(shown)
    for code, name, colour, hatch, ink in HOURS_STYLE:
        widths = [
            next((s.percent for s in row.bands if s.code == code), 0.0) for row in shown
        ]
        axes.barh(
            positions,
            widths,
            left=left,
            color=colour,
            hatch=hatch,
            edgecolor=INK,
            lw=0.6,
            label=name,
        )
        for y, start, width in zip(positions, left, widths, strict=True):
            if width >= 6:
                axes.text(
                    start + width / 2,
                    y,
                    _pct(width),
                    ha="center",
                    va="center",
                    fontsize=9,
                    color=ink,
                    bbox={"facecolor": colour, "edgecolor": "none", "pad": 1},
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    axes.set_yticks(positions, [f"{row.pattern}\n({row.respondents})" for row in shown])
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of respondents (number answering in brackets)")
    _title(axes, title)
    figure.legend(loc="outside lower center", ncols=4, frameon=False)
    alt = f"{title}. Stacked bars: " + "; ".join(
        f"{row.pattern}: "
        + ", ".join(f"{s.label} {_pct(s.percent)}" for s in row.bands)
        for row in shown
    )
    return _render(figure, title, alt + ".")


_drawn: dict[int, tuple[weakref.ref[Report], ReportCharts]] = {}
_drawn_lock = threading.RLock()  # re-entered if a collection frees a Report


def report_charts(report: Report) -> ReportCharts:
    """Every chart the report shows, drawn from the Report alone, once per Report.

    Drawing is most of the time an HTML or DOCX file takes, so the charts of a
    Report are kept while the Report lives: writing it in several formats draws
    them once, and every writer shows the same images.
    """
    key = id(report)
    with _drawn_lock:
        kept = _drawn.get(key)
    if kept is not None and kept[0]() is report:
        return kept[1]
    charts = _draw_charts(report)
    forget = weakref.ref(report, lambda _: _forget(key))
    with _drawn_lock:
        _drawn[key] = (forget, charts)
    return charts


def _forget(key: int) -> None:
    with _drawn_lock:
        _drawn.pop(key, None)


def _draw_charts(report: Report) -> ReportCharts:
    overall = report.overall
    strongest = overall.strongest(5)
    return ReportCharts(
        trend=response_trend_chart(
            report.rate_trend, title="Response rate by year, whole organisation"
        ),
        rates=response_rates_chart(
            report.response_rates,
            title=f"Response rate by service and team, {report.year}",
        ),
        standards=standards_chart(
            overall.standards, title=f"LGA standard scores, {report.year}"
        ),
        strongest=favourable_chart(
            strongest, title="Strongest questions (% favourable)"
        ),
        weakest=favourable_chart(
            [q for q in overall.weakest(5) if q not in strongest],
            title="Weakest questions (% favourable)",
        ),
        hours=hours_chart(
            overall.hours, title="Hours worked over contract in a typical week"
        ),
    )
