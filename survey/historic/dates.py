"""The date formats form tools export, detected from a whole column or given.

Microsoft Forms exports ``9/28/2022 10:07:00 AM`` (month first, in a US-English
tenant) or ``28/09/2022 10:07:00`` (day first, in a UK one); SmartSurvey
``28/09/2022 10:07``; many tools ISO ``2022-09-28 10:07:00``. A column whose
dates could all be read either way (every day 12 or less) is refused with one
message asking for ``--date-format``, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from survey.errors import HistoricImportError

DAY_FIRST = "DD/MM/YYYY"
MONTH_FIRST = "MM/DD/YYYY"
ISO = "YYYY-MM-DD"
FORMATS = (DAY_FIRST, MONTH_FIRST, ISO)
_ALIASES = {
    "dd/mm/yyyy": DAY_FIRST,
    "day-first": DAY_FIRST,
    "uk": DAY_FIRST,
    "mm/dd/yyyy": MONTH_FIRST,
    "month-first": MONTH_FIRST,
    "us": MONTH_FIRST,
    "yyyy-mm-dd": ISO,
    "iso": ISO,
}
_TIME = r"(?:,?\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?)?"
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}\S*)?")
SLASHED_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})" + _TIME)
LONGEST_DAY = 31
LONGEST_MONTH = 12


def date_format(typed: str) -> str:
    """The format ``--date-format`` names: DD/MM/YYYY, MM/DD/YYYY or YYYY-MM-DD.

    Raises:
        HistoricImportError: naming the formats there are.
    """
    found = _ALIASES.get(typed.strip().casefold())
    if found is None:
        raise HistoricImportError(
            [
                f"--date-format '{typed}' is not one this import reads; give "
                f"{DAY_FIRST} (28/09/2022), {MONTH_FIRST} (9/28/2022 10:07:00 AM) "
                f"or {ISO} (2022-09-28)"
            ]
        )
    return found


def detect_format(values: Iterable[str], column: str) -> str:
    """The slashed dates' order, from every date in the column.

    A day above 12 in the first place means day first; in the second, month
    first. ISO dates say themselves, so a column of only ISO dates is ISO.

    Raises:
        HistoricImportError: one message when the column mixes the two orders,
            or when every date could be read either way.
    """
    firsts = seconds = slashed = 0
    example = ""
    for value in values:
        match = SLASHED_DATE.fullmatch(value.strip())
        if match is None:
            continue
        slashed += 1
        first, second = int(match.group(1)), int(match.group(2))
        firsts += LONGEST_MONTH < first <= LONGEST_DAY
        seconds += LONGEST_MONTH < second <= LONGEST_DAY
        example = example or value.strip()
    if not slashed:
        return ISO
    if firsts and seconds:
        raise HistoricImportError(
            [
                f"column {column}: some dates are day first and some month first; "
                "correct the column so every date is written the same way"
            ]
        )
    if firsts:
        return DAY_FIRST
    if seconds:
        return MONTH_FIRST
    raise HistoricImportError(
        [
            f"column {column}: every date (such as '{example}') could be day first "
            f"or month first; give --date-format {DAY_FIRST} or --date-format "
            f"{MONTH_FIRST} to say which"
        ]
    )


def date_parts(text: str, order: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date written in ``order`` (or ISO), or None."""
    cleaned = text.strip()
    iso = ISO_DATE.fullmatch(cleaned)
    if iso is not None:
        return int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
    slashed = SLASHED_DATE.fullmatch(cleaned)
    if slashed is None or order == ISO:
        return None
    first, second, year = (int(part) for part in slashed.group(1, 2, 3))
    if order == MONTH_FIRST:
        return year, first, second
    return year, second, first
