"""An attacker who combines every published figure to single out people.

Written independently of :mod:`analytics.disclosure` (exact rational arithmetic,
no shared code), so the gate is checked against a second implementation.

Model. Each published group figure is a sum over the group's members: answer
figures (counts of each answer, shares and means times counts) over the people
who responded, participation figures (how many responded) over the people
invited. The attacker knows who is in every group (the org chart) and, for
answers, who responded. A set of people whose total is a linear combination of
published sums is *determined*; the attacker reports every determined set of 1
to ``k - 1`` people (made of up to four classes of indistinguishable people),
with the published groups that combine to it. Solving is exact: Gaussian
elimination over the rationals.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Cell:
    """One published group figure.

    Attributes:
        system: which unknowns it sums (for example "answers 2026" or
            "participation 2026"); sums in different systems never combine.
        source: where it was read, for the report ("report csv: Role X").
        members: the people it sums over.
    """

    system: str
    source: str
    members: frozenset[str]


@dataclass(frozen=True)
class Finding:
    """A set of fewer than ``k`` people whose total is determined."""

    system: str
    people: frozenset[str]
    combination: tuple[tuple[Fraction, str], ...]

    def __str__(self) -> str:
        terms = " ".join(
            f"{'+' if c > 0 else ''}{c} x [{source}]" for c, source in self.combination
        )
        return f"{self.system}: {sorted(self.people)} = {terms}"


def attack(cells: Iterable[Cell], k: int) -> list[Finding]:
    """Every determined set of 1 to ``k - 1`` people, per system."""
    by_system: dict[str, dict[frozenset[str], str]] = defaultdict(dict)
    for cell in cells:
        if cell.members:
            by_system[cell.system].setdefault(cell.members, cell.source)
    findings: list[Finding] = []
    for system, published in sorted(by_system.items()):
        findings += _attack_system(system, published, k)
    return findings


def _attack_system(
    system: str, published: dict[frozenset[str], str], k: int
) -> list[Finding]:
    rows = list(published.items())
    people = sorted(set().union(*(members for members, _ in rows)))
    classes: dict[tuple[int, ...], list[str]] = defaultdict(list)
    for person in people:
        signature = tuple(n for n, (members, _) in enumerate(rows) if person in members)
        classes[signature].append(person)
    atoms = list(classes.values())
    matrix = [
        [Fraction(1 if atom[0] in members else 0) for atom in atoms]
        for members, _ in rows
    ]
    basis = _echelon(matrix)
    small = [n for n, atom in enumerate(atoms) if len(atom) < k]
    findings: list[Finding] = []
    for size in range(1, 5):
        for chosen in itertools.combinations(small, size):
            total = sum(len(atoms[n]) for n in chosen)
            if not 1 <= total < k:
                continue
            target = [Fraction(1 if n in chosen else 0) for n in range(len(atoms))]
            combination = _express(basis, target)
            if combination is None:
                continue
            found = frozenset(p for n in chosen for p in atoms[n])
            if any(f.people < found for f in findings):
                continue  # a smaller determined set already explains it
            terms = tuple(
                (coefficient, rows[n][1])
                for n, coefficient in enumerate(combination)
                if coefficient
            )
            findings.append(Finding(system, found, terms))
    return findings


def _echelon(
    matrix: list[list[Fraction]],
) -> list[tuple[int, list[Fraction], list[Fraction]]]:
    """Reduced rows: (pivot column, row, coefficients over the original rows)."""
    basis: list[tuple[int, list[Fraction], list[Fraction]]] = []
    count = len(matrix)
    for index, original in enumerate(matrix):
        row = list(original)
        track = [Fraction(1 if n == index else 0) for n in range(count)]
        for pivot, reduced, coefficients in basis:
            factor = row[pivot]
            if factor:
                row = [a - factor * b for a, b in zip(row, reduced, strict=True)]
                track = [
                    a - factor * b for a, b in zip(track, coefficients, strict=True)
                ]
        found = next((n for n, value in enumerate(row) if value), None)
        if found is None:
            continue
        pivot = found
        scale = row[pivot]
        row = [value / scale for value in row]
        track = [value / scale for value in track]
        for n, (other_pivot, other, other_track) in enumerate(basis):
            factor = other[pivot]
            if factor:
                basis[n] = (
                    other_pivot,
                    [a - factor * b for a, b in zip(other, row, strict=True)],
                    [a - factor * b for a, b in zip(other_track, track, strict=True)],
                )
        basis.append((pivot, row, track))
    return basis


def _express(
    basis: list[tuple[int, list[Fraction], list[Fraction]]], target: list[Fraction]
) -> list[Fraction] | None:
    """Coefficients over the original rows that sum to ``target``, or None."""
    rest = list(target)
    combination: list[Fraction] | None = None
    for pivot, row, track in basis:
        factor = rest[pivot]
        if not factor:
            continue
        rest = [a - factor * b for a, b in zip(rest, row, strict=True)]
        scaled = [factor * value for value in track]
        combination = (
            scaled
            if combination is None
            else [a + b for a, b in zip(combination, scaled, strict=True)]
        )
    if any(rest) or combination is None:
        return None
    return combination
