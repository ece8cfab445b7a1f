"""A posted answer form: the event it asks for, what was typed, its one-time token."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from fastapi.datastructures import FormData

from bot.conversation.flow import (
    REVIEW,
    Answer,
    Back,
    Edit,
    Event,
    Pause,
    Skip,
    Start,
    Submit,
)
from bot.conversation.messages import Notice, Tone
from bot.conversation.service import DraftCheck
from bot.conversation.text import moved_on
from bot.web import text
from bot.web.form_tokens import TokenCheck, check_form_token, draft_version
from bot.web.pages import Visitor
from survey.answering import DraftState


@dataclass(frozen=True)
class FormUse:
    """The one-time token a posted form carried, and the question it was for."""

    token: str
    question_id: str


def form_check(
    secret: bytes, visitor: Visitor, campaign_id: uuid.UUID, form: FormUse
) -> DraftCheck:
    """A notice if the form was already used or drawn for someone else.

    The service runs it on the stored draft under the write lock; a closed
    campaign is left to the flow, which says so clearly.
    """

    def check(draft: DraftState) -> Notice | None:
        verdict = check_form_token(
            secret,
            form.token,
            person_id=visitor.person.id,
            campaign_id=campaign_id,
            question_id=form.question_id,
            version=draft_version(draft.updated_at),
        )
        if verdict == TokenCheck.CURRENT:
            return None
        if verdict == TokenCheck.USED:
            return Notice(moved_on(), Tone.INFO)
        return Notice(text.out_of_date(), Tone.WARNING)

    return check


def answer_event(form: FormData, question_id: str) -> Event:
    """What the posted form asks the survey dialogue to do."""
    action = str(form.get("action", "answer"))
    edit = form.get("edit")
    if edit is not None:
        return Edit(question_id=str(edit))
    if action == "back":
        return Back(from_question=question_id)
    if action == "skip":
        return Skip(question_id=question_id)
    if action == "pause":
        return Pause()
    if action == "submit":
        return Submit()
    if question_id == REVIEW:
        return Start()
    special = form.get("special")
    if special is not None:
        return Answer(question_id=question_id, raw=str(special))
    if form.get("multiple"):
        return Answer(
            question_id=question_id,
            raw=[str(value) for value in form.getlist("answer")],
        )
    return Answer(question_id=question_id, raw=str(form.get("answer", "")))


def typed_answer(form: FormData) -> str | None:
    """What was typed in the answer box, to show again with a problem."""
    value = form.get("answer")
    return value if isinstance(value, str) and not form.get("multiple") else None
