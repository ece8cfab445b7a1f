"""The results engine: figures for any group, each checked by the suppression gate.

Per question, per LGA standard, hours over contract and response rates; nothing
leaves here without :mod:`analytics.suppression` having allowed it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from analytics.data import Round
from analytics.disclosure import decide
from analytics.groups import Group
from analytics.live import live_count
from analytics.model import (
    NO_RESPONDENTS,
    NOBODY_ANSWERED,
    NOT_ASKED,
    Change,
    GroupResults,
    HoursRow,
    QuestionResult,
    ResponseRate,
    Share,
    StandardScore,
)
from analytics.scoring import HOURS_BANDS, band, favourable_words, points
from analytics.suppression import Policy, QuestionSuppressor, Suppressor
from analytics.tally import AnswerArrays, HoursArrays, Tally
from survey.models import CampaignStatus
from survey.questions.definitions import Question, Scale
from survey.questions.themes import STANDARDS

NOT_YET = "results are shown once the survey has closed"
IMPORTED = "imported"
"""The key under ``campaign.audience`` marking a round imported from an export."""
CONTRACT_HOURS = "CONTRACT_HRS"
ACTUAL_HOURS = "ACTUAL_HRS"


def rag(favourable: float | None, target: float | None) -> str | None:
    """Red/amber/green against a target.

    Green at or above the target, amber within 10 points below it, red further below.
    """
    if favourable is None or target is None:
        return None
    if favourable >= target:
        return "green"
    if favourable >= target - 10:
        return "amber"
    return "red"


@dataclass(frozen=True)
class _GroupAnswers:
    """A group's answers: their tally, and per question why it is hidden."""

    tally: Tally
    hidden: dict[str, str | None]
    respondents: int = 0


