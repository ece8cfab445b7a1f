"""A manager's view of one survey: their group, or the nearest larger group shown.

Pure: works on a :class:`~analytics.results.ResultsEngine`, so every figure has
been through the disclosure gate. When the gate hides the manager's team, the
view shows the team's service, or failing that the organisation: a group the
gate decided on together with every other group, so showing it beside
everything else reveals no one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from analytics.disclosure import BY_SUBTRACTION
from analytics.groups import Group
from analytics.model import (
    NO_RESPONDENTS,
    GroupResults,
    QuestionResult,
    ResponseRate,
)
from analytics.results import NOT_YET, ResultsEngine

LOWEST = "lowest"
MOVED = "moved"
BELOW = "below"
HIGHEST = "highest"
NEXT_LOWEST = "next_lowest"
HEADLINES = 3
SMALLEST_MOVE = 1.0
"""Points of change below which a question has not really moved."""


@dataclass(frozen=True)
class Fallback:
    """Why the group asked about is not shown, and what it has that may be said.

    Attributes:
        label: the group asked about.
        why: ``too_few``, ``subtraction``, ``nobody`` or ``not_shown``.
        answers: how many in it responded, when its response rate may be shown.
    """

    label: str
    why: str
    answers: int | None


@dataclass(frozen=True)
class Highlight:
    """One question picked for a headline, with the organisation's figure."""

    kind: str
    question: QuestionResult
    organisation: float | None


@dataclass(frozen=True)
class ManagerView:
    """What a manager sees for one survey, every figure through the gate.

    Attributes:
        asked: the group asked about (the manager's team, say).
        shown: the figures shown: the asked group's, or the fallback's.
        shown_group: the group ``shown`` is about.
        fallback: why ``asked`` is hidden; None when its own figures are shown.
        organisation: the whole organisation, when ``shown`` is smaller.
        service: the asked team's service, when neither shown nor the fallback.
        rates: response rates, the asked group's first (each gated).
        previous: the earlier round changes are measured from, if any.
        highlights: up to three questions for the headlines.
    """

    campaign: str
    asked: str
    shown: GroupResults
    shown_group: Group
    fallback: Fallback | None
    organisation: GroupResults | None
    service: GroupResults | None
    rates: tuple[ResponseRate, ...]
    previous: str | None
    highlights: tuple[Highlight, ...]
    min_group_size: int

    @property
    def comparators(self) -> tuple[GroupResults, ...]:
        """The groups whose figures stand side by side: shown, service, whole."""
        found = [self.shown, self.service, self.organisation]
        return tuple(result for result in found if result is not None)

    def organisation_figure(self, question_id: str) -> float | None:
        """The organisation's % favourable for a question, when shown beside."""
        if self.organisation is None:
            return None
        found = _by_id(self.organisation).get(question_id)
        return found.favourable if found is not None else None


def manager_view(
    engine: ResultsEngine,
    group: Group,
    *,
    organisation: Group,
    service: Group | None = None,
    previous: str | None = None,
) -> ManagerView:
    """The view of ``group``, falling back to ``service`` then ``organisation``.

    Args:
        engine: the round's results engine (with the previous round, if any).
        group: the group asked about.
        organisation: the whole organisation, labelled with its name.
        service: the group's service, when ``group`` is a team.
        previous: the name of the round changes are measured from.
    """
    own = engine.group(group)
    shown, shown_group, fallback = own, group, None
    if own.hidden is not None and own.hidden != NOT_YET:
        for wider in (service, organisation):
            if wider is not None and wider != group and engine.shown(wider):
                shown, shown_group = engine.group(wider), wider
                fallback = _fallback(own)
                break
    whole = None
    if not shown_group.is_everyone:
        whole = engine.group(organisation)
    service_result = None
    if service is not None and fallback is None:
        service_result = engine.group(service)
    listed = [own, shown if fallback else None, service_result, whole]
    rates = tuple(
        result.response_rate
        for result in listed
        if result is not None and result.response_rate is not None
    )
    view = ManagerView(
        campaign=own.campaign,
        asked=group.label,
        shown=shown,
        shown_group=shown_group,
        fallback=fallback,
        organisation=whole,
        service=service_result,
        rates=rates,
        previous=previous,
        highlights=(),
        min_group_size=engine.policy.min_size,
    )
    return replace(view, highlights=_highlights(view))


def _fallback(own: GroupResults) -> Fallback:
    reason = own.hidden or ""
    if reason == NO_RESPONDENTS:
        why = "nobody"
    elif reason == BY_SUBTRACTION:
        why = "subtraction"
    elif reason.startswith("fewer than"):
        why = "too_few"
    else:
        why = "not_shown"
    rate = own.response_rate
    answers = rate.responded if rate is not None else None
    return Fallback(own.label, why, answers)


def _by_id(result: GroupResults) -> dict[str, QuestionResult]:
    return {question.question_id: question for question in result.questions}


def _highlights(view: ManagerView) -> tuple[Highlight, ...]:
    """Three different questions: the lowest, the one that moved most, the highest.

    With no change to measure, the middle one is the furthest below the
    organisation instead, or failing that the next lowest.
    """
    scored = [
        q for q in view.shown.questions if q.favourable is not None and not q.measure
    ]
    if not scored:
        return ()
    picked: list[Highlight] = []

    def pick(kind: str, question: QuestionResult | None) -> None:
        if question is None or any(h.question is question for h in picked):
            return
        figure = view.organisation_figure(question.question_id)
        picked.append(Highlight(kind, question, figure))

    pick(LOWEST, min(scored, key=lambda q: (q.favourable or 0, q.question_id)))
    rest = [q for q in scored if q is not picked[0].question]
    moved = [q for q in rest if q.change and abs(q.change.points) >= SMALLEST_MOVE]
    if moved:
        pick(MOVED, max(moved, key=lambda q: (abs(_points(q)), q.question_id)))
    else:
        gaps = [
            (figure - (q.favourable or 0), q)
            for q in rest
            if (figure := view.organisation_figure(q.question_id)) is not None
        ]
        below = [pair for pair in gaps if pair[0] >= SMALLEST_MOVE]
        if below:
            pick(BELOW, max(below, key=lambda pair: pair[0])[1])
    left = [q for q in rest if all(h.question is not q for h in picked)]
    if left:
        pick(HIGHEST, max(left, key=lambda q: (q.favourable or 0, q.question_id)))
    left = [q for q in rest if all(h.question is not q for h in picked)]
    if len(picked) < HEADLINES and left:
        # Nothing moved or stands out against the organisation: the next lowest.
        found = min(left, key=lambda q: (q.favourable or 0, q.question_id))
        picked.insert(1, Highlight(NEXT_LOWEST, found, _figure(view, found)))
    return tuple(picked)


def _figure(view: ManagerView, question: QuestionResult) -> float | None:
    return view.organisation_figure(question.question_id)


def _points(question: QuestionResult) -> float:
    return question.change.points if question.change is not None else 0.0
