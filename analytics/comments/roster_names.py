"""Finding roster names in a comment in any case and common spelling variant."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final

from analytics.comments.lexicon import valences
from analytics.comments.name_lists import MONTHS_AND_DAYS, fold
from analytics.comments.stopwords import STOPWORDS

# Given names and surnames that are also everyday words; matched only as a full name,
# after a title (see ``person_names``), as a possessive ("Mark's", "Marks") or next to
# a word that shows a person is meant ("with mark", "mark said").
COMMON_WORD_NAMES: Final = frozenset(
    """
    will bill mark hope grace rose may june april summer faith joy dawn robin jack
    frank pat sue ray rich victor black white green brown young long short hall wood
    king bishop cook baker mason hunter price lane bell rice hill moore cross sharp
    strong love best page bush law shepherd fisher carter day east west north south
    march august sterling chase hunt wells field fields banks marsh stone street house
    rush bond guy art amber ruby holly ivy iris heather daisy poppy jade crystal sky
    river sunny honey angel star penny ginger sandy dean drew earl gene glen grant
    miles norman pierce reed wade ward warren carol mercy patience charity constance
    destiny harmony melody trinity liberty justice sage fern willow rowan hazel olive
    violet lily basil clay cliff don gay lee new post read rock rocky walker taylor
    turner parker cooper porter power rose rowe ford gill hart head jolly lamb little
    marshall mills nash noble pearl pepper pine pond rain rivers savage sharp small
    sparks spring stark swan swift tanner town vale wise worth young precious blessing
    """.split()
)
_BEFORE_PERSON: Final = frozenset(
    """
    with ask asked told thank thanks manager senior colleague mentor supervisor
    """.split()
)
_AFTER_PERSON: Final = frozenset("said says told asked helped covered ran was".split())
_DETERMINERS: Final = frozenset(
    "a an the my our your his her their this that no any every".split()
)
_WORD_BEFORE: Final = re.compile(r"([a-z']+)[\s,]*$")
_SPOKE_TO: Final = re.compile(
    r"(?:spoke|speak|speaking|talk|talked|talking|went|go|listen|listened|report"
    r"|reported|complained|wrote|write|explained|mentioned|said)\s+to\s+$"
)
_WORD_AFTER: Final = re.compile(r"^[\s,]*([a-z']+)")


def is_everyday_word(word: str) -> bool:
    """Whether a name part is also a word people use in ordinary sentences."""
    lowered = fold(word).lower()
    return (
        lowered in COMMON_WORD_NAMES
        or lowered in STOPWORDS
        or lowered in MONTHS_AND_DAYS
        or lowered in valences()
    )


def roster_spans(text: str, roster: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where roster names appear in a comment.

    Args:
        text: The comment as typed.
        roster: Roster names ("Zoë Hartley", "Anna Smith-Jones").

    Returns:
        ``(start, end)`` offsets, possibly overlapping.
    """
    if not roster:
        return []
    distinctive, everyday = _patterns(tuple(sorted(set(roster))))
    lowered = fold(text).lower()
    spans = []
    if distinctive is not None:
        spans += [match.span() for match in distinctive.finditer(lowered)]
    if everyday is not None:
        spans += [
            match.span()
            for match in everyday.finditer(lowered)
            if _person_meant(text, lowered, match)
        ]
    return spans


def _person_meant(text: str, lowered: str, match: re.Match[str]) -> bool:
    start, end = match.span()
    if lowered[end : end + 2] == "'s":
        return True
    if text[end - 1 : end] == "s" and text[start].isupper():
        return True
    before = _WORD_BEFORE.search(lowered[:start])
    after = _WORD_AFTER.search(lowered[end:])
    if before is not None and before.group(1) in _DETERMINERS:
        return False
    if before is not None and before.group(1) in _BEFORE_PERSON:
        return True
    if _SPOKE_TO.search(lowered[:start]):
        return True
    return after is not None and after.group(1) in _AFTER_PERSON


@lru_cache(maxsize=16)
def _patterns(
    roster: tuple[str, ...],
) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    distinctive: set[str] = set()
    everyday: set[str] = set()
    for name in roster:
        parts = fold(name).lower().split()
        if not parts:
            continue
        distinctive.add(r"[\s-]+".join(_variants(part) for part in parts))
        for part in parts:
            pieces = [part, *part.split("-")] if "-" in part else [part]
            for piece in pieces:
                if len(piece) < 2:
                    continue
                target = everyday if is_everyday_word(piece) else distinctive
                target.add(_variants(piece))
    return _compile(distinctive), _compile(everyday)


def _variants(part: str) -> str:
    """A name part with hyphens and apostrophes optional or written as spaces."""
    pieces = re.split(r"[-']", part)
    return r"[\s'-]?".join(re.escape(piece) for piece in pieces if piece)


def _compile(alternatives: set[str]) -> re.Pattern[str] | None:
    if not alternatives:
        return None
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(rf"(?<![\w])(?:{'|'.join(ordered)})s?(?![\w])")
