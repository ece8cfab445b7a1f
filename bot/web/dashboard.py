"""The PSW's dashboard: the report's figures and charts, filtered within suppression."""

from __future__ import annotations

import asyncio
import base64

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from analytics.charts import Chart, favourable_chart, standards_chart
from analytics.data import Names, earlier_campaign, load_names, load_round
from analytics.groups import Group, everyone, team_group
from analytics.manager_view import manager_view
from analytics.model import GroupResults
from analytics.report import audience_of
from analytics.report_actions import report_actions
from analytics.results import ResultsEngine
from analytics.suppression import Policy
from bot import security_log
from bot.commands import insights_text
from bot.commands.access import standing_of
from bot.commands.insights_text import why_hidden
from bot.web.pages import notice_page, organisation_of, page, runtime_of, visitor_in
from survey.audit import record_event
from survey.errors import SurveyError
from survey.follow_up.targets import targets_for
from survey.models import Campaign
from survey.roster.roles import Access, role_label


def register(app: FastAPI) -> None:
    """Add ``/dashboard``."""

    @app.get("/dashboard", response_class=HTMLResponse)
    async def dashboard(
        request: Request,
        campaign: str = "",
        service: str = "",
        team: str = "",
        role: str = "",
    ) -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        # Reading a round can take seconds: do it outside the write lock, then
        # record the view in a short transaction of its own.
        async with runtime.read_sessions() as session:
            visitor = await visitor_in(request, session)
            if visitor is None:
                return RedirectResponse("/", status_code=303)
            standing = await standing_of(session, person=visitor.person)
            if standing is None or standing.access != Access.PSW:
                manager = standing is not None and standing.access == Access.MANAGER
                security_log.page_refused(
                    person_id=visitor.person.id,
                    page=request.url.path,
                    held=str(standing.access) if standing else "none",
                    needed=str(Access.PSW),
                )
                return notice_page(
                    request,
                    heading="Only the Principal Social Worker can open the dashboard",
                    message="Managers can see their team's summary on the Team "
                    "summary page (/summary), or type 'summary' in the chat.",
                    next_href="/summary" if manager else None,
                    next_label="Open your team's summary",
                    status_code=403,
                )
            campaigns = list(
                (
                    await session.exec(
                        select(Campaign)
                        .where(Campaign.organisation_id == organisation.id)
                        .order_by(col(Campaign.year).desc(), col(Campaign.name))
                    )
                ).all()
            )
            chosen = _choose(campaigns, campaign)
            if chosen is None:
                return page(request, "dashboard.html", visitor=visitor, campaigns=[])
            names = await load_names(session, organisation_id=organisation.id)
            current = await load_round(session, campaign=chosen)
            before = await earlier_campaign(session, campaign=chosen)
            previous = await load_round(session, campaign=before) if before else None
            actions = await report_actions(session, campaign=chosen)
            targets = await targets_for(
                session,
                organisation_id=organisation.id,
                template_key=current.definition.key,
            )
        try:
            group = _group(names, service=service, team=team, role=role)
        except SurveyError as error:
            return notice_page(
                request,
                heading="That filter is not one we recognise",
                message=str(error),
                status_code=400,
            )
        async with runtime.sessions() as session, session.begin():
            await record_event(
                session,
                organisation_id=organisation.id,
                actor=visitor.person.name,
                actor_person_id=visitor.person.id,
                channel="dashboard",
                action="dashboard.viewed",
                subject=f"{chosen.name} · {group.label}",
            )
        # RAG comes from the engine's own figures, so a hidden figure has none.
        engine = ResultsEngine(
            current,
            policy=Policy(organisation.min_group_size),
            previous=previous,
            targets=targets,
        )
        results = engine.group(group)
        charts = await asyncio.to_thread(_charts, results)
        view = manager_view(
            engine,
            group,
            organisation=everyone(organisation.name),
            previous=before.name if before is not None and engine.compared else None,
        )
        roles = sorted(audience_of(current)["role"].dropna().unique())
        services = sorted(names.services.items(), key=lambda item: item[1])
        teams = sorted(names.teams.items(), key=lambda item: item[1])
        return page(
            request,
            "dashboard.html",
            visitor=visitor,
            campaigns=campaigns,
            chosen=chosen,
            results=results,
            charts=charts,
            services=[
                (sid, name, not engine.visible(Group.of(name, service_id=sid)))
                for sid, name in services
            ],
            teams=[
                (
                    tid,
                    name,
                    not engine.visible(team_group(tid, names.team_service[tid], name)),
                )
                for tid, name in teams
            ],
            roles=[
                (code, role_label(code), not engine.visible(Group.of("", role=code)))
                for code in roles
            ],
            selected={"service": service, "team": team, "role": role},
            actions=actions,
            has_targets=bool(targets),
            why_hidden=why_hidden,
            view=view if view.fallback is None else None,
            text=insights_text,
        )


def _choose(campaigns: list[Campaign], wanted: str) -> Campaign | None:
    for campaign in campaigns:
        if str(campaign.id) == wanted:
            return campaign
    closed = [c for c in campaigns if c.status == "closed"]
    ordered = closed or campaigns
    return ordered[0] if ordered else None


def _group(names: Names, *, service: str, team: str, role: str) -> Group:
    """The group the filters describe; unknown values are ignored."""
    constraints: dict[str, str] = {}
    labels = []
    if team in names.teams:
        constraints["team_id"] = team
        constraints["service_id"] = names.team_service[team]
        labels.append(names.teams[team])
    elif service in names.services:
        constraints["service_id"] = service
        labels.append(names.services[service])
    if role:
        constraints["role"] = role
        labels.append(role_label(role))
    return Group.of(" / ".join(labels) or "Whole organisation", **constraints)


def _charts(results: GroupResults) -> list[tuple[Chart, str]]:
    drawn = [
        standards_chart(results.standards, title="LGA standards: score out of 100"),
        favourable_chart(results.weakest(8), title="Lowest % favourable"),
    ]
    return [
        (chart, base64.b64encode(chart.png).decode())
        for chart in drawn
        if chart is not None
    ]
