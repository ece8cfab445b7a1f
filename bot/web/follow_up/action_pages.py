"""Actions: the list, and logging one against a theme or question picked by wording."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import follow_up_text
from bot.web.follow_up import text
from bot.web.follow_up.choices import surveys
from bot.web.follow_up.question_choices import survey_questions
from bot.web.follow_up.shared import audit, form_of, posts_page, psw_in
from bot.web.pages import channel_of, now, organisation_of, runtime_of
from survey.errors import SurveyError
from survey.follow_up.actions import (
    PLANNED,
    STATUSES,
    FollowUpError,
    add_action,
    find_action,
    list_actions,
)
from survey.models import Campaign, Organisation
from survey.questions.catalogue import template_definition
from survey.questions.themes import THEMES

PATH = "/workspace/posts/actions"
QUESTIONS_THEME = ""


@dataclass(frozen=True)
class ActionForm:
    """The action form's fields as typed, so a refusal loses nothing."""

    survey: str = ""
    question: str = ""
    theme: str = QUESTIONS_THEME
    said: str = ""
    doing: str = ""
    owner: str = ""
    due: str = ""
    status: str = PLANNED
    reason: str = ""

    @classmethod
    def read(cls, fields: dict[str, str]) -> ActionForm:
        """The form as posted (unknown fields ignored)."""
        names = cls.__dataclass_fields__
        return cls(**{name: fields[name] for name in names if name in fields})


def register(app: FastAPI) -> None:
    """Add the actions page."""

    @app.get(PATH, response_class=HTMLResponse)
    async def actions(request: Request, added: int = 0) -> Response:
        return await _page(request, ActionForm(), added=added)

    @app.post(PATH, response_class=HTMLResponse)
    async def add(request: Request) -> Response:
        form = ActionForm.read(await form_of(request))
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        try:
            async with (
                channel_of(request).writing(),
                runtime.sessions() as session,
                session.begin(),
            ):
                visitor = await psw_in(request, session)
                if isinstance(visitor, Response):
                    return visitor
                campaign, question = await _survey_and_question(
                    session, organisation, form
                )
                action = await add_action(
                    session,
                    organisation_id=organisation.id,
                    you_said=form.said,
                    we_did=form.doing,
                    owner=form.owner,
                    today=now().astimezone(ZoneInfo(organisation.timezone)).date(),
                    theme=form.theme or None,
                    campaign=campaign.name if campaign else None,
                    question=question,
                    due_on=_due(form.due),
                    status=form.status or PLANNED,
                    reason=form.reason or None,
                )
                listed = await find_action(
                    session, organisation_id=organisation.id, reference=action.id.hex
                )
                await audit(
                    session,
                    organisation=organisation,
                    visitor=visitor,
                    action="action.added",
                    subject=f"action {listed.number} · {listed.action.status}",
                )
        except SurveyError as error:
            return await _page(request, form, problem=str(error))
        return RedirectResponse(f"{PATH}?added={listed.number}", status_code=303)


async def _page(
    request: Request, form: ActionForm, *, added: int = 0, problem: str | None = None
) -> Response:
    runtime = runtime_of(request)
    organisation = await organisation_of(request)
    async with runtime.read_sessions() as session:
        visitor = await psw_in(request, session)
        if isinstance(visitor, Response):
            return visitor
        options = await surveys(session, organisation_id=organisation.id)
        questions = await survey_questions(session, campaigns=options)
        listed = await list_actions(session, organisation_id=organisation.id)
        rows = []
        for item in listed:
            wording = None
            if item.campaign is not None and item.action.question_key:
                definition = await template_definition(
                    session, template_id=item.campaign.template_id
                )
                wording = next(
                    (
                        q.text
                        for q in definition.questions
                        if q.id == item.action.question_key
                    ),
                    None,
                )
            rows.append(
                {
                    "number": item.number,
                    "theme": follow_up_text.theme_label(item.action.theme),
                    "survey": item.campaign.name if item.campaign else "",
                    "question": wording,
                    "question_id": item.action.question_key,
                    "said": item.action.you_said,
                    "doing": item.action.we_did,
                    "owner": item.action.owner,
                    "status": follow_up_text.status_words(item),
                }
            )
    return posts_page(
        request,
        "posts_actions.html",
        status_code=400 if problem else 200,
        visitor=visitor,
        form=asdict(form),
        surveys=options,
        questions=questions,
        themes=sorted(THEMES.items(), key=lambda item: item[1]),
        statuses=STATUSES,
        rows=rows,
        outcome=text.action_added(added) if added else None,
        problem=problem,
    )


async def _survey_and_question(
    session: AsyncSession, organisation: Organisation, form: ActionForm
) -> tuple[Campaign | None, str | None]:
    """The survey and question picked; the question's survey when only it is.

    Raises:
        FollowUpError: a question from another survey than the one picked, or
            a value the lists never offer.
    """
    survey = await _campaign(session, organisation, form.survey)
    if not form.question:
        return survey, None
    survey_id, _, question = form.question.partition(":")
    asked_in = await _campaign(session, organisation, survey_id)
    if asked_in is None or not question:
        raise FollowUpError(text.NOT_A_QUESTION)
    if survey is not None and survey.id != asked_in.id:
        raise FollowUpError(
            text.QUESTION_FROM_OTHER_SURVEY.format(
                question_survey=asked_in.name, survey=survey.name
            )
        )
    return asked_in, question


async def _campaign(
    session: AsyncSession, organisation: Organisation, value: str
) -> Campaign | None:
    if not value:
        return None
    try:
        found = await session.get(Campaign, uuid.UUID(value))
    except ValueError:
        found = None
    if found is None or found.organisation_id != organisation.id:
        raise FollowUpError(text.CHOOSE_SURVEY)
    return found


def _due(typed: str) -> date | None:
    if not typed.strip():
        return None
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise FollowUpError(text.NOT_A_DUE_DATE) from None
