"""A survey's year in the workspace: plan its times and reminders, open it, close it.

Each form calls the same core functions as ``healthcheck campaign ...`` and the
chat's ``campaign ...`` commands, and writes what it did to the audit log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from bot.web.pages import now, runtime_of
from bot.web.workspace import text
from bot.web.workspace.guard import (
    Psw,
    Unchanged,
    no_such_survey,
    psw_in,
    record,
    survey_of,
    workspace_page,
    writing,
)
from bot.web.workspace.surveys import survey_context
from survey.campaigns import close_campaign, open_campaign
from survey.errors import ScheduleError, SurveyError
from survey.models import Campaign, CampaignStatus
from survey.schedule.plans import schedule_campaign
from survey.schedule.working_hours import local_words, parse_local_time

TIMES = (("opens", "opening time"), ("closes", "closing time"))


def register(app: FastAPI) -> None:
    """Add scheduling, opening and closing (with its confirm page)."""

    @app.post("/workspace/surveys/{survey_id}/schedule", response_model=None)
    async def schedule(request: Request, survey_id: str) -> Response:
        form = await request.form()
        moment = now()
        try:
            return await _schedule(request, survey_id, form, moment)
        except Unchanged as refused:
            return refused.response

    @app.post("/workspace/surveys/{survey_id}/open", response_model=None)
    async def open_now(request: Request, survey_id: str) -> Response:
        try:
            return await _open(request, survey_id)
        except Unchanged as refused:
            return refused.response

    @app.get("/workspace/surveys/{survey_id}/close", response_class=HTMLResponse)
    async def confirm_close(request: Request, survey_id: str) -> Response:
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            campaign = await survey_of(session, psw, survey_id)
            if campaign is None:
                return no_such_survey(request)
        return _confirm_page(request, psw, campaign)

    @app.post("/workspace/surveys/{survey_id}/close", response_model=None)
    async def close(request: Request, survey_id: str) -> Response:
        form = await request.form()
        try:
            return await _close(
                request, survey_id, confirmed=form.get("confirm") == "yes"
            )
        except Unchanged as refused:
            return refused.response


async def _schedule(
    request: Request, survey_id: str, form: FormData, moment: datetime
) -> Response:
    async with writing(request) as session:
        psw = await psw_in(request, session)
        if not isinstance(psw, Psw):
            return psw
        campaign = await survey_of(session, psw, survey_id)
        if campaign is None:
            return no_such_survey(request)
        zone = psw.organisation.timezone
        errors: dict[str, str] = {}
        times: dict[str, datetime | None] = {}
        for field, what in TIMES:
            if field == "opens" and campaign.status == CampaignStatus.OPEN:
                times[field] = None
                continue
            try:
                times[field] = read_time(form, field, what, zone=zone, now=moment)
            except ScheduleError as error:
                errors[field] = text.in_survey_words(str(error))
        days = sorted({int(str(day)) for day in form.getlist("remind") if _day(day)})
        reminders = []
        if not errors:
            closes = times["closes"]
            assert closes is not None
            try:
                reminders = await schedule_campaign(
                    session,
                    campaign=campaign,
                    opens_at=times["opens"],
                    closes_at=closes,
                    reminder_days=days,
                    now=moment,
                )
            except SurveyError as error:
                errors["schedule"] = text.in_survey_words(str(error))
        if errors:
            context = await survey_context(session, psw, campaign)
            context["typed"] = {key: str(value) for key, value in form.items()}
            context["reminder_days"] = set(days)
            raise Unchanged(_survey_page(request, psw, context, errors))
        assert campaign.opens_at is not None
        assert campaign.closes_at is not None
        await record(
            session,
            psw,
            action="campaign.scheduled",
            subject=f"{campaign.name} · opens "
            f"{local_words(campaign.opens_at, timezone=zone)} · closes "
            f"{local_words(campaign.closes_at, timezone=zone)} · "
            f"{len(reminders)} reminders",
        )
    return _done(campaign.id, "scheduled")


async def _open(request: Request, survey_id: str) -> Response:
    async with writing(request) as session:
        psw = await psw_in(request, session)
        if not isinstance(psw, Psw):
            return psw
        campaign = await survey_of(session, psw, survey_id)
        if campaign is None:
            return no_such_survey(request)
        try:
            invited = await open_campaign(session, campaign=campaign, now=now())
        except SurveyError as error:
            context = await survey_context(session, psw, campaign)
            errors = {"open": text.in_survey_words(str(error))}
            raise Unchanged(_survey_page(request, psw, context, errors)) from None
        await record(
            session,
            psw,
            action="campaign.opened",
            subject=f"{campaign.name} · {invited} invited",
        )
    return _done(campaign.id, "opened")


async def _close(request: Request, survey_id: str, *, confirmed: bool) -> Response:
    async with writing(request) as session:
        psw = await psw_in(request, session)
        if not isinstance(psw, Psw):
            return psw
        campaign = await survey_of(session, psw, survey_id)
        if campaign is None:
            return no_such_survey(request)
        if not confirmed:
            return _confirm_page(
                request, psw, campaign, errors={"confirm": text.CONFIRM_CLOSE}
            )
        try:
            await close_campaign(
                session,
                campaign=campaign,
                now=now(),
                secret=runtime_of(request).settings.secret,
            )
        except SurveyError as error:
            errors = {"confirm": text.in_survey_words(str(error))}
            raise Unchanged(
                _confirm_page(request, psw, campaign, errors=errors)
            ) from None
        await record(session, psw, action="campaign.closed", subject=campaign.name)
    return _done(campaign.id, "closed")


def read_time(
    form: FormData, field: str, what: str, *, zone: str, now: datetime
) -> datetime:
    """The time a form gives: typed words win over the date picker.

    Raises:
        ScheduleError: neither given, or what was typed cannot be read.
    """
    typed = str(form.get(f"{field}_text") or "").strip()
    picked = str(form.get(f"{field}_at") or "").strip()
    if not typed and not picked:
        raise ScheduleError(text.NO_TIME.format(what=what))
    return parse_local_time(typed or picked, timezone=zone, what=what, now=now)


def _day(typed: object) -> bool:
    return str(typed).lstrip("-").isdigit()


def _done(survey_id: object, what: str) -> RedirectResponse:
    return RedirectResponse(f"/workspace/surveys/{survey_id}?done={what}", 303)


def _survey_page(
    request: Request, psw: Psw, context: dict[str, Any], errors: dict[str, str]
) -> HTMLResponse:
    return workspace_page(
        request,
        psw,
        "survey.html",
        section="surveys",
        status_code=400,
        errors=errors,
        **{**context, "done": ""},
    )


def _confirm_page(
    request: Request,
    psw: Psw,
    campaign: Campaign,
    *,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return workspace_page(
        request,
        psw,
        "close.html",
        section="surveys",
        status_code=400 if errors else 200,
        campaign=campaign,
        closing_means=text.CLOSING_MEANS,
        errors=errors or {},
    )
