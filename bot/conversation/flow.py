"""The survey flow: an explicit, pure state machine.

``step(context, state, event)`` returns the next state, the messages to show and
what the caller must do with storage (nothing, save the draft, or submit). It
never touches a database or a platform, so every adapter behaves the same.

States: asking a question (``state.current`` is its id), reviewing
(``REVIEW``), paused (the draft is saved and nothing is shown), submitted.

Someone who changes an earlier answer carries on at the question after it, never
further. Where each question has a page of its own
(:attr:`FlowContext.question_pages`), any question already answered, or the
first one not yet answered, may be answered from its page at any time, and a
short survey (:data:`~survey.sent_answers.SHORT_SURVEY` questions or fewer) has
no review: answering or skipping its last question sends.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from bot.conversation import text
from bot.conversation.messages import (
    Choice,
    Controls,
    InputKind,
    Message,
    Notice,
    Progress,
    Prompt,
    QuestionSheet,
    Review,
    ReviewRow,
    Tone,
)
from survey.errors import AnswerError
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import AnswerValue, Question, Scale
from survey.sent_answers import SHORT_SURVEY

REVIEW = "__review__"


class Effect(StrEnum):
    """What the caller must do after a step."""

    NONE = "none"
    SAVE = "save"
    SUBMIT = "submit"


@dataclass(frozen=True)
class FlowContext:
    """What the flow needs to know about the campaign."""

    campaign_id: uuid.UUID
    campaign_name: str
    definition: TemplateDefinition
    closes_on: date | None = None
    question_pages: bool = False
    """The channel gives each question a page of its own (the web): any question
    reached may be answered again from its page, and a short survey ends with
    Send on its last question. Elsewhere only the question on screen is
    answered, so a tap on an old message changes nothing."""

    @property
    def short(self) -> bool:
        """Whether the survey ends with Send on its last question, with no review."""
        return self.question_pages and len(self.definition.questions) <= SHORT_SURVEY


@dataclass(frozen=True)
class FlowState:
    """Answers so far (``None`` = skipped) and where the person is."""

    answers: dict[str, AnswerValue | None] = field(default_factory=dict)
    current: str | None = None


@dataclass(frozen=True)
class Start:
    """Begin, or carry on from where the person left off."""


@dataclass(frozen=True)
class Resume:
    """Carry on after a pause (same as Start)."""


@dataclass(frozen=True)
class Answer:
    """An answer to ``question_id``: what was typed or tapped."""

    question_id: str
    raw: str | list[str]


@dataclass(frozen=True)
class Back:
    """Go to the question before ``from_question`` (or before the review)."""

    from_question: str


@dataclass(frozen=True)
class Skip:
    """Skip ``question_id`` (optional questions only)."""

    question_id: str


@dataclass(frozen=True)
class Edit:
    """Jump back to ``question_id`` from the review to change it."""

    question_id: str


@dataclass(frozen=True)
class Pause:
    """Stop for now; answers are kept."""


@dataclass(frozen=True)
class Submit:
    """Send the answers."""


@dataclass(frozen=True)
class AllAtOnce:
    """Show a short survey's questions in one message (see :func:`one_message`)."""


@dataclass(frozen=True)
class AnswerAll:
    """The answers of the one-message form, by question id.

    An empty answer skips its question; a question missing from ``answers`` (a
    platform that could not put it in the message) is asked next, on its own.
    """

    answers: dict[str, str | list[str]]


Event = (
    Start
    | Resume
    | Answer
    | Back
    | Skip
    | Edit
    | Pause
    | Submit
    | AllAtOnce
    | AnswerAll
)


@dataclass(frozen=True)
class Outcome:
    """The result of one step."""

    state: FlowState
    messages: tuple[Message, ...]
    effect: Effect = Effect.NONE


def step(context: FlowContext, state: FlowState, event: Event) -> Outcome:
    """Apply ``event`` to ``state``; see the module docstring."""
    state = _settled(context, state)
    match event:
        case Start() | Resume():
            return _show_where(context, state, resumed=bool(state.answers))
        case Answer(question_id=question_id, raw=raw):
            return _answer(context, state, question_id, raw)
        case Skip(question_id=question_id):
            return _skip(context, state, question_id)
        case Back(from_question=from_question):
            return _back(context, state, from_question)
        case Edit(question_id=question_id):
            return _edit(context, state, question_id)
        case Pause():
            if state.current is None:
                state = replace(state, current=_first_unanswered(context, state))
            notice = Notice(text.paused(context.campaign_name), Tone.INFO)
            return Outcome(state, (notice,), Effect.SAVE)
        case Submit():
            return _submit(context, state)
        case AllAtOnce():
            if not one_message(context):
                return _show_where(context, state, resumed=False)
            return Outcome(state, (_sheet(context, state),))
        case AnswerAll(answers=given):
            return _answer_all(context, state, given)
    raise AssertionError(f"unknown event {event!r}")


