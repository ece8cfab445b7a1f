"""Checking and parsing answers: what a person sees when an answer does not fit."""

from __future__ import annotations

from typing import Any

import pytest

from survey.errors import AnswerError
from survey.questions.definitions import (
    NOT_APPLICABLE,
    PREFER_NOT_TO_SAY,
    AnswerValue,
    Condition,
    Question,
)


def question(**fields: Any) -> Question:
    """A question with sensible defaults for the fields a test does not care about."""
    return Question.model_validate(
        {"id": "Q1", "text": "A question?", "theme": "workload", **fields}
    )


HOURS = question(id="ACTUAL_HRS", scale="number", min=0, max=80, unit="hours")
COMMENT = question(id="TX01", scale="text", required=False, max_length=20)
STRESS = question(id="WB01", scale="agree5")
SUPERVISION = question(
    id="SV01",
    scale="choice",
    options=[
        {"value": "weekly", "label": "Every week"},
        {"value": "monthly", "label": "Every month"},
        {"value": "never", "label": "I don't get supervision"},
    ],
)
ABOUT = question(
    id="EQ03",
    scale="multi_choice",
    options=["Age", "Disability", "Race or ethnicity", "Sex"],
    prefer_not_to_say=True,
    when={"question": "EQ02", "in": ["yes"]},
)
RECOMMEND = question(id="RT03", scale="zero_to_ten")


# Numbers


@pytest.mark.parametrize(("raw", "expected"), [("45", 45), (" 0 ", 0), (80, 80)])
def test_hours_in_range_are_accepted(raw: AnswerValue, expected: int) -> None:
    assert HOURS.check(raw) == expected


@pytest.mark.parametrize("raw", [81, "-1", "200", "999999"])
def test_hours_out_of_range_name_the_range_and_unit(raw: AnswerValue) -> None:
    with pytest.raises(AnswerError) as caught:
        HOURS.check(raw)
    assert str(caught.value) == "Please give a whole number from 0 to 80 hours."


@pytest.mark.parametrize(
    "raw", ["37.5", "forty", "", "4 0", "--5", "²", "①", "1e3", "1234567", ["40"]]
)
def test_things_that_are_not_whole_numbers_are_refused(raw: AnswerValue) -> None:
    with pytest.raises(AnswerError, match="Please give a whole number, like 3."):
        HOURS.check(raw)


def test_true_is_not_taken_as_one_hour() -> None:
    with pytest.raises(AnswerError, match="whole number"):
        HOURS.check(True)


def test_number_typed_in_another_script_is_read() -> None:
    assert HOURS.parse("٤٠") == 40  # Arabic-Indic digits
    assert HOURS.parse("４０") == 40  # full-width digits from a phone keyboard


def test_number_parse_accepts_not_applicable_only_where_allowed() -> None:
    caseload = question(id="WL08", scale="number", min=0, max=200, not_applicable=True)
    assert caseload.parse("Not applicable") == NOT_APPLICABLE
    with pytest.raises(AnswerError, match="whole number"):
        HOURS.parse("Not applicable")


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), ("10", 10), (9, 9)])
def test_zero_to_ten_accepts_the_scale(raw: AnswerValue, expected: int) -> None:
    assert RECOMMEND.parse(str(raw)) == expected
    assert RECOMMEND.check(raw) == expected


@pytest.mark.parametrize("raw", [11, "-1", "100"])
def test_zero_to_ten_refuses_numbers_off_the_scale(raw: AnswerValue) -> None:
    with pytest.raises(AnswerError, match="Please choose a number from 0 to 10."):
        RECOMMEND.check(raw)


# Free text


def test_text_over_the_limit_says_how_long_it_is() -> None:
    with pytest.raises(AnswerError) as caught:
        COMMENT.check("x" * 21)
    assert str(caught.value) == "Please keep your answer to 20 characters (it is 21)."
    assert COMMENT.check("x" * 20) == "x" * 20


def test_text_limit_defaults_to_a_thousand_characters() -> None:
    plain = question(scale="text")
    assert plain.check("y" * 1000) == "y" * 1000
    with pytest.raises(AnswerError, match="1000 characters"):
        plain.check("y" * 1001)


def test_control_characters_are_stripped() -> None:
    assert COMMENT.check("\x00Too\x07 much\x1b[31m\u200b") == "Too much[31m"


