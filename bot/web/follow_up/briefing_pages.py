"""Writing a briefing: compose, preview on every channel, then post or schedule it."""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import datetime

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.web.follow_up import text
from bot.web.follow_up.choices import audience_choices, reach_of, scheduled_at
from bot.web.follow_up.shared import (
    audit,
    form_of,
    idempotency_key,
    local_time,
    platforms_of,
    posts_page,
    preview_of,
    previewed,
    psw_in,
    where_posts_go,
)
from bot.web.pages import (
    Visitor,
    channel_of,
    notice_page,
    now,
    organisation_of,
    runtime_of,
)
from survey.errors import SurveyError
from survey.follow_up.briefing_checks import BRIEFING, BriefingPreview, preview_briefing
from survey.follow_up.briefings import Briefing, create_briefing
from survey.follow_up.scheduled_posts import find_scheduled
from survey.models import Announcement, Organisation

PATH = "/workspace/posts/briefing"


@dataclass(frozen=True)
class BriefingForm:
    """The compose form's fields, exactly as typed, so a refusal loses nothing."""

    title: str = ""
    body: str = ""
    link: str = ""
    audience: str = "channel"
    when: str = "now"
    day: str = ""
    time: str = ""

    @classmethod
    def read(cls, fields: dict[str, str]) -> BriefingForm:
        """The form as posted (unknown fields ignored)."""
        names = cls.__dataclass_fields__
        return cls(**{name: fields[name] for name in names if name in fields})


def register(app: FastAPI) -> None:
    """Add the briefing pages."""

    @app.get(PATH, response_class=HTMLResponse)
    async def compose(request: Request) -> Response:
        return await _compose(request, BriefingForm())

    @app.post(PATH, response_class=HTMLResponse)
    async def preview(request: Request) -> Response:
        fields = await form_of(request)
        form = BriefingForm.read(fields)
        if fields.get("action") == "edit":
            return await _compose(request, form)
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        async with runtime.read_sessions() as session:
            visitor = await psw_in(request, session)
            if isinstance(visitor, Response):
                return visitor
            try:
                at = scheduled_at(
                    when=form.when,
                    day=form.day,
                    typed=form.time,
                    organisation=organisation,
                    now=now(),
                )
                checked = await preview_briefing(
                    session,
                    organisation_id=organisation.id,
                    title=form.title,
                    body=form.body,
                    link=form.link or None,
                    reach=reach_of(form.audience),
                    at=at,
                    now=now(),
                    platforms=platforms_of(request),
                )
            except SurveyError as error:
                return await _compose(request, form, problem=str(error))
        return _preview_page(request, visitor, organisation, form, checked)

    @app.post(f"{PATH}/confirm", response_class=HTMLResponse)
    async def confirm(request: Request) -> Response:
        fields = await form_of(request)
        form = BriefingForm.read(fields)
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        try:
            at = datetime.fromisoformat(fields["at"]) if fields.get("at") else None
        except ValueError:
            at = None
        try:
            async with (
                channel_of(request).writing(),
                runtime.sessions() as session,
                session.begin(),
            ):
                visitor = await psw_in(request, session)
                if isinstance(visitor, Response):
                    return visitor
                checked = await preview_briefing(
                    session,
                    organisation_id=organisation.id,
                    title=form.title,
                    body=form.body,
                    link=form.link or None,
                    reach=reach_of(form.audience),
                    at=at,
                    now=now(),
                    platforms=platforms_of(request),
                )
                if not previewed(request, fields.get("key", ""), checked.checked.key):
                    return _preview_page(
                        request,
                        visitor,
                        organisation,
                        form,
                        checked,
                        problem=text.CHANGED_SINCE_PREVIEW,
                    )
                briefing = await create_briefing(
                    session,
                    organisation_id=organisation.id,
                    title=form.title,
                    body=form.body,
                    link=form.link or None,
                    reach=checked.checked.reach,
                    at=at,
                    now=now(),
                    platforms=platforms_of(request),
                )
                if not briefing.repeat:
                    await _audit(session, organisation, visitor, briefing)
        except SurveyError as error:
            return await _compose(request, form, problem=str(error))
        repeat = "?repeat=1" if briefing.repeat else ""
        return RedirectResponse(
            f"{PATH}/{briefing.announcement.id}{repeat}", status_code=303
        )

    @app.get(PATH + "/{announcement_id}", response_class=HTMLResponse)
    async def done(
        request: Request, announcement_id: str, repeat: str = ""
    ) -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        async with runtime.read_sessions() as session:
            visitor = await psw_in(request, session)
            if isinstance(visitor, Response):
                return visitor
            announcement = await _announcement(session, organisation, announcement_id)
            if announcement is None:
                return notice_page(
                    request,
                    heading="No such post",
                    message="There is no briefing with that address.",
                    status_code=404,
                    next_href="/workspace/posts",
                    next_label="Back to posts",
                )
            state = None
            if announcement.scheduled_for is not None:
                state = await find_scheduled(
                    session,
                    organisation_id=organisation.id,
                    announcement_id=announcement.id,
                )
        if repeat:
            message = text.repeat(announcement.title)
        elif state is not None and announcement.posted_at is None:
            message = text.scheduled(
                announcement.title,
                state.reach.describe(),
                local_time(announcement.scheduled_for, organisation),
            )
        else:
            message = f"Posted '{announcement.title}'."
        return posts_page(
            request,
            "posts_done.html",
            visitor=visitor,
            heading=announcement.title,
            message=message,
            state=state,
            posted=local_time(announcement.posted_at, organisation),
        )


