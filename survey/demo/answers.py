"""How the demo's staff answer: the council's story told through real answers.

Each LGA standard has a council-wide level per year (some low, some moderate,
some high; some rising, some falling); each team sits above or below it by its
mood and its leanings, and moves by its own change from one year to the next;
each person varies around their team. Nothing here is random noise alone.
"""

from __future__ import annotations

import random

from survey.demo.comments import comment
from survey.demo.council import DemoTeam
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import AnswerValue, Question, Scale

# The council's level per LGA standard, as 0-4 on a five-point scale (x25 = score),
# two years ago and last year.
STANDARD_LEVELS: dict[int, tuple[float, float]] = {
    1: (2.75, 2.95),  # framework: moderate, rising
    2: (2.25, 1.95),  # workforce planning: moderate, falling to low
    3: (2.05, 1.85),  # safe workloads: low, falling
    4: (2.0, 2.35),  # wellbeing: low, rising to moderate
    5: (3.0, 3.25),  # supervision: high, rising
    6: (3.15, 3.05),  # professional development: high, a little down
    7: (3.35, 3.4),  # registration: high
    8: (2.55, 2.35),  # partnerships: moderate, falling
}
OVERALL_LEVEL = (2.5, 2.55)
"""For questions outside the standards (recommending the council, satisfaction)."""

# Pulse rounds after last year's health check: workload easing as the new posts
# are filled, wellbeing dipping in midwinter, then recovering.
PULSE_DRIFT: tuple[dict[int, float], ...] = (
    {3: -0.1, 4: -0.1},
    {3: 0.15, 4: -0.35},
    {3: 0.4, 4: 0.0},
)


def level(
    question: Question, team: DemoTeam, round_: int, drift: dict[int, float]
) -> float:
    """Where a team's answers to ``question`` centre, 0 (worst) to 4 (best)."""
    if question.standard in STANDARD_LEVELS:
        base = STANDARD_LEVELS[question.standard][round_]
        lean = team.leanings.get(question.standard, 0.0)
        moved = drift.get(question.standard, 0.0)
    else:
        base, lean, moved = OVERALL_LEVEL[round_], 0.0, 0.0
    change = team.change * (round_ - 1)
    return base + 0.9 * team.mood + lean + change + moved


def generate_answers(
    definition: TemplateDefinition,
    rng: random.Random,
    *,
    team: DemoTeam | None = None,
    round_: int = 1,
    drift: dict[int, float] | None = None,
    mood: float = 0.0,
) -> dict[str, AnswerValue | None]:
    """One respondent's answers, for round 0 (two years ago) or 1 (last year).

    Without a ``team``, as someone in a team of that ``mood`` (-1 to 1) would answer.
    """
    if team is None:
        team = DemoTeam("", "", (), mood, themes=("workload", "teamwork"))
    answers: dict[str, AnswerValue | None] = {}
    own = rng.gauss(0, 0.35)
    for question in definition.questions:
        given = {key: value for key, value in answers.items() if value is not None}
        if not question.applies(given):
            continue
        # Most people leave the comment boxes empty, and now and then a question.
        skip_rate = 0.45 if question.scale == Scale.TEXT else 0.02
        if question.required is None and rng.random() < skip_rate:
            answers[question.id] = None
            continue
        centre = level(question, team, round_, drift or {}) + own
        answers[question.id] = _answer(question, rng, centre, team, answers)
    return answers


def _answer(
    question: Question,
    rng: random.Random,
    centre: float,
    team: DemoTeam,
    answers: dict[str, AnswerValue | None],
) -> AnswerValue:
    feeling = max(-1.0, min(1.0, (centre - 2.5) / 1.5))
    if question.scale == Scale.TEXT:
        return comment(rng, team.themes, feeling)
    if question.scale == Scale.NUMBER:
        return _number(question, rng, feeling, answers)
    if question.scale == Scale.ZERO_TO_TEN:
        return max(0, min(10, round(rng.gauss(6.3 + 2.5 * feeling, 1.8))))
    choices = question.choices(with_special=False)
    codes = [option.value for option in choices]
    favourable = set(question.reported_codes())
    if question.scale == Scale.MULTI_CHOICE:
        return [option.value for option in rng.sample(choices, k=min(2, len(choices)))]
    if question.scale in (Scale.CHOICE, Scale.YES_NO_UNSURE):
        # "Have you been bullied?": most people, thankfully, answer No.
        chance = 0.82 + 0.12 * feeling if favourable == {"no"} else 0.5 + 0.35 * feeling
        if favourable and rng.random() < chance:
            return rng.choice([code for code in codes if code in favourable])
        others = [code for code in codes if code not in favourable] or codes
        return rng.choice(others)
    lean_high = min((codes.index(code) for code in favourable), default=4) >= 2
    index = max(0, min(4, round(rng.gauss(centre, 0.8))))
    return codes[index] if lean_high else codes[4 - index]


def _number(
    question: Question,
    rng: random.Random,
    feeling: float,
    answers: dict[str, AnswerValue | None],
) -> int:
    assert question.min is not None
    assert question.max is not None
    if question.id == "CONTRACT_HRS":
        return rng.choice((37, 37, 37, 37, 30, 22))
    if question.id == "ACTUAL_HRS":
        contract = answers.get("CONTRACT_HRS")
        base = contract if isinstance(contract, int) else 37
        extra = max(0, round(rng.gauss(4 - 4 * feeling, 2.5)))
        return min(question.max, base + extra)
    if question.unit == "hours":
        low, high = 30, 45
    else:
        span = question.max - question.min
        low, high = question.min, question.min + max(1, span // 6)
    return max(question.min, min(question.max, rng.randint(low, high)))
