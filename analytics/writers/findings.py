"""Key findings, strengths and areas to improve, read off an already suppressed Report.

Sentences a PSW can lift into the committee report as they are.
"""

from __future__ import annotations

from collections import Counter

from analytics.model import HoursRow, QuestionResult, StandardScore
from analytics.report import Report
from analytics.writers.text import (
    LOW_RESPONSE,
    NO_FIGURES,
    change_sentence,
    number,
    percent,
    plural,
    score,
    whole,
)

RED_FALL = 5.0
LOW_RESPONSE_RATE = 30.0
LONG_HOURS_BANDS = ("5 to 10", "Over 10")


def standard_rag(standard: StandardScore) -> str | None:
    """Red/amber/green for a standard (domain guide: red = low or a 5+ point fall)."""
    if standard.score is None or standard.band is None:
        return None
    falling = standard.change is not None and standard.change.points <= -RED_FALL
    if standard.band == "low" or falling:
        return "red"
    if standard.band == "moderate":
        return "amber"
    return "green"


def strengths(report: Report, count: int = 5) -> list[QuestionResult]:
    """The questions with the highest % favourable for the whole organisation."""
    return report.overall.strongest(count)


def areas_to_improve(report: Report, count: int = 5) -> list[QuestionResult]:
    """The lowest % favourable questions, never repeating a strength."""
    strong = {question.question_id for question in strengths(report, count)}
    return [
        question
        for question in report.overall.weakest(count)
        if question.question_id not in strong
    ]


def earlier_rate(report: Report) -> tuple[int, float] | None:
    """The most recent earlier year's response rate, if it can be shown."""
    earlier = [
        (year, rate)
        for year, rate in report.rate_trend
        if year < report.year and rate is not None
    ]
    return max(earlier) if earlier else None


def response_sentence(report: Report) -> str:
    """Who responded, e.g. "56 of 98 people invited responded (57%) ..."."""
    rate = report.overall.response_rate
    if rate is None or rate.rate is None:
        if report.overall.respondents is not None:
            return f"{report.overall.respondents} people responded."
        reason = rate.hidden if rate is not None and rate.hidden else "not recorded"
        return f"The response rate cannot be shown ({reason})."
    sentence = (
        f"{rate.responded} of {rate.invited} people invited responded "
        f"({percent(rate.rate)})"
    )
    before = earlier_rate(report)
    if before is not None:
        sentence += f", compared with {percent(before[1])} in {before[0]}"
    return sentence + "."


def _quoted(question: QuestionResult) -> str:
    return f"\u201c{question.text}\u201d"


def _standards_sentences(report: Report) -> list[str]:
    shown = [s for s in report.overall.standards if s.score is not None]
    if not shown:
        return []
    bands = [s.band for s in shown]
    sentences = [
        f"Of {len(shown)} standards, {bands.count('high')} are in the high band, "
        f"{bands.count('moderate')} moderate and {bands.count('low')} low."
    ]
    ranked = sorted(shown, key=lambda s: (s.score or 0.0, s.standard))
    low, high = ranked[0], ranked[-1]
    if low is not high:
        sentences.append(
            f"The highest-scoring standard is {high.name} ({score(high.score or 0)}, "
            f"{high.band}); the lowest is {low.name} ({score(low.score or 0)}, "
            f"{low.band})."
        )
    changes = [(s, s.change) for s in shown if s.change is not None]
    if changes:
        up = sum(1 for _, change in changes if whole(change.points) > 0)
        down = sum(1 for _, change in changes if whole(change.points) < 0)
        biggest, change = max(changes, key=lambda pair: abs(pair[1].points))
        sentences.append(
            f"Since {change.year}, {plural(up, 'standard')} rose and {down} fell; the "
            f"largest change was {biggest.name}, {change_sentence(change)}."
        )
    return sentences


def _question_sentences(report: Report) -> list[str]:
    sentences = []
    best, worst = strengths(report, 1), report.overall.weakest(1)
    if best and worst and best[0] is not worst[0]:
        sentences.append(
            f"Most favourable: {_quoted(best[0])} "
            f"({percent(best[0].favourable or 0)} favourable). Least favourable: "
            f"{_quoted(worst[0])} ({percent(worst[0].favourable or 0)})."
        )
    moved = [
        (q, q.change)
        for q in report.overall.questions
        if q.change is not None and not q.measure
    ]
    rises = [pair for pair in moved if whole(pair[1].points) > 0]
    falls = [pair for pair in moved if whole(pair[1].points) < 0]
    if rises:
        question, change = max(rises, key=lambda pair: pair[1].points)
        sentences.append(
            f"Largest rise: {_quoted(question)}, {change_sentence(change)} "
            f"({percent(question.favourable or 0)} favourable)."
        )
    if falls:
        question, change = min(falls, key=lambda pair: pair[1].points)
        sentences.append(
            f"Largest fall: {_quoted(question)}, {change_sentence(change)} "
            f"({percent(question.favourable or 0)} favourable)."
        )
    return sentences


def long_hours_share(row: HoursRow) -> float | None:
    """Percent of a shown hours row working more than 5 hours over contract."""
    if row.hidden is not None or not row.bands:
        return None
    return sum(share.percent for share in row.bands if share.label in LONG_HOURS_BANDS)


def hours_sentences(report: Report) -> list[str]:
    """How many work well over contract, per working pattern shown."""
    sentences = []
    for row in report.overall.hours:
        share = long_hours_share(row)
        if share is None or row.mean is None:
            continue
        sentences.append(
            f"{percent(share)} of {row.pattern.lower().replace(' ', '-')} respondents "
            "work more than "
            f"5 hours a week over their contract (average {number(row.mean)} extra "
            "hours)."
        )
    return sentences


def key_findings(report: Report) -> list[str]:
    """The report's headline sentences, in the order a committee reads them."""
    findings = [response_sentence(report)]
    rate = report.overall.response_rate
    if rate is not None and rate.rate is not None and rate.rate < LOW_RESPONSE_RATE:
        findings.append(LOW_RESPONSE)
    if report.overall.hidden is not None:
        findings.append(NO_FIGURES.format(reason=report.overall.hidden))
        return findings
    findings += _standards_sentences(report)
    findings += _question_sentences(report)
    findings += hours_sentences(report)
    if report.themes:
        top = max(report.themes, key=lambda theme: (theme.comments, theme.label))
        findings.append(
            f"The theme raised most in comments was {top.label.lower()} "
            f"({plural(top.comments, 'comment')})."
        )
    if report.actions:
        statuses = Counter(action.status for action in report.actions)
        counted = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
        logged = len(report.actions)
        findings.append(
            f"{logged} {'action is' if logged == 1 else 'actions are'} logged in "
            f"response ({counted})."
        )
    return findings
