"""Answering a campaign: drafts that survive restarts, and the anonymous submit.

The submit marks the participation completed, seals the response into the pool
(:mod:`survey.response_pool`) and deletes the draft in one transaction, so a
failure leaves either the draft or the sealed response, never neither and never
both. The response rows are written later, in a shuffled batch with others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, case, insert, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.anonymity import draft_key
from survey.campaigns import require_open
from survey.errors import (
    AlreadySubmittedError,
    AnswerError,
    NotInvitedError,
)
from survey.models import (
    Campaign,
    Draft,
    Participation,
    ParticipationStatus,
    Person,
)
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import AnswerValue
from survey.questions.sets import answered_count, campaign_definition
from survey.response_pool import add_to_pool
from survey.response_rows import response_record
from survey.sent_answers import mark_sent


@dataclass
class DraftState:
    """A person's answers so far. ``None`` marks a question they skipped."""

    answers: dict[str, AnswerValue | None] = field(default_factory=dict)
    current: str | None = None
    updated_at: datetime | None = None
    sent_at: datetime | None = None


async def participation_of(
    session: AsyncSession, *, person: Person, campaign: Campaign
) -> Participation:
    """The person's participation row in the campaign.

    Raises:
        NotInvitedError: if they are not in its audience.
    """
    participation = (
        await session.exec(
            select(Participation)
            .where(
                Participation.campaign_id == campaign.id,
                Participation.person_id == person.id,
            )
            # Serialises one person's concurrent requests (a double click that
            # creates a draft twice) on PostgreSQL; SQLite's BEGIN IMMEDIATE
            # already does.
            .with_for_update()
        )
    ).first()
    if participation is None or not person.active:
        raise NotInvitedError(_not_invited(campaign))
    return participation


def _not_invited(campaign: Campaign) -> str:
    return (
        f"'{campaign.name}' was not sent to you. If you think it should have "
        "been, please ask your Principal Social Worker."
    )


async def check_can_answer(
    session: AsyncSession, *, person: Person, campaign: Campaign, now: datetime
) -> Participation:
    """Check the campaign is open and this person may still answer it."""
    require_open(campaign, now=now)
    participation = await participation_of(session, person=person, campaign=campaign)
    return may_answer(
        person=person, campaign=campaign, participation=participation, now=now
    )


def may_answer(
    *,
    person: Person,
    campaign: Campaign,
    participation: Participation | None,
    now: datetime,
    editable: bool = False,
) -> Participation:
    """The rules of :func:`check_can_answer`, on rows the caller has read.

    ``editable``: the person sent a short survey and its grace period has not
    ended (:func:`survey.sent_answers.still_editable`), so they may change it.

    Raises:
        CampaignClosedError: the campaign does not take answers now.
        NotInvitedError: the person is not in its audience (or has left).
        AlreadySubmittedError: they have sent their answers.
    """
    require_open(campaign, now=now)
    if participation is None or not person.active:
        raise NotInvitedError(_not_invited(campaign))
    if participation.status == ParticipationStatus.COMPLETED and not editable:
        raise AlreadySubmittedError(
            f"You have already sent your answers to '{campaign.name}'. Thank you."
        )
    return participation


async def load_draft(
    session: AsyncSession, *, secret: bytes, person: Person, campaign: Campaign
) -> DraftState:
    """The person's saved answers for the campaign (empty if they have none)."""
    key = draft_key(secret, person_id=person.id, campaign_id=campaign.id)
    return state_of(await session.get(Draft, key))


def state_of(draft: Draft | None) -> DraftState:
    """The answers a stored draft holds (empty for ``None``)."""
    if draft is None:
        return DraftState()
    return DraftState(
        answers=dict(draft.answers),
        current=draft.current,
        updated_at=draft.updated_at,
        sent_at=draft.sent_at,
    )


async def save_draft(
    session: AsyncSession,
    *,
    secret: bytes,
    person: Person,
    campaign: Campaign,
    state: DraftState,
    now: datetime,
) -> None:
    """Check every answer against its question and store the draft.

    Raises:
        CampaignClosedError, NotInvitedError, AlreadySubmittedError: as
            :func:`check_can_answer`.
        AnswerError: an answer that does not fit its question.
    """
    participation = await check_can_answer(
        session, person=person, campaign=campaign, now=now
    )
    key = draft_key(secret, person_id=person.id, campaign_id=campaign.id)
    await write_draft(
        session,
        campaign=campaign,
        participation=participation,
        key=key,
        draft=await session.get(Draft, key),
        definition=await campaign_definition(
            session, campaign=campaign, participation=participation
        ),
        state=state,
        now=now,
    )


_DRAFTS: Table = Draft.__table__  # type: ignore[attr-defined]
_PARTICIPATIONS: Table = Participation.__table__  # type: ignore[attr-defined]
_WRITE_DRAFT = update(_DRAFTS).where(_DRAFTS.c.key == bindparam("draft_key"))
"""The draft's answers, place and time: values given when it runs."""
_WRITE_PROGRESS = (
    update(_PARTICIPATIONS)
    .where(_PARTICIPATIONS.c.id == bindparam("participation"))
    .values(
        answered=bindparam("progress"),
        status=case(
            (
                _PARTICIPATIONS.c.status == ParticipationStatus.INVITED,
                ParticipationStatus.STARTED,
            ),
            else_=_PARTICIPATIONS.c.status,
        ),
    )
)
"""How far the person has got (a count only), and that they have started."""


