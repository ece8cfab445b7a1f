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

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from analytics.groups import ATTRIBUTES, Group

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
        frame: one row per respondent (or per answerer of one question) with the
            group attribute columns.
        policy: the organisation's rules.
    """

    def __init__(self, frame: pd.DataFrame, policy: Policy) -> None:
        self._frame = frame
        self._policy = policy
        self._count: Callable[[Group], int] = lru_cache(maxsize=None)(self._count_rows)
        self._breakdowns: dict[tuple[Group, str], frozenset[str]] = {}

    def size(self, group: Group) -> int:
        """How many rows are in ``group`` (for internal checks only)."""
        return self._count(group)

    def reason_hidden(self, group: Group) -> str | None:
        """Why ``group`` must be hidden, or None if it may be shown."""
        k = self._policy.min_size
        if self._count(group) < k:
            return FEWER_THAN.format(k=k)
        for attribute, value in group.where:
            parent = group.without(attribute)
            if value not in self._shown_children(parent, attribute):
                return BY_SUBTRACTION
        return None

    def shown(self, group: Group) -> bool:
        """True if ``group``'s figures may be shown."""
        return self.reason_hidden(group) is None

    def _count_rows(self, group: Group) -> int:
        return int(group.mask(self._frame).sum())

    def _shown_children(self, parent: Group, attribute: str) -> frozenset[str]:
        key = (parent, attribute)
        if key not in self._breakdowns:
            self._breakdowns[key] = self._protect(parent, attribute)
        return self._breakdowns[key]

    def _protect(self, parent: Group, attribute: str) -> frozenset[str]:
        k = self._policy.min_size
        rows = self._frame[parent.mask(self._frame)]
        sizes = rows[attribute].dropna().value_counts()
        total = len(rows)
        shown = {str(value): int(n) for value, n in sizes.items() if n >= k}
        while shown and 0 < total - sum(shown.values()) < k:
            smallest = min(shown, key=lambda value: (shown[value], value))
            del shown[smallest]
        return frozenset(shown)


def check_attribute(attribute: str) -> None:
    """Raise ValueError for an attribute groups cannot be formed on."""
    if attribute not in ATTRIBUTES:
        raise ValueError(f"unknown group attribute {attribute!r}")
