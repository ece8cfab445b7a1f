"""Small-group suppression and differencing protection (DESIGN.md rules 3, 4, 6).

This is the one gate every figure passes before it leaves ``analytics/``.

A group's figures are shown only if

1. it has at least ``min_size`` responses, and
2. for every constraint that defines it, the group survives the breakdown of its
   parent along that attribute: within the parent, small siblings are hidden, and
   then further siblings (smallest first) until what is hidden is either nothing
   or at least ``min_size`` responses. Otherwise "parent minus the shown
   siblings" would reveal a small group by subtraction.

Decisions depend only on the data, never on which screen asked, so a figure hidden
in one output is hidden in every output, and no combination of filters or of
screens can recover it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.groups import ATTRIBUTES, Group, GroupIndex

FEWER_THAN = "fewer than {k} responses"
BY_SUBTRACTION = "hidden so a smaller group cannot be worked out by subtraction"


@dataclass(frozen=True)
class Policy:
    """An organisation's suppression rules."""

    min_size: int = 5

    def __post_init__(self) -> None:
        if self.min_size < 3:
            raise ValueError("the minimum group size is never below 3")


class Suppressor:
    """Decides which groups may be shown, over one frame of respondents.

    Args:
        frame: one row per respondent with the group attribute columns.
        policy: the organisation's rules.
    """

    def __init__(self, frame: pd.DataFrame, policy: Policy) -> None:
        self._index = GroupIndex(frame)
        self._policy = policy
        self._gate = _Gate(self._index, np.ones((len(frame), 1), dtype=bool), policy)

    def size(self, group: Group) -> int:
        """How many rows are in ``group`` (for internal checks only)."""
        return int(self._gate.counts(group)[0])

    def reason_hidden(self, group: Group) -> str | None:
        """Why ``group`` must be hidden, or None if it may be shown."""
        return self._gate.reasons(group)[0]

    def shown(self, group: Group) -> bool:
        """True if ``group``'s figures may be shown."""
        return self.reason_hidden(group) is None

    def members(self, group: Group) -> np.ndarray:
        """Which rows of the frame are in ``group`` (a boolean array; read only)."""
        return self._index.mask(group)

    def per_question(self, answered: pd.DataFrame) -> QuestionSuppressor:
        """The same rules, question by question, over the people who answered each.

        Args:
            answered: one boolean column per question, one row per row of this
                suppressor's frame (in the same order): who answered it.
        """
        return QuestionSuppressor(self._index, answered, self._policy)


class QuestionSuppressor:
    """Decides, for each question, whether a group's answers to it may be shown.

    Each question is judged exactly as a :class:`Suppressor` over only the rows
    that answered it would judge it; all questions are counted at once.
    """

    def __init__(
        self, index: GroupIndex, answered: pd.DataFrame, policy: Policy
    ) -> None:
        self._columns = {name: n for n, name in enumerate(answered.columns)}
        self._gate = _Gate(index, answered.to_numpy(dtype=bool), policy)

    def reason_hidden(self, group: Group, question_id: str) -> str | None:
        """Why ``group``'s answers to the question must be hidden, or None."""
        return self._gate.reasons(group)[self._columns[question_id]]

    def reasons(self, group: Group) -> dict[str, str | None]:
        """For every question, why ``group``'s answers must be hidden, or None."""
        return dict(zip(self._columns, self._gate.reasons(group), strict=True))


class _Gate:
    """The rules applied to several sets of rows of one frame at once.

    ``rows`` has one boolean column per set (the respondents; or the answerers
    of each question); every count is a vector with one entry per set.
    """

    def __init__(self, index: GroupIndex, rows: np.ndarray, policy: Policy) -> None:
        self._index = index
        self._rows = rows
        self._k = policy.min_size
        self._counts: dict[Group, np.ndarray] = {}
        self._reasons: dict[Group, list[str | None]] = {}
        self._breakdowns: dict[tuple[Group, str], dict[str, np.ndarray]] = {}

    def counts(self, group: Group) -> np.ndarray:
        if group not in self._counts:
            members = np.flatnonzero(self._index.mask(group))
            in_group = self._rows.take(members, axis=0)
            self._counts[group] = np.count_nonzero(in_group, axis=0)
        return self._counts[group]

    def reasons(self, group: Group) -> list[str | None]:
        if group not in self._reasons:
            # The breakdowns first: they count this group along with its siblings.
            subtracted = np.zeros(self._rows.shape[1], dtype=bool)
            for attribute, value in group.where:
                shown = self._shown_children(group.without(attribute), attribute)
                allowed = shown.get(value)
                subtracted |= True if allowed is None else ~allowed
            small = self.counts(group) < self._k
            fewer = FEWER_THAN.format(k=self._k)
            self._reasons[group] = [
                fewer if too_few else BY_SUBTRACTION if hidden else None
                for too_few, hidden in zip(
                    small.tolist(), subtracted.tolist(), strict=True
                )
            ]
        return self._reasons[group]

    def _shown_children(self, parent: Group, attribute: str) -> dict[str, np.ndarray]:
        """Per value of ``attribute`` within ``parent``: shown in which sets."""
        key = (parent, attribute)
        if key not in self._breakdowns:
            self._breakdowns[key] = self._protect(parent, attribute)
        return self._breakdowns[key]

    def _protect(self, parent: Group, attribute: str) -> dict[str, np.ndarray]:
        codes, values = self._index.codes(attribute)
        inside = self._index.mask(parent) & (codes >= 0)
        sizes = _sizes_by_code(codes[inside], self._rows[inside], len(values))
        for value, size in zip(values, sizes, strict=True):
            self._counts.setdefault(parent.with_value(attribute, value), size)
        totals = self.counts(parent)
        names = [str(value) for value in values]
        shown = {name: np.zeros(len(totals), dtype=bool) for name in names}
        for column, total in enumerate(totals):
            for name in _shown_names(names, sizes[:, column], int(total), self._k):
                shown[name][column] = True
        return shown


def _sizes_by_code(codes: np.ndarray, rows: np.ndarray, count: int) -> np.ndarray:
    """How many rows of each set (column) have each code: a (codes, sets) array."""
    sets = rows.shape[1]
    cells = (codes[:, None] * sets + np.arange(sets))[rows]
    return np.bincount(cells, minlength=count * sets).reshape(count, sets)


def _shown_names(
    names: Sequence[str], sizes: np.ndarray, total: int, k: int
) -> list[str]:
    """The children shown: big enough, and what is hidden is 0 or at least ``k``."""
    shown = {name: int(n) for name, n in zip(names, sizes, strict=True) if n >= k}
    while shown and 0 < total - sum(shown.values()) < k:
        smallest = min(shown, key=lambda name: (shown[name], name))
        del shown[smallest]
    return list(shown)


def check_attribute(attribute: str) -> None:
    """Raise ValueError for an attribute groups cannot be formed on."""
    if attribute not in ATTRIBUTES:
        raise ValueError(f"unknown group attribute {attribute!r}")
