"""Choosing a few representative, redacted quotes for a theme.

Call it only for a group that meets the minimum group size: choosing quotes does not
suppress anything by itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from analytics.comments.analysis import CommentAnalysis
from analytics.comments.redaction import redact
from analytics.comments.sentiment import Sentiment
from survey.questions.themes import THEMES

# Readers skim: a quote of roughly one to three sentences reads best.
IDEAL_WORDS: Final = (10, 50)
# Two quotes sharing this share of their words say the same thing; show one.
NEAR_DUPLICATE: Final = 0.6
_STRONG_THEME_PHRASES: Final = 3


def representative_quotes(
    analyses: Iterable[CommentAnalysis],
    theme: str,
    *,
    names: Iterable[str] = (),
    limit: int = 3,
    sentiment: Sentiment | None = None,
) -> list[str]:
    """Pick clear, mid-length comments that are plainly about a theme, redacted.

    Comments are ranked by how strongly they are about the theme (matched phrases,
    and how much of the comment is about it rather than other themes), how clear
    their sentiment is (mixed comments rank lower) and how close their length is to
    one to three sentences. Near-duplicates are skipped.

    Args:
        analyses: Analysed comments (from ``analyse_comments``).
        theme: A key of ``survey.questions.themes.THEMES``.
        names: Roster names to redact.
        limit: The most quotes to return.
        sentiment: Only quotes with this sentiment, if given.

    Returns:
        Up to ``limit`` redacted quotes, best first.

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
        and (sentiment is None or analysis.sentiment is sentiment)
    ]
    candidates.sort(key=lambda analysis: -_quality(analysis, theme))
    chosen: list[str] = []
    chosen_words: list[set[str]] = []
    for analysis in candidates:
        words = set(analysis.text.lower().split())
        if any(_overlap(words, other) >= NEAR_DUPLICATE for other in chosen_words):
            continue
        chosen.append(redact(analysis.text, names=names))
        chosen_words.append(words)
        if len(chosen) == limit:
            break
    return chosen


def _quality(analysis: CommentAnalysis, theme: str) -> float:
    own = len(analysis.theme_phrases.get(theme, ()))
    everything = sum(len(phrases) for phrases in analysis.theme_phrases.values())
    strength = min(own, _STRONG_THEME_PHRASES) / _STRONG_THEME_PHRASES
    focus = own / everything if everything else 0.0
    clarity = abs(analysis.score) * (0.3 if analysis.mixed else 1.0)
    shortest, longest = IDEAL_WORDS
    count = len(analysis.text.split())
    if count < shortest:
        fit = count / shortest
    elif count > longest:
        fit = (longest / count) ** 2
    else:
        fit = 1.0
    return 0.3 * strength + 0.2 * focus + 0.2 * clarity + 0.3 * fit


def _overlap(first: set[str], second: set[str]) -> float:
    union = first | second
    return len(first & second) / len(union) if union else 1.0
