"""Dates and times as people type them: "tomorrow 9am", "Monday 14:30", "3 Dec 10am".

A PSW scheduling a survey or a briefing writes a time the way they would in an
email. This reads the common forms on the organisation's clock and gives the
local date and time, or ``None`` when the words are not a time it knows, so the
caller can say what it accepts. ISO times (``2026-12-01T09:00``) are read by the
caller first; this is for everything else.

Forms read (case does not matter, "at" and commas are optional):

- a day: ``today``, ``tomorrow``, a weekday (``monday``, ``mon``, ``next monday``:
  the next such day after today), ``3 December``, ``3 Dec 2026``, ``December 3``,
  ``3/12/2026`` or ``3/12`` (day first, as in the UK);
- a time: ``9am``, ``9.30am``, ``9:30 pm``, ``14:30``, ``noon``, ``midday``;
- either order: ``9am tomorrow``, ``tomorrow at 9am``.

A day without a time, or a time without a day, is not enough: the caller says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

WEEKDAYS = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
PLAIN_EXAMPLE = '"Monday 9am", "tomorrow 14:30" or "3 December 10am"'

_TIME = re.compile(
    r"^(?:(?P<noon>noon|midday)|(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?)$"
)
_NUMERIC_DAY = re.compile(
    r"^(?P<day>\d{1,2})/(?P<month>\d{1,2})(?:/(?P<year>\d{2,4}))?$"
)
_ORDINAL = re.compile(r"^(?P<day>\d{1,2})(?:st|nd|rd|th)?$")


@dataclass(frozen=True)
class PlainTime:
    """What was read: a local date and time, with no time zone yet."""

    day: date
    at: time

    def local(self) -> datetime:
        """The naive local date and time."""
        return datetime.combine(self.day, self.at)


def read_plain_time(text: str, *, today: date) -> PlainTime | None:
    """The local date and time ``text`` names, or None if it is not one this reads."""
    words = _words(text)
    if not words:
        return None
    for split in range(len(words) + 1):
        day_words, time_words = words[:split], words[split:]
        for first, second in ((day_words, time_words), (time_words, day_words)):
            day = _day(first, today)
            at = _time(second)
            if day is not None and at is not None:
                return PlainTime(day, at)
    return None


def _words(text: str) -> list[str]:
    cleaned = text.casefold().replace(",", " ")
    # "9 am" and "9.30 pm" are one time.
    cleaned = re.sub(r"(\d)\s+(am|pm)\b", r"\1\2", cleaned)
    return [word for word in cleaned.split() if word not in ("at", "on", "the", "of")]


def _time(words: list[str]) -> time | None:
    if len(words) != 1:
        return None
    found = _TIME.match(words[0])
    if found is None:
        return None
    if found["noon"]:
        return time(12, 0)
    hour, minute = int(found["hour"]), int(found["minute"] or 0)
    half = found["half"]
    if minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif found["minute"] is None or hour > 23:
        return None  # a bare number ("9") is not a time
    return time(hour, minute)


def _day(words: list[str], today: date) -> date | None:
    if words == ["today"]:
        return today
    if words == ["tomorrow"]:
        return today + timedelta(days=1)
    if words and words[0] == "next":
        words = words[1:]
    if len(words) == 1 and (weekday := _weekday(words[0])) is not None:
        ahead = (weekday - today.weekday() - 1) % 7 + 1
        return today + timedelta(days=ahead)
    if len(words) == 1 and (numeric := _NUMERIC_DAY.match(words[0])):
        year = numeric["year"]
        return _date(
            int(year) + (2000 if year and len(year) == 2 else 0) if year else None,
            int(numeric["month"]),
            int(numeric["day"]),
            today,
        )
    return _named_month_day(words, today)


def _named_month_day(words: list[str], today: date) -> date | None:
    if len(words) not in (2, 3):
        return None
    year = None
    if len(words) == 3:
        if not words[2].isdigit() or len(words[2]) != 4:
            return None
        year = int(words[2])
    first, second = words[0], words[1]
    for day_word, month_word in ((first, second), (second, first)):
        ordinal = _ORDINAL.match(day_word)
        month = _month(month_word)
        if ordinal and month:
            return _date(year, month, int(ordinal["day"]), today)
    return None


def _date(year: int | None, month: int, day: int, today: date) -> date | None:
    """The date; without a year, the next one on or after today."""
    try:
        if year is not None:
            return date(year, month, day)
        this_year = date(today.year, month, day)
    except ValueError:
        return None
    if this_year >= today:
        return this_year
    try:
        return date(today.year + 1, month, day)
    except ValueError:
        return None


def _weekday(word: str) -> int | None:
    for number, name in enumerate(WEEKDAYS):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def _month(word: str) -> int | None:
    for number, name in enumerate(MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word.removesuffix(".")):
            return number
    return None
