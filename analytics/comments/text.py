"""Normalising and splitting comment text, shared by every comment analyser."""

from __future__ import annotations

import re

_TYPOGRAPHY = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)
_WHITESPACE = re.compile(r"\s+")
# Words (with inner apostrophes or hyphens), phrase markers and the punctuation that
# ends a clause. Everything else (quotes, emoji, symbols) is dropped.
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*|[.!?;:,()]|\s-\s|/")
_SENTENCE_END = re.compile(r"[.!?;\n]+(?=\s|$)|\n")

WORD = re.compile(r"[a-z0-9]")


def normalise(text: str) -> str:
    """Lower-case text with typographic quotes and dashes made plain.

    Args:
        text: A comment as typed.

    Returns:
        The comment in lower case, single-spaced, with straight apostrophes.
    """
    return _WHITESPACE.sub(" ", text.translate(_TYPOGRAPHY).lower()).strip()


def sentences(text: str) -> list[str]:
    """Split normalised text at sentence ends (full stops, ?, !, ; and new lines).

    Args:
        text: Normalised comment text.

    Returns:
        The non-empty sentences, in order.
    """
    return [part for part in _SENTENCE_END.split(text) if WORD.search(part)]


def tokens(text: str) -> list[str]:
    """Split normalised text into words and clause punctuation.

    Args:
        text: Normalised comment text.

    Returns:
        Word tokens and punctuation tokens (``,``, ``:``, ``-`` ...), in order.
    """
    return [token.strip() for token in _TOKEN.findall(text)]


def is_word(token: str) -> bool:
    """Whether a token is a word rather than punctuation."""
    return bool(WORD.match(token))
