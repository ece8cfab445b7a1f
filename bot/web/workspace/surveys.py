"""The workspace's surveys: the list, a new one from a template, one survey's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.data import load_names
from bot.web.pages import now, runtime_of
from bot.web.workspace import text
from bot.web.workspace.guard import (
    Psw,
    no_such_survey,
    psw_in,
    record,
    survey_of,
    workspace_page,
    writing,
)
from survey.campaigns import Audience, create_campaign, list_campaigns
from survey.errors import NotFoundError, SurveyError
from survey.models import Campaign, Template
from survey.questions.bank import TemplateDefinition
from survey.questions.catalogue import definition_of, latest_templates
from survey.questions.sets import campaign_definition
from survey.roster.roles import Workforce
from survey.schedule.working_hours import local_words

REMINDER_CHOICES = (
    (3, "3 days after it opens"),
    (7, "A week after it opens"),
    (14, "Two weeks after it opens"),
    (-3, "3 days before it closes"),
    (-1, "The day before it closes"),
)
AUDIENCES = (
    ("", "Everyone on the roster"),
    (Workforce.SOCIAL_WORK.value, "Registered social workers only"),
    (Workforce.WIDER_WORKFORCE.value, "The wider workforce only"),
)
DONE = {
    "created": "Survey created. Plan when it opens and closes below, or open it now.",
    "scheduled": "Saved: the survey will open, remind and close as planned below.",
    "opened": "Survey opened: everyone in its audience has been invited.",
    "closed": "Survey closed: no more answers are taken, and its results are ready.",
}


@dataclass(frozen=True)
class SurveyRow:
    """One survey as the list shows it."""

    campaign: Campaign
    kind: str
    state: str
    audience: str
    opens: str
    closes: str


def register(app: FastAPI) -> None:
    """Add the survey list, the new-survey form and each survey's page."""

    @app.get("/workspace/surveys", response_class=HTMLResponse)
    async def surveys(request: Request) -> Response:
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            rows = await survey_rows(session, psw)
        return workspace_page(
            request, psw, "surveys.html", section="surveys", rows=rows
        )

    @app.get("/workspace/surveys/new", response_class=HTMLResponse)
    async def new_survey(request: Request, template: str = "") -> Response:
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            context = await new_survey_context(session, psw, template)
        return workspace_page(
            request, psw, "new_survey.html", section="surveys", **context
        )

    @app.post("/workspace/surveys", response_model=None)
    async def create(request: Request) -> Response:
        form = await request.form()
        typed = {key: str(form.get(key) or "") for key in ("template", "name", "year")}
        typed["workforce"] = str(form.get("workforce") or "")
        services = [str(value) for value in form.getlist("service")]
        async with writing(request) as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            errors = _create_problems(typed)
            campaign = None
            if not errors:
                try:
                    campaign = await create_campaign(
                        session,
                        organisation_id=psw.organisation.id,
                        template_key=typed["template"],
                        name=typed["name"],
                        year=int(typed["year"]),
                        audience=Audience(
                            services=services,
                            workforce=[typed["workforce"]]
                            if typed["workforce"]
                            else [],
                        ),
                    )
                except NotFoundError as error:
                    errors["template"] = text.in_survey_words(str(error))
                except SurveyError as error:
                    errors["name"] = text.in_survey_words(str(error))
            if campaign is None:
                context = await new_survey_context(session, psw, typed["template"])
                return workspace_page(
                    request,
                    psw,
                    "new_survey.html",
                    section="surveys",
                    status_code=400,
                    **{**context, "typed": typed, "chosen_services": services},
                    errors=errors,
                )
            template = await session.get(Template, campaign.template_id)
            assert template is not None
            await record(
                session,
                psw,
                action="campaign.created",
                subject=f"{campaign.name} · {template.title}",
            )
        return RedirectResponse(
            f"/workspace/surveys/{campaign.id}?done=created", status_code=303
        )

    @app.get("/workspace/surveys/{survey_id}", response_class=HTMLResponse)
    async def one_survey(request: Request, survey_id: str, done: str = "") -> Response:
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            campaign = await survey_of(session, psw, survey_id)
            if campaign is None:
                return no_such_survey(request)
            context = await survey_context(session, psw, campaign)
        return workspace_page(
            request,
            psw,
            "survey.html",
            section="surveys",
            done=DONE.get(done, ""),
            **context,
        )


