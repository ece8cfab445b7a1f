"""Choosing a few representative, redacted quotes for a theme.

Call it only for a group that meets the minimum group size: choosing quotes does not
suppress anything by itself.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Final

from analytics.comments.analysis import CommentAnalysis
from analytics.comments.redaction import redact
from analytics.comments.sentiment import Sentiment
from analytics.comments.stopwords import FILLER_WORDS, STOPWORDS
from analytics.comments.text import is_word, normalise, tokens
from survey.questions.themes import THEMES

# Readers skim: a quote of roughly one to three sentences reads best.
IDEAL_WORDS: Final = (10, 50)
# Two quotes sharing this share of their words say the same thing; show one.
NEAR_DUPLICATE: Final = 0.6
# How a quote is ranked: mostly how much it says what the others say (its words
# and its sentiment about the theme), then how readable and how on-topic it is.
# How strongly it is worded does not count: the loudest comment is rarely typical.
TYPICAL_WORDS_WEIGHT: Final = 0.45
TYPICAL_MOOD_WEIGHT: Final = 0.25
LENGTH_WEIGHT: Final = 0.15
FOCUS_WEIGHT: Final = 0.15


def representative_quotes(
    analyses: Iterable[CommentAnalysis],
    theme: str,
    *,
    names: Iterable[str] = (),
    keep: Iterable[str] = (),
    limit: int = 3,
    sentiment: Sentiment | None = None,
) -> list[str]:
    """Pick comments typical of what the group says about a theme, redacted.

    Comments are ranked by how typical they are of the group's comments on the
    theme: how much their words overlap with the others' (cosine similarity to
    the other comments' word counts) and whether their sentiment about the theme
    is the one most comments share. Readable length (one to three sentences) and
    focus on the theme rather than other themes break near-ties. Near-duplicates
    are skipped.

    Args:
        analyses: Analysed comments (from ``analyse_comments``).
        theme: A key of ``survey.questions.themes.THEMES``.
        names: Roster names to redact.
        keep: Names known not to be people (organisation, services, teams).
        limit: The most quotes to return.
        sentiment: Only quotes whose sentiment about the theme is this, if given.

    Returns:
        Up to ``limit`` redacted quotes, most typical first.

    Raises:
        ValueError: If ``theme`` is not in the taxonomy.
    """
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}")
    candidates = [
        analysis
        for analysis in analyses
        if theme in analysis.themes
        and analysis.substantive
        and (sentiment is None or analysis.sentiment_about(theme) is sentiment)
    ]
    ranked = _by_typicality(candidates, theme)
    chosen: list[str] = []
    chosen_words: list[set[str]] = []
    for analysis in ranked:
        words = set(analysis.text.lower().split())
        if any(_overlap(words, other) >= NEAR_DUPLICATE for other in chosen_words):
            continue
        chosen.append(redact(analysis.text, names=names, keep=keep))
        chosen_words.append(words)
        if len(chosen) == limit:
            break
    return chosen


def _by_typicality(
    candidates: list[CommentAnalysis], theme: str
) -> list[CommentAnalysis]:
    bags = [_bag(analysis.text) for analysis in candidates]
    total: Counter[str] = Counter()
    for bag in bags:
        total.update(bag)
    moods = Counter(analysis.sentiment_about(theme) for analysis in candidates)
    others = max(len(candidates) - 1, 1)
    scores: list[float] = []
    for analysis, bag in zip(candidates, bags, strict=True):
        rest = total - bag  # everyone else's words: a comment is not typical of itself
        mood = (moods[analysis.sentiment_about(theme)] - 1) / others
        scores.append(
            TYPICAL_WORDS_WEIGHT * _cosine(bag, rest)
            + TYPICAL_MOOD_WEIGHT * mood
            + LENGTH_WEIGHT * _length_fit(analysis.text)
            + FOCUS_WEIGHT * _focus(analysis, theme)
        )
    order = sorted(range(len(candidates)), key=lambda index: -scores[index])
    return [candidates[index] for index in order]


def _bag(text: str) -> Counter[str]:
    """Content words (stopwords and filler dropped, plural "s" stripped), once each."""
    words = {
        _singular(token)
        for token in tokens(normalise(text))
        if is_word(token)
        and token not in STOPWORDS
        and token not in FILLER_WORDS
        and len(token) > 2
    }
    return Counter(words)


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _cosine(first: Counter[str], second: Counter[str]) -> float:
    if not first or not second:
        return 0.0
    dot = sum(count * second[word] for word, count in first.items())
    norms = math.sqrt(sum(v * v for v in first.values())) * math.sqrt(
        sum(v * v for v in second.values())
    )
    return dot / norms if norms else 0.0


def _length_fit(text: str) -> float:
    shortest, longest = IDEAL_WORDS
    count = len(text.split())
    if count < shortest:
        return count / shortest
    if count > longest:
        return (longest / count) ** 2
    return 1.0


def _focus(analysis: CommentAnalysis, theme: str) -> float:
    own = len(analysis.theme_phrases.get(theme, ()))
    everything = sum(len(phrases) for phrases in analysis.theme_phrases.values())
    return own / everything if everything else 0.0


def _overlap(first: set[str], second: set[str]) -> float:
    union = first | second
    return len(first & second) / len(union) if union else 1.0
