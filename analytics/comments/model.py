"""Comment sentiment from sentence embeddings plus rule scores: the model head.

A multinomial logistic regression over the all-MiniLM-L6-v2 embedding of a comment
and eight scores from the rule engine and VADER. Its weights are a small JSON file in
the repository (``model_files/sentiment_head.json``), trained by
``tools/train_comment_model.py`` on development halves only. A neutral bias,
chosen by cross-validation on the same development data, calibrates how often it
says neutral. Without the model extra, ``load_sentiment_model`` returns None and
callers keep the rule engine's reading.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analytics.comments.encoder import MODEL_ID, SentenceEncoder, load_encoder
from analytics.comments.sentiment import Sentiment, SentimentReading, score_sentiment

HEAD_FILE: Final = Path(__file__).parent / "model_files" / "sentiment_head.json"
CLASSES: Final = (Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE)
RULE_FEATURES: Final = 8
MAX_MODEL_CHARS: Final = 2_000

Matrix = npt.NDArray[np.float64]
_VADER = SentimentIntensityAnalyzer()


@dataclass(frozen=True)
class ModelReading:
    """The model's reading of one comment.

    Attributes:
        sentiment: Positive, neutral or negative.
        confidence: The chosen class's probability, in [0, 1].
    """

    sentiment: Sentiment
    confidence: float


def rule_features(text: str) -> list[float]:
    """The rule engine's and VADER's scores for one comment, as model features.

    Args:
        text: The comment.

    Returns:
        Eight numbers: rule score, rule positive/neutral/negative (0 or 1), mixed,
        suggestion, substantive, and VADER's compound score.
    """
    reading: SentimentReading = score_sentiment(text)
    return [
        reading.score,
        float(reading.sentiment is Sentiment.POSITIVE),
        float(reading.sentiment is Sentiment.NEUTRAL),
        float(reading.sentiment is Sentiment.NEGATIVE),
        float(reading.mixed),
        float(reading.suggestion),
        float(reading.substantive),
        float(_VADER.polarity_scores(text)["compound"]),
    ]


def features(encoder: SentenceEncoder, texts: Sequence[str]) -> Matrix:
    """Embedding plus rule features, one row per comment.

    Args:
        encoder: The sentence encoder.
        texts: The comments.

    Returns:
        An array of shape (len(texts), 384 + 8).
    """
    clipped = [text[:MAX_MODEL_CHARS] for text in texts]
    vectors = encoder.encode(clipped).astype(np.float64)
    rules = np.array([rule_features(text) for text in clipped], dtype=np.float64)
    return np.hstack([vectors, rules.reshape(len(clipped), RULE_FEATURES)])


@dataclass(frozen=True)
class SentimentHead:
    """Trained weights: feature scaling, one weight row per class, neutral bias."""

    mean: Matrix
    scale: Matrix
    weights: Matrix
    bias: Matrix
    neutral_bias: float

    def probabilities(self, rows: Matrix) -> Matrix:
        """Class probabilities (positive, neutral, negative) for feature rows."""
        logits = ((rows - self.mean) / self.scale) @ self.weights.T + self.bias
        logits[:, 1] += self.neutral_bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: Matrix = exp / exp.sum(axis=1, keepdims=True)
        return result

    def to_json(self, provenance: dict[str, object]) -> str:
        """The head as the JSON kept in the repository."""
        return json.dumps(
            {
                "encoder": MODEL_ID,
                "classes": [label.value for label in CLASSES],
                "provenance": provenance,
                "neutral_bias": round(self.neutral_bias, 6),
                "mean": _rounded(self.mean),
                "scale": _rounded(self.scale),
                "bias": _rounded(self.bias),
                "weights": _rounded(self.weights),
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> SentimentHead:
        """Read a head written by ``to_json``."""
        data = json.loads(text)
        return cls(
            mean=np.array(data["mean"], dtype=np.float64),
            scale=np.array(data["scale"], dtype=np.float64),
            weights=np.array(data["weights"], dtype=np.float64),
            bias=np.array(data["bias"], dtype=np.float64),
            neutral_bias=float(data["neutral_bias"]),
        )


class SentimentModel:
    """The encoder and the trained head together."""

    def __init__(
        self, encoder: SentenceEncoder, head: SentimentHead, name: str = MODEL_ID
    ) -> None:
        """Pair an encoder with a head.

        Args:
            encoder: The sentence encoder.
            head: The trained head.
            name: What stored readings record as their source (encoder and head).
        """
        self.encoder = encoder
        self.head = head
        self.name = name

    def read(self, texts: Sequence[str]) -> list[ModelReading]:
        """The model's sentiment for each comment.

        Args:
            texts: The comments.

        Returns:
            One reading per comment, in order.
        """
        if not texts:
            return []
        chances = self.head.probabilities(features(self.encoder, texts))
        picks = chances.argmax(axis=1)
        return [
            ModelReading(CLASSES[int(pick)], float(row[pick]))
            for pick, row in zip(picks, chances, strict=True)
        ]


@lru_cache(maxsize=1)
def load_sentiment_model() -> SentimentModel | None:
    """The sentiment model, loaded once per process; None without the model extra."""
    encoder = load_encoder()
    if encoder is None:
        return None
    text = HEAD_FILE.read_text(encoding="utf-8")
    version = hashlib.sha256(text.encode()).hexdigest()[:12]
    return SentimentModel(
        encoder, SentimentHead.from_json(text), f"{MODEL_ID}+head-{version}"
    )


def _rounded(values: Matrix) -> list[object]:
    return np.round(values, 6).tolist()  # type: ignore[no-any-return]
