"""Emergent key phrases: what many comments in a set repeat, taxonomy or not.

Phrases are runs of one to three content words (stopwords and survey filler removed),
counted once per comment, with a longer phrase preferred over the words inside it when
it accounts for most of their mentions. Across a set of comments this frequency signal
finds shared concerns ("lone working", "mileage rates") better than per-document
keyword scores such as YAKE, which rank what is distinctive within one text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from analytics.comments.lexicon import valences
from analytics.comments.stopwords import FILLER_WORDS, GENERIC_WORDS, STOPWORDS
from analytics.comments.text import normalise
from analytics.comments.themes import theme_matches

MAX_WORDS: Final = 3
# A shorter phrase is dropped when a longer one containing it covers this share of its
# comments ("mileage" inside "mileage rates").
SUBSUMED_SHARE: Final = 0.6
_CHUNK: Final = re.compile(r"[^a-z0-9'\- ]+")
_WORD: Final = re.compile(r"[a-z][a-z'\-]*[a-z]|[a-z]")
_OPINION_VALENCE: Final = 1.0


@dataclass(frozen=True, slots=True)
class KeyPhrase:
    """A phrase repeated across comments.

    Attributes:
        phrase: The phrase in its most common written form.
        comments: How many comments contain it.
        themes: Taxonomy themes the phrase itself belongs to; empty when it is
            emergent (the taxonomy misses it).
    """

    phrase: str
    comments: int
    themes: tuple[str, ...]


def key_phrases(
    texts: Iterable[str],
    *,
    known_themes_only: bool = False,
    emergent_only: bool = False,
    top: int = 10,
    min_comments: int = 2,
) -> list[KeyPhrase]:
    """Find the phrases that recur across a set of comments.

    Args:
        texts: The comments.
        known_themes_only: Keep only phrases that belong to a taxonomy theme.
        emergent_only: Keep only phrases no taxonomy theme covers.
        top: How many phrases to return.
        min_comments: The fewest comments a phrase must appear in.

    Returns:
        Up to ``top`` phrases, most widespread first (longer first on ties).

    Raises:
        ValueError: If both ``known_themes_only`` and ``emergent_only`` are set.
    """
    if known_themes_only and emergent_only:
        raise ValueError("known_themes_only and emergent_only exclude each other")
    counts: Counter[tuple[str, ...]] = Counter()
    surfaces: dict[tuple[str, ...], Counter[str]] = {}
    for text in texts:
        seen: set[tuple[str, ...]] = set()
        for run in _content_runs(text):
            for size in range(1, MAX_WORDS + 1):
                for start in range(len(run) - size + 1):
                    words = run[start : start + size]
                    key = tuple(_singular(word) for word in words)
                    if _worth_counting(key):
                        seen.add(key)
                        surfaces.setdefault(key, Counter())[" ".join(words)] += 1
        counts.update(seen)
    frequent = {key: count for key, count in counts.items() if count >= min_comments}
    widest = _widest_containing(frequent)
    kept = [
        key
        for key, count in frequent.items()
        if widest.get(key, 0) < SUBSUMED_SHARE * count
    ]
    kept.sort(key=lambda key: (-frequent[key], -len(key), " ".join(key)))
    found: list[KeyPhrase] = []
    for key in kept:
        phrase = surfaces[key].most_common(1)[0][0]
        themes = tuple(theme_matches(phrase))
        if (known_themes_only and not themes) or (emergent_only and themes):
            continue
        found.append(KeyPhrase(phrase, frequent[key], themes))
        if len(found) == top:
            break
    return found


def _content_runs(text: str) -> list[list[str]]:
    runs: list[list[str]] = []
    for chunk in _CHUNK.split(normalise(text)):
        run: list[str] = []
        for word in _WORD.findall(chunk):
            word = word.removesuffix("'s")
            if word in STOPWORDS or word in FILLER_WORDS or len(word) < 2:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(word)
        if run:
            runs.append(run)
    return runs


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _worth_counting(key: tuple[str, ...]) -> bool:
    """Whether a phrase names a topic: not opinion words alone, not one generic word."""
    if len(key) == 1 and key[0] in GENERIC_WORDS:
        return False
    table = valences()
    return any(abs(table.get(word, 0.0)) < _OPINION_VALENCE for word in key)


def _widest_containing(
    frequent: dict[tuple[str, ...], int],
) -> dict[tuple[str, ...], int]:
    """For each phrase, the count of the most frequent longer phrase containing it."""
    widest: dict[tuple[str, ...], int] = {}
    for key, count in frequent.items():
        for size in range(1, len(key)):
            for start in range(len(key) - size + 1):
                inner = key[start : start + size]
                widest[inner] = max(widest.get(inner, 0), count)
    return widest
