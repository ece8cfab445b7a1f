"""Runs the survey flow against storage: the one place adapters call to answer.

Every platform adapter turns its payload into a flow event and calls
:func:`handle_event` (or :func:`apply_event` inside a transaction it already
holds); this loads the draft, steps the pure flow, saves or submits, and
returns the messages to render.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.conversation import text
from bot.conversation.flow import (
    Effect,
    Event,
    FlowContext,
    FlowState,
    step,
    submitted_messages,
)
from bot.conversation.messages import Message, Notice, Tone
from survey.answer_sheet import answer_sheet
from survey.answering import (
    DraftState,
    may_answer,
    submit,
    write_draft,
)
from survey.campaigns import require_open
from survey.db import SessionFactory
from survey.errors import SurveyError
from survey.models import Campaign, Organisation, Participation, Person
from survey.questions.bank import TemplateDefinition
from survey.questions.sets import campaign_definition
from survey.sent_answers import still_editable

DraftCheck = Callable[[DraftState], Message | None]
"""A check of the stored draft before an event is applied (a one-time form
token, say): a message refuses the event and is shown instead."""


@dataclass(frozen=True)
class Turn:
    """What one event produced: messages, and whether the answers were sent.

    ``refused`` is set when the caller's draft check turned the event away;
    nothing was stored then.
    """

    messages: tuple[Message, ...]
    submitted: bool = False
    refused: bool = False


async def flow_context(
    session: AsyncSession,
    *,
    campaign: Campaign,
    participation: Participation | None = None,
) -> FlowContext:
    """The flow's view of a campaign: its questions, name and closing date.

    With ``participation``, only the questions asked of that person's role.
    """
    definition = await campaign_definition(
        session, campaign=campaign, participation=participation
    )
    organisation = await session.get(Organisation, campaign.organisation_id)
    return _context(campaign, organisation, definition)


def _context(
    campaign: Campaign,
    organisation: Organisation | None,
    definition: TemplateDefinition,
    *,
    question_pages: bool = False,
) -> FlowContext:
    closes_on = None
    if campaign.closes_at is not None and organisation is not None:
        closes_on = campaign.closes_at.astimezone(
            ZoneInfo(organisation.timezone)
        ).date()
    return FlowContext(
        campaign_id=campaign.id,
        campaign_name=campaign.name,
        definition=definition,
        closes_on=closes_on,
        question_pages=question_pages,
    )


async def handle_event(
    sessions: SessionFactory,
    *,
    secret: bytes,
    person: Person,
    campaign: Campaign,
    event: Event,
    now: datetime,
    draft_check: DraftCheck | None = None,
) -> Turn:
    """Apply one event for one person, in one transaction of its own.

    A mistake the person can fix (closed campaign, already sent, not invited)
    comes back as a notice; stored data is untouched. See :func:`apply_event`.
    """
    try:
        async with sessions() as session, session.begin():
            return await apply_event(
                session,
                secret=secret,
                person=person,
                campaign_id=campaign.id,
                event=event,
                now=now,
                draft_check=draft_check,
            )
    except SurveyError as error:
        return Turn((Notice(str(error), Tone.ERROR),))


async def apply_event(
    session: AsyncSession,
    *,
    secret: bytes,
    person: Person,
    campaign_id: uuid.UUID,
    event: Event,
    now: datetime,
    draft_check: DraftCheck | None = None,
    question_pages: bool = False,
) -> Turn:
    """Apply one event for one person in the caller's transaction.

    ``question_pages``: the channel gives each question a page of its own (see
    :attr:`~bot.conversation.flow.FlowContext.question_pages`).

    The campaign is read here, with the person's participation locked, so the
    caller need not read it first. While the campaign takes answers,
    ``draft_check`` sees the stored draft first, under the same lock as the
    write, so a double click cannot pass it twice.

    Raises:
        SurveyError: a mistake the person can fix (closed campaign, already
            sent, not invited, an answer that does not fit); the caller must
            roll back, as ``session.begin()`` does when this propagates.
        UnknownCampaignError: the campaign does not exist or is another
            organisation's.
    """
    sheet = await answer_sheet(
        session, secret=secret, person=person, campaign_id=campaign_id
    )
    campaign = sheet.campaign
    draft = sheet.state
    if draft_check is not None and _takes_answers(campaign, now):
        refusal = draft_check(draft)
        if refusal is not None:
            return Turn((refusal,), refused=True)
    participation = may_answer(
        person=person,
        campaign=campaign,
        participation=sheet.participation,
        now=now,
        editable=still_editable(draft.sent_at, now=now),
    )
    definition = await campaign_definition(
        session, campaign=campaign, participation=participation
    )
    context = _context(
        campaign, sheet.organisation, definition, question_pages=question_pages
    )
    outcome = step(
        context, FlowState(answers=draft.answers, current=draft.current), event
    )
    changed = outcome.state.answers != draft.answers
    if (
        outcome.effect == Effect.SAVE
        or outcome.state.current != draft.current
        or changed
    ):
        await write_draft(
            session,
            campaign=campaign,
            participation=participation,
            key=sheet.draft_key,
            draft=sheet.draft,
            definition=definition,
            state=DraftState(
                answers=outcome.state.answers, current=outcome.state.current
            ),
            now=now,
        )
    if outcome.effect == Effect.SUBMIT and draft.sent_at is not None:
        # Sent answers changed in their grace period: the one draft is updated.
        notice = Notice(text.changes_saved(context.campaign_name), Tone.SUCCESS)
        return Turn((notice,), submitted=True)
    if outcome.effect == Effect.SUBMIT:
        # From the review, or the last answer of a short survey (stored above).
        await submit(
            session,
            secret=secret,
            person=person,
            campaign=campaign,
            now=now,
            keep_editable=context.short,
        )
        return Turn(submitted_messages(context), submitted=True)
    return Turn(outcome.messages)


async def preview_event(
    read_sessions: SessionFactory,
    *,
    secret: bytes,
    person: Person,
    campaign: Campaign,
    event: Event,
    now: datetime,
) -> Turn:
    """What :func:`handle_event` would answer, read only, storing nothing.

    For a platform that must reply within seconds (Slack's modal submission):
    an answer the question cannot take is found without waiting for the
    database's writer, and the write itself happens after the reply.
    """
    try:
        async with read_sessions() as session:
            sheet = await answer_sheet(
                session, secret=secret, person=person, campaign_id=campaign.id
            )
            may_answer(
                person=person,
                campaign=sheet.campaign,
                participation=sheet.participation,
                now=now,
            )
            definition = await campaign_definition(session, campaign=sheet.campaign)
            context = _context(sheet.campaign, sheet.organisation, definition)
            state = sheet.state
            outcome = step(
                context, FlowState(answers=state.answers, current=state.current), event
            )
            return Turn(outcome.messages)
    except SurveyError as error:
        return Turn((Notice(str(error), Tone.ERROR),))


def _takes_answers(campaign: Campaign, now: datetime) -> bool:
    try:
        require_open(campaign, now=now)
    except SurveyError:
        return False
    return True
