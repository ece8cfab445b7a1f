"""Questions found by their words as well as their ids; themes by their names."""

from __future__ import annotations

import pytest

from survey.errors import NotFoundError
from survey.questions.bank import load_all
from survey.questions.naming import find_question, theme_key

SOCIAL_WORK = {bank.key: bank for bank in load_all()}["social-worker-health-check"]


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("WL01", "WL01"),
        ("wl01", "WL01"),
        ("workload safely", "WL01"),
        ("I can do my workload safely within my contracted hours.", "WL01"),
        ("supervision cancelled", "SV03"),
    ],
)
def test_a_question_by_its_id_or_its_words(typed: str, found: str) -> None:
    assert find_question(SOCIAL_WORK, typed, where="the health check").id == found


def test_words_in_several_questions_list_them_with_their_ids() -> None:
    with pytest.raises(NotFoundError) as caught:
        find_question(SOCIAL_WORK, "supervision", where="the health check")

    message = str(caught.value)
    assert message.startswith(
        "'supervision' is in more than one question in the health check: "
    )
    # Even though one question starts with the word: a target must not land on
    # a question the person did not mean.
    assert 'SV04 "Supervision gives me time to reflect' in message
    assert 'SV05 "Overall, my supervision is good quality."' in message
    assert message.endswith(". Type more of its words, or its id.")


def test_words_in_no_question_say_how_to_name_one() -> None:
    with pytest.raises(NotFoundError) as caught:
        find_question(SOCIAL_WORK, "parking at the office", where="the health check")

    assert str(caught.value) == (
        "No question in the health check matches 'parking at the office'. Type "
        "some of the words the question asks, or its id."
    )


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("it_systems", "it_systems"),
        ("IT and systems", "it_systems"),
        ("paperwork", "recording_paperwork"),
        ("wellbeing", "stress_wellbeing"),
    ],
)
def test_a_theme_by_its_key_or_readable_name(typed: str, key: str) -> None:
    assert theme_key(typed) == key


def test_a_misspelt_theme_offers_the_closest() -> None:
    with pytest.raises(NotFoundError) as caught:
        theme_key("Supervison")

    assert str(caught.value) == (
        "There is no theme 'Supervison'. Did you mean 'Supervision'?"
    )
