"""The problems found in an export file, merged and listed by row and column."""

from __future__ import annotations

MAX_PROBLEMS = 100

ROWS_LISTED = 10


class ImportProblems:
    """Problems found so far, by row and column; identical ones are merged.

    Row 0 is the whole file. The same message in the same column on many rows
    is reported once, naming the rows, so one misspelt team does not bury every
    other problem.
    """

    def __init__(self) -> None:
        self._found: dict[tuple[str | None, str], list[int]] = {}

    def add(self, row: int, message: str, *, column: str | None = None) -> None:
        """Record a problem with a row (0 for the file), optionally in a column."""
        self._found.setdefault((column, message), []).append(row)

    def __bool__(self) -> bool:
        return bool(self._found)

    def messages(self) -> list[str]:
        """Return the problems in row order, at most ``MAX_PROBLEMS`` of them."""
        ordered = sorted(self._found.items(), key=lambda item: min(item[1]))
        lines = [_where(rows, column) + text for (column, text), rows in ordered]
        if len(lines) > MAX_PROBLEMS:
            more = len(lines) - MAX_PROBLEMS
            lines = [*lines[:MAX_PROBLEMS], f"... and {more} more problems"]
        return lines


def _where(rows: list[int], column: str | None) -> str:
    numbers = sorted(set(rows) - {0})
    parts = []
    if numbers:
        spans = _spans(numbers)
        listed = ", ".join(spans[:ROWS_LISTED])
        if len(spans) > ROWS_LISTED:
            more = sum(_span_size(span) for span in spans[ROWS_LISTED:])
            listed += f" and {more} more"
        parts.append(f"{'row' if len(numbers) == 1 else 'rows'} {listed}")
    if column is not None:
        parts.append(f"column {column}")
    return ", ".join(parts) + ": " if parts else ""


def _spans(numbers: list[int]) -> list[str]:
    """Row numbers with runs of three or more joined: [2, 3, 4, 7, 8] -> 2-4, 7, 8."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    listed: list[str] = []
    for first, last in spans:
        if last - first >= 2:
            listed.append(f"{first}-{last}")
        else:
            listed += [str(number) for number in range(first, last + 1)]
    return listed


def _span_size(span: str) -> int:
    first, _, last = span.partition("-")
    return int(last or first) - int(first) + 1
