"""Personal one-time links: ``/s/<token>`` signs a person in without the picker.

Staff without chat access get such a link from their PSW. It works once: the
first browser to open it is signed in (the session cookie) and the link is
spent, so a forwarded or leaked link cannot be used again.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from bot import security_log
from bot.web import text
from bot.web.identity import SignedInBy, sign_in
from bot.web.pages import (
    channel_of,
    notice_page,
    now,
    organisation_of,
    runtime_of,
)
from survey.errors import ExpiredLinkError, PersonalLinkError, UsedLinkError
from survey.personal_links import redeem_link


def register(app: FastAPI) -> None:
    """Add the personal link route."""

    @app.get("/s/{token}", response_model=None, include_in_schema=False)
    async def personal_link(request: Request, token: str) -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        try:
            async with (
                channel_of(request).writing(),
                runtime.sessions() as session,
                session.begin(),
            ):
                redeemed = await redeem_link(
                    session,
                    token=token,
                    now=now(),
                    organisation_id=organisation.id,
                )
        except PersonalLinkError as error:
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
        where = f"/?survey={redeemed.campaign_id}" if redeemed.campaign_id else "/"
        response = RedirectResponse(where, status_code=303)
        response.headers["Cache-Control"] = "no-store"
        sign_in(
            response,
            request,
            runtime.settings.secret,
            person_id=redeemed.person.id,
            signed_in_by=SignedInBy.LINK,
            now=now(),
        )
        return response
