"""Who may use the workspace (the roster's PSW), and what their actions leave behind."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.web.pages import (
    Visitor,
    channel_of,
    notice_page,
    organisation_of,
    page,
    refused_unless_psw,
    runtime_of,
    visitor_in,
)
from bot.web.workspace import text
from survey.audit import record_event
from survey.models import Campaign, Organisation

CHANNEL = "workspace"
"""The audit log's name for actions taken in the workspace."""


@dataclass(frozen=True)
class Psw:
    """The signed-in PSW and their organisation."""

    visitor: Visitor
    organisation: Organisation


async def psw_in(request: Request, session: AsyncSession) -> Psw | Response:
    """The signed-in PSW, or the response for anyone else.

    Someone not signed in is sent to the start page; someone whose roster access
    is not PSW gets a 403 page, and the refusal goes to the security log.
    """
    visitor = await visitor_in(request, session)
    if visitor is None:
        return RedirectResponse("/", status_code=303)
    refused = await refused_unless_psw(
        request, session, visitor, heading=text.NOT_PSW_HEADING, message=text.NOT_PSW
    )
    if refused is not None:
        return refused
    return Psw(visitor=visitor, organisation=await organisation_of(request))


async def survey_of(session: AsyncSession, psw: Psw, survey_id: str) -> Campaign | None:
    """The organisation's survey with this id (None for another's, or none)."""
    try:
        campaign = await session.get(Campaign, uuid.UUID(survey_id))
    except ValueError:
        return None
    if campaign is None or campaign.organisation_id != psw.organisation.id:
        return None
    return campaign


def no_such_survey(request: Request) -> HTMLResponse:
    """The 404 page for a survey id that is not this organisation's."""
    return notice_page(
        request,
        heading="Survey not found",
        message=text.NO_SUCH_SURVEY,
        status_code=404,
        next_href="/workspace/surveys",
        next_label="All surveys",
    )


async def record(session: AsyncSession, psw: Psw, *, action: str, subject: str) -> None:
    """Write one workspace action to the audit log, in the caller's transaction."""
    await record_event(
        session,
        organisation_id=psw.organisation.id,
        actor=psw.visitor.person.name,
        actor_person_id=psw.visitor.person.id,
        channel=CHANNEL,
        action=action,
        subject=subject,
    )


@asynccontextmanager
async def writing(request: Request) -> AsyncIterator[AsyncSession]:
    """A session in a transaction, once the channel's write gate lets us in."""
    runtime = runtime_of(request)
    async with (
        channel_of(request).writing(),
        runtime.sessions() as session,
        session.begin(),
    ):
        yield session


def workspace_page(
    request: Request,
    psw: Psw,
    template: str,
    *,
    section: str,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A workspace page: its section marked in the workspace's own navigation."""
    context.setdefault("errors", {})
    response = page(
        request,
        f"workspace/{template}",
        status_code=status_code,
        visitor=psw.visitor,
        section=section,
        has_problem=bool(context["errors"]),
        **context,
    )
    # The PSW's pages hold roster names and unreleased figures: never cache them.
    response.headers["Cache-Control"] = "no-store"
    return response


class Unchanged(Exception):
    """Leave a ``writing`` block with this page to show; nothing it did is kept."""

    def __init__(self, response: Response) -> None:
        super().__init__("refused")
        self.response = response