class ResultsEngine:
    """Results for one campaign round.

    The round's answers are turned into arrays once, on first use; each group's
    counts, standard scores and favourable shares are then worked out once.

    Args:
        round: the campaign's stored answers.
        policy: the organisation's suppression rules.
        previous: an earlier round of the same template, for change figures.
        targets: the PSW's target percent favourable per question id.
    """

    def __init__(
        self,
        round: Round,
        *,
        policy: Policy,
        previous: Round | None = None,
        targets: dict[str, float] | None = None,
    ) -> None:
        self.round = round
        self.policy = policy
        self.targets = targets or {}
        self._previous = (
            ResultsEngine(previous, policy=policy) if previous is not None else None
        )
        gate = decide(round.invited, round.responses, policy.min_size)
        self._respondents = Suppressor(round.responses, policy, gate.answers)
        self._invited = Suppressor(round.invited, policy, gate.participation)
        self._points = {q.id: points(q) for q in round.definition.questions}
        self._answers_of: dict[Group, _GroupAnswers] = {}
        self._standards_of: dict[Group, dict[int, float]] = {}
        self._favourable_of: dict[Group, dict[str, float]] = {}

    @property
    def compared(self) -> bool:
        """Whether changes are measured: there is an earlier round, and it closed."""
        return self._previous is not None and self._previous.closed

    @property
    def closed(self) -> bool:
        """Answer figures are only released once the campaign has closed."""
        return self.round.campaign.status == CampaignStatus.CLOSED

    @cached_property
    def _arrays(self) -> AnswerArrays:
        return AnswerArrays(self.round)

    @cached_property
    def asked(self) -> frozenset[str]:
        """The questions somebody in the whole round answered.

        A question of an imported round that nobody answered was not in the
        export: it was not asked that year, so it has no figure and no change.
        """
        counts = self._arrays.answered.sum(axis=0)
        return frozenset(str(key) for key, n in counts.items() if int(n) > 0)

    def _absent(self, question: Question) -> str | None:
        """Why a question has no figure in any group, or None if it has some.

        A follow-up nobody was asked keeps its anonymity reason: saying nobody
        answered it would tell how a small group answered the question before.
        """
        if question.id in self.asked or question.when is not None:
            return None
        imported = isinstance(self.round.campaign.audience.get(IMPORTED), dict)
        return NOT_ASKED if imported else NOBODY_ANSWERED

    @cached_property
    def _by_question(self) -> QuestionSuppressor:
        """The suppression rules over the people who answered each question."""
        return self._respondents.per_question(self._arrays.answered)

    @cached_property
    def _hours_arrays(self) -> HoursArrays | None:
        return self._arrays.hours_over_contract(CONTRACT_HOURS, ACTUAL_HOURS)

    @cached_property
    def _completed(self) -> np.ndarray:
        return np.asarray(self.round.invited["completed"], dtype=bool)

    def _answers(self, group: Group) -> _GroupAnswers:
        if group not in self._answers_of:
            rows = self._respondents.members(group)
            self._answers_of[group] = _GroupAnswers(
                self._arrays.tally(rows),
                self._by_question.reasons(group),
                int(np.count_nonzero(rows)),
            )
        return self._answers_of[group]

    def shown(self, group: Group) -> bool:
        """Whether the group's answer figures may be shown at all."""
        return self.closed and self._respondents.shown(group)

    def visible(self, group: Group) -> bool:
        """Whether the gate lets the group's figures out (open or closed)."""
        return self._respondents.shown(group)

    def group(self, group: Group) -> GroupResults:
        """Every figure about ``group`` that may be shown."""
        campaign = self.round.campaign
        rate = self.response_rate(group)
        hidden = self._respondents.reason_hidden(group)
        base = GroupResults(
            label=group.label,
            campaign=campaign.name,
            year=campaign.year,
            respondents=None,
            response_rate=rate,
        )
        if hidden is not None:
            if self._nobody_answered(group):
                hidden = NO_RESPONDENTS
            return replace(base, hidden=hidden)
        respondents = self._respondents.size(group)
        if not self.closed:
            return replace(
                base, respondents=self._published(respondents), hidden=NOT_YET
            )
        answers = self._answers(group)
        before = self._previous._favourable(group) if self._previous else None
        questions = tuple(
            self._question(question, answers, before)
            for question in self.round.definition.questions
            if question.scale != Scale.TEXT
        )
        return replace(
            base,
            respondents=respondents,
            questions=questions,
            standards=self._standards(group),
            hours=self._hours(group),
        )

    def _nobody_answered(self, group: Group) -> bool:
        """A group with no respondents, where saying so tells nothing new.

        Only where no invitation list exists (an imported round: nobody's
        taking part is known) or where the group's response rate, which would
        show 0 responded, may be shown anyway.
        """
        if self._respondents.size(group) != 0:
            return False
        return self.round.invited.empty or self._invited.reason_hidden(group) is None

    def response_rate(self, group: Group) -> ResponseRate:
        """Invited and responded counts, shown only for groups meeting the rules."""
        invited_frame = self.round.invited
        if invited_frame.empty:
            return self._imported_rate(group)
        hidden = self._invited.reason_hidden(group)
        if hidden is not None:
            return ResponseRate(group.label, None, None, None, hidden)
        members = self._invited.members(group)
        invited = int(np.count_nonzero(members))
        responded = self._published(int(np.count_nonzero(members & self._completed)))
        return ResponseRate(group.label, invited, responded, 100 * responded / invited)

    def _published(self, count: int) -> int:
        """A count of people who finished, as it may be shown now.

        While the campaign is open it moves only in whole steps of the minimum
        group size (rounded down), so a single submission never changes what
        anyone sees; the exact count is shown once the campaign has closed.
        """
        return count if self.closed else live_count(count, self.policy.min_size)

    def _imported_rate(self, group: Group) -> ResponseRate:
        """An imported round's rate from the counts given at import.

        ``--invited`` gives the whole organisation's; ``--invited-file`` each
        team's or service's. A group's rate is shown only where its responses
        may be (the same gate as its figures).
        """
        imported = self.round.campaign.audience.get(IMPORTED) or {}
        invited = _imported_invited(imported, group)
        if not invited:
            return ResponseRate(group.label, None, None, None, "no invitation list")
        hidden = None if group.is_everyone else self._respondents.reason_hidden(group)
        if hidden is not None or invited < self.policy.min_size:
            reason = hidden or f"fewer than {self.policy.min_size} invited"
            return ResponseRate(group.label, None, None, None, reason)
        responded = int(np.count_nonzero(self._respondents.members(group)))
        return ResponseRate(group.label, invited, responded, 100 * responded / invited)

    def _question(
        self,
        question: Question,
        answers: _GroupAnswers,
        before: dict[str, float] | None,
    ) -> QuestionResult:
        target = self.targets.get(question.id)
        hidden = self._absent(question) or answers.hidden[question.id]
        tally = answers.tally
        answered = None if hidden is not None else tally.answered[question.id]
        skipped = None
        if answered is not None and question.when is None and question.asked_of is None:
            # Skips are not stored: everyone in the group was asked, so the rest
            # skipped (the disclosure gate already counts "no answer" as an answer).
            skipped = answers.respondents - answered
        favourable = mean = median = change = None
        distribution: tuple[Share, ...] = ()
        if hidden is None and question.scale == Scale.NUMBER:
            numbers = tally.numbers[question.id]
            mean, median = float(numbers.mean()), float(np.median(numbers))
        elif hidden is None:
            favourable = tally.favourable_share(question)
            distribution = tally.distribution(question)
            if before is not None and favourable is not None:
                change = self._change(favourable, before.get(question.id))
        return QuestionResult(
            question_id=question.id,
            text=question.text,
            standard=question.standard,
            theme=question.theme,
            scale=question.scale.value,
            answered=answered,
            favourable=favourable,
            distribution=distribution,
            mean=mean,
            median=median,
            change=change,
            target=target,
            rag=rag(favourable, target),
            hidden=hidden,
            measure=question.figure.label if question.figure else "",
            decimals=question.figure.decimals if question.figure else 0,
            skipped=skipped,
            favourable_means=favourable_words(question),
        )

    def _change(self, now: float, before: float | None) -> Change | None:
        assert self._previous is not None
        if before is None:
            return None
        return Change(now - before, before, self._previous.round.campaign.year)

    def change_for(self, question_id: str, group: Group, now: float) -> Change | None:
        """Points of change from this (earlier) round's figure for the same group."""
        before = self._favourable(group).get(question_id)
        if before is None:
            return None
        return Change(
            points=now - before, previous=before, year=self.round.campaign.year
        )

    def _favourable(self, group: Group) -> dict[str, float]:
        """The favourable share of each question the group's figures show."""
        if group not in self._favourable_of:
            shares: dict[str, float] = {}
            if self.closed:
                answers = self._answers(group)
                for question in self.round.definition.questions:
                    if question.scale == Scale.TEXT or answers.hidden[question.id]:
                        continue
                    share = answers.tally.favourable_share(question)
                    if share is not None:
                        shares[question.id] = share
            self._favourable_of[group] = shares
        return self._favourable_of[group]

    def _standards(self, group: Group) -> tuple[StandardScore, ...]:
        scores = []
        for number, name in STANDARDS.items():
            score = self.standard_score(number, group)
            if score is None:
                continue
            change = None
            if self._previous is not None:
                change = self._standard_change(number, group)
            scores.append(StandardScore(number, name, score, band(score), change))
        return tuple(scores)

    def _standard_change(self, standard: int, group: Group) -> Change | None:
        """A standard's change over only the questions asked in both rounds."""
        assert self._previous is not None
        both = self.asked & self._previous.asked
        now = self._standard_scores(group, only=both).get(standard)
        before = self._previous._standard_scores(group, only=both).get(standard)
        if now is None or before is None:
            return None
        return Change(now - before, before, self._previous.round.campaign.year)

    def standard_score(self, standard: int, group: Group) -> float | None:
        """Mean 0-100 points over the standard's five-point questions, if shown.

        Every scored answer counts once: the mean of the pooled answers, not of
        the questions' means. Questions hidden for the group are left out.
        """
        if group not in self._standards_of:
            self._standards_of[group] = self._standard_scores(group)
        return self._standards_of[group].get(standard)

    def _standard_scores(
        self, group: Group, only: frozenset[str] | None = None
    ) -> dict[int, float]:
        if not self.closed or self._respondents.reason_hidden(group):
            return {}
        answers = self._answers(group)
        sums: dict[int, tuple[float, int]] = {}
        for question in self.round.definition.questions:
            if question.standard is None or self._points[question.id] is None:
                continue
            if answers.hidden[question.id]:
                continue
            if only is not None and question.id not in only:
                continue
            total, scored = answers.tally.points_of(question)
            before_total, before_scored = sums.get(question.standard, (0.0, 0))
            sums[question.standard] = (before_total + total, before_scored + scored)
        return {
            standard: total / scored
            for standard, (total, scored) in sums.items()
            if scored
        }

    def _hours(self, group: Group) -> tuple[HoursRow, ...]:
        hours = self._hours_arrays
        if hours is None:
            return ()
        in_group = self._respondents.members(group) & hours.given
        total = int(np.count_nonzero(in_group))
        rows = []
        k = self.policy.min_size
        for pattern, full_time in (("Full time", True), ("Part time", False)):
            subset = in_group & (hours.full_time == full_time)
            size = int(np.count_nonzero(subset))
            if size < k or 0 < total - size < k:
                rows.append(HoursRow(pattern, None, hidden="too few to show"))
                continue
            counts = np.bincount(hours.band[subset], minlength=len(HOURS_BANDS))
            bands = tuple(
                Share(label, label, int(count), 100 * int(count) / size)
                for label, count in zip(HOURS_BANDS, counts, strict=False)
            )
            extra = float(hours.extra[subset].mean())
            rows.append(HoursRow(pattern, size, bands, extra))
        return tuple(rows)


def _imported_invited(imported: dict[str, object], group: Group) -> int | None:
    """How many an imported round invited in ``group``, if the import said."""
    if group.is_everyone:
        total = imported.get("invited")
        return total if isinstance(total, int) else None
    attributes = {name for name, _ in group.where}
    for attribute, key in (
        ("team_id", "invited_teams"),
        ("service_id", "invited_services"),
    ):
        counts = imported.get(key)
        wanted = group.value(attribute)
        if wanted is None or not isinstance(counts, dict):
            continue
        if attributes - {attribute, "service_id"}:
            return None  # a team by role, say: no count was given
        if attribute == "service_id" and attributes != {"service_id"}:
            continue
        found = counts.get(str(wanted))
        return found if isinstance(found, int) else None
    return None
