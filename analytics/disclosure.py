"""The disclosure gate: which of a campaign's groups may have figures published.

Every output (chat, dashboard, report, export, Slack and Teams) shows figures only
for groups this module allows, decided once per campaign over the whole
*catalogue*: every group any output can show (the organisation, each service,
team, workforce and role, and each service or team crossed with a role).

Each published figure is a sum over a group's members (counts, and counts times
means or shares), so published groups form a linear system. People with the same
values of every published attribute form an *atom*; a group is a union of atoms.
A set of atoms is revealed when its indicator lies in the row space of the
published groups' membership matrix. The rule: no set of atoms holding between 1
and ``min_size - 1`` people may be revealed (see the disclosure-control notes,
section 4). Groups are admitted one at a time in a fixed order of priority (the
organisation, services, teams, workforces, roles, then crossings; larger groups
first); a group is refused when admitting it would reveal such a set. Refusing
only shrinks the row space, so what was safe stays safe.

Arithmetic is exact, modulo a prime: the null space of the membership matrix is
kept as one signature per atom, and a set is revealed exactly when its
signatures sum to zero. Sets of up to four atoms are searched, which is every
possible set when ``min_size`` is 5. Decisions depend only on group membership
and sizes, never on answers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.groups import Group

FEWER_THAN = "fewer than {k} responses"
BY_SUBTRACTION = "hidden so a smaller group cannot be worked out by subtraction"
NOT_PUBLISHED = "not a group shown for this survey"

PUBLISHED = ("service_id", "team_id", "role", "workforce")
PRIME = 2_147_483_647
LARGEST_SET = 4
_MISSING = "\x00none"

Decisions = dict[Group, str | None]


def catalogue(*frames: pd.DataFrame) -> list[Group]:
    """Every group an output may show for a campaign, in order of priority.

    Built from the people in ``frames`` (the audience; for a round imported
    without an invitation list, the respondents). Labels are left empty: a
    group is identified by its constraints alone.
    """
    rows = pd.concat(
        [frame.reindex(columns=list(PUBLISHED)) for frame in frames],
        ignore_index=True,
    ).astype(object)
    rows = rows.where(rows.notna(), None)
    services = sorted({s for s in rows["service_id"] if s is not None})
    teams = sorted(
        {
            (s, t)
            for s, t in zip(rows["service_id"], rows["team_id"], strict=True)
            if s is not None and t is not None
        }
    )
    workforces = sorted({w for w in rows["workforce"] if w is not None})
    roles = sorted({r for r in rows["role"] if r is not None})
    triples = list(zip(rows["service_id"], rows["team_id"], rows["role"], strict=True))
    groups = [Group()]
    groups += [Group.of("", service_id=s) for s in services]
    groups += [Group.of("", service_id=s, team_id=t) for s, t in teams]
    groups += [Group.of("", workforce=w) for w in workforces]
    groups += [Group.of("", role=r) for r in roles]
    groups += [
        Group.of("", service_id=s, role=r)
        for s, r in sorted({(s, r) for s, _, r in triples if s and r})
    ]
    groups += [
        Group.of("", service_id=s, team_id=t, role=r)
        for s, t, r in sorted({(s, t, r) for s, t, r in triples if s and t and r})
    ]
    return groups


@dataclass(frozen=True)
class Gate:
    """One campaign's decisions: per catalogue group, why it is hidden, or None.

    Attributes:
        participation: for invited and responded counts (over the audience).
        answers: for answer figures and respondent counts (over respondents).
    """

    participation: Decisions
    answers: Decisions


def decide(invited: pd.DataFrame, responses: pd.DataFrame, k: int) -> Gate:
    """Decide every catalogue group of a campaign, for both kinds of figure.

    Participation is decided first, over the audience. Answer figures also show
    how many responded, so a group whose participation is refused to protect a
    smaller group is refused for its answers too.
    """
    cells = catalogue(invited, responses) if not invited.empty else catalogue(responses)
    participation: Decisions = {}
    if not invited.empty:
        participation = _decide(
            tuple(cells), _atoms(invited), k, FEWER_THAN.format(k=k), frozenset()
        )
    # Respondents are among the invited, so a group with fewer than k invited has
    # fewer than k responses too; only refusals by subtraction carry over.
    refused = frozenset(g for g, why in participation.items() if why == BY_SUBTRACTION)
    answers = _decide(
        tuple(cells), _atoms(responses), k, FEWER_THAN.format(k=k), refused
    )
    return Gate(participation, answers)


def decide_frame(frame: pd.DataFrame, k: int) -> Decisions:
    """The decisions over one frame of people alone (its own catalogue)."""
    return _decide(
        tuple(catalogue(frame)), _atoms(frame), k, FEWER_THAN.format(k=k), frozenset()
    )


def _atoms(frame: pd.DataFrame) -> tuple[tuple[tuple[str, ...], int], ...]:
    """Each distinct combination of published attributes, with how many people."""
    if frame.empty:
        return ()
    values = frame.reindex(columns=list(PUBLISHED)).astype(object)
    values = values.where(values.notna(), _MISSING)
    counted = values.groupby(list(PUBLISHED), sort=True).size()
    return tuple(
        (tuple(str(part) for part in key), int(size)) for key, size in counted.items()
    )


@functools.lru_cache(maxsize=32)
def _decide(
    cells: tuple[Group, ...],
    atoms: tuple[tuple[tuple[str, ...], int], ...],
    k: int,
    too_few: str,
    refused: frozenset[Group],
) -> Decisions:
    keys = np.array([key for key, _ in atoms], dtype=object).reshape(
        len(atoms), len(PUBLISHED)
    )
    sizes = np.array([size for _, size in atoms], dtype=np.int64)
    members = [_membership(cell, keys) for cell in cells]
    totals = [int(sizes[m].sum()) for m in members]
    decisions: Decisions = {}
    order = sorted(
        range(len(cells)), key=lambda n: (_level(cells[n]), -totals[n], cells[n])
    )
    system = _System(sizes, k)
    for n in order:
        cell = cells[n]
        if totals[n] < k:
            decisions[cell] = too_few
        elif cell in refused:
            decisions[cell] = BY_SUBTRACTION
        elif system.admit(members[n], forced=cell.is_everyone):
            decisions[cell] = None
        else:
            decisions[cell] = BY_SUBTRACTION
    return decisions


def _level(group: Group) -> int:
    """Priority of a kind of group: the organisation first, crossings last."""
    names = {attribute for attribute, _ in group.where}
    if not names:
        return 0
    if names == {"service_id"}:
        return 1
    if names == {"service_id", "team_id"}:
        return 2
    if names == {"workforce"}:
        return 3
    if names == {"role"}:
        return 4
    if "team_id" not in names:
        return 5
    return 6


def _membership(group: Group, keys: np.ndarray) -> np.ndarray:
    """Which atoms make up ``group`` (``keys``: one row of attribute values each)."""
    position = {name: n for n, name in enumerate(PUBLISHED)}
    inside = np.ones(len(keys), dtype=bool)
    for attribute, value in group.where:
        if attribute not in position:
            return np.zeros(len(keys), dtype=bool)
        inside &= keys[:, position[attribute]] == value
    return inside


class _System:
    """The published groups so far, as the null space of their membership matrix.

    ``null`` has one row per atom with people (its signature) and one column per
    dimension of the null space; a set of atoms is determined by the published
    sums exactly when its signatures add up to zero (mod ``PRIME``).

    Publishing a group changes only the signatures with a non-zero entry in the
    pivot column, and empties that column; so only those rows are rewritten,
    the last column takes the emptied one's place, and a refused group is undone
    by putting those rows back. Which column is which does not matter: whether
    a set sums to zero does not depend on the basis of the null space.
    """

    def __init__(self, sizes: np.ndarray, k: int) -> None:
        self._live = np.flatnonzero(sizes > 0)
        self._sizes = sizes[self._live]
        self._k = k
        self._null = np.eye(len(self._live), dtype=np.int64)
        self._width = len(self._live)
        rng = np.random.default_rng(13)
        self._weights = rng.integers(1, PRIME, size=len(self._live), dtype=np.int64)
        self._small = _SmallAtoms(self._sizes, k)

    @property
    def null(self) -> np.ndarray:
        """The signatures: one row per atom with people, one column per dimension."""
        return self._null[:, : self._width]

    def admit(self, members: np.ndarray, *, forced: bool = False) -> bool:
        """Publish a group if no small set becomes determined; True if published."""
        null = self.null
        combined = null[members[self._live]].sum(axis=0) % PRIME
        nonzero = np.flatnonzero(combined)
        if len(nonzero) == 0:
            return True  # already determined by what is published
        pivot, last = int(nonzero[0]), self._width - 1
        scale = combined * pow(int(combined[pivot]), PRIME - 2, PRIME) % PRIME
        touched = np.flatnonzero(null[:, pivot])
        kept = null[touched]
        null[touched] = (kept - kept[:, [pivot]] * scale[None, :]) % PRIME
        null[:, pivot] = null[:, last]  # the pivot column is all zeros now
        self._width -= 1
        if forced or not self._small.revealed(self.null, self._weights):
            return True
        self._width += 1
        null[:, pivot] = 0
        null[touched] = kept
        return False


class _SmallAtoms:
    """The atoms of fewer than ``k`` people, and the pairs of them under ``k``.

    Sizes never change while groups are admitted, so these are worked out once.
    """

    def __init__(self, sizes: np.ndarray, k: int) -> None:
        self.k = k
        self.small = np.flatnonzero(sizes < k)
        self.people = sizes[self.small]
        first, second = np.triu_indices(len(self.small), 1)
        fits = self.people[first] + self.people[second] < k
        self.first, self.second = first[fits], second[fits]

    def revealed(self, null: np.ndarray, weights: np.ndarray) -> tuple[int, ...] | None:
        """A revealed set (positions in ``null``), or None: see :func:`revealed_set`."""
        if len(self.small) == 0:
            return None
        signatures = null[self.small]
        people = self.people
        empty = np.flatnonzero(~signatures.any(axis=1))
        if len(empty):
            return (int(self.small[empty[0]]),)
        # Split each weight in two 16-bit halves so no product or sum overflows.
        high, low = np.divmod(weights[: signatures.shape[1]], 1 << 16)
        hashed = (signatures * high).sum(axis=1) % PRIME
        hashed = ((hashed << 16) + (signatures * low).sum(axis=1)) % PRIME
        first, second = self.first, self.second
        keys = (hashed[first] + hashed[second]) % PRIME
        k = self.k

        def confirmed(atoms: tuple[int, ...]) -> bool:
            if len(set(atoms)) != len(atoms) or sum(int(people[a]) for a in atoms) >= k:
                return False
            return not np.any(signatures[list(atoms)].sum(axis=0) % PRIME)

        found = _search(first, second, keys, hashed, people, k, confirmed)
        return None if found is None else tuple(int(self.small[a]) for a in found)


def revealed_set(
    null: np.ndarray, sizes: np.ndarray, k: int, weights: np.ndarray
) -> tuple[int, ...] | None:
    """A revealed set: up to four atoms of 1 to ``k - 1`` people, summing to 0.

    None when there is no such set. Each signature is hashed to one number (a
    random combination of its entries, mod ``PRIME``); sums of hashes are
    matched in sorted arrays, and every match is confirmed on the full
    signatures.

    Args:
        null: signatures, one row per atom (mod ``PRIME``).
        sizes: people per atom (all at least 1).
        k: the minimum group size.
        weights: one random weight per column of ``null`` (mod ``PRIME``).
    """
    return _SmallAtoms(sizes, k).revealed(null, weights)


def _search(
    first: np.ndarray,
    second: np.ndarray,
    keys: np.ndarray,
    hashed: np.ndarray,
    people: np.ndarray,
    k: int,
    confirmed: Callable[[tuple[int, ...]], bool],
) -> tuple[int, ...] | None:
    """The first confirmed set of two, three or four atoms whose hashes sum to 0.

    Only combinations of fewer than ``k`` people are tried: sets of ``k`` or more
    may be determined, and there are many.
    """
    for zero in np.flatnonzero(keys == 0):
        pair = (int(first[zero]), int(second[zero]))
        if confirmed(pair):
            return pair
    pair_size = people[first] + people[second]
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    candidates: list[tuple[int, ...]] = []
    for c, n in _matches(ordered, order, (PRIME - hashed) % PRIME):
        if pair_size[n] + people[c] < k:
            candidates.append((int(first[n]), int(second[n]), int(c)))
    if LARGEST_SET >= 4:
        left = np.flatnonzero(pair_size <= k - 3)
        for a, m in _matches(ordered, order, (PRIME - keys[left]) % PRIME):
            n = left[a]
            if pair_size[n] + pair_size[m] < k:
                candidates.append(
                    (int(first[n]), int(second[n]), int(first[m]), int(second[m]))
                )
    return next((atoms for atoms in candidates if confirmed(atoms)), None)


def _matches(
    ordered: np.ndarray, order: np.ndarray, wanted: np.ndarray
) -> list[tuple[int, int]]:
    """Every (position in ``wanted``, position of an equal key) pair.

    ``ordered`` is the keys sorted, ``order`` their positions before sorting.
    """
    if len(ordered) == 0 or len(wanted) == 0:
        return []
    low = np.searchsorted(ordered, wanted, side="left")
    high = np.searchsorted(ordered, wanted, side="right")
    return [
        (int(w), int(order[j]))
        for w in np.flatnonzero(high > low)
        for j in range(int(low[w]), int(high[w]))
    ]
