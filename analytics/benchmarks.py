"""Comparison figures for the report: published national figures and a council's own.

``national_benchmarks.csv`` (shipped) holds published national figures, each with
its population, year and source (from the DfE workforce census, Skills for Care,
the DfE longitudinal study, BASW and Social Work England). A council may add its
own comparison file of aggregates, a regional group's for example, in the same
columns. A figure is put beside a question only where its ``question`` wording is
the question's own (case, spaces and punctuation aside); every other figure is
listed on its own as context, never as like for like.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from analytics.report import Benchmark
from survey.errors import SurveyError
from survey.questions.bank import TemplateDefinition

NATIONAL = Path(__file__).with_name("national_benchmarks.csv")
COLUMNS = ("measure", "question", "value", "population", "year", "source")
_NOT_WORDS = re.compile(r"[^a-z0-9]+")


class ComparisonFileError(SurveyError):
    """A comparison file that cannot be read as given."""


def wording_key(text: str) -> str:
    """Question wording compared without case, spaces or punctuation."""
    return _NOT_WORDS.sub(" ", text.casefold().replace("\u2019", "'")).strip()


def comparison_figures(
    definition: TemplateDefinition, *, council_file: Path | None = None
) -> tuple[Benchmark, ...]:
    """The national figures for this template, then the council's, matched by wording.

    Raises:
        ComparisonFileError: the council's file is missing, not UTF-8, or lacks
            a column; every problem line is named.
    """
    by_wording = {wording_key(q.text): q.id for q in definition.questions}
    rows = [
        row
        for row in _rows(NATIONAL.read_text("utf-8"), NATIONAL.name)
        if not row.get("templates") or definition.key in row["templates"].split(";")
    ]
    if council_file is not None:
        rows += _rows(_read(council_file), council_file.name)
    return tuple(
        Benchmark(
            measure=row["measure"],
            value=row["value"],
            population=row["population"],
            source=row["source"],
            year=row["year"],
            question_id=by_wording.get(wording_key(row.get("question") or "")),
        )
        for row in rows
    )


def _read(path: Path) -> str:
    try:
        return path.read_bytes().removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except FileNotFoundError:
        raise ComparisonFileError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise ComparisonFileError(
            f"{path.name}: the file is not saved as UTF-8"
        ) from None


def _rows(text: str, name: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise ComparisonFileError(
            f"{name}: the first line must name the columns {', '.join(COLUMNS)} "
            f"(missing {', '.join(missing)})"
        )
    rows = []
    for line, row in enumerate(reader, start=2):
        cleaned = {key: (value or "").strip() for key, value in row.items() if key}
        if not any(cleaned.values()):
            continue
        empty = [c for c in ("measure", "value", "source") if not cleaned.get(c)]
        if empty:
            raise ComparisonFileError(f"{name}: line {line}: give {', '.join(empty)}")
        rows.append(cleaned)
    return rows