async def _compose(
    request: Request, form: BriefingForm, *, problem: str | None = None
) -> Response:
    runtime = runtime_of(request)
    organisation = await organisation_of(request)
    async with runtime.read_sessions() as session:
        visitor = await psw_in(request, session)
        if isinstance(visitor, Response):
            return visitor
        audiences = await audience_choices(session, organisation_id=organisation.id)
    return posts_page(
        request,
        "posts_briefing.html",
        status_code=400 if problem else 200,
        visitor=visitor,
        form=form,
        audiences=audiences,
        problem=problem,
    )


def _preview_page(
    request: Request,
    visitor: Visitor,
    organisation: Organisation,
    form: BriefingForm,
    checked: BriefingPreview,
    *,
    problem: str | None = None,
) -> HTMLResponse:
    reach = checked.checked.reach
    people = None if reach.is_channel else len(checked.checked.people)
    where = reach.describe()
    if people is not None:
        where += f": {text.reach_count(people)}"
    at = checked.checked.at
    hidden = {**asdict(form), "at": at.isoformat() if at else ""}
    return posts_page(
        request,
        "posts_preview.html",
        status_code=409 if problem else 200,
        visitor=visitor,
        problem=problem,
        heading="Check your briefing",
        summary=[
            ("For", where),
            ("When", local_time(at, organisation) if at else "As soon as you post it"),
            ("Goes to", where_posts_go(request)),
        ],
        previews=[
            preview_of(request, "The briefing", checked.payload, prefix="preview-")
        ],
        action=f"{PATH}/confirm",
        edit_action=PATH,
        hidden=hidden,
        key=idempotency_key(request, checked.checked.key),
        confirm_label="Schedule it" if at else "Post it now",
    )


async def _announcement(
    session: AsyncSession, organisation: Organisation, announcement_id: str
) -> Announcement | None:
    try:
        wanted = uuid.UUID(announcement_id)
    except ValueError:
        return None
    found = await session.get(Announcement, wanted)
    if found is None or found.organisation_id != organisation.id:
        return None
    if found.kind != BRIEFING:
        return None
    return found


async def _audit(
    session: AsyncSession,
    organisation: Organisation,
    visitor: Visitor,
    briefing: Briefing,
) -> None:
    when = briefing.scheduled_for
    await audit(
        session,
        organisation=organisation,
        visitor=visitor,
        action="briefing.scheduled" if when else "briefing.posted",
        subject=(
            f"{briefing.announcement.title} · {briefing.reach.describe()}"
            + (f" · {when.isoformat()}" if when else "")
        ),
    )
