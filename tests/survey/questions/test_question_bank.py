"""The shipped question banks, and the messages a bank author sees for a bad file."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.errors import QuestionBankError
from survey.questions.bank import (
    BANK_DIR,
    TemplateAudience,
    TemplateDefinition,
    TemplateKind,
    load_all,
    load_template,
)
from survey.questions.definitions import NOT_APPLICABLE, PREFER_NOT_TO_SAY, Scale
from survey.questions.themes import STANDARDS, THEMES

Banks = dict[str, TemplateDefinition]

SOCIAL = "social-worker-health-check"
WIDER = "wider-workforce-health-check"
PULSE = "pulse-check"
EVERY_BANK = pytest.mark.parametrize("key", [SOCIAL, WIDER, PULSE])
HEALTH_CHECKS = pytest.mark.parametrize("key", [SOCIAL, WIDER])

HEADER = """\
key: test-bank
version: 1
title: Test bank
kind: pulse
audience: everyone
questions:
"""


@pytest.fixture(scope="module")
def shipped() -> Banks:
    """The banks that ship with the bot, loaded as the bot loads them."""
    return {template.key: template for template in load_all()}


def bank_problems(tmp_path: Path, body: str, *, header: str = HEADER) -> list[str]:
    """Write a bank file and return the problems loading it reports."""
    path = tmp_path / "bank.yaml"
    path.write_text(header + body, encoding="utf-8")
    with pytest.raises(QuestionBankError) as caught:
        load_template(path)
    return caught.value.problems


# The shipped banks


def test_all_shipped_banks_load(shipped: Banks) -> None:
    assert set(shipped) == {SOCIAL, WIDER, PULSE, "briefing-feedback"}


def test_social_worker_bank_covers_all_eight_standards(shipped: Banks) -> None:
    social = shipped[SOCIAL]
    assert social.kind is TemplateKind.HEALTH_CHECK
    assert social.audience is TemplateAudience.SOCIAL_WORKERS
    assert 35 <= len(social.questions) <= 45
    tagged = {question.standard for question in social.questions}
    assert set(STANDARDS) <= tagged


def test_wider_workforce_bank_is_shorter(shipped: Banks) -> None:
    wider, social = shipped[WIDER], shipped[SOCIAL]
    assert wider.kind is TemplateKind.HEALTH_CHECK
    assert wider.audience is TemplateAudience.WIDER_WORKFORCE
    assert 25 <= len(wider.questions) <= 30
    assert len(wider.questions) < len(social.questions)
    assert wider.minutes < social.minutes


def test_pulse_is_a_two_minute_check_for_everyone(shipped: Banks) -> None:
    pulse = shipped[PULSE]
    assert pulse.kind is TemplateKind.PULSE
    assert pulse.audience is TemplateAudience.EVERYONE
    assert 5 <= len(pulse.questions) <= 7
    assert pulse.minutes == 2


@EVERY_BANK
def test_every_theme_is_in_the_taxonomy(shipped: Banks, key: str) -> None:
    assert {question.theme for question in shipped[key].questions} <= set(THEMES)


@EVERY_BANK
def test_every_condition_targets_an_earlier_question(shipped: Banks, key: str) -> None:
    template = shipped[key]
    ids = [question.id for question in template.questions]
    for position, question in enumerate(template.questions):
        if question.when is not None:
            assert question.when.question in ids[:position], question.id
            target = template.question(question.when.question)
            codes = {option.value for option in target.choices()}
            assert set(question.when.any_of) <= codes, question.id


@EVERY_BANK
def test_frequency_questions_say_which_direction_is_good(
    shipped: Banks, key: str
) -> None:
    for question in shipped[key].questions:
        if question.scale is Scale.FREQUENCY5:
            assert question.favourable, question.id


@EVERY_BANK
def test_questions_are_short_enough_to_read_in_seconds(
    shipped: Banks, key: str
) -> None:
    for question in shipped[key].questions:
        assert len(question.text) <= 120, question.id


@EVERY_BANK
def test_free_text_questions_are_optional_and_bounded(shipped: Banks, key: str) -> None:
    texts = [q for q in shipped[key].questions if q.scale is Scale.TEXT]
    assert texts
    for question in texts:
        assert not question.required, question.id
        assert question.max_length is not None, question.id


def test_social_worker_bank_has_two_or_three_free_text_questions(
    shipped: Banks,
) -> None:
    texts = [q for q in shipped[SOCIAL].questions if q.scale is Scale.TEXT]
    assert 2 <= len(texts) <= 3


@EVERY_BANK
def test_stress_counts_disagreeing_as_favourable(shipped: Banks, key: str) -> None:
    assert shipped[key].question("WB01").favourable_codes() == (
        "disagree",
        "strongly_disagree",
    )


@HEALTH_CHECKS
def test_hours_are_asked_as_two_numbers(shipped: Banks, key: str) -> None:
    template = shipped[key]
    for question_id in ("CONTRACT_HRS", "ACTUAL_HRS"):
        question = template.question(question_id)
        assert question.scale is Scale.NUMBER
        assert (question.min, question.max, question.unit) == (0, 80, "hours")
    assert template.question("ACTUAL_HRS").check("45") == 45


def test_caseload_is_a_number_up_to_200(shipped: Banks) -> None:
    caseload = shipped[SOCIAL].question("WL08")
    assert (caseload.scale, caseload.min, caseload.max) == (Scale.NUMBER, 0, 200)
    assert caseload.check(NOT_APPLICABLE) == NOT_APPLICABLE


@HEALTH_CHECKS
def test_discrimination_follow_up_is_asked_only_after_yes(
    shipped: Banks, key: str
) -> None:
    asked = shipped[key].question("EQ02")
    follow_up = shipped[key].question("EQ03")
    assert asked.check(PREFER_NOT_TO_SAY) == PREFER_NOT_TO_SAY
    assert follow_up.scale is Scale.MULTI_CHOICE
    assert follow_up.applies({"EQ02": "yes"})
    for answer in ("no", "not_sure", PREFER_NOT_TO_SAY):
        assert not follow_up.applies({"EQ02": answer})
    assert not follow_up.applies({})
    assert follow_up.parse("Race or ethnicity, Age") == ["age", "race"]
    assert follow_up.parse("prefer not to say") == [PREFER_NOT_TO_SAY]


@HEALTH_CHECKS
def test_leaving_follow_up_is_asked_only_if_unlikely_to_stay(
    shipped: Banks, key: str
) -> None:
    stay = shipped[key].question("RT01")
    where = shipped[key].question("RT02")
    assert stay.scale is Scale.LIKELIHOOD5
    assert where.applies({"RT01": stay.parse("Very unlikely")})
    assert not where.applies({"RT01": stay.parse("likely")})


@HEALTH_CHECKS
def test_recommend_counts_nine_and_ten_as_favourable(shipped: Banks, key: str) -> None:
    recommend = shipped[key].question("RT03")
    assert recommend.scale is Scale.ZERO_TO_TEN
    assert recommend.favourable_codes() == ("9", "10")


def test_practice_educator_question_follows_the_students_question(
    shipped: Banks,
) -> None:
    role = shipped[SOCIAL].question("PE02")
    assert role.applies({"PE01": "yes"})
    assert not role.applies({"PE01": "no"})


def test_questions_shared_between_banks_are_worded_the_same(shipped: Banks) -> None:
    """Same id means the same question, so groups and years can be compared."""
    banks = list(shipped.values())
    compared = 0
    for index, first in enumerate(banks):
        for second in banks[index + 1 :]:
            for question in first.questions:
                try:
                    other = second.question(question.id)
                except KeyError:
                    continue
                compared += 1
                assert (other.text, other.scale, other.theme, other.standard) == (
                    question.text,
                    question.scale,
                    question.theme,
                    question.standard,
                ), question.id
                assert other.favourable_codes() == question.favourable_codes()
    assert compared >= 30


def test_pulse_reuses_health_check_questions(shipped: Banks) -> None:
    for question in shipped[PULSE].questions:
        shipped[SOCIAL].question(question.id)


@EVERY_BANK
def test_stored_definition_rebuilds_the_same_template(shipped: Banks, key: str) -> None:
    stored = shipped[key].model_dump(mode="json", by_alias=True)
    assert TemplateDefinition.model_validate(stored) == shipped[key]


def test_each_bank_file_explains_its_format() -> None:
    for path in BANK_DIR.glob("*.yaml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        comment = "\n".join(line for line in lines[:30] if line.startswith("#"))
        assert lines[0].startswith("#"), path.name
        for topic in ("when", "version", "favourable"):
            assert topic in comment, (path.name, topic)


# Bad files: every message names the file, the question and what is wrong

QUESTION = """\
  - id: {id}
    text: A question?
    scale: agree5
    theme: workload
