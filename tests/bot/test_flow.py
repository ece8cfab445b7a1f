"""The survey flow state machine, driven purely: no database, no server."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from builders import SMALL_TEMPLATE

from bot.conversation import text
from bot.conversation.flow import (
    REVIEW,
    AllAtOnce,
    Answer,
    AnswerAll,
    Back,
    Edit,
    Effect,
    Event,
    FlowContext,
    FlowState,
    Outcome,
    Pause,
    Resume,
    Skip,
    Start,
    Submit,
    answer_label,
    applicable,
    step,
)
from bot.conversation.messages import (
    InputKind,
    Message,
    Notice,
    Prompt,
    QuestionSheet,
    Review,
)
from survey.questions.bank import TemplateDefinition, load_all, parse_template
from survey.questions.definitions import AnswerValue

CAMPAIGN_ID = uuid.UUID("00000000-0000-4000-8000-000000000001")
SMALL = parse_template(SMALL_TEMPLATE, source="test")
BANKS = {definition.key: definition for definition in load_all()}

# Answers up to (not including) each question of the small template.
BEFORE: dict[str, dict[str, AnswerValue | None]] = {
    "Q1": {},
    "HOURS": {"Q1": "agree"},
    "BULLIED": {"Q1": "agree", "HOURS": 4},
    "WHO": {"Q1": "agree", "HOURS": 4, "BULLIED": "yes"},
    "NPS": {"Q1": "agree", "HOURS": 4, "BULLIED": "no"},
    "TX1": {"Q1": "agree", "HOURS": 4, "BULLIED": "no", "NPS": 8},
}
COMPLETE: dict[str, AnswerValue | None] = {
    "Q1": "agree",
    "HOURS": 4,
    "BULLIED": "yes",
    "WHO": ["manager", "public"],
    "NPS": 8,
    "TX1": "More staff.",
}


def context_of(definition: TemplateDefinition = SMALL) -> FlowContext:
    return FlowContext(
        campaign_id=CAMPAIGN_ID, campaign_name="Small check", definition=definition
    )


SMALL_CONTEXT = context_of()


def at(
    question_id: str, answers: dict[str, AnswerValue | None] | None = None
) -> FlowState:
    """A person on ``question_id`` with the usual answers before it."""
    given = BEFORE[question_id] if answers is None else answers
    return FlowState(answers=dict(given), current=question_id)


def at_review(**changes: AnswerValue | None) -> FlowState:
    return FlowState(answers={**COMPLETE, **changes}, current=REVIEW)


def run(
    state: FlowState, *events: Event, context: FlowContext = SMALL_CONTEXT
) -> Outcome:
    """Apply events in order, as a person tapping through would."""
    outcome = Outcome(state, ())
    for event in events:
        outcome = step(context, outcome.state, event)
    return outcome


def screen(outcome: Outcome) -> Message:
    """What is on screen after a step: its last message."""
    assert outcome.messages, "expected something on screen"
    return outcome.messages[-1]


def prompt(outcome: Outcome) -> Prompt:
    shown = screen(outcome)
    assert isinstance(shown, Prompt), f"expected a question, got {shown!r}"
    return shown


def review(outcome: Outcome) -> Review:
    shown = screen(outcome)
    assert isinstance(shown, Review), f"expected the review, got {shown!r}"
    return shown


def notices(outcome: Outcome) -> list[str]:
    return [message.text for message in outcome.messages if isinstance(message, Notice)]


# Starting


def test_start_shows_the_first_question_with_progress_and_controls() -> None:
    outcome = step(SMALL_CONTEXT, FlowState(), Start())

    shown = prompt(outcome)
    assert shown.question_id == "Q1"
    assert shown.text == "My workload is manageable."
    assert shown.campaign_name == "Small check"
    assert shown.campaign_id == CAMPAIGN_ID
    # WHO is only asked after "yes" to BULLIED, so it is not counted yet.
    assert shown.progress.label == "1 of 5"
    # Not marked required in the bank, so it may be skipped like any question.
    assert (shown.controls.back, shown.controls.skip, shown.controls.pause) == (
        False,
        True,
        True,
    )
    assert shown.kind == InputKind.CHOICE
    assert [choice.label for choice in shown.choices] == [
        "Strongly disagree",
        "Disagree",
        "Neither agree nor disagree",
        "Agree",
        "Strongly agree",
    ]
    assert shown.current is None
    assert shown.problem is None
    assert notices(outcome) == []  # no "welcome back" for a first start
    assert outcome.state.current == "Q1"
    assert outcome.effect == Effect.SAVE  # where they are must be remembered


@pytest.mark.parametrize("question_id", list(BEFORE))
def test_every_question_offers_back_after_the_first_skip_only_if_optional(
    question_id: str,
) -> None:
    shown = prompt(step(SMALL_CONTEXT, at(question_id), Start()))

    question = SMALL.question(question_id)
    assert shown.question_id == question_id
    assert shown.controls.back is (question_id != "Q1")
    assert shown.controls.skip is (not question.required)
    assert shown.controls.pause is True


def test_prompts_carry_what_each_kind_of_answer_needs() -> None:
    hours = prompt(step(SMALL_CONTEXT, at("HOURS"), Start()))
    assert (hours.kind, hours.minimum, hours.maximum) == (InputKind.NUMBER, 0, 40)
    assert hours.choices == ()

    bullied = prompt(step(SMALL_CONTEXT, at("BULLIED"), Start()))
    assert [choice.value for choice in bullied.choices] == [
        "yes",
        "no",
        "not_sure",
        "prefer_not_to_say",
    ]

    who = prompt(step(SMALL_CONTEXT, at("WHO"), Start()))
    assert who.kind == InputKind.MULTI_CHOICE
    assert [choice.label for choice in who.choices] == [
        "Manager",
        "Colleague",
        "Public",
    ]

    nps = prompt(step(SMALL_CONTEXT, at("NPS"), Start()))
    assert [choice.value for choice in nps.choices] == [str(n) for n in range(11)]

    comment = prompt(step(SMALL_CONTEXT, at("TX1"), Start()))
    assert (comment.kind, comment.max_length) == (InputKind.TEXT, 500)


# Answering and checking answers


def test_a_valid_answer_is_recorded_and_the_next_question_shown() -> None:
    outcome = step(SMALL_CONTEXT, at("Q1"), Answer("Q1", "Agree"))

    assert outcome.state.answers == {"Q1": "agree"}
    assert outcome.state.current == "HOURS"
    assert outcome.effect == Effect.SAVE
    shown = prompt(outcome)
    assert shown.question_id == "HOURS"
    assert shown.progress.label == "2 of 5"
    assert shown.controls.back is True


@pytest.mark.parametrize(
    ("question_id", "raw", "problem"),
    [
        ("HOURS", "41", "Please give a whole number from 0 to 40."),
        ("HOURS", "-1", "Please give a whole number from 0 to 40."),
        ("HOURS", "lots", "Please give a whole number, like 3."),
        ("HOURS", "2.5", "Please give a whole number, like 3."),
        ("HOURS", "", "Please give a whole number, like 3."),
        ("HOURS", ["1", "2"], "Please give a whole number, like 3."),
        ("NPS", "11", "Please choose a number from 0 to 10."),
        ("Q1", "maybe", "Please pick one of the options shown."),
        ("Q1", "6", "Please pick one of the options shown."),
        ("Q1", ["agree", "disagree"], "Please pick one of the options shown."),
        ("BULLIED", "Prefer not", "Please pick one of the options shown."),
        ("WHO", "Manager, the boss", "Please pick one or more of the options shown."),
        ("WHO", [], "Please pick one or more of the options shown."),
        ("WHO", ["manager", "ghost"], "Please pick one or more of the options shown."),
        ("TX1", "   ", "Please type an answer, or skip this question."),
        ("TX1", "\x00\x07\x1b", "Please type an answer, or skip this question."),
        ("TX1", "x" * 501, "Please keep your answer to 500 characters (it is 501)."),
        ("TX1", ["two", "parts"], "Please type your answer as text."),
    ],
)
def test_an_answer_that_does_not_fit_re_asks_with_a_specific_problem(
    question_id: str, raw: str | list[str], problem: str
) -> None:
    before = at(question_id)

    outcome = step(SMALL_CONTEXT, before, Answer(question_id, raw))

    assert outcome.state == before  # nothing recorded, nothing moved
    assert outcome.effect == Effect.NONE  # nothing to save
    assert len(outcome.messages) == 1
    shown = prompt(outcome)
    assert shown.question_id == question_id
    assert shown.problem == problem


def test_a_wrong_answer_keeps_the_earlier_answer_on_screen() -> None:
    before = at("HOURS", {"Q1": "agree", "HOURS": 6})

    outcome = step(SMALL_CONTEXT, before, Answer("HOURS", "99"))

    assert outcome.state.answers["HOURS"] == 6
    assert prompt(outcome).current == 6


def test_control_characters_are_stripped_from_free_text() -> None:
    raw = "Too\x00 many\x07 cases\u200b\r\nreally\x1b"

    outcome = step(SMALL_CONTEXT, at("TX1"), Answer("TX1", raw))

    assert outcome.state.answers["TX1"] == "Too many cases\nreally"


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert('x')</script>",
        "<b>bold</b> & <i>brave</i> &amp; <!channel> @here",
        'Tom & Jerry\'s "team" <3',
    ],
)
def test_markup_in_free_text_is_kept_exactly_as_typed(raw: str) -> None:
    # Escaping is each renderer's job; the flow must neither escape nor strip.
    outcome = step(SMALL_CONTEXT, at("TX1"), Answer("TX1", raw))

    assert outcome.state.answers["TX1"] == raw
    assert review(outcome).rows[-1].answer == raw
    back = step(SMALL_CONTEXT, outcome.state, Back(REVIEW))
    assert prompt(back).current == raw


@pytest.mark.parametrize(
    "raw",
    ["Strongly agree", "strongly AGREE", "  Strongly agree  ", "strongly_agree", "5"],
)
def test_a_choice_matches_by_label_code_or_number(raw: str) -> None:
    outcome = step(SMALL_CONTEXT, at("Q1"), Answer("Q1", raw))

    assert outcome.state.answers["Q1"] == "strongly_agree"


@pytest.mark.parametrize("raw", ["Prefer not to say", "prefer_not_to_say", "4"])
def test_prefer_not_to_say_is_an_option_where_offered(raw: str) -> None:
    outcome = step(SMALL_CONTEXT, at("BULLIED"), Answer("BULLIED", raw))

    assert outcome.state.answers["BULLIED"] == "prefer_not_to_say"
    assert prompt(outcome).question_id == "NPS"  # no follow-up


def test_a_tapped_option_posted_as_a_one_item_list_is_accepted() -> None:
    outcome = step(SMALL_CONTEXT, at("Q1"), Answer("Q1", ["disagree"]))

    assert outcome.state.answers["Q1"] == "disagree"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Manager, Public", ["manager", "public"]),
        ("public; MANAGER", ["manager", "public"]),
        ("1,3", ["manager", "public"]),
        ("Colleague, colleague", ["colleague"]),
        (["public", "manager"], ["manager", "public"]),
        (["colleague"], ["colleague"]),
    ],
)
def test_multi_choice_takes_several_options_in_list_order(
    raw: str | list[str], expected: list[str]
) -> None:
    outcome = step(SMALL_CONTEXT, at("WHO"), Answer("WHO", raw))

    assert outcome.state.answers["WHO"] == expected
    assert prompt(outcome).question_id == "NPS"


def test_numbers_are_stored_as_numbers() -> None:
    hours = step(SMALL_CONTEXT, at("HOURS"), Answer("HOURS", " 12 "))

    assert hours.state.answers["HOURS"] == 12


@pytest.mark.parametrize(
    ("raw", "expected"), [("0", 0), ("1", 1), ("9", 9), ("10", 10)]
)
def test_a_nought_to_ten_answer_is_the_number_typed_not_its_position(
    raw: str, expected: int
) -> None:
    outcome = step(SMALL_CONTEXT, at("NPS"), Answer("NPS", raw))

    assert outcome.state.answers["NPS"] == expected


# Conditions


def test_a_follow_up_is_asked_only_when_its_condition_holds() -> None:
    said_no = step(SMALL_CONTEXT, at("BULLIED"), Answer("BULLIED", "No"))
    said_yes = step(SMALL_CONTEXT, at("BULLIED"), Answer("BULLIED", "Yes"))

    assert prompt(said_no).question_id == "NPS"
    assert prompt(said_no).progress.label == "4 of 5"
    assert prompt(said_yes).question_id == "WHO"
    assert prompt(said_yes).progress.label == "4 of 6"
    after_who = step(SMALL_CONTEXT, said_yes.state, Answer("WHO", "Colleague"))
    assert prompt(after_who).question_id == "NPS"
    assert prompt(after_who).progress.label == "5 of 6"


def test_changing_an_earlier_answer_takes_its_follow_up_out_of_review_and_submit() -> (
    None
):
    start = at_review()
    assert [
        row.question_id for row in review(step(SMALL_CONTEXT, start, Start())).rows
    ] == [
        "Q1",
        "HOURS",
        "BULLIED",
        "WHO",
        "NPS",
        "TX1",
    ]

    changed = run(start, Edit("BULLIED"), Answer("BULLIED", "No"))

    rows = review(changed).rows
    assert [row.question_id for row in rows] == ["Q1", "HOURS", "BULLIED", "NPS", "TX1"]
    assert "WHO" not in changed.state.answers  # withdrawn, not merely hidden
    sent = step(SMALL_CONTEXT, changed.state, Submit())
    assert sent.effect == Effect.SUBMIT
    assert "WHO" not in sent.state.answers


def test_changing_back_to_yes_asks_the_follow_up_again() -> None:
    said_no = run(at_review(), Edit("BULLIED"), Answer("BULLIED", "No"))

    outcome = run(said_no.state, Edit("BULLIED"), Answer("BULLIED", "Yes"))

    shown = prompt(outcome)
    assert shown.question_id == "WHO"
    assert shown.current is None
    after = step(SMALL_CONTEXT, outcome.state, Answer("WHO", "Public"))
    assert isinstance(screen(after), Review)


def chained_context() -> FlowContext:
    """The small template with a follow-up of the follow-up."""
    raw: dict[str, Any] = copy.deepcopy(SMALL_TEMPLATE)
    raw["questions"].insert(
        4,
        {
            "id": "REPORTED",
            "text": "Did you report it?",
            "scale": "yes_no_unsure",
            "theme": "equality_diversity",
            "when": {"question": "WHO", "in": ["manager"]},
        },
    )
    return context_of(parse_template(raw, source="chained"))


def test_a_follow_up_of_a_follow_up_goes_when_the_first_question_changes() -> None:
    context = chained_context()
    answers: dict[str, AnswerValue | None] = {
        **COMPLETE,
        "WHO": ["manager"],
        "REPORTED": "no",
    }
    state = FlowState(answers=answers, current=REVIEW)
    assert "REPORTED" in [question.id for question in applicable(context, state)]

    changed = run(state, Edit("BULLIED"), Answer("BULLIED", "No"), context=context)

    assert [row.question_id for row in review(changed).rows] == [
        "Q1",
        "HOURS",
        "BULLIED",
        "NPS",
        "TX1",
    ]
    assert set(changed.state.answers) == {"Q1", "HOURS", "BULLIED", "NPS", "TX1"}


def test_a_stale_follow_up_answer_does_not_make_its_own_follow_up_apply() -> None:
    context = chained_context()
    state = FlowState(answers={**BEFORE["NPS"], "WHO": ["manager"]}, current="NPS")

    asked = [question.id for question in applicable(context, state)]

    assert "REPORTED" not in asked
    assert prompt(step(context, state, Start())).progress.label == "4 of 5"


# Back


def test_back_shows_the_previous_question_with_its_answer() -> None:
    first = step(SMALL_CONTEXT, at("BULLIED"), Back("BULLIED"))

    hours = prompt(first)
    assert hours.question_id == "HOURS"
    assert hours.current == 4
    assert first.effect == Effect.SAVE
    second = step(SMALL_CONTEXT, first.state, Back("HOURS"))
    q1 = prompt(second)
    assert (q1.question_id, q1.current, q1.controls.back) == ("Q1", "agree", False)
    assert second.state.answers == BEFORE["BULLIED"]  # going back changes no answer


def test_back_passes_over_questions_that_are_not_asked() -> None:
    outcome = step(SMALL_CONTEXT, at("NPS"), Back("NPS"))

    assert prompt(outcome).question_id == "BULLIED"
    assert prompt(outcome).current == "no"


def test_back_shows_a_multi_choice_answer_as_a_list() -> None:
    state = at("NPS", {**BEFORE["WHO"], "WHO": ["manager", "public"]})

    outcome = step(SMALL_CONTEXT, state, Back("NPS"))

    assert prompt(outcome).current == ["manager", "public"]


def test_back_from_the_review_goes_to_the_last_question() -> None:
    outcome = step(SMALL_CONTEXT, at_review(), Back(REVIEW))

    shown = prompt(outcome)
    assert shown.question_id == "TX1"
    assert shown.current == "More staff."


def test_answering_after_going_back_carries_on_where_the_person_was() -> None:
    outcome = run(at("BULLIED"), Back("BULLIED"), Answer("HOURS", "5"))

    assert outcome.state.answers["HOURS"] == 5
    assert prompt(outcome).question_id == "BULLIED"


def test_back_on_the_first_question_stays_there() -> None:
    outcome = step(SMALL_CONTEXT, at("Q1"), Back("Q1"))

    assert prompt(outcome).question_id == "Q1"
    assert outcome.state.answers == {}


# Skip


def test_skipping_an_optional_question_records_it_as_skipped() -> None:
    outcome = step(SMALL_CONTEXT, at("TX1"), Skip("TX1"))

    assert outcome.state.answers["TX1"] is None
    assert outcome.effect == Effect.SAVE
    rows = {row.question_id: row.answer for row in review(outcome).rows}
    assert rows["TX1"] == "Skipped"


def test_skipping_a_required_question_re_asks_it() -> None:
    before = at("HOURS")

    outcome = step(SMALL_CONTEXT, before, Skip("HOURS"))

    assert outcome.state == before
    assert outcome.effect == Effect.NONE
    shown = prompt(outcome)
    assert shown.question_id == "HOURS"
    assert shown.problem == (
        "This question needs an answer before you move on. "
        "The hours figure is what the council reports."
    )
    assert shown.controls.skip is False


@pytest.mark.parametrize("question_id", ["Q1", "BULLIED", "NPS", "TX1"])
def test_every_question_not_marked_required_can_be_skipped(question_id: str) -> None:
    state = at(question_id)
    assert prompt(step(SMALL_CONTEXT, state, Start())).controls.skip is True

    outcome = step(SMALL_CONTEXT, state, Skip(question_id))

    assert outcome.state.answers[question_id] is None
    assert outcome.effect == Effect.SAVE
    assert outcome.state.current != question_id


# Pause and resume


def test_pause_keeps_the_answers_and_asks_for_a_save() -> None:
    before = at("BULLIED")

    outcome = step(SMALL_CONTEXT, before, Pause())

    assert outcome.effect == Effect.SAVE
    assert outcome.state == before
    assert notices(outcome) == [text.paused("Small check")]
    assert "resume" in notices(outcome)[0]


def test_pause_before_anything_is_shown_remembers_the_first_question() -> None:
    outcome = step(SMALL_CONTEXT, FlowState(), Pause())

    assert outcome.effect == Effect.SAVE
    assert outcome.state.current == "Q1"


@pytest.mark.parametrize("event", [Start(), Resume()])
def test_coming_back_continues_at_the_saved_question(event: Event) -> None:
    outcome = step(SMALL_CONTEXT, at("BULLIED"), event)

    assert notices(outcome) == [text.welcome_back("Small check")]
    shown = prompt(outcome)
    assert shown.question_id == "BULLIED"
    assert shown.progress.label == "3 of 5"
    assert outcome.state == at("BULLIED")
    assert outcome.effect == Effect.NONE  # nothing moved, nothing to save


def test_coming_back_to_a_question_answered_earlier_shows_that_answer() -> None:
    state = FlowState(answers=dict(BEFORE["BULLIED"]), current="Q1")

    outcome = step(SMALL_CONTEXT, state, Resume())

    assert prompt(outcome).current == "agree"


def test_coming_back_at_the_review_shows_the_review() -> None:
    outcome = step(SMALL_CONTEXT, at_review(), Resume())

    assert notices(outcome) == [text.welcome_back("Small check")]
    assert len(review(outcome).rows) == 6


def test_a_saved_place_that_is_no_longer_asked_moves_to_the_first_unanswered() -> None:
    # A draft pointing at the follow-up after its condition stopped holding.
    state = FlowState(answers=dict(BEFORE["NPS"]), current="WHO")

    outcome = step(SMALL_CONTEXT, state, Resume())

    assert prompt(outcome).question_id == "NPS"
    assert outcome.state.current == "NPS"


# Stale events: a double click or an old page


def test_a_double_clicked_answer_is_recorded_once_and_changes_nothing() -> None:
    first = step(SMALL_CONTEXT, at("Q1"), Answer("Q1", "agree"))

    second = step(SMALL_CONTEXT, first.state, Answer("Q1", "agree"))

    assert second.state == first.state
    assert second.effect == Effect.NONE
    assert notices(second) == [text.already_answered()]
    assert prompt(second).question_id == "HOURS"


def test_an_old_page_cannot_change_an_answer_behind_the_persons_back() -> None:
    first = step(SMALL_CONTEXT, at("Q1"), Answer("Q1", "agree"))

    late = step(SMALL_CONTEXT, first.state, Answer("Q1", "strongly disagree"))

    assert late.state.answers["Q1"] == "agree"
    assert prompt(late).question_id == "HOURS"


STALE_EVENTS: list[tuple[str, FlowState, Event, str]] = [
    ("answer to a later question", at("Q1"), Answer("NPS", "9"), "Q1"),
    ("answer to an unknown question", at("Q1"), Answer("NOPE", "1"), "Q1"),
    ("back from another question", at("BULLIED"), Back("Q1"), "BULLIED"),
    ("back from the review", at("BULLIED"), Back(REVIEW), "BULLIED"),
    ("skip of another question", at("BULLIED"), Skip("TX1"), "BULLIED"),
    ("submit from a question", at("NPS"), Submit(), "NPS"),
    ("edit of a question not asked", at("TX1"), Edit("WHO"), "TX1"),
    ("answer with the review's id", at_review(), Answer(REVIEW, "agree"), REVIEW),
    ("skip with the review's id", at_review(), Skip(REVIEW), REVIEW),
    ("answer to a question from the review", at_review(), Answer("Q1", "1"), REVIEW),
]


@pytest.mark.parametrize(
    ("state", "event", "where"),
    [case[1:] for case in STALE_EVENTS],
    ids=[case[0] for case in STALE_EVENTS],
)
def test_a_stale_event_changes_nothing_and_shows_where_the_person_is(
    state: FlowState, event: Event, where: str
) -> None:
    outcome = step(SMALL_CONTEXT, state, event)

    assert outcome.state == state
    assert outcome.effect == Effect.NONE
    assert len(notices(outcome)) == 1
    shown = screen(outcome)
    if where == REVIEW:
        assert isinstance(shown, Review)
    else:
        assert prompt(outcome).question_id == where


def test_an_answer_before_anything_was_shown_shows_the_first_question() -> None:
    outcome = step(SMALL_CONTEXT, FlowState(), Answer("HOURS", "3"))

    assert outcome.state.answers == {}
    assert prompt(outcome).question_id == "Q1"


# Review and submit


def test_the_review_lists_every_asked_question_with_its_answer_in_words() -> None:
    state = at_review(TX1=None)

    rows = review(step(SMALL_CONTEXT, state, Start())).rows

    assert [(row.question_id, row.question, row.answer) for row in rows] == [
        ("Q1", "My workload is manageable.", "Agree"),
        ("HOURS", "Hours over contract last week?", "4"),
        ("BULLIED", "Have you been bullied?", "Yes"),
        ("WHO", "Who from?", "Manager, Public"),
        ("NPS", "Recommend us?", "8"),
        ("TX1", "One change?", "Skipped"),
    ]


def test_the_last_answer_leads_to_the_review() -> None:
    outcome = step(SMALL_CONTEXT, at("TX1"), Answer("TX1", "More staff."))

    shown = review(outcome)
    assert outcome.state.current == REVIEW
    assert shown.missing == ()
    assert shown.problem is None
    assert shown.campaign_id == CAMPAIGN_ID


def test_submit_from_a_complete_review_asks_the_caller_to_submit() -> None:
    state = at_review()

    outcome = step(SMALL_CONTEXT, state, Submit())

    assert outcome.effect == Effect.SUBMIT
    assert outcome.state.answers == state.answers
    assert outcome.messages == ()


def test_submit_with_required_answers_missing_shows_the_review_with_a_problem() -> None:
    answers = dict(COMPLETE)
    del answers["HOURS"]
    state = FlowState(answers=answers, current=REVIEW)

    outcome = step(SMALL_CONTEXT, state, Submit())

    assert outcome.effect == Effect.NONE
    shown = review(outcome)
    assert shown.missing == ("HOURS",)
    assert shown.problem == text.missing_answers(1)
    rows = {row.question_id: row.answer for row in shown.rows}
    assert rows["HOURS"] == "Skipped"


def test_edit_from_the_review_jumps_to_the_question_then_returns_to_the_review() -> (
    None
):
    edit = step(SMALL_CONTEXT, at_review(), Edit("HOURS"))

    shown = prompt(edit)
    assert (shown.question_id, shown.current) == ("HOURS", 4)
    assert shown.progress.label == "2 of 6"
    assert edit.effect == Effect.SAVE
    changed = step(SMALL_CONTEXT, edit.state, Answer("HOURS", "7"))
    rows = {row.question_id: row.answer for row in review(changed).rows}
    assert rows["HOURS"] == "7"
    assert changed.state.current == REVIEW


def test_edit_of_a_missing_answer_from_the_review_then_back_to_the_review() -> None:
    answers = dict(COMPLETE)
    del answers["NPS"]
    state = FlowState(answers=answers, current=REVIEW)

    outcome = run(state, Edit("NPS"), Answer("NPS", "10"))

    shown = review(outcome)
    assert shown.missing == ()
    assert step(SMALL_CONTEXT, outcome.state, Submit()).effect == Effect.SUBMIT


def test_answer_labels_use_units_and_option_words() -> None:
    bank = BANKS["social-worker-health-check"]
    cases = bank.question("WL08")

    assert answer_label(cases, 12) == "12 cases"
    assert answer_label(cases, "not_applicable") == "Not applicable"
    assert answer_label(SMALL.question("BULLIED"), "prefer_not_to_say") == (
        "Prefer not to say"
    )
    assert answer_label(SMALL.question("Q1"), None) == "Skipped"


# Whole surveys from the shipped question banks


Respondent = Callable[[Prompt], Event]


def respondent(
    definition: TemplateDefinition, *, follow_ups: bool, typed: bool
) -> Respondent:
    """A simulated person: answers every question, triggering follow-ups or not.

    ``typed`` answers with option labels as a person would type them; otherwise
    with option codes as a tapped button sends them.
    """
    triggers = {
        question.when.question: question.when.any_of
        for question in definition.questions
        if question.when is not None
    }

    def answer(shown: Prompt) -> Event:
        question_id = shown.question_id
        if shown.kind == InputKind.NUMBER:
            assert shown.minimum is not None
            return Answer(question_id, str(shown.minimum))
        if shown.kind == InputKind.TEXT:
            if shown.controls.skip and not typed:
                return Skip(question_id)
            return Answer(question_id, "We need <more> staff & less paperwork.")
        choices = [choice for choice in shown.choices]
        wanted = triggers.get(question_id, ())
        if follow_ups:
            picked = (
                next(choice for choice in choices if choice.value in wanted)
                if wanted
                else choices[0]
            )
        else:
            picked = next(choice for choice in choices if choice.value not in wanted)
        if shown.kind == InputKind.MULTI_CHOICE:
            if typed:
                return Answer(question_id, f"{choices[0].label}, {choices[1].label}")
            return Answer(question_id, [choices[0].value, choices[1].value])
        return Answer(question_id, picked.label.upper() if typed else picked.value)

    return answer


def complete(
    definition: TemplateDefinition, person: Respondent
) -> tuple[list[Prompt], Outcome]:
    """Take the survey start to finish; return every prompt seen and the submit."""
    context = context_of(definition)
    outcome = step(context, FlowState(), Start())
    seen: list[Prompt] = []
    for _ in range(len(definition.questions) + 1):
        shown = screen(outcome)
        if isinstance(shown, Review):
            break
        assert isinstance(shown, Prompt)
        assert shown.problem is None, (shown.question_id, shown.problem)
        seen.append(shown)
        outcome = step(context, outcome.state, person(shown))
    else:
        pytest.fail("the survey never reached its review")
    final = review(outcome)
    assert final.missing == ()
    assert [row.question_id for row in final.rows] == [p.question_id for p in seen]
    return seen, step(context, outcome.state, Submit())


@pytest.mark.parametrize("key", sorted(BANKS))
@pytest.mark.parametrize("typed", [False, True], ids=["tapped", "typed"])
def test_a_whole_shipped_survey_can_be_completed_with_every_follow_up(
    key: str, typed: bool
) -> None:
    definition = BANKS[key]

    seen, sent = complete(
        definition, respondent(definition, follow_ups=True, typed=typed)
    )

    assert [p.question_id for p in seen] == [q.id for q in definition.questions]
    assert [p.progress.position for p in seen] == list(range(1, len(seen) + 1))
    assert seen[-1].progress.total == len(definition.questions)
    assert sent.effect == Effect.SUBMIT
    assert set(sent.state.answers) == {q.id for q in definition.questions}


@pytest.mark.parametrize("key", sorted(BANKS))
def test_a_whole_shipped_survey_without_follow_ups_asks_fewer_questions(
    key: str,
) -> None:
    definition = BANKS[key]
    follow_ups = {q.id for q in definition.questions if q.when is not None}

    seen, sent = complete(
        definition, respondent(definition, follow_ups=False, typed=False)
    )

    asked = [p.question_id for p in seen]
    assert asked == [q.id for q in definition.questions if q.id not in follow_ups]
    assert {p.progress.total for p in seen} == {len(asked)}
    assert sent.effect == Effect.SUBMIT


def test_the_pulse_check_is_short_and_its_comment_can_be_skipped() -> None:
    definition = BANKS["pulse-check"]

    seen, sent = complete(
        definition, respondent(definition, follow_ups=False, typed=False)
    )

    assert seen[0].progress.label == "1 of 7"
    assert seen[-1].controls.skip is True
    assert sent.state.answers["TX01"] is None
    assert sent.effect == Effect.SUBMIT


def test_the_health_check_counts_follow_ups_into_progress_as_they_appear() -> None:
    definition = BANKS["social-worker-health-check"]
    without = len(definition.questions) - 3

    seen, _ = complete(definition, respondent(definition, follow_ups=True, typed=False))

    totals = [p.progress.total for p in seen]
    assert totals[0] == without
    assert totals[-1] == without + 3
    assert totals == sorted(totals)  # only ever grows as follow-ups are triggered


def test_a_short_survey_without_follow_ups_can_be_answered_all_at_once() -> None:
    pulse = context_of(BANKS["pulse-check"])
    first = step(pulse, FlowState(), Start())
    assert prompt(first).controls.all_at_once
    assert not prompt(step(SMALL_CONTEXT, FlowState(), Start())).controls.all_at_once

    sheet = screen(step(pulse, first.state, AllAtOnce()))
    assert isinstance(sheet, QuestionSheet)
    assert [p.question_id for p in sheet.prompts] == [
        q.id for q in BANKS["pulse-check"].questions
    ]
    # With follow-ups the form could not say which questions apply: one at a time.
    assert isinstance(screen(step(SMALL_CONTEXT, at("Q1"), AllAtOnce())), Prompt)


def test_answer_all_sends_skips_blanks_and_keeps_what_fits_on_a_problem() -> None:
    pulse = context_of(BANKS["pulse-check"])
    state = step(pulse, FlowState(), Start()).state
    given: dict[str, str | list[str]] = {
        "WL02": "manageable",
        "WB01": "agree",
        "WB02": "",
        "SV01": "weekly",
        "LD05": "agree",
        "RT01": "likely",
        "TX01": "",
    }

    wrong = step(pulse, state, AnswerAll({**given, "SV01": "hourly"}))
    assert wrong.effect == Effect.SAVE
    shown = screen(wrong)
    assert isinstance(shown, QuestionSheet)
    assert shown.problem is not None
    [troubled] = [p for p in shown.prompts if p.problem]
    assert troubled.question_id == "SV01"
    assert wrong.state.answers["WL02"] == "manageable"

    sent = step(pulse, wrong.state, AnswerAll(given))
    assert sent.effect == Effect.SUBMIT
    assert sent.state.answers["WB02"] is None
    assert sent.state.answers["TX01"] is None

    # A question the platform could not put in the message is asked next.
    partial = {key: value for key, value in given.items() if key != "TX01"}
    later = step(pulse, state, AnswerAll(partial))
    assert later.effect == Effect.SAVE
    assert prompt(later).question_id == "TX01"


def test_with_question_pages_an_earlier_answer_is_changed_from_its_page() -> None:
    pages = FlowContext(
        campaign_id=CAMPAIGN_ID,
        campaign_name="Small check",
        definition=SMALL,
        question_pages=True,
    )
    state = at("BULLIED")

    changed = step(pages, state, Answer("Q1", "disagree"))

    assert changed.state.answers["Q1"] == "disagree"
    assert prompt(changed).question_id == "HOURS"
    # Further on than the first unanswered question: nothing changes.
    later = step(pages, state, Answer("NPS", "9"))
    assert "NPS" not in later.state.answers
    assert prompt(later).question_id == "BULLIED"
