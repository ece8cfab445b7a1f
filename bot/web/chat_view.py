"""What the chat page shows a person: their surveys with progress and the screen.

The screen (a question or the review) is drawn afresh from the stored draft on
every page view, so a refresh, a new tab or a new device all show the same place.
A question's own address (``/survey/<id>/q/<question>``) shows that question, if
the person may answer it now, so the browser's Back and Forward work.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.conversation import text as conversation_text
from bot.conversation.flow import (
    FlowContext,
    FlowState,
    Start,
    applicable,
    question_screen,
    step,
    submitted_messages,
    survey_length,
)
from bot.conversation.messages import Message, Notice, Tone
from bot.web import text
from bot.web.form_tokens import NO_DRAFT, draft_version
from survey.answering import DraftState, check_can_answer
from survey.campaigns import require_open
from survey.errors import AlreadySubmittedError, SurveyError
from survey.invitations import drafts_of, open_invitations
from survey.models import (
    Campaign,
    Organisation,
    Participation,
    ParticipationStatus,
    Person,
)
from survey.questions.sets import campaign_definition
from survey.sent_answers import editable_until, still_editable


@dataclass(frozen=True)
class SurveyCard:
    """One open survey in the "Your surveys" list."""

    campaign_id: uuid.UUID
    name: str
    closes_on: str | None
    answered: int
    total: int
    started: bool
    sent: bool
    active: bool

    @property
    def progress_text(self) -> str:
        """Progress in words."""
        if not self.started:
            return f"Not started: {self.total} questions"
        return text.progress(self.answered, self.total)


@dataclass(frozen=True)
class Intro:
    """The first look at a survey not yet started, with its Start button."""

    campaign_id: uuid.UUID
    name: str
    description: str
    questions: int
    minutes: int
    follow_ups: int = 0

    @property
    def length(self) -> str:
        """The count of questions this person will get, and the time, in words."""
        return conversation_text.survey_length(
            self.questions, self.follow_ups, self.minutes
        )


@dataclass(frozen=True)
class EditLink:
    """On the thank-you page of a short survey: change the sent answers until when."""

    address: str
    until: str


@dataclass(frozen=True)
class ChatView:
    """Everything the chat page draws besides the header.

    ``elsewhere`` is set when the address asked for a question the person cannot
    answer now: the page should send them to the survey's current place instead.
    """

    surveys: tuple[SurveyCard, ...]
    screen: tuple[Message, ...]
    intro: Intro | None = None
    active: Campaign | None = None
    version: str = NO_DRAFT
    edit: EditLink | None = None
    elsewhere: bool = False


async def build_chat_view(
    session: AsyncSession,
    *,
    secret: bytes,
    person: Person,
    organisation: Organisation,
    active_id: uuid.UUID | None,
    now: datetime,
    question_id: str | None = None,
) -> ChatView:
    """The person's surveys, and the screen of ``active_id`` if one is open.

    With ``question_id``, that question of the active survey (see
    :attr:`ChatView.elsewhere` when it cannot be answered now).
    """
    zone = ZoneInfo(organisation.timezone)
    invited = await open_invitations(session, person=person)
    drafts = await drafts_of(
        session,
        secret=secret,
        person=person,
        campaigns=[campaign for campaign, _ in invited],
    )
    cards = []
    contexts: dict[uuid.UUID, FlowContext] = {}
    for campaign, participation in invited:
        if not _takes_answers(campaign, now):
            continue
        context = await _context(session, campaign, zone, participation)
        contexts[campaign.id] = context
        draft = drafts.get(campaign.id.hex, DraftState())
        state = FlowState(answers=draft.answers, current=draft.current)
        asked = applicable(context, state)
        cards.append(
            SurveyCard(
                campaign_id=campaign.id,
                name=campaign.name,
                closes_on=_day(context),
                answered=sum(1 for question in asked if question.id in draft.answers),
                total=len(asked),
                started=draft.updated_at is not None,
                sent=participation.status == ParticipationStatus.COMPLETED,
                active=campaign.id == active_id,
            )
        )
    if active_id is None:
        return ChatView(surveys=tuple(cards), screen=())
    active = next((c for c, _ in invited if c.id == active_id), None)
    if active is None or active.id not in contexts:
        return ChatView(
            surveys=tuple(cards),
            screen=(await _why_not(session, person, active_id, now),),
        )
    participation = next(p for c, p in invited if c.id == active_id)
    context = contexts[active.id]
    saved = drafts.get(active.id.hex)
    if participation.status == ParticipationStatus.COMPLETED:
        editable = saved is not None and still_editable(saved.sent_at, now=now)
        if saved is None or not editable:
            if question_id is not None:
                return ChatView(surveys=tuple(cards), screen=(), elsewhere=True)
            error = AlreadySubmittedError(
                f"You have already sent your answers to '{active.name}'. Thank you."
            )
            return ChatView(
                surveys=tuple(cards), screen=(Notice(str(error), Tone.SUCCESS),)
            )
        if question_id is None:
            return ChatView(
                surveys=tuple(cards),
                screen=submitted_messages(context),
                active=active,
                edit=_edit_link(context, saved, zone),
            )
    if saved is None:
        if question_id is not None:
            return ChatView(surveys=tuple(cards), screen=(), elsewhere=True)
        definition = context.definition
        questions, follow_ups = survey_length(context)
        intro = Intro(
            campaign_id=active.id,
            name=active.name,
            description=definition.description,
            questions=questions,
            minutes=definition.minutes,
            follow_ups=follow_ups,
        )
        return ChatView(surveys=tuple(cards), screen=(), intro=intro, active=active)
    state = FlowState(answers=saved.answers, current=saved.current)
    if question_id is not None:
        prompt = question_screen(context, state, question_id)
        if prompt is None:
            return ChatView(surveys=tuple(cards), screen=(), elsewhere=True)
        screen: tuple[Message, ...] = (prompt,)
    else:
        screen = step(context, state, Start()).messages[-1:]
    return ChatView(
        surveys=tuple(cards),
        screen=screen,
        active=active,
        version=draft_version(saved.updated_at),
    )


def _edit_link(context: FlowContext, saved: DraftState, zone: ZoneInfo) -> EditLink:
    until = editable_until(saved.sent_at)
    assert until is not None
    first = applicable(context, FlowState(answers=saved.answers))[0]
    return EditLink(
        address=question_address(context.campaign_id, first.id),
        until=f"{until.astimezone(zone):%H:%M}",
    )


def question_address(campaign_id: uuid.UUID, question_id: str) -> str:
    """The address of one question of a survey."""
    return f"/survey/{campaign_id}/q/{question_id}"


def survey_address(campaign_id: uuid.UUID) -> str:
    """The address of a survey's current place: its intro, question or review."""
    return f"/?survey={campaign_id}"


