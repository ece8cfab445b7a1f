"""Per-theme sentiment: what a comment says about each theme it mentions.

"My manager is brilliant, but my caseload is unmanageable" praises management and
complains about workload; counting the whole comment's sentiment for both themes would
file a complaint as praise (or as neutral, when the comment as a whole is mixed). Each
theme is read from the sentences and contrast clauses that mention it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from analytics.comments.framing import QuestionFrame
from analytics.comments.sentiment import Sentiment, score_sentiment
from analytics.comments.text import normalise
from analytics.comments.themes import theme_matches

# Sentence ends, and the places where a comment turns from one thing to another:
# contrast words and commas (a list of complaints names one thing per item).
_SEGMENT_BREAK: Final = re.compile(
    r"[.!?;\n]+(?=\s|$)|,|\s(?=(?:but|however|although|though|whereas|whilst|while|"
    r"except|apart from|other than)\b)"
)


def theme_sentiments(
    text: str,
    phrases: Mapping[str, tuple[str, ...]],
    overall: Sentiment,
    frame: QuestionFrame,
) -> Mapping[str, Sentiment]:
    """The sentiment of what a comment says about each of its themes.

    Args:
        text: The comment as typed.
        phrases: Its themes and their matched phrases (``theme_matches``).
        overall: The whole comment's sentiment.
        frame: The question's frame.

    Returns:
        Theme key to sentiment. With one theme, or when the parts that mention a
        theme judge nothing themselves, the theme takes the whole comment's.
    """
    if len(phrases) < 2:
        return MappingProxyType(dict.fromkeys(phrases, overall))
    segments = [part for part in _SEGMENT_BREAK.split(normalise(text)) if part.strip()]
    if len(segments) < 2:
        return MappingProxyType(dict.fromkeys(phrases, overall))
    about: dict[str, list[str]] = {theme: [] for theme in phrases}
    for segment in segments:
        for theme in theme_matches(segment):
            if theme in about:
                about[theme].append(segment)
    found: dict[str, Sentiment] = {}
    for theme, parts in about.items():
        if not parts:
            found[theme] = overall
            continue
        reading = score_sentiment(". ".join(parts), frame)
        judged = reading.score != 0 or reading.mixed
        found[theme] = reading.sentiment if judged else overall
    return MappingProxyType(found)
