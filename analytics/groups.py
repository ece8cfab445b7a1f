"""Groups of respondents, described by attribute = value constraints.

A group is the whole organisation, a service, a team, a role, or a combination,
always on the roster fields copied to each response.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def team_group(team_id: str, service_id: str, label: str) -> Group:
    """A team, within its service."""
    return Group.of(label, service_id=service_id, team_id=team_id)


def everyone(label: str = "Whole organisation") -> Group:
    """The whole organisation."""
    return Group((), label)
