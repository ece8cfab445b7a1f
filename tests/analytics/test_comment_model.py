"""The comment model: our tokenizer and encoder against the reference, the head.

The reference (tests/analytics/data/comment_model_reference.json) was computed once
by tools/comment_model_reference.py: the ``tokenizers`` package's ids and a float32
numpy run of all-MiniLM-L6-v2, sharing no code with analytics/comments.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from analytics.comments import encoder as encoder_module
from analytics.comments import model as model_module
from analytics.comments.encoder import load_encoder
from analytics.comments.model import load_sentiment_model
from analytics.comments.sentiment import Sentiment
from analytics.comments.wordpiece import wordpiece

REFERENCE = json.loads(
    (Path(__file__).parent / "data" / "comment_model_reference.json").read_text()
)["cases"]
needs_model = pytest.mark.skipif(
    load_encoder() is None, reason="the model extra is not installed"
)


@pytest.mark.parametrize("case", REFERENCE, ids=lambda case: case["text"][:20])
def test_our_wordpiece_gives_the_reference_tokenizers_ids(case: dict) -> None:
    assert wordpiece().encode(case["text"]) == case["ids"]


def test_long_text_is_cut_to_the_model_length_with_both_special_tokens() -> None:
    ids = wordpiece().encode("word " * 500, max_tokens=128)

    assert len(ids) == 128
    assert ids[0] == wordpiece().vocab["[CLS]"]
    assert ids[-1] == wordpiece().vocab["[SEP]"]


@needs_model
def test_the_int8_encoder_matches_the_float32_reference_embedding() -> None:
    encoder = load_encoder()
    assert encoder is not None

    vectors = encoder.encode([case["text"] for case in REFERENCE])

    for case, vector in zip(REFERENCE, vectors, strict=True):
        cosine = float(np.dot(vector, case["embedding"]))
        assert cosine > 0.99, case["text"]


@needs_model
def test_the_classifier_is_deterministic_whatever_the_batch() -> None:
    model = load_sentiment_model()
    assert model is not None
    texts = [case["text"] for case in REFERENCE]

    first = model.read(texts)
    again = model.read(list(reversed(texts)))[::-1]
    alone = [model.read([text])[0] for text in texts]

    assert [r.sentiment for r in first] == [r.sentiment for r in again]
    assert [r.sentiment for r in first] == [r.sentiment for r in alone]
    for a, b in zip(first, alone, strict=True):
        assert a.confidence == pytest.approx(b.confidence, abs=1e-4)


@needs_model
def test_the_model_reads_clear_praise_and_complaint() -> None:
    model = load_sentiment_model()
    assert model is not None

    readings = model.read(
        [
            "My manager is really supportive and the team is brilliant.",
            "Caseloads are far too high and nobody listens when we say so.",
        ]
    )

    assert [r.sentiment for r in readings] == [Sentiment.POSITIVE, Sentiment.NEGATIVE]
    assert all(0.0 <= r.confidence <= 1.0 for r in readings)


def test_without_onnxruntime_there_is_no_model_and_the_rules_still_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The third-party package is made unimportable, as on a machine without the
    # extra; our code is not replaced.
    monkeypatch.setitem(sys.modules, "onnxruntime", None)
    encoder_module.load_encoder.cache_clear()
    model_module.load_sentiment_model.cache_clear()
    try:
        assert load_sentiment_model() is None
    finally:
        encoder_module.load_encoder.cache_clear()
        model_module.load_sentiment_model.cache_clear()
