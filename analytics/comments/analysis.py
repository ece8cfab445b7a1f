"""One comment's analysis: sentiment, score and themes, for one comment or many."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from analytics.comments.framing import QuestionFrame, frame_for_question
from analytics.comments.sentiment import Sentiment, score_sentiment
from analytics.comments.themes import theme_matches


@dataclass(frozen=True, slots=True)
class CommentAnalysis:
    """What one free-text comment says.

    Attributes:
        text: The comment as typed (not redacted; redact before showing anyone).
        sentiment: Positive, neutral or negative.
        score: Net polarity in [-1, 1].
        themes: Theme keys from ``survey.questions.themes.THEMES``, strongest
            first; may be empty.
        theme_phrases: For each theme, the phrases in the comment that showed it.
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
    mixed: bool = False
    suggestion: bool = False
    substantive: bool = True


def analyse_comment(
    text: str, *, question: str | QuestionFrame | None = None
) -> CommentAnalysis:
    """Analyse one comment.

    Args:
        text: The comment as typed.
        question: The question it answers, as its wording ("What could we do
            better?") or a ``QuestionFrame``. It changes only how answers that judge
            nothing themselves are read: "Nothing." and short answers that just
            name something ("The duty rota."). None reads them as neutral.

    Returns:
        The comment's sentiment, score and themes.
    """
    reading = score_sentiment(text, _frame(question))
    phrases = theme_matches(text)
    return CommentAnalysis(
        text=text,
        sentiment=reading.sentiment,
        score=reading.score,
        themes=tuple(phrases),
        theme_phrases=phrases,
        mixed=reading.mixed,
        suggestion=reading.suggestion,
        substantive=reading.substantive,
    )


def analyse_comments(
    texts: Iterable[str], *, question: str | QuestionFrame | None = None
) -> list[CommentAnalysis]:
    """Analyse a batch of comments answering the same question.

    Args:
        texts: The comments as typed.
        question: The question they answer (see ``analyse_comment``).

    Returns:
        One analysis per comment, in order.
    """
    frame = _frame(question)
    return [analyse_comment(text, question=frame) for text in texts]


def _frame(question: str | QuestionFrame | None) -> QuestionFrame:
    if isinstance(question, QuestionFrame):
        return question
    return frame_for_question(question)
