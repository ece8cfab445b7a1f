"""Scoring predicted sentiment labels against human labels (macro-F1, accuracy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analytics.comments.sentiment import Sentiment

LABELS: tuple[str, ...] = tuple(label.value for label in Sentiment)


@dataclass(frozen=True, slots=True)
class Agreement:
    """How predicted labels agree with human labels.

    Attributes:
        macro_f1: Mean of the per-label F1 scores.
        accuracy: Share of labels predicted exactly.
        confusion: ``confusion[human][predicted]`` counts.
    """

    macro_f1: float
    accuracy: float
    confusion: dict[str, dict[str, int]]


def agreement(
    human: Sequence[str], predicted: Sequence[str], labels: Sequence[str] = LABELS
) -> Agreement:
    """Compare two equally long label sequences.

    Args:
        human: The reference labels, each one of ``labels``.
        predicted: The method's labels. A predicted label outside ``labels`` (a
            "neutral" on a two-class positive/negative set) counts as wrong.
        labels: The label set (positive, neutral, negative by default); macro-F1
            averages over these.

    Returns:
        Macro-F1, accuracy and the confusion matrix.

    Raises:
        ValueError: If the sequences differ in length or are empty, or a human
            label is outside ``labels``.
    """
    if len(human) != len(predicted) or not human:
        raise ValueError("need two non-empty label sequences of equal length")
    unknown = set(human) - set(labels)
    if unknown:
        raise ValueError(f"human labels outside the label set: {sorted(unknown)}")
    columns = list(labels) + sorted(set(predicted) - set(labels))
    confusion = {row: dict.fromkeys(columns, 0) for row in labels}
    for truth, guess in zip(human, predicted, strict=True):
        confusion[truth][guess] += 1
    scores = []
    for label in labels:
        hits = confusion[label][label]
        guessed = sum(confusion[row][label] for row in labels)
        actual = sum(confusion[label].values())
        precision = hits / guessed if guessed else 0.0
        recall = hits / actual if actual else 0.0
        total = precision + recall
        scores.append(2 * precision * recall / total if total else 0.0)
    correct = sum(confusion[label][label] for label in labels)
    return Agreement(sum(scores) / len(labels), correct / len(human), confusion)