def submitted_messages(context: FlowContext) -> tuple[Message, ...]:
    """What a person sees once their answers are stored."""
    return (
        Notice(
            text.thanks(context.campaign_name, context.closes_on),
            Tone.SUCCESS,
            title="Thank you",
        ),
    )


def applicable(context: FlowContext, state: FlowState) -> list[Question]:
    """The questions asked, given the answers so far, in order.

    A condition only counts answers to questions that are themselves asked, so a
    follow-up of a follow-up disappears with the question it hangs from.
    """
    given: dict[str, AnswerValue] = {}
    asked = []
    for question in context.definition.questions:
        if not question.applies(given):
            continue
        asked.append(question)
        value = state.answers.get(question.id)
        if value is not None:
            given[question.id] = value
    return asked


def survey_length(context: FlowContext) -> tuple[int, int]:
    """Questions this person is asked whatever they answer, and follow-ups they may be.

    The context's questions are already the person's own (by role), so both
    counts are what they will actually get, never a count that grows unannounced.
    """
    asked = len(applicable(context, FlowState()))
    return asked, len(context.definition.questions) - asked


def one_message(context: FlowContext) -> bool:
    """Whether the survey can be answered as one message with a single Submit.

    A short survey (:data:`~survey.sent_answers.SHORT_SURVEY` questions or
    fewer) none of whose questions depends on another's answer, so every
    question in the message applies whatever is chosen. Questions by role are
    already the person's own.
    """
    questions = context.definition.questions
    return len(questions) <= SHORT_SURVEY and all(q.when is None for q in questions)


def _sheet(
    context: FlowContext,
    state: FlowState,
    problems: dict[str, str] | None = None,
    typed: dict[str, str | list[str]] | None = None,
) -> QuestionSheet:
    problems = problems or {}
    prompts = []
    for question in context.definition.questions:
        prompt = _prompt(context, state, question, problem=problems.get(question.id))
        if typed and question.id in problems:
            prompt = replace(prompt, current=typed.get(question.id))
        prompts.append(prompt)
    count = len(problems)
    return QuestionSheet(
        campaign_id=context.campaign_id,
        campaign_name=context.campaign_name,
        prompts=tuple(prompts),
        problem=text.sheet_problems(count) if count else None,
    )


def _answer_all(
    context: FlowContext, state: FlowState, given: dict[str, str | list[str]]
) -> Outcome:
    if not one_message(context):
        return _stale(context, state, REVIEW)
    answers: dict[str, AnswerValue | None] = {}
    problems: dict[str, str] = {}
    for question in context.definition.questions:
        if question.id not in given:
            continue
        raw = given[question.id]
        if raw in ("", []):
            if question.required is not None:
                problems[question.id] = text.cannot_skip(question.required.reason)
            else:
                answers[question.id] = None
            continue
        assert raw is not None
        try:
            answers[question.id] = _parse(question, raw)
        except AnswerError as error:
            problems[question.id] = str(error)
    merged = FlowState(answers={**state.answers, **answers}, current=state.current)
    if problems:
        # What fitted is kept, so it is there when the form is shown again.
        return Outcome(merged, (_sheet(context, merged, problems, given),), Effect.SAVE)
    following = _first_unanswered(context, merged)
    if following == REVIEW:
        return Outcome(replace(merged, current=REVIEW), (), Effect.SUBMIT)
    merged = replace(merged, current=following)
    return Outcome(merged, (_screen(context, merged),), Effect.SAVE)


def _settled(context: FlowContext, state: FlowState) -> FlowState:
    # A saved draft may point at a question no longer asked: carry on instead at
    # the first unanswered one.
    current = state.current
    if current is None or current == REVIEW:
        return state
    if current in {question.id for question in applicable(context, state)}:
        return state
    return replace(state, current=_first_unanswered(context, state))


