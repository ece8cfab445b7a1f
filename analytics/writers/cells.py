"""The neutral table model every writer renders: cells that know if they are hidden.

A writer never decides what a figure says; it only lays out these cells. A hidden
cell has no number in it at all, only the reason, so no format can leak one.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.model import NOTHING_TO_SHOW, Change, StandardScore
from analytics.writers.text import (
    HIDDEN,
    NOT_APPLICABLE,
    change_text,
    hidden_label,
    number,
    percent,
    score,
)

Value = float | int | str


@dataclass(frozen=True)
class Cell:
    """One table cell.

    Attributes:
        text: what prose formats (HTML, DOCX) show.
        value: what a spreadsheet stores (a number where there is one); None means
            the text itself.
        hidden: the reason, when the figure is hidden.
        tone: a band or RAG name ("low", "amber" ...) for styling; the text always
            says the same in words.
        arrow: a change arrow shown before the text.
    """

    text: str
    value: Value | None = None
    hidden: str | None = None
    tone: str | None = None
    arrow: str = ""

    @property
    def sheet_value(self) -> Value:
        """The spreadsheet value: "hidden" for a hidden cell, never a number."""
        if self.hidden is not None:
            return HIDDEN
        return self.text if self.value is None else self.value

    @property
    def prose(self) -> str:
        """The cell as words, arrow included."""
        if self.hidden is not None:
            return hidden_label(self.hidden)
        return f"{self.arrow} {self.text}".strip()


@dataclass(frozen=True)
class Row:
    """A table row: a label, its cells, and the reason if the whole row is hidden."""

    label: str
    cells: tuple[Cell, ...]
    hidden: str | None = None


@dataclass(frozen=True)
class Table:
    """A captioned table; ``columns`` includes the row-label column."""

    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = ()

    @property
    def reasons(self) -> bool:
        """True if any row or cell is hidden (spreadsheets add a reason column)."""
        return any(
            row.hidden is not None or any(c.hidden is not None for c in row.cells)
            for row in self.rows
        )


def hidden_cell(reason: str) -> Cell:
    """A figure that must not be shown, or that does not exist (not asked ...)."""
    if reason in NOTHING_TO_SHOW:
        return Cell(reason)
    return Cell(HIDDEN, hidden=reason)


def hidden_row(label: str, reason: str, width: int) -> Row:
    """A whole row hidden: every cell says hidden."""
    cells = tuple(hidden_cell(reason) for _ in range(width))
    if reason in NOTHING_TO_SHOW:
        return Row(label, cells[:1] + tuple(not_applicable() for _ in cells[1:]))
    return Row(label, cells, hidden=reason)


def not_applicable() -> Cell:
    """Nothing to show because the measure does not apply (not because of hiding)."""
    return Cell(NOT_APPLICABLE)


def text_cell(text: str) -> Cell:
    """Plain words."""
    return Cell(text)


def count_cell(value: int) -> Cell:
    """A whole-number count."""
    return Cell(str(value), value)


def percent_cell(value: float, decimals: int = 0, measure: str = "") -> Cell:
    """A percentage: whole number (or ``decimals``) in prose, one in spreadsheets.

    ``measure`` names a share that is not % favourable ("plan to leave").
    """
    shown = percent(value, decimals)
    return Cell(f"{shown} {measure}" if measure else shown, round(value, 1))


def number_cell(value: float) -> Cell:
    """A mean or similar, to one decimal."""
    return Cell(number(value), round(value, 1))


def change_cell(change: Change | None) -> Cell:
    """Points of change with an arrow, or n/a with nothing to compare."""
    if change is None:
        return not_applicable()
    return Cell(change_text(change), round(change.points, 1), arrow=change.arrow)


def score_cell(standard: StandardScore, *, with_band: bool = True) -> Cell:
    """A standard's score, with its band in words (and as the tone)."""
    if standard.score is None:
        return hidden_cell(standard.hidden or HIDDEN)
    shown = score(standard.score)
    text = f"{shown} {standard.band}" if with_band and standard.band else shown
    return Cell(text, round(standard.score, 1), tone=standard.band)


def rag_cell(rag: str | None) -> Cell:
    """Red, Amber or Green in words, coloured by tone."""
    if rag is None:
        return not_applicable()
    return Cell(rag.capitalize(), tone=rag)


def runs(row: Row) -> list[tuple[Cell, int]]:
    """The row's cells with neighbouring hidden cells (same reason) merged.

    Prose formats show one "hidden (reason)" across the run instead of repeating
    it in every column.
    """
    merged: list[tuple[Cell, int]] = []
    for cell in row.cells:
        if merged and cell.hidden is not None and merged[-1][0].hidden == cell.hidden:
            merged[-1] = (merged[-1][0], merged[-1][1] + 1)
        else:
            merged.append((cell, 1))
    return merged
