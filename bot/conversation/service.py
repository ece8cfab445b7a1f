"""Runs the survey flow against storage: the one place adapters call to answer.

Every platform adapter turns its payload into a flow event and calls
:func:`handle_event`; this loads the draft, steps the pure flow, saves or
submits, and returns the messages to render.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.conversation.flow import (
    Effect,
    Event,
    FlowContext,
    FlowState,
    step,
    submitted_messages,
)
from bot.conversation.messages import Message, Notice, Tone
from survey.answering import (
    DraftState,
    check_can_answer,
    load_draft,
    save_draft,
    submit,
)
from survey.catalogue import template_definition
from survey.db import SessionFactory
from survey.errors import NotFoundError, SurveyError
from survey.models import Campaign, Organisation, Person


@dataclass(frozen=True)
class Turn:
    """What one event produced: messages, and whether the answers were sent."""

    messages: tuple[Message, ...]
    submitted: bool = False


async def flow_context(session: AsyncSession, *, campaign: Campaign) -> FlowContext:
    """The flow's view of a campaign: its questions, name and closing date."""
    definition = await template_definition(session, template_id=campaign.template_id)
    organisation = await session.get(Organisation, campaign.organisation_id)
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
    )


async def handle_event(
    sessions: SessionFactory,
    *,
    secret: bytes,
    person: Person,
    campaign: Campaign,
    event: Event,
    now: datetime,
) -> Turn:
    """Apply one event for one person, in one transaction.

    A mistake the person can fix (closed campaign, already sent, not invited)
    comes back as a notice; stored data is untouched.
    """
    try:
        async with sessions() as session, session.begin():
            # Re-read inside this transaction: the caller's copy may predate a close.
            fresh = await session.get(Campaign, campaign.id)
            if fresh is None:
                raise NotFoundError("That survey no longer exists.")
            campaign = fresh
            await check_can_answer(session, person=person, campaign=campaign, now=now)
            context = await flow_context(session, campaign=campaign)
            draft = await load_draft(
                session, secret=secret, person=person, campaign=campaign
            )
            outcome = step(
                context, FlowState(answers=draft.answers, current=draft.current), event
            )
            if outcome.effect == Effect.SAVE:
                await save_draft(
                    session,
                    secret=secret,
                    person=person,
                    campaign=campaign,
                    state=DraftState(
                        answers=outcome.state.answers, current=outcome.state.current
                    ),
                    now=now,
                )
            elif outcome.effect == Effect.SUBMIT:
                await submit(
                    session, secret=secret, person=person, campaign=campaign, now=now
                )
                return Turn(submitted_messages(context), submitted=True)
            elif outcome.state.current != draft.current:
                await save_draft(
                    session,
                    secret=secret,
                    person=person,
                    campaign=campaign,
                    state=DraftState(
                        answers=outcome.state.answers, current=outcome.state.current
                    ),
                    now=now,
                )
            return Turn(outcome.messages)
    except SurveyError as error:
        return Turn((Notice(str(error), Tone.ERROR),))
