"""What the results engine returns, already through suppression.

A hidden figure is ``None``, with the reason in ``hidden``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NOT_ASKED = "not asked in this round"
"""A question the round did not ask (an imported round whose export lacked it)."""
NOBODY_ANSWERED = "nobody answered this question"
"""A question asked in the round that nobody answered."""
NO_RESPONDENTS = "no respondents in this group"
"""A group nobody in it answered the survey."""
NOTHING_TO_SHOW = (NOT_ASKED, NOBODY_ANSWERED, NO_RESPONDENTS)
"""Reasons a figure is absent that are not anonymity: they reveal no one."""


@dataclass(frozen=True)
class Share:
    """One option's count and percentage."""

    code: str
    label: str
    count: int
    percent: float


@dataclass(frozen=True)
class Change:
    """Change in percentage points against an earlier round."""

    points: float
    previous: float
    year: int

    @property
    def arrow(self) -> str:
        """An arrow for the direction of change (level within half a point)."""
        if self.points >= 0.5:
            return "▲"
        if self.points <= -0.5:
            return "▼"
        return "▶"


@dataclass(frozen=True)
class QuestionResult:
    """One question for one group."""

    question_id: str
    text: str
    standard: int | None
    theme: str
    scale: str
    answered: int | None
    favourable: float | None = None
    distribution: tuple[Share, ...] = ()
    mean: float | None = None
    median: float | None = None
    change: Change | None = None
    target: float | None = None
    rag: str | None = None
    hidden: str | None = None
    measure: str = ""
    """What ``favourable`` is the share of when not % favourable (a figure's label)."""
    decimals: int = 0
    """Decimal places the paper shows the share to (0 or 1)."""
    skipped: int | None = None
    """Respondents who were asked the question and skipped it. ``None`` when
    hidden, or for a follow-up or role question (who was asked is not stored)."""
    favourable_means: str = ""
    """Which answers count towards ``favourable``, e.g. "Agree or Strongly agree"."""


@dataclass(frozen=True)
class StandardScore:
    """A 0-100 score for one LGA standard, with its band."""

    standard: int
    name: str
    score: float | None
    band: str | None
    change: Change | None = None
    hidden: str | None = None


@dataclass(frozen=True)
class HoursRow:
    """Hours worked over contract for full- or part-time staff."""

    pattern: str
    respondents: int | None
    bands: tuple[Share, ...] = ()
    mean: float | None = None
    hidden: str | None = None


@dataclass(frozen=True)
class ResponseRate:
    """Invited, responded and the rate for one group (participation counts only)."""

    label: str
    invited: int | None
    responded: int | None
    rate: float | None
    hidden: str | None = None


@dataclass(frozen=True)
class GroupResults:
    """Everything shown about one group in one campaign."""

    label: str
    campaign: str
    year: int
    respondents: int | None
    hidden: str | None = None
    questions: tuple[QuestionResult, ...] = ()
    standards: tuple[StandardScore, ...] = ()
    hours: tuple[HoursRow, ...] = ()
    response_rate: ResponseRate | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    def strongest(self, count: int = 5) -> list[QuestionResult]:
        """The questions with the highest favourable share."""
        scored = [
            q for q in self.questions if q.favourable is not None and not q.measure
        ]
        return sorted(scored, key=lambda q: (-(q.favourable or 0), q.question_id))[
            :count
        ]

    def weakest(self, count: int = 5) -> list[QuestionResult]:
        """The questions with the lowest favourable share."""
        scored = [
            q for q in self.questions if q.favourable is not None and not q.measure
        ]
        return sorted(scored, key=lambda q: (q.favourable or 0, q.question_id))[:count]


@dataclass(frozen=True)
class ThemeSummary:
    """What staff said about one theme in free text (shown groups only)."""

    theme: str
    label: str
    comments: int
    positive: int
    neutral: int
    negative: int
    quotes: tuple[str, ...] = ()
