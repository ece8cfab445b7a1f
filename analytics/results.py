"""The results engine: figures for any group, each checked by the suppression gate.

Per question, per LGA standard, hours over contract and response rates; nothing
leaves here without :mod:`analytics.suppression` having allowed it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cached_property

import pandas as pd

from analytics.data import Round
from analytics.groups import Group
from analytics.model import (
    Change,
    GroupResults,
    HoursRow,
    QuestionResult,
    ResponseRate,
    Share,
    StandardScore,
)
from analytics.scoring import (
    HOURS_BANDS,
    answer_codes,
    band,
    favourable_share,
    hours_over_contract,
    points,
)
from analytics.suppression import Policy, Suppressor
from survey.models import CampaignStatus
from survey.questions import Question, Scale
from survey.themes import STANDARDS

NOT_YET = "results are shown once the survey has closed"
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


class ResultsEngine:
    """Results for one campaign round.

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
        self._respondents = Suppressor(round.responses, policy)
        self._invited = Suppressor(round.invited, policy)
        self._by_question: dict[str, Suppressor] = {}

    @property
    def closed(self) -> bool:
        """Answer figures are only released once the campaign has closed."""
        return self.round.campaign.status == CampaignStatus.CLOSED

    @cached_property
    def _codes(self) -> pd.DataFrame:
        """Responses by question: one option code (or number) per cell."""
        answers = self.round.answers
        columns: dict[str, pd.Series] = {}
        for question in self.round.definition.questions:
            rows = answers[answers["question_key"] == question.id]
            if question.scale == Scale.NUMBER:
                values = rows["number"]
            elif question.scale == Scale.MULTI_CHOICE:
                values = rows["choices"]
            else:
                values = answer_codes(question, rows)
            columns[question.id] = pd.Series(
                values.to_numpy(), index=rows["response_id"].to_numpy()
            )
        wide = pd.DataFrame(columns)
        ids = self.round.responses["response_id"].to_numpy()
        return wide.reindex(ids).set_axis(self.round.responses.index)

    def shown(self, group: Group) -> bool:
        """Whether the group's answer figures may be shown at all."""
        return self.closed and self._respondents.shown(group)

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
            return replace(base, hidden=hidden)
        respondents = self._respondents.size(group)
        if not self.closed:
            return replace(base, respondents=respondents, hidden=NOT_YET)
        mask = group.mask(self.round.responses)
        questions = tuple(
            self._question(question, group, mask)
            for question in self.round.definition.questions
            if question.scale != Scale.TEXT
        )
        return replace(
            base,
            respondents=respondents,
            questions=questions,
            standards=self._standards(group, mask),
            hours=self._hours(group, mask),
        )

    def response_rate(self, group: Group) -> ResponseRate:
        """Invited and responded counts, shown only for groups meeting the rules."""
        invited_frame = self.round.invited
        if invited_frame.empty:
            return self._imported_rate(group)
        hidden = self._invited.reason_hidden(group)
        if hidden is not None:
            return ResponseRate(group.label, None, None, None, hidden)
        selected = invited_frame[group.mask(invited_frame)]
        invited, responded = len(selected), int(selected["completed"].sum())
        return ResponseRate(group.label, invited, responded, 100 * responded / invited)

    def _imported_rate(self, group: Group) -> ResponseRate:
        """An imported round knows only how many were invited in all (``--invited``)."""
        imported = self.round.campaign.audience.get("imported") or {}
        invited = imported.get("invited")
        if not group.is_everyone or not invited:
            return ResponseRate(group.label, None, None, None, "no invitation list")
        responded = len(self.round.responses)
        return ResponseRate(group.label, invited, responded, 100 * responded / invited)

    def _question_suppressor(self, question_id: str) -> Suppressor:
        if question_id not in self._by_question:
            answered = self._codes[question_id].notna()
            self._by_question[question_id] = Suppressor(
                self.round.responses[answered], self.policy
            )
        return self._by_question[question_id]

    def _question(
        self, question: Question, group: Group, mask: pd.Series
    ) -> QuestionResult:
        base = QuestionResult(
            question_id=question.id,
            text=question.text,
            standard=question.standard,
            theme=question.theme,
            scale=question.scale.value,
            answered=None,
            target=self.targets.get(question.id),
        )
        hidden = self._question_suppressor(question.id).reason_hidden(group)
        if hidden is not None:
            return replace(base, hidden=hidden)
        values = self._codes.loc[mask, question.id].dropna()
        if question.scale == Scale.NUMBER:
            numbers = values.astype(float)
            return replace(
                base,
                answered=len(numbers),
                mean=float(numbers.mean()),
                median=float(numbers.median()),
            )
        if question.scale == Scale.MULTI_CHOICE:
            values = values.explode()
        favourable = favourable_share(question, values)
        change = None
        if self._previous is not None and favourable is not None:
            change = self._previous.change_for(question.id, group, favourable)
        return replace(
            base,
            answered=int(self._codes.loc[mask, question.id].notna().sum()),
            favourable=favourable,
            distribution=_distribution(question, values),
            change=change,
            rag=rag(favourable, base.target),
        )

    def change_for(self, question_id: str, group: Group, now: float) -> Change | None:
        """Points of change from this (earlier) round's figure for the same group."""
        try:
            question = self.round.definition.question(question_id)
        except KeyError:
            return None
        if not self.closed or self._question_suppressor(question_id).reason_hidden(
            group
        ):
            return None
        mask = group.mask(self.round.responses)
        values = self._codes.loc[mask, question_id].dropna()
        before = favourable_share(question, values)
        if before is None:
            return None
        return Change(
            points=now - before, previous=before, year=self.round.campaign.year
        )

    def _standards(self, group: Group, mask: pd.Series) -> tuple[StandardScore, ...]:
        scores = []
        for number, name in STANDARDS.items():
            score = self.standard_score(number, group, mask)
            if score is None:
                continue
            change = None
            if self._previous is not None:
                earlier_mask = group.mask(self._previous.round.responses)
                before = self._previous.standard_score(number, group, earlier_mask)
                if before is not None:
                    change = Change(
                        score - before, before, self._previous.round.campaign.year
                    )
            scores.append(StandardScore(number, name, score, band(score), change))
        return tuple(scores)

    def standard_score(
        self, standard: int, group: Group, mask: pd.Series
    ) -> float | None:
        """Mean 0-100 points over the standard's five-point questions, if shown."""
        if not self.closed or self._respondents.reason_hidden(group):
            return None
        collected = []
        for question in self.round.definition.questions:
            scale_points = points(question)
            if question.standard != standard or scale_points is None:
                continue
            if self._question_suppressor(question.id).reason_hidden(group):
                continue
            values = self._codes.loc[mask, question.id].map(scale_points).dropna()
            collected.append(values)
        if not collected:
            return None
        joined = pd.concat(collected)
        return float(joined.mean()) if not joined.empty else None

    def _hours(self, group: Group, mask: pd.Series) -> tuple[HoursRow, ...]:
        codes = self._codes
        if CONTRACT_HOURS not in codes or ACTUAL_HOURS not in codes:
            return ()
        frame = hours_over_contract(
            codes.loc[mask, CONTRACT_HOURS].astype(float),
            codes.loc[mask, ACTUAL_HOURS].astype(float),
        )
        rows = []
        k = self.policy.min_size
        for pattern in ("Full time", "Part time"):
            subset = frame[frame["pattern"] == pattern]
            if len(subset) < k or 0 < len(frame) - len(subset) < k:
                rows.append(HoursRow(pattern, None, hidden="too few to show"))
                continue
            counts = subset["band"].value_counts()
            bands = tuple(
                Share(
                    label,
                    label,
                    int(counts.get(label, 0)),
                    100 * int(counts.get(label, 0)) / len(subset),
                )
                for label in HOURS_BANDS
            )
            rows.append(
                HoursRow(pattern, len(subset), bands, float(subset["extra"].mean()))
            )
        return tuple(rows)


def _distribution(question: Question, values: pd.Series) -> tuple[Share, ...]:
    total = len(values)
    if total == 0:
        return ()
    counts = values.astype(str).value_counts()
    return tuple(
        Share(
            option.value,
            option.label,
            int(counts.get(option.value, 0)),
            100 * int(counts.get(option.value, 0)) / total,
        )
        for option in question.choices()
    )
