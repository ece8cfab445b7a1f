"""Participation tallies keep no group smaller than the minimum (merged upward)."""

from __future__ import annotations

import uuid
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from survey.retention.tallies import Key, merged_groups, merged_statuses

SERVICES = [uuid.UUID(int=n) for n in range(1, 3)]
TEAMS = [uuid.UUID(int=n) for n in range(10, 15)]
ROLES = ["social_worker", "senior_social_worker", "occupational_therapist"]
KINDS = ["permanent", "agency"]


def _covers(group: Key, person: Key) -> bool:
    return all(g is None or g == p for g, p in zip(group, person, strict=True))


def test_the_single_occupational_therapist_is_merged_into_the_team() -> None:
    adults, ot = SERVICES
    team_a, team_ot = TEAMS[:2]
    people: list[Key] = [(adults, team_a, "social_worker", "permanent")] * 6
    people += [(adults, team_a, "occupational_therapist", "permanent")]
    people += [(ot, team_ot, "occupational_therapist", "permanent")] * 5

    groups = merged_groups(people, minimum=5)

    # Team A's one OT and the team's six social workers become one team row:
    # a role row of 6 beside a team row of 1 would be the therapist.
    assert groups == {
        (adults, team_a, None, None): 7,
        (ot, team_ot, "occupational_therapist", "permanent"): 5,
    }


def test_statuses_share_the_groups_chosen_from_everyone_invited() -> None:
    service, team = SERVICES[0], TEAMS[0]
    people = [((service, team, "social_worker", "permanent"), "completed")] * 5
    people += [((service, team, "social_worker", "agency"), "invited")]

    counted = merged_statuses(people, minimum=5)

    assert counted == {
        ((service, team, "social_worker", None), "completed"): 5,
        ((service, team, "social_worker", None), "invited"): 1,
    }


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(SERVICES),
            st.sampled_from(TEAMS),
            st.sampled_from(ROLES),
            st.sampled_from(KINDS),
        ),
        max_size=40,
    ),
    st.integers(min_value=3, max_value=7),
)
def test_every_group_meets_the_minimum_and_holds_its_own_people(
    people: list[Key], minimum: int
) -> None:
    groups = merged_groups(people, minimum=minimum)

    assert sum(groups.values()) == len(people)
    if len(people) >= minimum:
        assert min(groups.values(), default=minimum) >= minimum
    else:
        assert set(groups) <= {(None, None, None, None)}
    # Each person is in exactly one group that covers them, and the groups that
    # cover anyone add up to what they should: no published group minus the
    # others leaves fewer than the minimum.
    placed = merged_statuses([(key, "invited") for key in people], minimum=minimum)
    assert Counter({key: n for (key, _), n in placed.items()}) == groups
    for (group, _), _n in placed.items():
        assert any(_covers(group, person) for person in people)
    # Merging again changes nothing (a second purge, or the migration).
    again = merged_statuses(list(placed.elements()), minimum=minimum)
    assert again == placed
