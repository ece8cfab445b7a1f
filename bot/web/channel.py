"""The local web channel: the chat page at ``/`` and the forms it posts.

Every post ends in a 303 redirect (POST-redirect-GET) to the next question's own
address, ``/survey/<id>/q/<question>``, or to the survey's page for its intro,
review or thank-you, so a refresh never answers twice and the browser's Back and
Forward walk through the questions; what the post said travels in a one-time
flash cookie. The one exception is an answer the flow cannot accept: the
question is shown again straight away with the problem and what was typed, as a
form would.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.conversation.flow import (
    Event,
    Start,
)
from bot.conversation.messages import (
    InputKind,
    Message,
    Notice,
    Prompt,
    Review,
    Tone,
)
from bot.conversation.service import Turn, apply_event
from bot.web import flash, text
from bot.web.answer_form import FormUse, answer_event, form_check, typed_answer
from bot.web.chat_page import chat_page, chat_view, draw_chat, shows_problem
from bot.web.chat_view import question_address, survey_address
from bot.web.pages import (
    Visitor,
    channel_of,
    notice_page,
    now,
    organisation_of,
    read_session,
    runtime_of,
    visitor_in,
)
from bot.web.personas import picker_page
from survey.answer_sheet import UnknownCampaignError
from survey.errors import SurveyError


def register(app: FastAPI) -> None:
    """Add the chat routes."""

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def chat(request: Request, survey: str | None = None) -> HTMLResponse:
        runtime = runtime_of(request)
        try:
            async with read_session(request) as session:
                visitor = await visitor_in(request, session)
                view = (
                    await chat_view(request, session, visitor, _uuid(survey))
                    if visitor is not None
                    else None
                )
        except SurveyError as error:
            return notice_page(
                request,
                heading="The chat is not set up yet",
                message=str(error),
                tone="error",
                status_code=503,
            )
        if visitor is None or view is None:
            return await picker_page(request)
        shown = flash.read_flash(request, runtime.settings.secret)
        response = draw_chat(request, visitor, view, carried=shown)
        if flash.COOKIE in request.cookies:
            flash.clear_flash(response)
        return response

    @app.get(
        "/survey/{campaign_id}/q/{question_id}",
        response_class=HTMLResponse,
        include_in_schema=False,
    )
    async def question(
        request: Request, campaign_id: uuid.UUID, question_id: str
    ) -> Response:
        runtime = runtime_of(request)
        async with read_session(request) as session:
            visitor = await visitor_in(request, session)
            view = (
                await chat_view(request, session, visitor, campaign_id, question_id)
                if visitor is not None
                else None
            )
        if visitor is None or view is None:
            return RedirectResponse("/", status_code=303)
        if view.elsewhere:
            # Not a question they can answer now (not started, further on, or
            # sent): their current place in the survey instead.
            return _to_chat(campaign_id)
        shown = flash.read_flash(request, runtime.settings.secret)
        response = draw_chat(request, visitor, view, carried=shown)
        if flash.COOKIE in request.cookies:
            flash.clear_flash(response)
        return response

    @app.post("/start", response_model=None)
    async def start(request: Request) -> Response:
        form = await request.form()
        campaign_id = _uuid(str(form.get("campaign_id", "")))
        visitor, turn = await _step(request, campaign_id, Start())
        return await _answered(request, visitor, campaign_id, turn)

    @app.post("/answer", response_model=None)
    async def answer(request: Request) -> Response:
        form = await request.form()
        question_id = str(form.get("question_id", ""))
        campaign_id = _uuid(str(form.get("campaign_id", "")))
        visitor, turn = await _step(
            request,
            campaign_id,
            answer_event(form, question_id),
            form=FormUse(str(form.get("form_token", "")), question_id),
        )
        return await _answered(
            request, visitor, campaign_id, turn, typed=typed_answer(form)
        )

    @app.post("/command", response_model=None)
    async def command(request: Request) -> Response:
        form = await request.form()
        async with read_session(request) as session:
            visitor = await visitor_in(request, session)
        if visitor is None:
            return _to_chat()
        typed = str(form.get("text", "")).strip()[:500]
        back_to = _uuid(str(form.get("survey", "")))
        if not typed:
            return _to_chat(back_to)
        messages, campaign_id = await _run_command(request, visitor, typed)
        target = campaign_id or back_to
        shown = flash.Flash(messages=flash.carried(messages), typed=typed)
        value = flash.encode(runtime_of(request).settings.secret, shown)
        if value is None:
            # Too long for a cookie: show the reply now rather than lose it.
            return await chat_page(request, visitor, active_id=target, carried=shown)
        response = _to_chat(target)
        flash.set_flash(response, request, value)
        return response


def _uuid(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _to_chat(campaign_id: uuid.UUID | None = None) -> RedirectResponse:
    where = survey_address(campaign_id) if campaign_id else "/"
    return RedirectResponse(where, status_code=303)


def _to_screen(campaign_id: uuid.UUID, screens: list[Prompt | Review]) -> Response:
    """The address of what a step showed: its question's own, or the survey's."""
    shown = screens[-1] if screens else None
    if isinstance(shown, Prompt):
        where = question_address(campaign_id, shown.question_id)
        return RedirectResponse(where, status_code=303)
    return _to_chat(campaign_id)


def _with_flash(
    request: Request, response: Response, messages: tuple[Message, ...]
) -> Response:
    value = flash.encode(
        runtime_of(request).settings.secret, flash.Flash(messages=messages)
    )
    if value is not None:
        flash.set_flash(response, request, value)
    return response


async def _step(
    request: Request,
    campaign_id: uuid.UUID | None,
    event: Event,
    *,
    form: FormUse | None = None,
) -> tuple[Visitor | None, Turn | None]:
    """Who is here, and what ``event`` did, in one transaction.

    The visitor is looked up in the transaction that stores the answer, so an
    answer costs one database session. The turn is ``None`` when the campaign
    is not one of the visitor's organisation's (or no longer exists).
    """
    runtime = runtime_of(request)
    secret = runtime.settings.secret
    await organisation_of(request)  # a missing organisation fails loudly here
    visitor: Visitor | None = None
    async with channel_of(request).writing():
        try:
            async with runtime.sessions() as session, session.begin():
                visitor = await visitor_in(request, session)
                if visitor is None or campaign_id is None:
                    return visitor, None
                turn = await apply_event(
                    session,
                    secret=secret,
                    person=visitor.person,
                    campaign_id=campaign_id,
                    event=event,
                    now=now(),
                    draft_check=(
                        form_check(secret, visitor, campaign_id, form)
                        if form is not None
                        else None
                    ),
                    question_pages=True,
                )
        except UnknownCampaignError:
            return visitor, None
        except SurveyError as error:
            return visitor, Turn((Notice(str(error), Tone.ERROR),))
    return visitor, turn


async def _answered(
    request: Request,
    visitor: Visitor | None,
    campaign_id: uuid.UUID | None,
    turn: Turn | None,
    *,
    typed: str | None = None,
) -> Response:
    """Where a posted answer (or Start) goes next."""
    if visitor is None:
        return _to_chat()
    if campaign_id is None or turn is None:
        return _with_flash(
            request, _to_chat(), (Notice(text.no_such_survey(), Tone.WARNING),)
        )
    if turn.refused:
        return _with_flash(request, _to_chat(campaign_id), turn.messages)
    return await _after_turn(request, visitor, campaign_id, turn, typed=typed)


async def _after_turn(
    request: Request,
    visitor: Visitor,
    campaign_id: uuid.UUID,
    turn: Turn,
    *,
    typed: str | None = None,
) -> Response:
    screens = [m for m in turn.messages if isinstance(m, Prompt | Review)]
    if any(shows_problem(message) for message in screens):
        shown = tuple(_keep_typed(message, typed) for message in turn.messages)
        return await chat_page(
            request,
            visitor,
            active_id=campaign_id,
            carried=flash.Flash(),
            screen=shown,
            status_code=422,
        )
    if not screens and not turn.submitted:
        return _with_flash(request, _to_chat(), flash.carried(turn.messages))
    where = _to_screen(campaign_id, screens)
    return _with_flash(request, where, flash.carried(turn.messages))


def _keep_typed(message: Message, typed: str | None) -> Message:
    """Put what was typed back in the box, so a long comment is not lost."""
    if (
        isinstance(message, Prompt)
        and message.problem
        and typed is not None
        and message.kind in (InputKind.TEXT, InputKind.NUMBER)
    ):
        return replace(message, current=typed)
    return message


async def _run_command(
    request: Request, visitor: Visitor, typed: str
) -> tuple[tuple[Message, ...], uuid.UUID | None]:
    from bot.commands import dispatch

    runtime = runtime_of(request)
    try:
        async with channel_of(request).writing():
            result = await dispatch(
                runtime.sessions,
                secret=runtime.settings.secret,
                person=visitor.person,
                text=typed,
                now=now(),
                channel="local",
            )
    except SurveyError as error:
        return (Notice(str(error), Tone.ERROR),), None
    return result.messages, result.campaign_id
