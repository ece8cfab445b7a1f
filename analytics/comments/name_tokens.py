"""Words of a comment with what redaction needs to know about each: shape and place."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from analytics.comments.name_lists import fold

# Letters, joined by inner apostrophes or hyphens ("O'Neill", "Kerry-Ann"); a trailing
# "'s" is a possessive, kept apart from the word.
_WORD: Final = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")
_SENTENCE_END: Final = frozenset(".!?:;\n")
_OPENERS: Final = frozenset("\"'([“‘")
_PREFIX: Final = re.compile(r"^(?:Mc|Mac|O'|D')(?=[A-Z])")


@dataclass(frozen=True)
class Word:
    """One word of a comment, located in the original text.

    Attributes:
        text: The word as typed, without a possessive "'s".
        key: Lower-case and accent-free, for looking up in word lists.
        start: Offset of the first character.
        end: Offset just past the word (before any possessive).
        possessive: Whether "'s" followed it.
        sentence_start: Whether it opens a sentence (capitals there mean nothing).
        capitalised: Whether it is written like a name: "Dave", "O'Neill",
            "Kerry-Ann", "McDonald", not "dave", "LGA" or "DoLS".
    """

    text: str
    key: str
    start: int
    end: int
    possessive: bool
    sentence_start: bool
    capitalised: bool

    @property
    def parts(self) -> tuple[str, ...]:
        """The lower-case pieces of a hyphenated word ("kerry", "ann")."""
        return tuple(part for part in self.key.split("-") if part)


def words(text: str) -> list[Word]:
    """Split a comment into words with their shape and position.

    Args:
        text: The comment as typed.

    Returns:
        The words in order.
    """
    folded = fold(text)
    found: list[Word] = []
    for match in _WORD.finditer(folded):
        word = match.group(0)
        start, end = match.span()
        possessive = False
        if word.lower().endswith("'s") and len(word) > 2:
            word, end, possessive = word[:-2], end - 2, True
        found.append(
            Word(
                text=text[start:end],
                key=word.lower(),
                start=start,
                end=end,
                possessive=possessive,
                sentence_start=_opens_sentence(folded, start),
                capitalised=_written_as_name(word),
            )
        )
    return found


def _opens_sentence(text: str, start: int) -> bool:
    index = start - 1
    while index >= 0 and (text[index].isspace() or text[index] in _OPENERS):
        if text[index] == "\n":
            return True
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


def _written_as_name(word: str) -> bool:
    for part in re.split(r"-", word):
        stripped = _PREFIX.sub("", part)
        pieces = stripped.split("'")
        head = pieces[-1]
        if not head or not head[0].isupper():
            return False
        if len(head) > 1 and not head[1:].islower():
            return False
    return True
