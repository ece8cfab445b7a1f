"""``/sign-in``: Sign in with Microsoft or Slack (OpenID Connect, see ``oidc``)."""

from __future__ import annotations

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot import security_log
from bot.web import oidc, text
from bot.web.identity import SignedInBy, sign_in
from bot.web.pages import (
    notice_page,
    now,
    organisation_of,
    page,
    read_session,
    runtime_of,
)
from bot.web.rate_limit import client_of, count_failure, refused_for_too_many
from survey.roster.accounts import person_for_account

HOW = {oidc.MICROSOFT: SignedInBy.MICROSOFT, oidc.SLACK: SignedInBy.SLACK}
TIMEOUT = httpx.Timeout(10.0)


def register(app: FastAPI) -> None:
    """Add the sign-in page and each provider's start and return routes."""

    @app.get("/sign-in", response_class=HTMLResponse)
    async def sign_in_page(request: Request) -> HTMLResponse:
        known = oidc.providers(runtime_of(request).settings)
        return page(request, "sign_in.html", providers=list(known.values()))

    @app.post("/auth/{name}/start", response_model=None, include_in_schema=False)
    async def begin(request: Request, name: str) -> Response:
        settings = runtime_of(request).settings
        provider = oidc.providers(settings).get(name)
        if provider is None:
            return _not_offered(request)
        limited = refused_for_too_many(request)
        if limited is not None:
            return limited
        async with httpx.AsyncClient(timeout=TIMEOUT) as http:
            url, pending = await oidc.start(
                http, provider, redirect_uri=_return_to(request, name)
            )
        response = RedirectResponse(url, status_code=303)
        response.set_cookie(
            oidc.COOKIE,
            oidc.pending_cookie(settings.secret, pending),
            max_age=oidc.PENDING_SECONDS,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/auth/",
        )
        return response

    @app.get("/auth/{name}/callback", response_model=None, include_in_schema=False)
    async def came_back(
        request: Request, name: str, code: str = "", state: str = ""
    ) -> Response:
        settings = runtime_of(request).settings
        provider = oidc.providers(settings).get(name)
        if provider is None:
            return _not_offered(request)
        limited = refused_for_too_many(request)
        if limited is not None:
            return limited
        pending = oidc.read_pending(settings.secret, request.cookies.get(oidc.COOKIE))
        if pending is None or not code:
            return _refused(request, name, "no-sign-in-started")
        try:
            async with httpx.AsyncClient(timeout=TIMEOUT) as http:
                account = await oidc.finish(
                    http,
                    provider,
                    pending=pending,
                    code=code,
                    state=state,
                    redirect_uri=_return_to(request, name),
                )
        except oidc.SignInRefused as refusal:
            return _refused(request, name, refusal.reason)
        organisation = await organisation_of(request)
        async with read_session(request) as session:
            person = await person_for_account(
                session,
                organisation_id=organisation.id,
                object_id=account.object_id,
                slack_user_id=account.slack_user_id,
                email=account.email,
            )
        if person is None:
            return _refused(request, name, "not-on-roster", status_code=403)
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(oidc.COOKIE, path="/auth/")
        await sign_in(
            response, request, person_id=person.id, signed_in_by=HOW[name], now=now()
        )
        return response


def _return_to(request: Request, name: str) -> str:
    base = runtime_of(request).settings.public_url or str(request.base_url)
    return f"{base.rstrip('/')}/auth/{name}/callback"


def _not_offered(request: Request) -> HTMLResponse:
    return notice_page(
        request,
        heading=text.sign_in_not_offered_heading(),
        message=text.sign_in_not_offered(),
        status_code=404,
        next_href="/sign-in",
        next_label="Ways to sign in",
    )


def _refused(
    request: Request, provider: str, reason: str, *, status_code: int = 400
) -> HTMLResponse:
    count_failure(request)
    security_log.sign_in_refused(
        provider=provider, reason=reason, client=client_of(request)
    )
    refused = notice_page(
        request,
        heading=text.sign_in_refused_heading(reason),
        message=text.sign_in_refused(reason),
        tone="error",
        status_code=status_code,
        next_href="/sign-in",
        next_label="Try again",
    )
    refused.headers["Cache-Control"] = "no-store"
    return refused
