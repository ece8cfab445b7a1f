"""Text safe to put in a spreadsheet cell: no formula injection (CSV and XLSX)."""

from __future__ import annotations

# A cell starting with one of these is read as a formula (or DDE command) by
# Excel, LibreOffice and Google Sheets; see OWASP "CSV Injection".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    """``text`` with a leading single quote if a spreadsheet would run it.

    Args:
        text: any text from the database or from people (names, comments).

    Returns:
        The text unchanged, or prefixed with ``'`` so it stays plain text.
    """
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_cell(value: object) -> object:
    """A spreadsheet value: strings made safe, numbers and None left alone."""
    if isinstance(value, str):
        return safe_text(value)
    return value