async def write_draft(
    session: AsyncSession,
    *,
    campaign: Campaign,
    participation: Participation,
    key: str,
    draft: Draft | None,
    definition: TemplateDefinition,
    state: DraftState,
    now: datetime,
) -> Draft:
    """Check every answer against its question and store the draft.

    The caller has read ``draft`` by ``key`` (from :func:`~survey.anonymity.draft_key`)
    and checked ``participation`` with :func:`may_answer`, both in this
    transaction; :func:`save_draft` does all of that itself.

    Raises:
        AnswerError: an answer that does not fit its question.
    """
    answers = _checked(definition, state.answers)
    written: dict[str, Any] = {
        "answers": answers,
        "current": state.current,
        "updated_at": now,
    }
    if draft is None:
        draft = Draft(
            key=key,
            campaign_id=campaign.id,
            answers=answers,
            current=state.current,
            updated_at=now,
        )
        await session.exec(
            insert(_DRAFTS).values(key=key, campaign_id=campaign.id, **written)
        )
    else:
        await session.exec(_WRITE_DRAFT, params={"draft_key": key, **written})
        for name, value in written.items():
            set_committed_value(draft, name, value)
    status = participation.status
    if status == ParticipationStatus.COMPLETED:
        # Sent answers being changed: the participation says finished and keeps
        # no count.
        return draft
    if status == ParticipationStatus.INVITED:
        status = ParticipationStatus.STARTED
    answered = answered_count(definition, answers)
    if (answered, status) != (participation.answered, participation.status):
        await session.exec(
            _WRITE_PROGRESS,
            params={"participation": participation.id, "progress": answered},
        )
        set_committed_value(participation, "answered", answered)
        set_committed_value(participation, "status", status)
    return draft


async def submit(
    session: AsyncSession,
    *,
    secret: bytes,
    person: Person,
    campaign: Campaign,
    now: datetime,
    keep_editable: bool = False,
) -> None:
    """Turn the person's draft into a sealed response, in the caller's transaction.

    The response waits in the pool and is written with others later (when
    enough wait, or at the close), so nothing in the database ties it to this
    submission. With ``keep_editable`` (a short survey) the draft is only marked
    sent: it is sealed when its grace period ends or the survey closes
    (:mod:`survey.sent_answers`).

    On any error the caller's transaction must be rolled back (``session.begin()``
    does this), which undoes the participation claim.

    Raises:
        AnswerError: required questions are unanswered (it names them).
        AlreadySubmittedError: a second submit, including a concurrent one.
    """
    participation = await check_can_answer(
        session, person=person, campaign=campaign, now=now
    )
    await _hold_open(session, campaign=campaign, now=now)
    # Claim the participation first: a concurrent submit waits on this row lock
    # and then finds it completed, instead of finding the draft already gone.
    claimed = await session.exec(
        update(Participation)
        .where(
            col(Participation.campaign_id) == campaign.id,
            col(Participation.person_id) == person.id,
            col(Participation.status) != ParticipationStatus.COMPLETED,
        )
        .values(status=ParticipationStatus.COMPLETED, answered=0)
    )
    if claimed.rowcount != 1:
        raise AlreadySubmittedError(
            f"You have already sent your answers to '{campaign.name}'. Thank you."
        )
    definition = await campaign_definition(
        session, campaign=campaign, participation=participation
    )
    key = draft_key(secret, person_id=person.id, campaign_id=campaign.id)
    draft = await session.get(Draft, key)
    answers = _checked(definition, dict(draft.answers) if draft else {})
    missing = missing_required(definition, answers)
    if missing:
        raise AnswerError(
            "Please answer these before sending: " + ", ".join(missing) + "."
        )
    if keep_editable and draft is not None:
        await mark_sent(session, campaign=campaign, key=key, now=now)
        return
    record = await response_record(
        session,
        definition=definition,
        person=person,
        campaign=campaign,
        answers=answers,
        now=now,
    )
    await add_to_pool(session, secret=secret, campaign=campaign, record=record, now=now)
    if draft is not None:
        await session.delete(draft)
    await session.flush()


async def _hold_open(
    session: AsyncSession, *, campaign: Campaign, now: datetime
) -> None:
    """Keep the campaign from closing until this submit ends, and check it is open.

    A close writes the whole pool; holding a share lock on the campaign row makes
    a concurrent close wait for this submit (and so write its response), or makes
    this submit see the close (and refuse). SQLite's ``BEGIN IMMEDIATE`` already
    serialises the two.
    """
    status = (
        await session.exec(
            select(Campaign.status)
            .where(Campaign.id == campaign.id)
            .with_for_update(read=True)
        )
    ).one()
    if status != campaign.status:
        # Read afresh: ``campaign`` may be a read-only row of the answer sheet.
        campaign = (
            await session.get(Campaign, campaign.id, populate_existing=True)
        ) or campaign
    require_open(campaign, now=now)


def missing_required(
    definition: TemplateDefinition, answers: dict[str, AnswerValue | None]
) -> list[str]:
    """Ids of required questions that apply to these answers but have none."""
    given = {key: value for key, value in answers.items() if value is not None}
    return [
        question.id
        for question in definition.questions
        if question.required is not None
        and question.applies(given)
        and question.id not in given
    ]


def _checked(
    definition: TemplateDefinition, answers: dict[str, Any]
) -> dict[str, AnswerValue | None]:
    by_id = {question.id: question for question in definition.questions}
    checked: dict[str, AnswerValue | None] = {}
    for question_id, value in answers.items():
        question = by_id.get(question_id)
        if question is None:
            raise AnswerError(f"'{question_id}' is not a question in this survey.")
        if value is None:
            if question.required is not None:
                raise AnswerError(f"Question {question_id} cannot be skipped.")
            checked[question_id] = None
            continue
        try:
            checked[question_id] = question.check(value)
        except AnswerError as error:
            raise AnswerError(f"{question_id}: {error}") from None
    return checked
