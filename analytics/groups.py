"""Groups of respondents, described by attribute = value constraints.

A group is the whole organisation, a service, a team, a role, or a combination,
always on the roster fields copied to each response.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

ATTRIBUTES = ("service_id", "team_id", "role", "workforce", "employment_type")


@dataclass(frozen=True, order=True)
class Group:
    """A set of respondents: every constraint must hold. No constraints = everyone.

    A team constraint always carries its service too, so "the team" and "the team
    within its service" are the same group.
    """

    where: tuple[tuple[str, str], ...] = ()
    label: str = field(default="Whole organisation", compare=False)

    @classmethod
    def of(cls, label: str, **constraints: str) -> Group:
        """A group from keyword constraints on the attributes in ``ATTRIBUTES``."""
        for name in constraints:
            if name not in ATTRIBUTES:
                raise ValueError(f"unknown group attribute {name!r}")
        return cls(tuple(sorted(constraints.items())), label)

    def value(self, attribute: str) -> str | None:
        """The constraint on ``attribute``, if any."""
        return dict(self.where).get(attribute)

    def without(self, attribute: str) -> Group:
        """This group with one constraint dropped (its parent along that attribute)."""
        kept = tuple(pair for pair in self.where if pair[0] != attribute)
        if attribute == "service_id":
            kept = tuple(pair for pair in kept if pair[0] != "team_id")
        return Group(kept, label="")

    def with_value(self, attribute: str, value: str, label: str = "") -> Group:
        """This group narrowed (or moved) to ``attribute == value``."""
        kept = dict(self.where)
        kept[attribute] = value
        return Group(tuple(sorted(kept.items())), label)

    def mask(self, frame: pd.DataFrame) -> pd.Series:
        """Which rows of ``frame`` are in this group."""
        selected = pd.Series(True, index=frame.index)
        for attribute, value in self.where:
            selected &= frame[attribute] == value
        return selected

    @property
    def is_everyone(self) -> bool:
        """True for the whole organisation."""
        return not self.where


class GroupIndex:
    """Which rows of a frame are in a group, found from integer codes.

    Each attribute column is factorised once, so finding a group's rows takes a
    few integer comparisons instead of string ones, and each group's rows are
    remembered. The rows are the same as :meth:`Group.mask` selects.
    """

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._columns: dict[str, tuple[np.ndarray, pd.Index, dict[Any, int]]] = {}
        self._masks: dict[Group, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.frame)

    def codes(self, attribute: str) -> tuple[np.ndarray, pd.Index]:
        """Each row's value of ``attribute`` as a code (-1: none), and the values."""
        codes, values, _ = self._column(attribute)
        return codes, values

    def mask(self, group: Group) -> np.ndarray:
        """Which rows are in ``group``, as a boolean array (do not modify it)."""
        if group not in self._masks:
            selected = np.ones(len(self.frame), dtype=bool)
            for attribute, value in group.where:
                codes, _, lookup = self._column(attribute)
                code = lookup.get(value)
                if code is None:
                    selected[:] = False
                else:
                    selected &= codes == code
            self._masks[group] = selected
        return self._masks[group]

    def _column(self, attribute: str) -> tuple[np.ndarray, pd.Index, dict[Any, int]]:
        if attribute not in self._columns:
            codes, values = pd.factorize(self.frame[attribute])
            lookup = {value: code for code, value in enumerate(values)}
            self._columns[attribute] = (codes, pd.Index(values), lookup)
        return self._columns[attribute]


def team_group(team_id: str, service_id: str, label: str) -> Group:
    """A team, within its service."""
    return Group.of(label, service_id=service_id, team_id=team_id)


def everyone(label: str = "Whole organisation") -> Group:
    """The whole organisation."""
    return Group((), label)