def test_line_breaks_and_tabs_are_kept() -> None:
    assert COMMENT.check("  one\r\ntwo\tthree \n") == "one\ntwo\tthree"


def test_no_break_space_still_separates_words() -> None:
    """Text pasted from Word often has no-break spaces; the words must stay apart."""
    assert COMMENT.check("50\xa0hours\u2028a week") == "50 hours\na week"


def test_emoji_and_accents_survive() -> None:
    assert COMMENT.check("Café 👍 Rhif") == "Café 👍 Rhif"


@pytest.mark.parametrize("raw", ["", "   ", "\n\t", "\x00\x1b"])
def test_empty_text_is_refused(raw: str) -> None:
    with pytest.raises(
        AnswerError, match="Please type an answer, or skip this question."
    ):
        COMMENT.check(raw)


@pytest.mark.parametrize("raw", [12, ["a"]])
def test_text_answer_must_be_text(raw: AnswerValue) -> None:
    with pytest.raises(AnswerError, match="Please type your answer as text."):
        COMMENT.check(raw)


def test_limit_counts_the_cleaned_text() -> None:
    assert COMMENT.check("\x00" * 5 + "x" * 20) == "x" * 20


# Choices


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Strongly agree", "strongly_agree"),
        ("  strongly AGREE ", "strongly_agree"),
        ("strongly_agree", "strongly_agree"),
        ("5", "strongly_agree"),
        ("1", "strongly_disagree"),
        ("neither agree nor disagree", "neither"),
    ],
)
def test_agree_scale_by_label_code_or_position(raw: str, expected: str) -> None:
    assert STRESS.parse(raw) == expected


@pytest.mark.parametrize("raw", ["6", "0", "agreed", "", "yes"])
def test_answers_that_are_not_options_are_refused(raw: str) -> None:
    with pytest.raises(AnswerError, match="Please pick one of the options shown."):
        STRESS.parse(raw)


def test_choice_by_label_code_or_position() -> None:
    assert SUPERVISION.parse("every month") == "monthly"
    assert SUPERVISION.parse("never") == "never"
    assert SUPERVISION.parse("3") == "never"
    assert SUPERVISION.parse("I don't get supervision") == "never"


def test_choice_check_takes_codes_not_labels() -> None:
    assert SUPERVISION.check("weekly") == "weekly"
    with pytest.raises(AnswerError, match="pick one of the options"):
        SUPERVISION.check("Every week")
    with pytest.raises(AnswerError, match="pick one of the options"):
        SUPERVISION.check(["weekly"])


def test_options_written_as_plain_labels_get_stable_codes() -> None:
    codes = [option.value for option in ABOUT.choices(with_special=False)]
    assert codes == ["age", "disability", "race_or_ethnicity", "sex"]


def test_multi_choice_by_label_code_or_position() -> None:
    assert ABOUT.parse("Sex, age") == ["age", "sex"]
    assert ABOUT.parse("race_or_ethnicity; 2") == ["disability", "race_or_ethnicity"]
    assert ABOUT.parse("age, Age, 1") == ["age"]


def test_multi_choice_check_keeps_option_order_and_drops_repeats() -> None:
    assert ABOUT.check(["sex", "age", "sex"]) == ["age", "sex"]
    assert ABOUT.check("disability") == ["disability"]


@pytest.mark.parametrize("raw", ["age, cats", "", " , ", "9"])
def test_multi_choice_refuses_anything_not_shown(raw: str) -> None:
    with pytest.raises(AnswerError, match="Please pick one or more of the options"):
        ABOUT.parse(raw)


def test_multi_choice_refuses_an_empty_list() -> None:
    with pytest.raises(AnswerError, match="pick one or more"):
        ABOUT.check([])


# Prefer not to say and not applicable


def test_prefer_not_to_say_is_offered_only_where_allowed() -> None:
    assert PREFER_NOT_TO_SAY in [option.value for option in ABOUT.choices()]
    assert PREFER_NOT_TO_SAY not in [option.value for option in STRESS.choices()]


def test_prefer_not_to_say_accepted_where_allowed() -> None:
    sensitive = question(id="EQ02", scale="yes_no_unsure", prefer_not_to_say=True)
    assert sensitive.parse("Prefer not to say") == PREFER_NOT_TO_SAY
    assert sensitive.parse("4") == PREFER_NOT_TO_SAY
    assert sensitive.check(PREFER_NOT_TO_SAY) == PREFER_NOT_TO_SAY
    assert ABOUT.parse("prefer not to say") == [PREFER_NOT_TO_SAY]


