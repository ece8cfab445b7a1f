"""``/workspace``: the PSW's home, with a line on each section."""

from __future__ import annotations

from collections import Counter

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from bot.web.pages import runtime_of
from bot.web.workspace.guard import Psw, psw_in, workspace_page
from survey.campaigns import list_campaigns


def register(app: FastAPI) -> None:
    """Add the workspace's home page."""

    @app.get("/workspace", response_class=HTMLResponse)
    async def home(request: Request) -> Response:
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            surveys = await list_campaigns(session, organisation_id=psw.organisation.id)
        counts = Counter(campaign.status for campaign, _ in surveys)
        return workspace_page(
            request,
            psw,
            "home.html",
            section="home",
            counts={state: counts[state] for state in ("draft", "open", "closed")},
        )
