"""Sentence-aware, rule-based sentiment for free-text comments.

VADER's lexicon supplies word valences; the rules around it are this module's own:
negation that stops at clause boundaries, contrast ("but", "although") that stresses
the main clause without erasing the other, idioms, suggestions read as mild criticism,
balanced praise-and-complaint read as mixed (neutral), and bare "nothing" answers read
against the question's frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from analytics.comments.clauses import (
    CLAUSE_BREAKS,
    CONCEDED_WEIGHT,
    STRESSED_WEIGHT,
    clauses,
    contrast_weights,
)
from analytics.comments.framing import (
    NOTHING_VALENCE,
    UNJUDGED_MAX_WORDS,
    UNJUDGED_VALENCE,
    QuestionFrame,
    ShortAnswer,
    short_answer,
    split_leading_answer,
)
from analytics.comments.lexicon import (
    BOOSTER_STEP,
    BOOSTERS,
    DAMPENERS,
    NEGATION_SCALAR,
    is_negator,
    valences,
)
from analytics.comments.phrases import mark_phrases, phrase_for
from analytics.comments.text import is_word, normalise, sentences, tokens


class Sentiment(StrEnum):
    """The three-way sentiment of a comment."""

    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class SentimentReading:
    """The sentiment of one comment and the evidence behind it.

    Attributes:
        sentiment: Positive, neutral or negative.
        score: Net polarity in [-1, 1] (VADER's normalisation of the weighted sum).
        mixed: Praise and criticism of similar weight; labelled neutral.
        suggestion: The comment asks for a change.
        substantive: False for answers such as "n/a", "none" or "nothing".
    """

    sentiment: Sentiment
    score: float
    mixed: bool
    suggestion: bool
    substantive: bool


# One side must outweigh the other two to one, or the comment is mixed.
MIXED_RATIO: Final = 0.5
SUGGESTION_VALENCE: Final = -0.8
NEUTRAL_BAND: Final = 0.05
NORMALISING_ALPHA: Final = 15.0
NEGATION_WINDOW: Final = 3
EXCLAMATION_STEP: Final = 0.292
TOO_VALENCE: Final = -1.2

_LIKE_SUBJECTS: Final = frozenset(
    {"i", "we", "they", "you", "really", "do", "did", "don't", "didn't", "also", "all"}
)
_NEGATION_RAISERS: Final = frozenset(
    {"feel", "felt", "think", "thought", "believe", "seem", "seems", "seemed"}
)
_WHOLE_CLAUSE_NEGATION: Final = frozenset({"once", "point", "stage"})
# "Less stressful", "helped with stress", "reduced the backlog": easing a bad thing
# is good news.
_REDUCERS: Final = frozenset(
    {
        "less",
        "fewer",
        "lower",
        "reduce",
        "reduced",
        "reduces",
        "reducing",
        "ease",
        "eased",
        "eases",
        "relieve",
        "relieved",
        "relieves",
        "tackle",
        "tackled",
        "tackling",
        "helped",
        "helps",
        "help",
        "prevent",
        "prevented",
        "avoid",
        "avoided",
        "low",
    }
)
_REDUCER_GAP: Final = frozenset(
    {"with", "my", "the", "our", "their", "your", "a", "of"}
)
# "Low flexibility", "little free time", "limited progression", "less supportive":
# a good thing in short supply is a complaint.
_SCARCITY: Final = frozenset(
    {
        "low",
        "lower",
        "little",
        "limited",
        "lack",
        "lacks",
        "lacking",
        "lacked",
        "poor",
        "minimal",
        "less",
        "fewer",
        "reduced",
        "insufficient",
        "inadequate",
        "zero",
    }
)
_SCARCITY_WINDOW: Final = 2
# Negation reaches back past this many words only through "feel"/"think" and
# "not once"; the bound keeps a very long comment without punctuation linear.
_NEGATION_REACH: Final = 12


def score_sentiment(
    text: str, frame: QuestionFrame = QuestionFrame.GENERAL
) -> SentimentReading:
    """Read the sentiment of one comment.

    Args:
        text: The comment as typed.
        frame: What the question asked; decides what a bare "nothing" means.

    Returns:
        The sentiment, a score in [-1, 1] and flags for mixed, suggestion and
        content-free answers.
    """
    clean = normalise(text)
    kind = short_answer(clean)
    if kind is ShortAnswer.NON_ANSWER:
        return SentimentReading(Sentiment.NEUTRAL, 0.0, False, False, False)
    if kind is ShortAnswer.NOTHING:
        return _verdict(
            [NOTHING_VALENCE[frame]], frame, 0, False, False, substantive=False
        )

    opened, rest = split_leading_answer(clean)
    contributions: list[float] = [NOTHING_VALENCE[frame]] if opened else []
    suggestion = False
    previous: list[float] = []
    for sentence in sentences(mark_phrases(rest)):
        reading = _read_sentence(tokens(sentence))
        if reading.turns_on_previous:
            previous = [value * CONCEDED_WEIGHT for value in previous]
            current = [value * STRESSED_WEIGHT for value in reading.contributions]
        else:
            current = reading.contributions
        contributions.extend(previous)
        previous = current
        suggestion = suggestion or reading.suggestion
    contributions.extend(previous)
    names_only = len(rest.split()) <= UNJUDGED_MAX_WORDS
    return _verdict(contributions, frame, clean.count("!"), suggestion, names_only)


@dataclass(slots=True)
class _SentenceReading:
    contributions: list[float]
    suggestion: bool
    turns_on_previous: bool


def _read_sentence(words: list[str]) -> _SentenceReading:
    if not words:
        return _SentenceReading([], False, False)
    weights, turns_on_previous = contrast_weights(words)
    clause_of, requests = clauses(words)
    # "Please keep up the good work" praises; it asks for nothing to change.
    for index, word in enumerate(words):
        phrase = phrase_for(word)
        if phrase is not None and not phrase.negatable and phrase.valence > 0:
            requests[clause_of[index]] = False
    contributions: list[float] = []
    for index in range(len(words)):
        value = _valence(words, index)
        if value > 0 and requests[clause_of[index]]:
            value = 0.0
        if value:
            contributions.append(value * weights[index])
    for clause, requested in enumerate(requests):
        if requested:
            first = clause_of.index(clause)
            contributions.append(SUGGESTION_VALENCE * weights[first])
    return _SentenceReading(contributions, any(requests), turns_on_previous)


def _valence(words: list[str], index: int) -> float:
    word = words[index]
    phrase = phrase_for(word)
    if phrase is not None:
        if phrase.negatable and (
            _negated(words, index) or (phrase.valence > 0 and _scarce(words, index))
        ):
            return phrase.valence * NEGATION_SCALAR
        return phrase.valence
    lexicon = valences()
    value = lexicon.get(word, 0.0)
    previous = words[index - 1] if index else ""
    if word == "like" and previous not in _LIKE_SUBJECTS:
        return 0.0
    if not value:
        if previous != "too" or not is_word(word):
            return 0.0
        # "too long", "too many cases": excess is a complaint.
        value = TOO_VALENCE
    elif previous == "too" and value < 0:
        value -= BOOSTER_STEP
    value = _boosted(words, index, value)
    # "so much less stressful", "helped with stress": easing a bad thing reads like
    # negating it.
    if (
        _negated(words, index)
        or (value < 0 and _reduced(words, index))
        or (value > 0 and _scarce(words, index))
    ):
        value *= NEGATION_SCALAR
    return value


def _scarce(words: list[str], index: int) -> bool:
    for distance in range(1, _SCARCITY_WINDOW + 1):
        position = index - distance
        if position < 0 or words[position] in CLAUSE_BREAKS:
            return False
        word = words[position]
        if word in _SCARCITY:
            # "a little better", "a bit less busy": a degree, not a shortage.
            return not (position and words[position - 1] == "a")
    return False


def _reduced(words: list[str], index: int) -> bool:
    position = index - 1
    while position >= 0 and index - position <= NEGATION_WINDOW:
        word = words[position]
        if word in _REDUCERS:
            return True
        if word not in _REDUCER_GAP and word not in BOOSTERS:
            return False
        position -= 1
    return False


def _boosted(words: list[str], index: int, value: float) -> float:
    sign = 1.0 if value > 0 else -1.0
    for distance in range(1, NEGATION_WINDOW + 1):
        position = index - distance
        if position < 0 or words[position] in CLAUSE_BREAKS:
            break
        scale = 1.0 - 0.05 * (distance - 1)
        if words[position] in BOOSTERS:
            value += sign * BOOSTER_STEP * scale
        elif words[position] in DAMPENERS and abs(value) > BOOSTER_STEP:
            value -= sign * BOOSTER_STEP * scale
    return value


def _negated(words: list[str], index: int) -> bool:
    position = index - 1
    stop = max(index - _NEGATION_REACH, 0)
    while position >= stop and words[position] not in CLAUSE_BREAKS:
        word = words[position]
        if index - position <= NEGATION_WINDOW and is_negator(word):
            following = words[position + 1]
            return not (word == "not" and following in {"only", "just"})
        if is_negator(word) and words[position + 1] in _NEGATION_RAISERS:
            # "I don't feel anyone senior cares": the negation is the belief's.
            return True
        if (
            word in _WHOLE_CLAUSE_NEGATION
            and position
            and is_negator(words[position - 1])
        ):
            # "Not once have I felt unsupported", "at no point was I ...".
            return True
        position -= 1
    return False


def _verdict(
    contributions: list[float],
    frame: QuestionFrame,
    exclamations: int,
    suggestion: bool,
    names_only: bool,
    *,
    substantive: bool = True,
) -> SentimentReading:
    praise = sum(value for value in contributions if value > 0)
    criticism = -sum(value for value in contributions if value < 0)
    if not praise and not criticism and names_only and substantive:
        net = UNJUDGED_VALENCE[frame]
    else:
        net = praise - criticism
    if net:
        net += math.copysign(EXCLAMATION_STEP * min(exclamations, 3), net)
    score = net / math.sqrt(net * net + NORMALISING_ALPHA)
    mixed = bool(praise and criticism) and (
        min(praise, criticism) / max(praise, criticism) >= MIXED_RATIO
    )
    if mixed or abs(score) < NEUTRAL_BAND:
        sentiment = Sentiment.NEUTRAL
    elif score > 0:
        sentiment = Sentiment.POSITIVE
    else:
        sentiment = Sentiment.NEGATIVE
    return SentimentReading(sentiment, round(score, 4), mixed, suggestion, substantive)
