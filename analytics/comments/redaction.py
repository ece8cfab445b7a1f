"""Redacting what could identify a person or a case from a comment before it is shown.

Names are found by ``person_names`` (roster names in any case and spelling variant,
and names of people not on the roster by shape and word lists). Emails, UK phone
numbers, postcodes, case and reference numbers and NHS numbers are recognised by their
shape. ``benchmarks/redaction.py`` measures recall and precision on labelled comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Final

from analytics.comments.person_names import person_name_spans

NAME: Final = "[name]"
_WORD: Final = re.compile(r"[^\W\d_]+")
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
# "LAS/2024/123", "CR-2291", "LCS/2291", "AB123456"; not "M6", "A&E" or "COVID-19".
_SHAPED_REFERENCE: Final = re.compile(
    r"(?<![\w/])(?:[A-Z]{2,6}/\d{2,4}/\d{1,8}|[A-Z]{1,5}(?:[-/]\d{3,}|\d{4,}))"
    r"(?![\w/])"
)
_NHS_NUMBER: Final = re.compile(r"(?<![\d£$€.,-])[1-9]\d{2}[ -]\d{3}[ -]\d{4}(?![\d])")
_LONG_NUMBER: Final = re.compile(r"(?<![\d£$€.,])\d{6,}(?![\d.,%])")
# "M6 5th junction" has a postcode's shape; an inward part in lower-case ordinal form
# ("5th") is read as the ordinal.
_ORDINAL_INWARD: Final = re.compile(r"\d(?:st|nd|rd|th)$")


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


@dataclass(frozen=True)
class Redaction:
    """One stretch of a comment to hide, and what to show instead.

    Attributes:
        start: Offset of the first character hidden.
        end: Offset just past the last character hidden.
        placeholder: What is shown in its place, such as ``[name]``.
    """

    start: int
    end: int
    placeholder: str


_Replacer = Callable[[re.Match[str]], str]
# Earlier shapes win where two overlap: an email is not also a name.
_SHAPES: Final[tuple[tuple[re.Pattern[str], _Replacer], ...]] = (
    (_EMAIL, lambda _match: EMAIL),
    (_KEYED_REFERENCE, _keyed_reference),
    (_PHONE, _phone),
    (_SHAPED_REFERENCE, lambda _match: CASE_REF),
    (_NHS_NUMBER, lambda _match: CASE_REF),
    (_POSTCODE, _postcode),
    (_LONG_NUMBER, lambda _match: CASE_REF),
)


def redactions(
    text: str, *, names: Iterable[str] = (), keep: Iterable[str] = ()
) -> list[Redaction]:
    """Everything in a comment that could identify a person or a case.

    Args:
        text: The comment as typed.
        names: Roster names, matched in any case and common spelling variant.
        keep: Names known not to be people (the organisation, its services and
            teams): a capitalised word of one of them is never taken for a name.

    Returns:
        Non-overlapping redactions in order of position.
    """
    chosen: list[Redaction] = []
    for pattern, replace in _SHAPES:
        for match in pattern.finditer(text):
            placeholder = replace(match)
            if placeholder != match.group(0):
                _add(chosen, Redaction(*match.span(), placeholder))
    roster = tuple(sorted({name.strip() for name in names if name.strip()}))
    known = {word.lower() for phrase in keep for word in _WORD.findall(phrase)}
    for start, end in person_name_spans(text, roster):
        words = {word.lower() for word in _WORD.findall(text[start:end])}
        if words and words <= known:
            continue
        _add(chosen, Redaction(start, end, NAME))
    return sorted(chosen, key=lambda redaction: redaction.start)


def _add(chosen: list[Redaction], candidate: Redaction) -> None:
    if all(
        candidate.end <= taken.start or candidate.start >= taken.end for taken in chosen
    ):
        chosen.append(candidate)


def redact(text: str, *, names: Iterable[str] = (), keep: Iterable[str] = ()) -> str:
    """Replace personal and case details in a comment with placeholders.

    Args:
        text: The comment as typed.
        names: Roster names ("Priya Shah"), matched in any case, with possessives,
            accents and hyphen variants; names not on the roster are found too.
        keep: Names known not to be people (the organisation, services, teams).

    Returns:
        The comment with ``[name]``, ``[email]``, ``[phone]``, ``[case ref]`` and
        ``[postcode]`` in place of what they stand for.
    """
    pieces: list[str] = []
    position = 0
    for redaction in redactions(text, names=names, keep=keep):
        pieces.append(text[position : redaction.start])
        pieces.append(redaction.placeholder)
        position = redaction.end
    pieces.append(text[position:])
    return "".join(pieces)
