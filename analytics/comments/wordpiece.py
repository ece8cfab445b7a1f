"""BERT's uncased WordPiece tokenizer, as all-MiniLM-L6-v2 reads text.

A small copy of the reference tokenizer (Hugging Face ``BertNormalizer``,
``BertPreTokenizer`` and ``WordPiece`` with lower-casing and accent stripping), so
the model needs no tokenizer package. Its ids are checked against the reference
tokenizer's on sample sentences in ``tests/analytics/test_comment_model.py``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

VOCAB_FILE: Final = Path(__file__).parent / "model_files" / "vocab.txt"
CLS, SEP, UNK = "[CLS]", "[SEP]", "[UNK]"
MAX_WORD_CHARS: Final = 100


@dataclass(frozen=True)
class WordPiece:
    """A WordPiece vocabulary and the ids of its special tokens."""

    vocab: dict[str, int]

    def encode(self, text: str, max_tokens: int = 128) -> list[int]:
        """Token ids for one text, with [CLS] and [SEP], cut to ``max_tokens``.

        Args:
            text: Any text.
            max_tokens: The most ids returned, the two special tokens included.

        Returns:
            The ids, starting with [CLS] and ending with [SEP].
        """
        ids: list[int] = []
        room = max_tokens - 2
        for word in _words(text):
            ids.extend(self._pieces(word))
            if len(ids) >= room:
                break
        return [self.vocab[CLS], *ids[:room], self.vocab[SEP]]

    def _pieces(self, word: str) -> list[int]:
        if len(word) > MAX_WORD_CHARS:
            return [self.vocab[UNK]]
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.vocab[UNK]]
            pieces.append(found)
            start = end
        return pieces


@lru_cache(maxsize=1)
def wordpiece() -> WordPiece:
    """The all-MiniLM-L6-v2 vocabulary kept in the repository (Apache-2.0)."""
    lines = VOCAB_FILE.read_text(encoding="utf-8").splitlines()
    return WordPiece({token: index for index, token in enumerate(lines)})


def _words(text: str) -> list[str]:
    """Normalise as BertNormalizer does, then split on spaces and punctuation."""
    cleaned = []
    for char in text:
        code = ord(char)
        if code == 0 or code == 0xFFFD or _is_control(char):
            continue
        if _is_chinese(code):
            cleaned.append(f" {char} ")
        elif char.isspace() or unicodedata.category(char) == "Zs":
            cleaned.append(" ")
        else:
            cleaned.append(char)
    lowered = unicodedata.normalize("NFD", "".join(cleaned).lower())
    stripped = "".join(c for c in lowered if unicodedata.category(c) != "Mn")
    words: list[str] = []
    for chunk in stripped.split():
        current = ""
        for char in chunk:
            if _is_punctuation(char):
                if current:
                    words.append(current)
                    current = ""
                words.append(char)
            else:
                current += char
        if current:
            words.append(current)
    return words


def _is_control(char: str) -> bool:
    if char in "\t\n\r":
        return False
    return unicodedata.category(char).startswith("C")


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    if 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126:
        return True
    return unicodedata.category(char).startswith("P")


def _is_chinese(code: int) -> bool:
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x2A6DF
        or 0x2A700 <= code <= 0x2B73F
        or 0x2B740 <= code <= 0x2B81F
        or 0x2B820 <= code <= 0x2CEAF
        or 0xF900 <= code <= 0xFAFF
        or 0x2F800 <= code <= 0x2FA1F
    )
