"""Redacting what could identify a person or a case from a comment before it is shown.

Names come from the roster (full names always; a single first name or surname only
when it is not also an ordinary English word, so "Will", "Hope" or "Black" in a
sentence are left alone unless written as a full name or after a title). Emails, UK
phone numbers, postcodes, case and reference numbers and NHS numbers are recognised by
their shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Final

from analytics.comments.lexicon import valences
from analytics.comments.stopwords import STOPWORDS

NAME: Final = "[name]"
EMAIL: Final = "[email]"
PHONE: Final = "[phone]"
CASE_REF: Final = "[case ref]"
POSTCODE: Final = "[postcode]"

_EMAIL: Final = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# UK numbers: 0 or +44 (optionally "(0)") then the rest, with spaces, dashes or
# brackets between digit groups; the digit count is checked after matching.
_PHONE: Final = re.compile(
    r"(?<![\w+])(?:\+\s?44[\s-]{0,3}(?:\(0\)[\s-]{0,3})?|\(0|0)\d"
    r"(?:[\s-]{0,3}\)?[\s-]{0,3}\d){7,10}"
    r"(?![\d])"
)
_POSTCODE: Final = re.compile(
    r"(?<![\w])(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) ?\d[A-Z]{2}(?![\w])", re.IGNORECASE
)
_KEYED_REFERENCE: Final = re.compile(
    r"(?<![\w])(?P<key>(?:case|client|child|person|record|file|mosaic|lcs|nhs|crn)"
    r"[\s.]*(?:id|no\.?|number|num|#|ref\.?|reference)|ref\.?|reference|crn|mosaic|"
    r"lcs|nhs|case|id)[\s.:#]*(?P<code>\d{3}[\s-]\d{3}[\s-]\d{4}|(?=[A-Z0-9/-]*\d)"
    r"[A-Z0-9][A-Z0-9/-]{2,})(?![\w])",
    re.IGNORECASE,
)
# After a bare "case" or "ID" only a number of four or more digits is a reference
# ("case 12345"), not "case 2" or "in case 3 people".
_BARE_KEYS: Final = frozenset({"case", "id"})
_MIN_BARE_DIGITS: Final = 4
_SHAPED_REFERENCE: Final = re.compile(
    r"(?<![\w/])(?:[A-Z]{2,6}/\d{2,4}/\d{1,8}|[A-Z]{1,5}-?\d{5,})(?![\w/])"
)
_NHS_NUMBER: Final = re.compile(r"(?<![\d£$€.,-])[1-9]\d{2}[ -]\d{3}[ -]\d{4}(?![\d])")
_LONG_NUMBER: Final = re.compile(r"(?<![\d£$€.,])\d{6,}(?![\d.,%])")
# "M6 5th junction" has a postcode's shape; an inward part in lower-case ordinal form
# ("5th") is read as the ordinal.
_ORDINAL_INWARD: Final = re.compile(r"\d(?:st|nd|rd|th)$")

_TITLES: Final = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+"
# Given names and surnames that are also everyday words; redacted only as a full name
# or after a title.
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
    sparks spring stark swan swift tanner town vale wise worth young
    """.split()
)


def _is_everyday_word(word: str) -> bool:
    lowered = word.lower()
    return lowered in COMMON_WORD_NAMES or lowered in STOPWORDS or lowered in valences()


def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    always: set[str] = set()
    titled: set[str] = set()
    for name in names:
        parts = name.split()
        if not parts:
            continue
        always.add(r"\s+".join(re.escape(part) for part in parts))
        for part in parts:
            if len(part) < 2:
                continue
            (titled if _is_everyday_word(part) else always).add(re.escape(part))
    alternatives = [f"(?i:{pattern})" for pattern in sorted(always, key=len)[::-1]]
    alternatives += [f"{_TITLES}{pattern}" for pattern in sorted(titled, key=len)[::-1]]
    if not alternatives:
        return None
    return re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")


@lru_cache(maxsize=16)
def _compiled_names(names: tuple[str, ...]) -> re.Pattern[str] | None:
    return _name_pattern(names)


def _phone(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if digits.startswith("44"):
        digits = digits[2:].removeprefix("0")
        return PHONE if 9 <= len(digits) <= 10 else match.group(0)
    return PHONE if 10 <= len(digits) <= 11 else match.group(0)


def _keyed_reference(match: re.Match[str]) -> str:
    if match.group("key").lower() in _BARE_KEYS:
        digits = sum(character.isdigit() for character in match.group("code"))
        if digits < _MIN_BARE_DIGITS:
            return match.group(0)
    return CASE_REF


def _postcode(match: re.Match[str]) -> str:
    text = match.group(0)
    if _ORDINAL_INWARD.search(text):
        return text
    return POSTCODE


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """Replace personal and case details in a comment with placeholders.

    Args:
        text: The comment as typed.
        names: Roster names ("Priya Shah"); full names and distinctive first names
            and surnames are redacted wherever they appear.

    Returns:
        The comment with ``[name]``, ``[email]``, ``[phone]``, ``[case ref]`` and
        ``[postcode]`` in place of what they stand for.
    """
    redacted = _EMAIL.sub(EMAIL, text)
    redacted = _KEYED_REFERENCE.sub(_keyed_reference, redacted)
    redacted = _PHONE.sub(_phone, redacted)
    redacted = _SHAPED_REFERENCE.sub(CASE_REF, redacted)
    redacted = _NHS_NUMBER.sub(CASE_REF, redacted)
    redacted = _POSTCODE.sub(_postcode, redacted)
    redacted = _LONG_NUMBER.sub(CASE_REF, redacted)
    pattern = _compiled_names(tuple(sorted({name.strip() for name in names})))
    if pattern is not None:
        redacted = pattern.sub(NAME, redacted)
    return redacted
