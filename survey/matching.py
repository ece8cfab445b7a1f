"""Finding the one name a person meant: exact, then a unique partial, else a hint.

Pure. People type ``child prot`` for "Child Protection" or ``childrens`` for
"Children's", in any case, with or without quotes. A name that matches exactly
(ignoring case and punctuation) wins; otherwise one name that starts with, or
contains, what was typed is accepted; several such names are listed; and when
nothing matches, the closest spelling is offered as "did you mean".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

_NOT_WORD = re.compile(r"[^\w\s]")
SHORT_LIST = 5
"""At most this many candidates are named when a partial name fits several."""


def normalised(name: str) -> str:
    """A name as it is compared: lower case, no punctuation, single spaces."""
    return " ".join(_NOT_WORD.sub("", name.casefold()).split())


@dataclass(frozen=True)
class Match:
    """What a typed name matched.

    Attributes:
        found: The one name meant, or None.
        exact: Whether ``found`` is the name typed in full (not a partial).
        candidates: Every name a partial name fits (when ``found`` is None).
        closest: The nearest spelling when nothing fits (when ``found`` is None).
    """

    found: str | None = None
    exact: bool = False
    candidates: tuple[str, ...] = ()
    closest: str | None = None


def exact_match(typed: str, names: Iterable[str]) -> str | None:
    """The name that is ``typed`` ignoring case and punctuation, or None."""
    wanted = normalised(typed)
    if not wanted:
        return None
    return next((name for name in names if normalised(name) == wanted), None)


def match_name(typed: str, names: Sequence[str], *, prefer_start: bool = True) -> Match:
    """Match ``typed`` against ``names`` as the module docstring describes.

    Args:
        typed: What the person typed.
        names: The names that exist.
        prefer_start: Whether one name starting with ``typed`` wins over others
            merely containing it (right for names; for sentences, such as a
            question's wording, every sentence containing the words is a candidate).
    """
    exact = exact_match(typed, names)
    if exact is not None:
        return Match(found=exact, exact=True)
    wanted = normalised(typed)
    if not wanted:
        return Match()
    keyed = [(name, normalised(name)) for name in names]
    starting = [name for name, key in keyed if _starts(key, wanted)]
    if len(starting) == 1 and prefer_start:
        return Match(found=starting[0])
    containing = (starting if prefer_start else []) or [
        name for name, key in keyed if wanted in key or _starts(key, wanted)
    ]
    if len(containing) == 1:
        return Match(found=containing[0])
    if containing:
        return Match(candidates=tuple(sorted(containing)))
    return Match(closest=closest_name(typed, names))


def closest_name(typed: str, names: Iterable[str]) -> str | None:
    """The name nearest ``typed`` by spelling, if any is reasonably near."""
    wanted = normalised(typed)
    best, best_ratio = None, 0.0
    for name in names:
        ratio = SequenceMatcher(None, wanted, normalised(name)).ratio()
        if ratio > best_ratio:
            best, best_ratio = name, ratio
    return best if best_ratio >= 0.5 else None


def _starts(key: str, wanted: str) -> bool:
    """Whether the name starts with the typed words (each word a prefix)."""
    if key.startswith(wanted):
        return True
    typed_words, words = wanted.split(), key.split()
    return len(typed_words) <= len(words) and all(
        word.startswith(part) for part, word in zip(typed_words, words, strict=False)
    )


def did_you_mean(match: Match) -> str:
    """The end of a "not found" message: the candidates, or the closest name."""
    if match.candidates:
        return " It could be " + one_of(match.candidates) + ". Which one?"
    if match.closest is not None:
        return f" Did you mean '{match.closest}'?"
    return ""


def one_of(names: Sequence[str]) -> str:
    """A short list of names to choose from: "'A', 'B' or 'C'" (five at most)."""
    quoted = [f"'{name}'" for name in names[:SHORT_LIST]]
    if len(names) > SHORT_LIST:
        quoted.append(f"{len(names) - SHORT_LIST} more")
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
