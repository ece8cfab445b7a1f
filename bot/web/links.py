"""Personal one-time links: ``/s/<token>`` signs a person in without the picker.

Staff without chat access get such a link from their PSW. Opening it shows a
page with a Continue button and uses nothing; only that button's post (with
the page's CSRF token) spends the link and signs in, so a page that sends a
browser to someone's link cannot sign it in behind the person's back. Someone
already signed in as another person is asked first, never silently switched.
The link works once: a forwarded or leaked link cannot be used again.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot import security_log
from bot.web import text
from bot.web.identity import SignedInBy, sign_in
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
from bot.web.rate_limit import count_failure, refused_for_too_many
from survey.errors import ExpiredLinkError, PersonalLinkError, UsedLinkError
from survey.models import Person
from survey.personal_links import Redemption, check_link, redeem_link


def register(app: FastAPI) -> None:
    """Add the personal link routes."""

    @app.get("/s/{token}", response_model=None, include_in_schema=False)
    async def personal_link(request: Request, token: str) -> Response:
        limited = refused_for_too_many(request)
        if limited is not None:
            return limited
        organisation = await organisation_of(request)
        try:
            async with read_session(request) as session:
                found = await check_link(
                    session, token=token, now=now(), organisation_id=organisation.id
                )
                visitor = await visitor_in(request, session)
        except PersonalLinkError as error:
            return _refused(request, error)
        return _continue_page(request, found, current=_other(visitor, found))

    @app.post("/s/{token}", response_model=None, include_in_schema=False)
    async def use_personal_link(request: Request, token: str) -> Response:
        limited = refused_for_too_many(request)
        if limited is not None:
            return limited
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        switching = (await request.form()).get("switch") == "yes"
        try:
            async with (
                channel_of(request).writing(),
                runtime.sessions() as session,
                session.begin(),
            ):
                visitor = await visitor_in(request, session)
                found = await check_link(
                    session, token=token, now=now(), organisation_id=organisation.id
                )
                current = _other(visitor, found)
                if current is not None and not switching:
                    return _continue_page(
                        request, found, current=current, status_code=409
                    )
                redeemed = await redeem_link(
                    session, token=token, now=now(), organisation_id=organisation.id
                )
        except PersonalLinkError as error:
            return _refused(request, error)
        where = f"/?survey={redeemed.campaign_id}" if redeemed.campaign_id else "/"
        response = RedirectResponse(where, status_code=303)
        response.headers["Cache-Control"] = "no-store"
        await sign_in(
            response,
            request,
            person_id=redeemed.person.id,
            signed_in_by=SignedInBy.LINK,
            now=now(),
        )
        return response


def _other(visitor: Visitor | None, found: Redemption) -> Person | None:
    """Who is signed in here, if it is someone other than the link's person."""
    if visitor is None or visitor.person.id == found.person.id:
        return None
    return visitor.person


def _continue_page(
    request: Request,
    found: Redemption,
    *,
    current: Person | None,
    status_code: int = 200,
) -> HTMLResponse:
    shown = page(
        request,
        "personal_link.html",
        status_code=status_code,
        heading=text.link_continue_heading(switching=current is not None),
        name=found.person.name,
        current=current.name if current is not None else None,
        action=request.url.path,
    )
    shown.headers["Cache-Control"] = "no-store"
    return shown


def _refused(request: Request, error: PersonalLinkError) -> HTMLResponse:
    count_failure(request)
    kind = (
        "used"
        if isinstance(error, UsedLinkError)
        else "expired"
        if isinstance(error, ExpiredLinkError)
        else "unknown"
    )
    security_log.personal_link_refused(
        reason=kind, client=request.client.host if request.client else None
    )
    refused = notice_page(
        request,
        heading=text.link_title(kind),
        message=str(error),
        tone="error",
        status_code=404 if kind == "unknown" else 410,
    )
    refused.headers["Cache-Control"] = "no-store"
    return refused