async def survey_rows(session: AsyncSession, psw: Psw) -> list[SurveyRow]:
    """Every survey of the organisation in words, newest first."""
    zone = psw.organisation.timezone
    return [
        SurveyRow(
            campaign=campaign,
            kind=text.kind_words(template.kind),
            state=text.state_words(campaign),
            audience=text.audience_words(campaign),
            opens=local_words(campaign.opens_at, timezone=zone)
            if campaign.opens_at
            else "",
            closes=local_words(campaign.closes_at, timezone=zone)
            if campaign.closes_at
            else "",
        )
        for campaign, template in await list_campaigns(
            session, organisation_id=psw.organisation.id
        )
    ]


async def new_survey_context(
    session: AsyncSession, psw: Psw, key: str
) -> dict[str, Any]:
    """The templates to choose from, the chosen one's questions, the services."""
    templates = await latest_templates(session)
    chosen = next((t for t in templates if t.key == key), None)
    names = await load_names(session, organisation_id=psw.organisation.id)
    return {
        "templates": [_template_words(template) for template in templates],
        "chosen": _template_words(chosen) if chosen else None,
        "questions": _questions(definition_of(chosen)) if chosen else [],
        "services": sorted(names.services.values()),
        "audiences": AUDIENCES,
        "typed": {
            "template": key,
            "name": "",
            "year": str(now().year),
            "workforce": _default_workforce(chosen),
        },
        "chosen_services": [],
    }


async def survey_context(
    session: AsyncSession, psw: Psw, campaign: Campaign
) -> dict[str, Any]:
    """Everything one survey's page shows about it."""
    template = await session.get(Template, campaign.template_id)
    assert template is not None
    zone = psw.organisation.timezone
    return {
        "campaign": campaign,
        "kind": text.kind_words(template.kind),
        "state": text.state_words(campaign),
        "audience": text.audience_words(campaign),
        "template_title": template.title,
        "questions": _questions(await campaign_definition(session, campaign=campaign)),
        "opens": _local(campaign.opens_at, zone),
        "closes": _local(campaign.closes_at, zone),
        "reminder_choices": REMINDER_CHOICES,
        "reminder_days": set(campaign.reminder_days),
        "timezone": zone,
        "typed": {},
    }


def _local(moment: datetime | None, zone: str) -> dict[str, str]:
    """A time as words and as a date picker's value, on the organisation's clock."""
    if moment is None:
        return {"words": "", "picker": ""}
    local = moment.astimezone(ZoneInfo(zone))
    return {
        "words": local_words(moment, timezone=zone),
        "picker": f"{local:%Y-%m-%dT%H:%M}",
    }


def _template_words(template: Template) -> dict[str, Any]:
    return {
        "key": template.key,
        "title": template.title,
        "kind": text.kind_words(template.kind),
        "written_for": text.written_for(template.audience),
        "count": len(definition_of(template).questions),
        "minutes": definition_of(template).minutes,
    }


def _questions(definition: TemplateDefinition) -> list[dict[str, str]]:
    return [
        {
            "id": question.id,
            "text": question.text,
            "answer": text.scale_words(question),
            "optional": "" if question.required else "optional",
        }
        for question in definition.questions
    ]


def _default_workforce(template: Template | None) -> str:
    if template is None:
        return ""
    return {
        "social_workers": Workforce.SOCIAL_WORK.value,
        "wider_workforce": Workforce.WIDER_WORKFORCE.value,
    }.get(template.audience, "")


def _create_problems(typed: dict[str, str]) -> dict[str, str]:
    errors = {}
    if not typed["template"]:
        errors["template"] = "Choose the template the survey asks."
    if not typed["name"].strip():
        errors["name"] = "Give the survey a name, such as 'Health check 2027'."
    year = typed["year"].strip()
    if not (year.isdigit() and 2000 <= int(year) <= 2100):
        errors["year"] = "Give the reporting year as four digits, such as 2027."
    return errors
