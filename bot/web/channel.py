"""The local web channel: the chat page at ``/`` and the forms it posts.

Every post ends in a 303 redirect back to the chat page (POST-redirect-GET), so
a refresh never answers twice; what the post said travels in a one-time flash
cookie. The one exception is an answer the flow cannot accept: the question is
shown again straight away with the problem and what was typed, as a form would.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from fastapi import FastAPI, Request
from fastapi.datastructures import FormData
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

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
from bot.conversation.messages import (
    InputKind,
    Message,
    Notice,
    Prompt,
    Review,
    Tone,
)
from bot.conversation.service import DraftCheck, Turn, apply_event
from bot.conversation.text import moved_on
from bot.web import flash, text
from bot.web.chat_view import ChatView, build_chat_view
from bot.web.form_tokens import TokenCheck, check_form_token, draft_version, form_token
from bot.web.identity import SignedInBy
from bot.web.pages import (
    Visitor,
    channel_of,
    notice_page,
    now,
    organisation_of,
    page,
    read_session,
    runtime_of,
    visitor_in,
)
from bot.web.personas import picker_page
from bot.web.render_html import HtmlRenderer
from survey.answer_sheet import UnknownCampaignError
from survey.answering import DraftState
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
                    await _view(request, session, visitor, _uuid(survey))
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
        response = _draw(request, visitor, view, carried=shown)
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
            _event(form, question_id),
            form=_FormUse(str(form.get("form_token", "")), question_id),
        )
        return await _answered(request, visitor, campaign_id, turn, typed=_typed(form))

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


async def chat_page(
    request: Request,
    visitor: Visitor,
    *,
    active_id: uuid.UUID | None,
    carried: flash.Flash,
    screen: tuple[Message, ...] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Load and draw the chat page: carried messages, then the current screen."""
    async with read_session(request) as session:
        view = await _view(request, session, visitor, active_id)
    return _draw(
        request, visitor, view, carried=carried, screen=screen, status_code=status_code
    )


async def _view(
    request: Request,
    session: AsyncSession,
    visitor: Visitor,
    active_id: uuid.UUID | None,
) -> ChatView:
    return await build_chat_view(
        session,
        secret=runtime_of(request).settings.secret,
        person=visitor.person,
        organisation=await organisation_of(request),
        active_id=active_id,
        now=now(),
    )


def _draw(
    request: Request,
    visitor: Visitor,
    view: ChatView,
    *,
    carried: flash.Flash,
    screen: tuple[Message, ...] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    secret = runtime_of(request).settings.secret
    shown = screen if screen is not None else view.screen
    messages = _without_repeats(carried.messages, shown)
    renderer = HtmlRenderer(
        environment=channel_of(request).environment,
        form_token=lambda campaign_id, question_id: form_token(
            secret,
            person_id=visitor.person.id,
            campaign_id=campaign_id,
            question_id=question_id,
            version=view.version,
        ),
    )
    response = page(
        request,
        "chat.html",
        status_code=status_code,
        person=visitor.person,
        role=visitor.role,
        team=visitor.team,
        can_switch=visitor.session.signed_in_by == SignedInBy.PICKER,
        heading=_heading(visitor, view),
        conversation=renderer.render(messages),
        typed=carried.typed,
        intro=view.intro,
        surveys=view.surveys,
        active_id=view.active.id if view.active else None,
        has_problem=any(_problem(message) for message in messages),
    )
    # Personal pages with one-time forms: never keep them in a shared browser.
    response.headers["Cache-Control"] = "no-store"
    return response


def _heading(visitor: Visitor, view: ChatView) -> str:
    if view.active is not None:
        return view.active.name
    return text.hello(visitor.person.name.split(" ")[0])


def _without_repeats(
    carried: tuple[Message, ...], screen: tuple[Message, ...]
) -> tuple[Message, ...]:
    kept = tuple(message for message in carried if message not in screen)
    return kept + screen


def _problem(message: Message) -> bool:
    return isinstance(message, Prompt | Review) and message.problem is not None


def _uuid(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _to_chat(campaign_id: uuid.UUID | None = None) -> RedirectResponse:
    where = f"/?survey={campaign_id}" if campaign_id else "/"
    return RedirectResponse(where, status_code=303)


def _with_flash(
    request: Request, response: Response, messages: tuple[Message, ...]
) -> Response:
    value = flash.encode(
        runtime_of(request).settings.secret, flash.Flash(messages=messages)
    )
    if value is not None:
        flash.set_flash(response, request, value)
    return response


@dataclass(frozen=True)
class _FormUse:
    """The one-time token a posted form carried, and the question it was for."""

    token: str
    question_id: str


def _form_check(
    secret: bytes, visitor: Visitor, campaign_id: uuid.UUID, form: _FormUse
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


def _event(form: FormData, question_id: str) -> Event:
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


def _typed(form: FormData) -> str | None:
    value = form.get("answer")
    return value if isinstance(value, str) and not form.get("multiple") else None


async def _step(
    request: Request,
    campaign_id: uuid.UUID | None,
    event: Event,
    *,
    form: _FormUse | None = None,
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
                        _form_check(secret, visitor, campaign_id, form)
                        if form is not None
                        else None
                    ),
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
    if any(_problem(message) for message in screens):
        shown = tuple(_keep_typed(message, typed) for message in turn.messages)
        return await chat_page(
            request,
            visitor,
            active_id=campaign_id,
            carried=flash.Flash(),
            screen=shown,
            status_code=422,
        )
    if turn.submitted or not screens:
        return _with_flash(request, _to_chat(), flash.carried(turn.messages))
    return _with_flash(request, _to_chat(campaign_id), flash.carried(turn.messages))


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
