"""One comment's analysis: sentiment, score and themes, for one comment or many."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final

from analytics.comments.framing import QuestionFrame, frame_for_question
from analytics.comments.sentiment import Sentiment, score_sentiment
from analytics.comments.theme_sentiment import theme_sentiments
from analytics.comments.themes import theme_matches

# Comments longer than this are read up to here only: a free-text answer is capped
# at a few thousand characters, so longer input is pasted text, not a comment.
MAX_ANALYSED_CHARS: Final = 20_000


@dataclass(frozen=True, slots=True)
class CommentAnalysis:
    """What one free-text comment says.

    Attributes:
        text: The comment as typed (not redacted; redact before showing anyone);
            empty when there was no text (None, NaN).
        sentiment: Positive, neutral or negative.
        score: Net polarity in [-1, 1].
        themes: Theme keys from ``survey.questions.themes.THEMES``, strongest
            first; may be empty.
        theme_phrases: For each theme, the phrases in the comment that showed it.
        theme_sentiments: For each theme, the sentiment of what the comment says
            about that theme (the sentences or clauses that mention it).
        mixed: Praise and criticism of similar weight (labelled neutral).
        suggestion: The comment asks for a change.
        substantive: False for content-free answers ("n/a", "none", "nothing").
    """

    text: str
    sentiment: Sentiment
    score: float
    themes: tuple[str, ...]
    theme_phrases: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    theme_sentiments: Mapping[str, Sentiment] = field(
        default_factory=lambda: MappingProxyType({})
    )
    mixed: bool = False
    suggestion: bool = False
    substantive: bool = True

    def sentiment_about(self, theme: str) -> Sentiment:
        """The sentiment of what this comment says about one theme.

        Args:
            theme: A theme key.

        Returns:
            The theme's own sentiment, or the comment's for a theme it lacks.
        """
        return self.theme_sentiments.get(theme, self.sentiment)


def analyse_comment(
    text: str | None,
    *,
    question: str | QuestionFrame | None = None,
    overall: Sentiment | None = None,
) -> CommentAnalysis:
    """Analyse one comment.

    Args:
        text: The comment as typed. None, NaN and other non-text values (a blank
            spreadsheet cell) are read as an empty, content-free answer.
        question: The question it answers, as its wording ("What could we do
            better?") or a ``QuestionFrame``. It changes only how answers that judge
            nothing themselves are read: "Nothing." and short answers that just
            name something ("The duty rota."). None reads them as neutral.
        overall: The comment's sentiment as read elsewhere (the comment model's
            stored reading), or None for the rules'. It replaces the rules' for a
            comment that says something, and every theme the comment does not judge
            separately takes it; answers that say nothing keep the rules' reading.

    Returns:
        The comment's sentiment, score and themes.
    """
    typed = text if isinstance(text, str) else ""
    readable = typed[:MAX_ANALYSED_CHARS]
    frame = _frame(question)
    reading = score_sentiment(readable, frame)
    phrases = theme_matches(readable) if reading.substantive else {}
    sentiment = reading.sentiment
    if overall is not None and reading.substantive:
        sentiment = overall
    return CommentAnalysis(
        text=typed,
        sentiment=sentiment,
        score=reading.score,
        themes=tuple(phrases),
        theme_phrases=MappingProxyType(dict(phrases)),
        theme_sentiments=theme_sentiments(readable, phrases, sentiment, frame),
        mixed=reading.mixed,
        suggestion=reading.suggestion,
        substantive=reading.substantive,
    )


def analyse_comments(
    texts: Iterable[str | None], *, question: str | QuestionFrame | None = None
) -> list[CommentAnalysis]:
    """Analyse a batch of comments answering the same question.

    Args:
        texts: The comments as typed (None or NaN for a missing one).
        question: The question they answer (see ``analyse_comment``).

    Returns:
        One analysis per comment, in order.
    """
    frame = _frame(question)
    return [analyse_comment(text, question=frame) for text in texts]


def _frame(question: str | QuestionFrame | None) -> QuestionFrame:
    if isinstance(question, QuestionFrame):
        return question
    if isinstance(question, float) and math.isnan(question):
        return QuestionFrame.GENERAL
    return frame_for_question(question if isinstance(question, str) else None)