def test_prefer_not_to_say_refused_where_not_allowed() -> None:
    plain = question(id="EQ02", scale="yes_no_unsure")
    with pytest.raises(AnswerError, match="pick one of the options"):
        plain.parse("Prefer not to say")
    with pytest.raises(AnswerError, match="pick one of the options"):
        plain.check(PREFER_NOT_TO_SAY)
    with pytest.raises(AnswerError, match="whole number"):
        HOURS.check(PREFER_NOT_TO_SAY)
    open_about = question(scale="multi_choice", options=["Age", "Sex"])
    with pytest.raises(AnswerError, match="pick one or more"):
        open_about.check([PREFER_NOT_TO_SAY])


@pytest.mark.parametrize("raw", ["age, prefer not to say", "Prefer not to say, 2"])
def test_prefer_not_to_say_cannot_be_combined(raw: str) -> None:
    with pytest.raises(AnswerError) as caught:
        ABOUT.parse(raw)
    assert str(caught.value) == (
        "'Prefer not to say' or 'Not applicable' cannot be combined with other options."
    )


def test_not_applicable_accepted_where_allowed() -> None:
    asye = question(id="CP06", scale="agree5", not_applicable=True)
    assert asye.parse("not applicable") == NOT_APPLICABLE
    assert asye.parse("6") == NOT_APPLICABLE
    with pytest.raises(AnswerError):
        STRESS.parse("not applicable")


def test_text_question_with_prefer_not_to_say() -> None:
    private = question(scale="text", prefer_not_to_say=True)
    assert private.parse("Prefer not to say") == PREFER_NOT_TO_SAY
    assert COMMENT.parse("Prefer not to say") == "Prefer not to say"


# Conditions


def test_condition_holds_for_a_listed_answer() -> None:
    condition = Condition(question="EQ02", any_of=["yes"])
    assert condition.holds({"EQ02": "yes"})
    assert not condition.holds({"EQ02": "no"})
    assert not condition.holds({"EQ02": PREFER_NOT_TO_SAY})


def test_condition_is_false_when_the_earlier_question_was_not_answered() -> None:
    condition = Condition.model_validate({"question": "EQ02", "in": ["yes"]})
    assert not condition.holds({})
    assert not condition.holds({"EQ01": "yes"})


def test_condition_on_a_multi_choice_holds_if_any_pick_matches() -> None:
    condition = Condition(question="EQ03", any_of=["race_or_ethnicity"])
    assert condition.holds({"EQ03": ["age", "race_or_ethnicity"]})
    assert not condition.holds({"EQ03": ["age", "sex"]})


def test_condition_on_a_zero_to_ten_answer() -> None:
    detractor = Condition(question="RT03", any_of=[str(n) for n in range(7)])
    assert detractor.holds({"RT03": 3})
    assert not detractor.holds({"RT03": 9})


def test_condition_needs_at_least_one_answer() -> None:
    with pytest.raises(ValueError, match="at least 1 item"):
        Condition(question="EQ02", any_of=[])


def test_question_applies_only_when_its_condition_holds() -> None:
    assert ABOUT.applies({"EQ02": "yes"})
    assert not ABOUT.applies({"EQ02": "no"})
    assert not ABOUT.applies({})
    assert STRESS.applies({})


# Favourable answers


def test_favourable_defaults_to_the_top_two_answers() -> None:
    assert STRESS.favourable_codes() == ("agree", "strongly_agree")
    assert RECOMMEND.favourable_codes() == ("9", "10")
    assert question(scale="frequency5").favourable_codes() == ()


def test_negative_statement_sets_its_own_favourable_answers() -> None:
    stressed = question(scale="agree5", favourable=["disagree", "strongly_disagree"])
    assert stressed.favourable_codes() == ("disagree", "strongly_disagree")


@pytest.mark.parametrize("code", ["11", "07", "²", "-1"])
def test_zero_to_ten_favourable_must_be_on_the_scale(code: str) -> None:
    with pytest.raises(ValueError, match=f"favourable option '{code}' is not an"):
        question(scale="zero_to_ten", favourable=[code])
