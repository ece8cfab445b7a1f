"""The chat page a visitor sees: carried messages, then the current screen."""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.conversation.messages import Message, Prompt, Review
from bot.web import flash, text
from bot.web.chat_view import ChatView, build_chat_view
from bot.web.form_tokens import form_token
from bot.web.identity import SignedInBy
from bot.web.pages import (
    Visitor,
    channel_of,
    nav_for,
    now,
    organisation_of,
    page,
    read_session,
    runtime_of,
)
from bot.web.render_html import HtmlRenderer


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
        view = await chat_view(request, session, visitor, active_id)
    return draw_chat(
        request, visitor, view, carried=carried, screen=screen, status_code=status_code
    )


async def chat_view(
    request: Request,
    session: AsyncSession,
    visitor: Visitor,
    active_id: uuid.UUID | None,
    question_id: str | None = None,
) -> ChatView:
    """What the chat shows this visitor now, with the survey they are in.

    With ``question_id``, that question (the page at its own address).
    """
    return await build_chat_view(
        session,
        secret=runtime_of(request).settings.secret,
        person=visitor.person,
        organisation=await organisation_of(request),
        active_id=active_id,
        now=now(),
        question_id=question_id,
    )


def draw_chat(
    request: Request,
    visitor: Visitor,
    view: ChatView,
    *,
    carried: flash.Flash,
    screen: tuple[Message, ...] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """Draw the chat page, each carried message shown once before the screen."""
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
        nav=nav_for(visitor, sign_out=False),
        role=visitor.role,
        team=visitor.team,
        can_switch=visitor.session.signed_in_by == SignedInBy.PICKER,
        heading=_heading(visitor, view),
        conversation=renderer.render(messages),
        typed=carried.typed,
        intro=view.intro,
        surveys=view.surveys,
        active_id=view.active.id if view.active else None,
        edit=view.edit,
        has_problem=any(shows_problem(message) for message in messages),
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


def shows_problem(message: Message) -> bool:
    """Whether a message is a question or review shown with a problem."""
    return isinstance(message, Prompt | Review) and message.problem is not None
