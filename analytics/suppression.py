"""Small-group suppression and differencing protection (README anonymity rules 3-6).

This is the one gate every figure passes before it leaves ``analytics/``. Which
groups may be shown at all is decided by :mod:`analytics.disclosure`, once per
campaign over every group any output can show; this module applies those
decisions to a frame of people, and adds one rule per question: a group's
answers to a question are shown only if at least ``min_size`` of it answered.

Decisions depend only on who is in which group, never on which screen asked, so
a figure hidden in one output is hidden in every output. A group no output
publishes (outside the campaign's catalogue) is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.disclosure import (
    BY_SUBTRACTION,
    FEWER_THAN,
    NOT_PUBLISHED,
    decide_frame,
)
from analytics.groups import ATTRIBUTES, Group, GroupIndex

__all__ = ["BY_SUBTRACTION", "FEWER_THAN", "NOT_PUBLISHED", "Policy", "Suppressor"]


@dataclass(frozen=True)
class Policy:
    """An organisation's suppression rules."""

    min_size: int = 5

    def __post_init__(self) -> None:
        if self.min_size < 3:
            raise ValueError("the minimum group size is never below 3")


class Suppressor:
    """Applies the gate's decisions to one frame of people.

    Args:
        frame: one row per person with the group attribute columns.
        policy: the organisation's rules.
        decisions: per catalogue group, why it is hidden (None: shown); by
            default decided over ``frame`` alone.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        policy: Policy,
        decisions: Mapping[Group, str | None] | None = None,
    ) -> None:
        self._index = GroupIndex(frame)
        self._policy = policy
        self._decisions = (
            decisions if decisions is not None else decide_frame(frame, policy.min_size)
        )

    def size(self, group: Group) -> int:
        """How many rows are in ``group`` (for internal checks only)."""
        return int(np.count_nonzero(self._index.mask(group)))

    def reason_hidden(self, group: Group) -> str | None:
        """Why ``group`` must be hidden, or None if it may be shown."""
        return self._decisions.get(group, NOT_PUBLISHED)

    def shown(self, group: Group) -> bool:
        """True if ``group``'s figures may be shown."""
        return self.reason_hidden(group) is None

    def members(self, group: Group) -> np.ndarray:
        """Which rows of the frame are in ``group`` (a boolean array; read only)."""
        return self._index.mask(group)

    def per_question(self, answered: pd.DataFrame) -> QuestionSuppressor:
        """The same decisions, question by question, over who answered each.

        Args:
            answered: one boolean column per question, one row per row of this
                suppressor's frame (in the same order): who answered it.
        """
        return QuestionSuppressor(self, answered, self._policy)


class QuestionSuppressor:
    """Decides, for each question, whether a group's answers to it may be shown.

    A group's answers to a question are hidden when the group is hidden, or when
    fewer than ``min_size`` of it answered that question.
    """

    def __init__(
        self, groups: Suppressor, answered: pd.DataFrame, policy: Policy
    ) -> None:
        self._groups = groups
        self._columns = list(answered.columns)
        self._answered = answered.to_numpy(dtype=bool)
        self._k = policy.min_size
        self._reasons: dict[Group, dict[str, str | None]] = {}

    def reason_hidden(self, group: Group, question_id: str) -> str | None:
        """Why ``group``'s answers to the question must be hidden, or None."""
        return self.reasons(group)[question_id]

    def reasons(self, group: Group) -> dict[str, str | None]:
        """For every question, why ``group``'s answers must be hidden, or None."""
        if group not in self._reasons:
            hidden = self._groups.reason_hidden(group)
            rows = np.flatnonzero(self._groups.members(group))
            counts = np.count_nonzero(self._answered.take(rows, axis=0), axis=0)
            fewer = FEWER_THAN.format(k=self._k)
            self._reasons[group] = {
                name: hidden or (fewer if int(count) < self._k else None)
                for name, count in zip(self._columns, counts.tolist(), strict=True)
            }
        return self._reasons[group]


def check_attribute(attribute: str) -> None:
    """Raise ValueError for an attribute groups cannot be formed on."""
    if attribute not in ATTRIBUTES:
        raise ValueError(f"unknown group attribute {attribute!r}")
