"""Turning stored answers into favourable shares, 0-100 points and bands."""

from __future__ import annotations

import pandas as pd

from survey.questions.definitions import (
    FIXED_SCALES,
    NOT_APPLICABLE,
    PREFER_NOT_TO_SAY,
    Question,
    Scale,
)

OPT_OUTS = (PREFER_NOT_TO_SAY, NOT_APPLICABLE)
ORDINAL_SCALES = (
    Scale.AGREE5,
    Scale.FREQUENCY5,
    Scale.SATISFACTION5,
    Scale.LIKELIHOOD5,
)
FULL_TIME_HOURS = 35
HOURS_BANDS = ("None", "Up to 5", "5 to 10", "Over 10")
HOURS_EDGES = (0, 5, 10)  # the bands' upper ends: 0, (0, 5], (5, 10], over 10


def band(score: float) -> str:
    """The LGA band of a 0-100 score: low (<=50), moderate (51-74), high (>=75)."""
    rounded = round(score)
    if rounded <= 50:
        return "low"
    if rounded < 75:
        return "moderate"
    return "high"


def answer_codes(question: Question, answers: pd.DataFrame) -> pd.Series:
    """Each answer as an option code (numbers on 0-10 become "0".."10")."""
    if question.scale == Scale.ZERO_TO_TEN:
        codes = answers["number"].map(lambda n: None if pd.isna(n) else str(int(n)))
        return codes.where(answers["option"].isna(), answers["option"])
    return answers["option"]


def favourable_share(question: Question, codes: pd.Series) -> float | None:
    """Percent favourable among people who gave a real answer (opt-outs excluded)."""
    favourable = question.reported_codes()
    if not favourable:
        return None
    real = codes[codes.notna() & ~codes.isin(OPT_OUTS)]
    if real.empty:
        return None
    return float(real.isin(favourable).mean() * 100)


def favourable_words(question: Question) -> str:
    """What counts towards a question's figure, in the answers' own words.

    "Agree or Strongly agree" for an agree scale, "No" for "have you been
    bullied?", "9 or 10" on a 0-10 scale; empty when the question has no figure.
    """
    codes = question.reported_codes()
    if not codes:
        return ""
    labels = {option.value: option.label for option in question.choices()}
    order = [option.value for option in question.choices()]
    ranked = sorted(codes, key=lambda code: order.index(code) if code in order else 99)
    if question.scale == Scale.ZERO_TO_TEN and len(ranked) > 2:
        numbers = sorted(int(code) for code in ranked)
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"{numbers[0]} to {numbers[-1]}"
    words = [labels.get(code, code) for code in ranked]
    if question.scale in ORDINAL_SCALES and words[0] != words[-1]:
        # "Agree or Strongly agree" reads better from the milder answer.
        words = sorted(words, key=lambda word: (len(word), word))
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} or {words[-1]}"


def points(question: Question) -> dict[str, float] | None:
    """0/25/50/75/100 points per option of a five-point scale, favourable end = 100."""
    if question.scale not in ORDINAL_SCALES:
        return None
    codes = [option.value for option in FIXED_SCALES[question.scale]]
    favourable = question.favourable_codes()
    if not favourable:
        return None
    favourable_high = min(codes.index(code) for code in favourable) >= 2
    order = codes if favourable_high else list(reversed(codes))
    return {code: index * 25.0 for index, code in enumerate(order)}


def hours_over_contract(contract: pd.Series, actual: pd.Series) -> pd.DataFrame:
    """Hours worked over contract per respondent, banded, split full/part time."""
    frame = pd.DataFrame({"contract": contract, "actual": actual}).dropna()
    extra = (frame["actual"] - frame["contract"]).clip(lower=0)
    frame["band"] = pd.cut(
        extra,
        bins=[-0.1, *HOURS_EDGES, float("inf")],
        labels=list(HOURS_BANDS),
    )
    frame["extra"] = extra
    frame["pattern"] = frame["contract"].map(
        lambda hours: "Full time" if hours >= FULL_TIME_HOURS else "Part time"
    )
    return frame
