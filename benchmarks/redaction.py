"""Comment redaction: recall and precision for person names and case references.

Evaluation data: benchmarks/fixtures/redaction/, 399 invented staff-style comments
with every person's name, case reference and place marked by hand, written before any
rule was tuned, then split once with a fixed seed into a development half (199) and a
held-out half (200). Rules were tuned on the development half only; the held-out half
is scored here and its individual errors are never printed (``--errors`` works on the
development half alone).

A name counts as caught when every character of it is hidden. Precision counts every
``[name]`` that is not a person as a false alarm; the second precision figure
tolerates places (hiding "Tipton" costs a reader little). The first row of each half
is the name matching before this benchmark existed (roster names only).

Run: .venv/bin/python benchmarks/redaction.py [--errors]
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from analytics.comments.redaction import (  # noqa: E402
    CASE_REF,
    NAME,
    Redaction,
    redactions,
)
from analytics.comments.roster_names import is_everyday_word  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "redaction"
HALVES = ("development", "held_out")
_MARK = re.compile(r"\[\[([PRL]):(.*?)\]\]")


@dataclass(frozen=True)
class Labelled:
    """One comment with its hand-marked spans (kind is P, R or L)."""

    text: str
    spans: tuple[tuple[str, int, int], ...]


def parse(line: str) -> Labelled:
    """Strip the ``[[P:...]]`` marks from a line, remembering where they were."""
    text: list[str] = []
    spans: list[tuple[str, int, int]] = []
    position = 0
    length = 0
    for match in _MARK.finditer(line):
        before = line[position : match.start()]
        text.append(before)
        length += len(before)
        inner = match.group(2)
        spans.append((match.group(1), length, length + len(inner)))
        text.append(inner)
        length += len(inner)
        position = match.end()
    text.append(line[position:])
    return Labelled("".join(text), tuple(spans))


def load(half: str) -> list[Labelled]:
    """The labelled comments of one half."""
    lines = (FIXTURES / f"{half}.txt").read_text(encoding="utf-8").splitlines()
    return [parse(line) for line in lines if line.strip()]


def roster() -> list[str]:
    """The invented roster passed to redaction as known names."""
    lines = (FIXTURES / "roster.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


Redactor = Callable[[str, Sequence[str]], list[Redaction]]


@dataclass
class Score:
    """Counts for one half and one redactor."""

    names: int = 0
    names_caught: int = 0
    name_marks: int = 0
    name_marks_on_people: int = 0
    name_marks_on_places: int = 0
    references: int = 0
    references_caught: int = 0
    reference_marks: int = 0
    reference_marks_right: int = 0
    nameless: int = 0
    nameless_untouched: int = 0

    def row(self, label: str, *, names_only: bool = False) -> str:
        """One printed line of figures."""
        tolerant = self.name_marks_on_people + self.name_marks_on_places
        references = (
            f" | refs: recall {_ratio(self.references_caught, self.references)}"
            f"  precision {_ratio(self.reference_marks_right, self.reference_marks)}"
        )
        return (
            f"  {label:<22} names: recall {_ratio(self.names_caught, self.names)}"
            f"  precision {_ratio(self.name_marks_on_people, self.name_marks)}"
            f" ({_ratio(tolerant, self.name_marks)} places allowed)"
            f" | no-name comments left whole "
            f"{_ratio(self.nameless_untouched, self.nameless)}"
            + ("" if names_only else references)
        )


def _ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f} ({part}/{whole})" if whole else "n/a"


def _covered(start: int, end: int, found: list[Redaction]) -> bool:
    return all(any(r.start <= i < r.end for r in found) for i in range(start, end))


def _overlaps(redaction: Redaction, start: int, end: int) -> bool:
    return redaction.start < end and start < redaction.end


def score(comments: list[Labelled], redactor: Redactor, names: list[str]) -> Score:
    """Count hits, misses and false alarms of ``redactor`` on labelled comments."""
    result = Score()
    for comment in comments:
        found = redactor(comment.text, names)
        people = [(s, e) for kind, s, e in comment.spans if kind == "P"]
        places = [(s, e) for kind, s, e in comment.spans if kind == "L"]
        references = [(s, e) for kind, s, e in comment.spans if kind == "R"]
        result.names += len(people)
        result.names_caught += sum(_covered(s, e, found) for s, e in people)
        result.references += len(references)
        result.references_caught += sum(_covered(s, e, found) for s, e in references)
        for redaction in found:
            if redaction.placeholder == NAME:
                result.name_marks += 1
                if any(_overlaps(redaction, s, e) for s, e in people):
                    result.name_marks_on_people += 1
                elif any(_overlaps(redaction, s, e) for s, e in places):
                    result.name_marks_on_places += 1
            elif redaction.placeholder == CASE_REF:
                result.reference_marks += 1
                if any(_overlaps(redaction, s, e) for s, e in references):
                    result.reference_marks_right += 1
        if not people:
            result.nameless += 1
            untouched = not any(r.placeholder == NAME for r in found)
            result.nameless_untouched += untouched
    return result


def current(text: str, names: Sequence[str]) -> list[Redaction]:
    """The redaction under test."""
    return redactions(text, names=names)


def roster_only(text: str, names: Sequence[str]) -> list[Redaction]:
    """Baseline: the name matching before issue 13, roster names only.

    Full names and distinctive parts in any case; parts that are everyday words only
    after a title; no possessive, accent or hyphen variants; nobody off the roster.
    """
    always: set[str] = set()
    titled: set[str] = set()
    for name in names:
        always.add(r"\s+".join(re.escape(part) for part in name.split()))
        for part in name.split():
            if len(part) > 1:
                (titled if is_everyday_word(part) else always).add(re.escape(part))
    alternatives = [f"(?i:{p})" for p in sorted(always, key=len, reverse=True)]
    alternatives += [
        rf"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+{p}"
        for p in sorted(titled, key=len, reverse=True)
    ]
    pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(alternatives)})(?![\w-])")
    return [Redaction(*match.span(), NAME) for match in pattern.finditer(text)]


def show_errors(comments: list[Labelled], names: list[str]) -> None:
    """Print the development half's misses and false alarms, for tuning."""
    for comment in comments:
        found = current(comment.text, names)
        for kind, start, end in comment.spans:
            if kind in "PR" and not _covered(start, end, found):
                print(f"MISS {kind} {comment.text[start:end]!r}: {comment.text}")
        for redaction in found:
            if not any(
                _overlaps(redaction, s, e)
                for kind, s, e in comment.spans
                if kind != "L"
            ):
                hidden = comment.text[redaction.start : redaction.end]
                print(f"EXTRA {redaction.placeholder} {hidden!r}: {comment.text}")


def main() -> None:
    """Print recall and precision on both halves, or the development errors."""
    names = roster()
    if "--errors" in sys.argv:
        show_errors(load("development"), names)
        return
    for half in HALVES:
        comments = load(half)
        print(f"{half} ({len(comments)} comments)")
        before = score(comments, roster_only, names)
        print(before.row("before: roster only", names_only=True))
        print(score(comments, current, names).row("now"))


if __name__ == "__main__":
    main()