def _kept(context: FlowContext, answers: dict[str, AnswerValue | None]) -> FlowState:
    # Someone who changes "yes" to "no" has taken back the follow-up too, so an
    # answer to a question no longer asked is dropped, not kept out of sight.
    asked = {
        question.id for question in applicable(context, FlowState(answers=answers))
    }
    return FlowState(
        answers={key: value for key, value in answers.items() if key in asked}
    )


def _first_unanswered(context: FlowContext, state: FlowState) -> str:
    for question in applicable(context, state):
        if question.id not in state.answers:
            return question.id
    return REVIEW


def _show_where(context: FlowContext, state: FlowState, *, resumed: bool) -> Outcome:
    current = state.current
    if current is None:
        current = _first_unanswered(context, state)
    moved = current != state.current
    state = replace(state, current=current)
    messages: list[Message] = []
    if resumed:
        messages.append(Notice(text.welcome_back(context.campaign_name)))
    messages.append(_screen(context, state))
    return Outcome(state, tuple(messages), Effect.SAVE if moved else Effect.NONE)


def reachable(context: FlowContext, state: FlowState) -> list[str]:
    """Ids of the questions the person may answer now, in order.

    With question pages, those asked and answered (or skipped) so far, and the
    first one not yet answered: a question further on waits for the ones before
    it. Otherwise only the question on screen.
    """
    if not context.question_pages:
        return [state.current] if state.current not in (None, REVIEW) else []
    ids = []
    for question in applicable(context, state):
        ids.append(question.id)
        if question.id not in state.answers:
            break
    return ids


def question_screen(
    context: FlowContext, state: FlowState, question_id: str
) -> Prompt | None:
    """The question ``question_id`` as asked now, if the person may answer it."""
    if question_id not in reachable(context, state):
        return None
    return _prompt(context, state, context.definition.question(question_id))


def _answer(
    context: FlowContext, state: FlowState, question_id: str, raw: str | list[str]
) -> Outcome:
    if question_id not in reachable(context, state):
        return _stale(context, state, question_id)
    question = context.definition.question(question_id)
    try:
        value = _parse(question, raw)
    except AnswerError as error:
        return Outcome(state, (_prompt(context, state, question, problem=str(error)),))
    answers = {**state.answers, question_id: value}
    return _advance(context, _kept(context, answers), question_id)


def _parse(question: Question, raw: str | list[str]) -> AnswerValue:
    if isinstance(raw, list):
        if question.scale == Scale.MULTI_CHOICE:
            return question.check(raw)
        if len(raw) == 1:
            # A form may post a single tapped option as a one-item list.
            return question.parse(raw[0])
        # The question's own check says what kind of answer it wanted.
        return question.check(raw)
    return question.parse(raw)


def _skip(context: FlowContext, state: FlowState, question_id: str) -> Outcome:
    if question_id not in reachable(context, state):
        return _stale(context, state, question_id)
    question = context.definition.question(question_id)
    if question.required is not None:
        problem = text.cannot_skip(question.required.reason)
        return Outcome(state, (_prompt(context, state, question, problem=problem),))
    answers = {**state.answers, question_id: None}
    return _advance(context, _kept(context, answers), question_id)


def _advance(context: FlowContext, state: FlowState, after: str) -> Outcome:
    # The question after the one answered, answered already or not: someone who
    # went back to change one answer carries on where they went back to. Once
    # every question is answered, a long survey's change returns to its review.
    ids = [question.id for question in applicable(context, state)]
    later = ids[ids.index(after) + 1 :] if after in ids else []
    following = _first_unanswered(context, state)
    if later and (following != REVIEW or context.short):
        following = later[0]
    state = replace(state, current=following)
    if following == REVIEW and context.short:
        missing = _missing(context, state)
        if not missing:
            return Outcome(state, (), Effect.SUBMIT)
        state = replace(state, current=missing[0].id)
        problem = text.missing_answers_short(len(missing))
        return Outcome(
            state, (_prompt(context, state, missing[0], problem=problem),), Effect.SAVE
        )
    return Outcome(state, (_screen(context, state),), Effect.SAVE)


def _back(context: FlowContext, state: FlowState, from_question: str) -> Outcome:
    on_screen = (
        state.current == REVIEW
        if from_question == REVIEW
        else from_question in reachable(context, state)
    )
    if not on_screen:
        return _stale(context, state, from_question)
    ids = [question.id for question in applicable(context, state)]
    if from_question == REVIEW:
        target = ids[-1]
    else:
        position = ids.index(from_question)
        target = ids[max(0, position - 1)]
    state = replace(state, current=target)
    return Outcome(state, (_screen(context, state),), Effect.SAVE)


