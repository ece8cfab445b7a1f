"""Offline analysis of free-text comments: sentiment, themes and quotes.

Everything here is a pure function over text; nothing is downloaded at run time.
"""

from analytics.comments.analysis import (
    CommentAnalysis,
    analyse_comment,
    analyse_comments,
)
from analytics.comments.evaluation import Agreement, agreement
from analytics.comments.framing import QuestionFrame, frame_for_question
from analytics.comments.quotes import representative_quotes
from analytics.comments.redaction import redact
from analytics.comments.sentiment import Sentiment, SentimentReading, score_sentiment
from analytics.comments.themes import theme_matches

__all__ = [
    "Agreement",
    "CommentAnalysis",
    "QuestionFrame",
    "Sentiment",
    "SentimentReading",
    "agreement",
    "analyse_comment",
    "analyse_comments",
    "frame_for_question",
    "redact",
    "representative_quotes",
    "score_sentiment",
    "theme_matches",
]