def _takes_answers(campaign: Campaign, now: datetime) -> bool:
    try:
        require_open(campaign, now=now)
    except SurveyError:
        return False
    return True


async def _context(
    session: AsyncSession,
    campaign: Campaign,
    zone: ZoneInfo,
    participation: Participation,
) -> FlowContext:
    definition = await campaign_definition(
        session, campaign=campaign, participation=participation
    )
    closes_on = (
        campaign.closes_at.astimezone(zone).date() if campaign.closes_at else None
    )
    return FlowContext(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        definition=definition,
        closes_on=closes_on,
        question_pages=True,
    )


def _day(context: FlowContext) -> str | None:
    if context.closes_on is None:
        return None
    return f"{context.closes_on:%A} {context.closes_on.day} {context.closes_on:%B}"


async def _why_not(
    session: AsyncSession, person: Person, campaign_id: uuid.UUID, now: datetime
) -> Message:
    """The notice for a survey the person cannot answer now (closed, not sent...)."""
    campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.organisation_id != person.organisation_id:
        return Notice(text.no_such_survey(), Tone.WARNING)
    try:
        await check_can_answer(session, person=person, campaign=campaign, now=now)
    except AlreadySubmittedError as error:
        return Notice(str(error), Tone.SUCCESS)
    except SurveyError as error:
        return Notice(str(error), Tone.ERROR)
    return Notice(text.no_such_survey(), Tone.WARNING)
