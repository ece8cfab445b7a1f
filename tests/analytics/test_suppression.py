"""Attacks on the suppression gate: every way to learn about a group smaller than
the minimum must fail."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest
from attacker import Cell, attack
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.disclosure import catalogue
from analytics.groups import Group, everyone, team_group
from analytics.suppression import BY_SUBTRACTION, NOT_PUBLISHED, Policy, Suppressor

K = 5


def _respondents(layout: dict[tuple[str, str, str], int]) -> pd.DataFrame:
    """Rows of respondents: (service, team, role) -> how many."""
    rows = []
    for (service, team, role), count in layout.items():
        rows += [
            {
                "service_id": service,
                "team_id": team,
                "role": role,
                "workforce": "social_work",
                "employment_type": "permanent",
            }
        ] * count
    return pd.DataFrame(rows)


def _shown_total(suppressor: Suppressor, groups: list[Group]) -> int:
    return sum(suppressor.size(g) for g in groups if suppressor.shown(g))


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_groups_of_one_to_four_are_hidden(size: int) -> None:
    frame = _respondents({("S", "small", "sw"): size, ("S", "big", "sw"): 30})
    suppressor = Suppressor(frame, Policy(K))
    small = team_group("small", "S", "Small team")
    assert suppressor.reason_hidden(small) == "fewer than 5 responses"


def test_a_group_of_exactly_the_minimum_is_shown() -> None:
    frame = _respondents({("S", "a", "sw"): 5, ("S", "b", "sw"): 5})
    suppressor = Suppressor(frame, Policy(K))
    assert suppressor.shown(team_group("a", "S", "A"))
    assert suppressor.shown(team_group("b", "S", "B"))


def test_a_team_that_is_its_service_minus_one_person_is_hidden() -> None:
    frame = _respondents(
        {("S", "big", "sw"): 19, ("S", "tiny", "sw"): 1, ("T", "other", "sw"): 20}
    )
    suppressor = Suppressor(frame, Policy(K))
    service = Group.of("S", service_id="S")
    big = team_group("big", "S", "Big")
    assert suppressor.shown(service)
    assert suppressor.reason_hidden(big) == BY_SUBTRACTION
    assert not suppressor.shown(team_group("tiny", "S", "Tiny"))


def test_one_small_sibling_forces_a_second_sibling_to_be_hidden() -> None:
    frame = _respondents(
        {
            ("S", "a", "sw"): 12,
            ("S", "b", "sw"): 9,
            ("S", "c", "sw"): 2,
            ("T", "d", "sw"): 40,
        }
    )
    suppressor = Suppressor(frame, Policy(K))
    teams = [team_group(t, "S", t) for t in "abc"]
    hidden = [t.label for t in teams if not suppressor.shown(t)]
    assert hidden == ["b", "c"], "the smallest visible sibling hides too"
    service_total = suppressor.size(Group.of("S", service_id="S"))
    assert service_total - _shown_total(suppressor, teams) >= K


def test_hidden_siblings_together_are_never_a_small_group() -> None:
    layout = {("S", f"t{n}", "sw"): size for n, size in enumerate([1, 2, 1, 7, 30])}
    frame = _respondents(layout)
    suppressor = Suppressor(frame, Policy(K))
    teams = [team_group(f"t{n}", "S", f"t{n}") for n in range(5)]
    remainder = suppressor.size(Group.of("S", service_id="S")) - _shown_total(
        suppressor, teams
    )
    assert remainder == 0 or remainder >= K


def test_two_overlapping_filters_cannot_isolate_a_small_group() -> None:
    # Team A has 10 social workers and 1 senior; "team A" and "team A, social
    # workers" would reveal the senior by subtraction.
    frame = _respondents(
        {
            ("S", "A", "sw"): 10,
            ("S", "A", "senior"): 1,
            ("S", "B", "sw"): 10,
            ("S", "B", "senior"): 8,
        }
    )
    suppressor = Suppressor(frame, Policy(K))
    team_a = team_group("A", "S", "A")
    team_a_sw = Group.of("A sw", service_id="S", team_id="A", role="sw")
    assert suppressor.shown(team_a)
    assert not suppressor.shown(team_a_sw)
    # and every pair of shown nested groups differs by 0 or at least K
    candidates = [
        everyone(),
        Group.of("S", service_id="S"),
        team_a,
        team_a_sw,
        Group.of("sw", role="sw"),
        Group.of("S sw", service_id="S", role="sw"),
        team_group("B", "S", "B"),
        Group.of("B sw", service_id="S", team_id="B", role="sw"),
        Group.of("B senior", service_id="S", team_id="B", role="senior"),
    ]
    shown = [g for g in candidates if suppressor.shown(g)]
    for outer, inner in itertools.permutations(shown, 2):
        if set(outer.where) <= set(inner.where):
            difference = suppressor.size(outer) - suppressor.size(inner)
            assert difference == 0 or difference >= K, (outer.label, inner.label)


def test_decisions_do_not_depend_on_the_order_of_questions_asked() -> None:
    frame = _respondents(
        {("S", "a", "sw"): 12, ("S", "b", "sw"): 9, ("S", "c", "sw"): 2}
    )
    first = Suppressor(frame, Policy(K))
    second = Suppressor(frame, Policy(K))
    teams = [team_group(t, "S", t) for t in "abc"]
    forwards = {t.label: first.shown(t) for t in teams}
    backwards = {t.label: second.shown(t) for t in reversed(teams)}
    assert forwards == backwards == {"a": True, "b": False, "c": False}


def test_the_minimum_is_never_below_three() -> None:
    with pytest.raises(ValueError, match="never below 3"):
        Policy(2)


def test_a_role_and_a_team_cannot_both_show_when_they_differ_by_one() -> None:
    # Issue 13: "Occupational therapist" (6) minus "OT Team" (5) is one person.
    frame = _respondents(
        {
            ("A", "adults", "ot"): 1,
            ("A", "adults", "sw"): 6,
            ("A", "ot_team", "ot"): 5,
        }
    )
    suppressor = Suppressor(frame, Policy(K))
    role = Group.of("OT", role="ot")
    team = team_group("ot_team", "A", "OT Team")
    assert not (suppressor.shown(role) and suppressor.shown(team))
    assert suppressor.shown(everyone())


def test_a_role_a_service_and_their_crossing_cannot_single_out_one_person() -> None:
    # Issue 13: senior (7), Children (12) and Children x social worker (6).
    frame = _respondents(
        {
            ("C", "c1", "sw"): 6,
            ("C", "c1", "senior"): 6,
            ("A", "a1", "senior"): 1,
            ("A", "a1", "sw"): 6,
        }
    )
    suppressor = Suppressor(frame, Policy(K))
    cells = [
        Group.of("senior", role="senior"),
        Group.of("C", service_id="C"),
        Group.of("C sw", service_id="C", role="sw"),
    ]
    assert not all(suppressor.shown(cell) for cell in cells)


def test_a_group_no_output_offers_is_refused() -> None:
    frame = _respondents({("S", "a", "sw"): 10, ("S", "b", "sw"): 10})
    suppressor = Suppressor(frame, Policy(K))
    stranger = Group.of("nobody", role="astronaut")
    assert suppressor.reason_hidden(stranger) == NOT_PUBLISHED


# Blocks of people sharing team and role: single-role teams, one-person roles.
PEOPLE = st.lists(
    st.tuples(
        st.sampled_from([("S", "a"), ("S", "b"), ("T", "c"), ("T", "d"), ("U", "e")]),
        st.sampled_from(["sw", "senior", "ot", "manager"]),
        st.integers(min_value=1, max_value=7),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(people=PEOPLE)
def test_no_set_of_fewer_than_the_minimum_is_determined_by_shown_groups(
    people: list[tuple[tuple[str, str], str, int]],
) -> None:
    layout: dict[tuple[str, str, str], int] = {}
    for (service, team), role, count in people:
        layout[(service, team, role)] = layout.get((service, team, role), 0) + count
    frame = _respondents(layout)
    suppressor = Suppressor(frame, Policy(K))
    names = [f"p{n}" for n in range(len(frame))]
    cells = [
        Cell(
            "answers",
            str(group.where),
            frozenset(
                n for n, inside in zip(names, group.mask(frame), strict=True) if inside
            ),
        )
        for group in catalogue(frame)
        if suppressor.shown(group)
    ]
    findings = attack(cells, K)
    assert not findings, "\n".join(map(str, findings))
