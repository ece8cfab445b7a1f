"""Scheduled posts: the list, and cancelling one, confirmed first, before it goes."""

from __future__ import annotations

import uuid

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.web.follow_up import text
from bot.web.follow_up.shared import audit, local_time, posts_page, psw_in
from bot.web.pages import channel_of, notice_page, organisation_of, runtime_of
from survey.errors import NotFoundError, SurveyError
from survey.follow_up.scheduled_posts import (
    CancelError,
    ScheduledBriefing,
    cancel_briefing,
    find_scheduled,
    scheduled_briefings,
    why_not_cancellable,
)
from survey.models import Organisation

PATH = "/workspace/posts/scheduled"


def register(app: FastAPI) -> None:
    """Add the scheduled posts pages."""

    @app.get(PATH, response_class=HTMLResponse)
    async def scheduled(request: Request, cancelled: str = "") -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        async with runtime.read_sessions() as session:
            visitor = await psw_in(request, session)
            if isinstance(visitor, Response):
                return visitor
            items = await scheduled_briefings(session, organisation_id=organisation.id)
        done = next(
            (item for item in items if str(item.announcement.id) == cancelled), None
        )
        return posts_page(
            request,
            "posts_scheduled.html",
            visitor=visitor,
            rows=[_row(item, organisation) for item in items],
            outcome=text.cancelled(done.announcement.title) if done else None,
        )

    @app.get(PATH + "/{announcement_id}/cancel", response_class=HTMLResponse)
    async def confirm_cancel(request: Request, announcement_id: str) -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        async with runtime.read_sessions() as session:
            visitor = await psw_in(request, session)
            if isinstance(visitor, Response):
                return visitor
            try:
                item = await find_scheduled(
                    session,
                    organisation_id=organisation.id,
                    announcement_id=_uuid(announcement_id),
                )
            except NotFoundError as error:
                return _missing(request, str(error))
        problem = None
        if not item.cancellable:
            problem = why_not_cancellable(item, timezone=organisation.timezone)
        return posts_page(
            request,
            "posts_cancel.html",
            status_code=409 if problem else 200,
            visitor=visitor,
            row=_row(item, organisation),
            problem=problem,
        )

    @app.post(PATH + "/{announcement_id}/cancel", response_class=HTMLResponse)
    async def cancel(request: Request, announcement_id: str) -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        try:
            wanted = _uuid(announcement_id)
            async with (
                channel_of(request).writing(),
                runtime.sessions() as session,
                session.begin(),
            ):
                visitor = await psw_in(request, session)
                if isinstance(visitor, Response):
                    return visitor
                before = await find_scheduled(
                    session, organisation_id=organisation.id, announcement_id=wanted
                )
                item = await cancel_briefing(
                    session,
                    organisation_id=organisation.id,
                    announcement_id=wanted,
                    timezone=organisation.timezone,
                )
                if before.cancellable:
                    await audit(
                        session,
                        organisation=organisation,
                        visitor=visitor,
                        action="briefing.cancelled",
                        subject=f"{item.announcement.title} · {item.reach.describe()}",
                    )
        except NotFoundError as error:
            return _missing(request, str(error))
        except CancelError as error:
            return await _refused(request, wanted, str(error))
        except SurveyError as error:
            return _missing(request, str(error))
        return RedirectResponse(f"{PATH}?cancelled={wanted}", status_code=303)


async def _refused(request: Request, wanted: uuid.UUID, problem: str) -> Response:
    runtime = runtime_of(request)
    organisation = await organisation_of(request)
    async with runtime.read_sessions() as session:
        visitor = await psw_in(request, session)
        if isinstance(visitor, Response):
            return visitor
        item = await find_scheduled(
            session, organisation_id=organisation.id, announcement_id=wanted
        )
    return posts_page(
        request,
        "posts_cancel.html",
        status_code=409,
        visitor=visitor,
        row=_row(item, organisation),
        problem=problem,
    )


def _row(item: ScheduledBriefing, organisation: Organisation) -> dict[str, object]:
    announcement = item.announcement
    return {
        "id": str(announcement.id),
        "title": announcement.title,
        "for": item.reach.describe(),
        "when": local_time(announcement.scheduled_for, organisation),
        "posted": local_time(announcement.posted_at, organisation),
        "state": item.state,
        "cancellable": item.cancellable,
    }


def _missing(request: Request, message: str) -> Response:
    return notice_page(
        request,
        heading="No such scheduled post",
        message=message,
        status_code=404,
        next_href=PATH,
        next_label="Back to scheduled posts",
    )


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFoundError("There is no scheduled post with that id.") from None
