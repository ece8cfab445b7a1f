"""Finding the one name a person meant: whole, partial, several, or the closest."""

from __future__ import annotations

import pytest

from survey.matching import Match, did_you_mean, match_name

TEAMS = ["Child Protection", "Children in Care", "Children's", "Front Door", "Adults"]


@pytest.mark.parametrize(
    ("typed", "found", "exact"),
    [
        ("Child Protection", "Child Protection", True),
        ("child protection", "Child Protection", True),
        ('"CHILD PROTECTION"', "Child Protection", True),
        ("childrens", "Children's", True),
        ("child prot", "Child Protection", False),
        ("protection", "Child Protection", False),
        ("front", "Front Door", False),
        ("in care", "Children in Care", False),
    ],
)
def test_a_whole_or_unique_partial_name_is_found(
    typed: str, found: str, exact: bool
) -> None:
    assert match_name(typed, TEAMS) == Match(found=found, exact=exact)


def test_a_partial_name_that_fits_several_lists_them() -> None:
    match = match_name("child", TEAMS)

    assert match.found is None
    assert match.candidates == ("Child Protection", "Children in Care", "Children's")
    assert did_you_mean(match) == (
        " It could be 'Child Protection', 'Children in Care' or 'Children's'. "
        "Which one?"
    )


def test_a_misspelt_name_offers_the_closest() -> None:
    match = match_name("Chlid Protection", TEAMS)

    assert (match.found, match.closest) == (None, "Child Protection")
    assert did_you_mean(match) == " Did you mean 'Child Protection'?"


def test_nothing_near_offers_nothing() -> None:
    match = match_name("Xylophone", TEAMS)

    assert match == Match()
    assert did_you_mean(match) == ""


def test_a_long_list_of_candidates_is_cut_short() -> None:
    names = [f"Team {letter}" for letter in "ABCDEFG"]

    assert did_you_mean(match_name("team", names)) == (
        " It could be 'Team A', 'Team B', 'Team C', 'Team D', 'Team E' or 2 more. "
        "Which one?"
    )
