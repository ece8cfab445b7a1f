"""The annual report written out as HTML, XLSX, CSV or DOCX.

Writers only lay out what a :class:`analytics.report.Report` holds, and a Report
holds only figures that passed the suppression gate.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from survey.errors import SurveyError

if TYPE_CHECKING:  # pandas and the report model load only when a report is built
    from analytics.report import Report

FORMATS = ("html", "xlsx", "csv", "docx")


class UnknownFormatError(SurveyError, ValueError):
    """A report format we cannot write."""


def check_format(fmt: str) -> str:
    """The format name, normalised; raises UnknownFormatError naming the choices."""
    name = fmt.strip().lower().lstrip(".")
    if name not in FORMATS:
        raise UnknownFormatError(
            f"Unknown report format '{fmt}'. Choose one of: {', '.join(FORMATS)}."
        )
    return name


def write_report(report: Report, fmt: str, path: Path) -> Path:
    """Write ``report`` to ``path`` in format ``fmt`` (html, xlsx, csv or docx).

    Args:
        report: the assembled, already suppressed report.
        fmt: the file format.
        path: where to write; its folder is created if needed.

    Returns:
        The path written.

    Raises:
        UnknownFormatError: for a format not in ``FORMATS``.
    """
    writer = _writer(check_format(fmt))
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(report, path)
    return path


def _writer(name: str) -> Callable[[Report, Path], None]:
    # Imported here so `check_format` stays cheap (no matplotlib or docx import).
    if name == "html":
        from analytics.writers.html import write_html

        return write_html
    if name == "xlsx":
        from analytics.writers.xlsx import write_xlsx

        return write_xlsx
    if name == "csv":
        from analytics.writers.csv import write_csv

        return write_csv
    from analytics.writers.docx import write_docx

    return write_docx
