"""One checked person from a roster file, and the problems found in the file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

MAX_PROBLEMS = 100


@dataclass(frozen=True)
class RosterRow:
    """One checked person from the roster file.

    Attributes:
        row: The spreadsheet row number (the first person is row 2).
        email: Lowercased; the main way people are matched between imports.
        team: The team's name as the organisation spells it.
        manager_of: Names of the teams this person manages.
        access: ``staff``, ``manager`` or ``psw``, worked out by ``access_for``.

    """

    row: int
    name: str
    email: str
    slack_id: str | None
    teams_id: str | None
    team: str
    service: str
    role: str
    employment_type: str
    access: str
    manager_of: tuple[str, ...] = ()


@dataclass
class RosterProblems:
    """Problems found so far, each with the row it belongs to (0 for the file)."""

    found: list[tuple[int, str]] = field(default_factory=list)

    def add(self, rows: int | Iterable[int], message: str) -> None:
        """Record a problem with one row, several rows, or (row 0) the whole file."""
        numbers = [rows] if isinstance(rows, int) else sorted(rows)
        if numbers == [0]:
            self.found.append((0, message))
            return
        where = "row" if len(numbers) == 1 else "rows"
        listed = ", ".join(str(number) for number in numbers)
        self.found.append((numbers[0], f"{where} {listed}: {message}"))

    def messages(self) -> list[str]:
        """Return the problems in row order, at most ``MAX_PROBLEMS`` of them."""
        ordered = [message for _, message in sorted(self.found, key=lambda p: p[0])]
        if len(ordered) > MAX_PROBLEMS:
            more = len(ordered) - MAX_PROBLEMS
            ordered = [*ordered[:MAX_PROBLEMS], f"... and {more} more problems"]
        return ordered
