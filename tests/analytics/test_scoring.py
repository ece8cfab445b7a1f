"""What favourable means, said in each question's own answer words."""

from __future__ import annotations

import pytest

from analytics.scoring import favourable_words
from survey.questions.bank import load_all
from survey.questions.definitions import Question


@pytest.mark.parametrize(
    ("given", "means"),
    [
        ({"scale": "agree5"}, "Agree or Strongly agree"),
        (
            {"scale": "agree5", "favourable": ["disagree", "strongly_disagree"]},
            "Disagree or Strongly disagree",
        ),
        ({"scale": "yes_no_unsure", "favourable": ["no"]}, "No"),
        ({"scale": "frequency5", "favourable": ["never", "rarely"]}, "Never or Rarely"),
        ({"scale": "zero_to_ten"}, "9 or 10"),
        ({"scale": "zero_to_ten", "favourable": ["7", "8", "9", "10"]}, "7 to 10"),
        ({"scale": "satisfaction5"}, "Satisfied or Very satisfied"),
        ({"scale": "yes_no_unsure"}, ""),
    ],
)
def test_favourable_is_named_in_the_answers_people_chose_from(
    given: dict[str, object], means: str
) -> None:
    question = Question.model_validate(
        {"id": "Q1", "text": "A question?", "theme": "workload", **given}
    )
    assert favourable_words(question) == means


def test_every_question_with_a_figure_in_the_banks_says_what_favourable_means() -> None:
    for template in load_all():
        for question in template.questions:
            if question.reported_codes():
                assert favourable_words(question), question.id
