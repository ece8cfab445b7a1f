"""A plain page listing the open surveys and their questions."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bot.runtime import Runtime
from survey.campaigns import Audience, open_campaigns
from survey.organisations import find_organisation
from survey.questions.sets import campaign_definition

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def register(app: FastAPI) -> None:
    """Add the overview routes."""

    @app.get("/surveys", response_class=HTMLResponse)
    async def surveys(request: Request) -> HTMLResponse:
        runtime: Runtime = request.app.state.runtime
        async with runtime.sessions() as session:
            organisation = await find_organisation(
                session, slug=runtime.settings.organisation
            )
            listed = []
            for campaign in await open_campaigns(
                session, organisation_id=organisation.id
            ):
                definition = await campaign_definition(session, campaign=campaign)
                audience = Audience.model_validate(campaign.audience).describe()
                listed.append((campaign, definition, audience))
        return templates.TemplateResponse(
            request,
            "surveys.html",
            {"organisation": organisation, "campaigns": listed},
        )