"""


def test_malformed_yaml_gives_the_line(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + "  - id: [WL02\n    text: Broken\n"
    (problem,) = bank_problems(tmp_path, body)
    assert problem.startswith("bank.yaml (line 12, column")


def test_tab_indentation_gives_the_line(tmp_path: Path) -> None:
    (problem,) = bank_problems(tmp_path, "  - id: WL01\n\ttext: Tabbed?\n")
    assert problem.startswith("bank.yaml (line 8,")
    assert "\\t" in problem or "tab" in problem


def test_unknown_scale(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01").replace("agree5", "stars5")
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: WL01: scale: unknown scale 'stars5'"
    ]


def test_duplicate_question_ids(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + QUESTION.format(id="WL01")
    assert bank_problems(tmp_path, body) == ["bank.yaml: WL01: duplicate question id"]


def test_condition_on_a_missing_question(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + ("    when: {question: WL99, in: [agree]}\n")
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: WL01: condition refers to 'WL99', which is not an earlier question"
    ]


def test_condition_on_a_later_question(tmp_path: Path) -> None:
    body = (
        QUESTION.format(id="WL01")
        + "    when: {question: WL02, in: [agree]}\n"
        + QUESTION.format(id="WL02")
    )
    (problem,) = bank_problems(tmp_path, body)
    assert problem.startswith("bank.yaml: WL01: condition refers to 'WL02'")


def test_condition_value_that_is_not_an_option(tmp_path: Path) -> None:
    body = (
        QUESTION.format(id="WL01")
        + QUESTION.format(id="WL02")
        + "    when: {question: WL01, in: [agree, maybe]}\n"
    )
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: WL02: condition value 'maybe' is not an option of WL01"
    ]


def test_unquoted_yes_in_a_condition_says_to_quote_it(tmp_path: Path) -> None:
    body = (
        "  - {id: PE01, text: Students, scale: yes_no_unsure, theme: workload}\n"
        + QUESTION.format(id="PE02")
        + "    when: {question: PE01, in: [yes]}\n"
    )
    (problem,) = bank_problems(tmp_path, body)
    assert problem.startswith("bank.yaml: PE02: when.in: put this value in quotes")
    assert "YAML reads it as true" in problem


def test_unquoted_numbers_in_favourable_say_to_quote_them(tmp_path: Path) -> None:
    body = (
        "  - {id: RT03, text: Recommend, scale: zero_to_ten, theme: workload,\n"
        "     favourable: [9, 10]}\n"
    )
    problems = bank_problems(tmp_path, body)
    assert problems[0].startswith("bank.yaml: RT03: favourable: put this value in")
    assert "reads it as 9" in problems[0]


def test_number_question_without_bounds(tmp_path: Path) -> None:
    body = "  - {id: ACTUAL_HRS, text: Hours, scale: number, theme: workload}\n"
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: ACTUAL_HRS: a number question needs both min and max"
    ]


def test_number_question_with_min_above_max(tmp_path: Path) -> None:
    body = (
        "  - {id: ACTUAL_HRS, text: Hours, scale: number, theme: workload,\n"
        "     min: 80, max: 0}\n"
    )
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: ACTUAL_HRS: min 80 is above max 0"
    ]


def test_unknown_theme(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01").replace("workload", "parking")
    (problem,) = bank_problems(tmp_path, body)
    assert problem.startswith(
        "bank.yaml: WL01: theme 'parking' is not in the taxonomy (workload, "
    )


def test_standard_outside_one_to_eight(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + "    standard: 9\n"
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: WL01: standard 9 is not one of 1-8"
    ]


def test_options_on_a_fixed_scale(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + "    options: [Often, Rarely]\n"
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: WL01: a agree5 question takes no options of its own"
    ]


def test_unquoted_yes_no_options_say_to_quote_them(tmp_path: Path) -> None:
    body = (
        "  - {id: WL12, text: Admin tasks, scale: choice, theme: workload,\n"
        "     options: [Yes, No, Not sure]}\n"
    )
    assert bank_problems(tmp_path, body) == [
        'bank.yaml: WL12: options: put this value in quotes, like "yes" or "9" '
        "(unquoted, YAML reads it as true)",
        'bank.yaml: WL12: options: put this value in quotes, like "yes" or "9" '
        "(unquoted, YAML reads it as false)",
    ]


def test_choice_with_one_option(tmp_path: Path) -> None:
    body = "  - {id: WL02, text: Pick, scale: choice, theme: workload, options: [A]}\n"
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: WL02: a choice question needs at least two options"
    ]


def test_favourable_answer_that_is_not_an_option(tmp_path: Path) -> None:
    body = QUESTION.format(id="WB01") + "    favourable: [disagre]\n"
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: WB01: favourable option 'disagre' is not an answer option"
    ]


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes((HEADER + QUESTION.format(id="WL01")).encode() + b"# caf\xe9\n")
    with pytest.raises(QuestionBankError) as caught:
        load_template(path)
    assert caught.value.problems == ["latin.yaml: the file is not UTF-8 text"]


def test_file_saved_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "notepad.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + QUESTION.format(id="WL01")).encode())
    assert load_template(path).question("WL01").text == "A question?"


@pytest.mark.parametrize("text", ["- just\n- a list\n", "", "just words\n"])
def test_top_level_that_is_not_a_mapping(tmp_path: Path, text: str) -> None:
    assert bank_problems(tmp_path, text, header="") == [
        "bank.yaml: the top level must be a mapping"
    ]


def test_unknown_question_field(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + "    colour: blue\n"
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: WL01: colour: is not a field a question or template can have"
    ]


def test_unknown_template_field(tmp_path: Path) -> None:
    header = HEADER.replace("kind:", "owner: PSW\nkind:")
    assert bank_problems(tmp_path, QUESTION.format(id="WL01"), header=header) == [
        "bank.yaml: owner: is not a field a question or template can have"
    ]


def test_question_without_an_id_is_named_by_position(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + "  - {text: No id, scale: agree5, theme: x}\n"
    assert bank_problems(tmp_path, body) == [
        "bank.yaml: question 2: id: Field required"
    ]


def test_question_that_is_not_a_mapping(tmp_path: Path) -> None:
    (problem,) = bank_problems(tmp_path, "  - How stressed are you?\n")
    assert problem.startswith("bank.yaml: question 1: a question must be a mapping")


def test_bank_without_questions(tmp_path: Path) -> None:
    assert bank_problems(tmp_path, "  []\n") == [
        "bank.yaml: questions: add at least one question"
    ]


def test_every_problem_in_a_file_is_reported_together(tmp_path: Path) -> None:
    body = (
        QUESTION.format(id="WL01").replace("agree5", "stars5")
        + QUESTION.format(id="WL02").replace("workload", "parking")
        + QUESTION.format(id="WL01")
    )
    problems = bank_problems(tmp_path, body)
    assert problems[0] == "bank.yaml: WL01: duplicate question id"
    assert "bank.yaml: WL01: scale: unknown scale 'stars5'" in problems
    assert any(p.startswith("bank.yaml: WL02: theme 'parking'") for p in problems)
    assert len(problems) == 3


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(QuestionBankError, match="no such file"):
        load_template(tmp_path / "nowhere.yaml")


def test_two_files_with_the_same_key_and_version(tmp_path: Path) -> None:
    for name in ("a-pulse.yaml", "b-pulse.yaml"):
        (tmp_path / name).write_text(HEADER + QUESTION.format(id="WL01"))
    with pytest.raises(QuestionBankError) as caught:
        load_all(tmp_path)
    assert caught.value.problems == [
        "b-pulse.yaml: test-bank version 1 is already defined in a-pulse.yaml; "
        "bump `version` or change `key`"
    ]


def test_a_new_version_of_the_same_key_loads(tmp_path: Path) -> None:
    (tmp_path / "v1.yaml").write_text(HEADER + QUESTION.format(id="WL01"))
    v2 = HEADER.replace("version: 1", "version: 2") + QUESTION.format(id="WL01")
    (tmp_path / "v2.yaml").write_text(v2)
    versions = [template.version for template in load_all(tmp_path)]
    assert versions == [1, 2]


def test_load_all_reports_every_bad_file(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(HEADER + QUESTION.format(id="WL01"))
    (tmp_path / "list.yaml").write_text("- not a bank\n")
    (tmp_path / "theme.yaml").write_text(
        HEADER.replace("test-bank", "other")
        + QUESTION.format(id="WB01").replace("workload", "x")
    )
    with pytest.raises(QuestionBankError) as caught:
        load_all(tmp_path)
    problems = caught.value.problems
    assert problems[0] == "list.yaml: the top level must be a mapping"
    assert problems[1].startswith("theme.yaml: WB01: theme 'x' is not in the taxonomy")
    assert len(problems) == 2


def test_a_bank_saved_as_yml_is_not_left_out(tmp_path: Path) -> None:
    (tmp_path / "pulse.yml").write_text(HEADER + QUESTION.format(id="WL01"))
    assert [template.key for template in load_all(tmp_path)] == ["test-bank"]


# Skipping and who is asked


def test_required_without_a_reason_says_to_give_one(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + "    required: true\n"
    (problem,) = bank_problems(tmp_path, body)
    assert problem.startswith(
        "bank.yaml: WL01: required: give the reason people may not skip it"
    )


def test_required_with_a_reason_is_kept_and_others_may_be_skipped(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bank.yaml"
    path.write_text(
        HEADER
        + QUESTION.format(id="WL01")
        + "    required: {reason: Needed to route the follow-up questions.}\n"
        + QUESTION.format(id="WL02")
        + "    required: false\n"
        + QUESTION.format(id="WL03"),
        encoding="utf-8",
    )
    first, second, third = load_template(path).questions
    assert first.required is not None
    assert first.required.reason == "Needed to route the follow-up questions."
    assert (second.required, third.required) == (None, None)


def test_a_version_stored_before_reasons_keeps_its_required_questions() -> None:
    stored = {
        "key": "old",
        "version": 1,
        "title": "Old bank",
        "kind": "pulse",
        "audience": "everyone",
        "questions": [
            {
                "id": "Q1",
                "text": "Asked?",
                "scale": "agree5",
                "theme": "workload",
                "required": True,
            },
            {
                "id": "Q2",
                "text": "Asked?",
                "scale": "agree5",
                "theme": "workload",
                "required": False,
            },
        ],
    }
    first, second = TemplateDefinition.model_validate(stored).questions
    assert first.required is not None
    assert second.required is None


@EVERY_BANK
def test_no_shipped_question_is_forced_without_a_reason(
    shipped: Banks, key: str
) -> None:
    forced = [q.id for q in shipped[key].questions if q.required is not None]
    assert forced == []


def test_asye_question_is_asked_of_newly_qualified_social_workers_only(
    shipped: Banks,
) -> None:
    question = shipped[SOCIAL].question("CP06")
    assert question.asked_of is not None
    assert question.asked_of.role == ("asye_social_worker",)


def test_asked_of_an_unknown_role_is_named(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + "    asked_of: {role: [wizard]}\n"
    (problem,) = bank_problems(tmp_path, body)
    assert (
        problem
        == "bank.yaml: WL01: asked_of: role 'wizard' is not in the role catalogue"
    )


def test_asked_of_an_unknown_employment_type_is_named(tmp_path: Path) -> None:
    body = QUESTION.format(id="WL01") + "    asked_of: {employment_type: [casual]}\n"
    (problem,) = bank_problems(tmp_path, body)
    assert problem == (
        "bank.yaml: WL01: asked_of: employment_type 'casual' is not one of: "
        "permanent, agency, bank, fixed_term"
    )