def _edit(context: FlowContext, state: FlowState, question_id: str) -> Outcome:
    ids = [question.id for question in applicable(context, state)]
    if question_id not in ids:
        return _stale(context, state, question_id)
    state = replace(state, current=question_id)
    return Outcome(state, (_screen(context, state),), Effect.SAVE)


def _submit(context: FlowContext, state: FlowState) -> Outcome:
    if state.current != REVIEW:
        return _stale(context, state, REVIEW)
    missing = _missing(context, state)
    if missing:
        review = _review(context, state, problem=text.missing_answers(len(missing)))
        return Outcome(state, (review,))
    return Outcome(state, (), Effect.SUBMIT)


def _stale(context: FlowContext, state: FlowState, target: str) -> Outcome:
    # A tap on an old screen (about ``target``) changes nothing; a double click
    # on an answered question is told that its answer is kept.
    if state.current is None:
        return _show_where(context, state, resumed=False)
    already = target != REVIEW and target in state.answers
    notice = Notice(text.already_answered() if already else text.moved_on(), Tone.INFO)
    return Outcome(state, (notice, _screen(context, state)))


def _missing(context: FlowContext, state: FlowState) -> list[Question]:
    return [
        question
        for question in applicable(context, state)
        if question.required is not None and state.answers.get(question.id) is None
    ]


def _screen(context: FlowContext, state: FlowState) -> Message:
    if state.current == REVIEW or state.current is None:
        return _review(context, state)
    return _prompt(context, state, context.definition.question(state.current))


def _prompt(
    context: FlowContext,
    state: FlowState,
    question: Question,
    *,
    problem: str | None = None,
) -> Prompt:
    ids = [asked.id for asked in applicable(context, state)]
    position = ids.index(question.id) + 1 if question.id in ids else len(ids)
    return Prompt(
        sends=context.short and position == len(ids),
        campaign_id=context.campaign_id,
        campaign_name=context.campaign_name,
        question_id=question.id,
        text=question.text,
        help=question.help,
        kind=_kind(question),
        choices=_choices(question),
        minimum=question.min if question.scale == Scale.NUMBER else None,
        maximum=question.max if question.scale == Scale.NUMBER else None,
        unit=question.unit,
        max_length=question.text_limit if question.scale == Scale.TEXT else None,
        progress=Progress(position=position, total=len(ids)),
        controls=Controls(
            back=position > 1,
            skip=question.required is None,
            pause=True,
            all_at_once=position == 1
            and not context.question_pages
            and one_message(context),
        ),
        current=state.answers.get(question.id),
        problem=problem,
    )


def _kind(question: Question) -> InputKind:
    if question.scale == Scale.TEXT:
        return InputKind.TEXT
    if question.scale == Scale.NUMBER:
        return InputKind.NUMBER
    if question.scale == Scale.MULTI_CHOICE:
        return InputKind.MULTI_CHOICE
    return InputKind.CHOICE


def _choices(question: Question) -> tuple[Choice, ...]:
    if question.scale in (Scale.TEXT, Scale.NUMBER):
        return tuple(Choice(o.value, o.label) for o in question.special_options())
    return tuple(Choice(option.value, option.label) for option in question.choices())


def _review(
    context: FlowContext, state: FlowState, *, problem: str | None = None
) -> Review:
    rows = []
    for question in applicable(context, state):
        rows.append(
            ReviewRow(
                question_id=question.id,
                question=question.text,
                answer=answer_label(question, state.answers.get(question.id)),
            )
        )
    return Review(
        campaign_id=context.campaign_id,
        campaign_name=context.campaign_name,
        rows=tuple(rows),
        missing=tuple(question.id for question in _missing(context, state)),
        problem=problem,
    )


def answer_label(question: Question, value: AnswerValue | None) -> str:
    """An answer in words, as the review shows it."""
    if value is None:
        return "Skipped"
    labels = {option.value: option.label for option in question.choices()}
    if isinstance(value, list):
        return ", ".join(labels.get(code, code) for code in value)
    if isinstance(value, int):
        unit = f" {question.unit}" if question.unit else ""
        return f"{value}{unit}"
    return labels.get(value, value)
