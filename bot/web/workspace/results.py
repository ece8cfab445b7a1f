"""Results in the workspace: response rates by team, report downloads, the audit log.

Every figure comes through the disclosure gate: response rates from
:func:`analytics.participation.live_participation` (stepped counts while a
survey is open), reports from :func:`analytics.annual_report.annual_report`.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response

from analytics.participation import Scope, live_participation
from analytics.writers import FORMATS, write_report
from bot.reports_cli import default_path
from bot.web.pages import notice_page, runtime_of
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
from bot.web.workspace.surveys import survey_rows
from survey.audit import list_events
from survey.models import CampaignStatus
from survey.schedule.working_hours import local_words

SECTION = "results"
SHOWN_EVENTS = 200
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMAT_NAMES = {
    "html": "Web page (HTML)",
    "xlsx": "Spreadsheet (Excel, XLSX)",
    "csv": "Figures only (CSV)",
    "docx": "Document (Word, DOCX)",
}


def register(app: FastAPI) -> None:
    """Add the results pages, the downloads and the audit log."""

    @app.get("/workspace/results", response_class=HTMLResponse)
    async def results(request: Request) -> Response:
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            rows = await survey_rows(session, psw)
        return workspace_page(request, psw, "results.html", section=SECTION, rows=rows)

    @app.get("/workspace/surveys/{survey_id}/results", response_class=HTMLResponse)
    async def survey_results(request: Request, survey_id: str) -> Response:
        # Reading a round can take seconds: do it outside the write gate, then
        # record the view in a short transaction of its own (as the dashboard).
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            campaign = await survey_of(session, psw, survey_id)
            if campaign is None:
                return no_such_survey(request)
            rows = []
            if campaign.status != CampaignStatus.DRAFT:
                rows = await live_participation(
                    session, campaign=campaign, scope=Scope(roles=False)
                )
        if rows:
            async with writing(request) as session:
                await record(
                    session,
                    psw,
                    action="participation.viewed",
                    subject=f"{campaign.name} · whole organisation",
                )
        size = psw.organisation.min_group_size
        return workspace_page(
            request,
            psw,
            "survey_results.html",
            section=SECTION,
            campaign=campaign,
            state=text.state_words(campaign),
            rows=[
                (row, text.hidden_why(row.rate.hidden, size) if row.rate.hidden else "")
                for row in rows
            ],
            live=campaign.status == CampaignStatus.OPEN,
            steps=text.LIVE_STEPS.format(k=size),
            formats=[(fmt, FORMAT_NAMES[fmt]) for fmt in FORMATS],
        )

    @app.get("/workspace/surveys/{survey_id}/report.{fmt}", response_model=None)
    async def download(request: Request, survey_id: str, fmt: str) -> Response:
        from analytics.annual_report import annual_report

        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            campaign = await survey_of(session, psw, survey_id)
            if campaign is None:
                return no_such_survey(request)
            if fmt not in FORMATS or campaign.status == CampaignStatus.DRAFT:
                return notice_page(
                    request,
                    heading="No such report",
                    message=text.NO_REPORT.format(formats=text.listed(FORMATS)),
                    status_code=404,
                    next_href=f"/workspace/surveys/{campaign.id}/results",
                    next_label=f"Results of {campaign.name}",
                )
            report = await annual_report(session, campaign=campaign)
        name = default_path(campaign.name, fmt).name
        with tempfile.TemporaryDirectory(prefix="hc-report-") as folder:
            path = Path(folder) / name
            # Charts and documents are CPU work: done off the event loop.
            await asyncio.to_thread(write_report, report, fmt, path)
            body = path.read_bytes()
        async with writing(request) as session:
            await record(
                session,
                psw,
                action="report.exported",
                subject=f"{campaign.name} · {fmt} · downloaded",
            )
        return Response(
            body,
            media_type=MEDIA_TYPES[fmt],
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )

    @app.get("/workspace/audit", response_class=HTMLResponse)
    async def audit(request: Request) -> Response:
        async with runtime_of(request).read_sessions() as session:
            psw = await psw_in(request, session)
            if not isinstance(psw, Psw):
                return psw
            zone = psw.organisation.timezone
            events = await list_events(
                session, organisation_id=psw.organisation.id, limit=SHOWN_EVENTS
            )
        return workspace_page(
            request,
            psw,
            "audit.html",
            section="audit",
            events=[
                {
                    "when": local_words(event.at, timezone=zone),
                    "actor": event.actor,
                    "channel": event.channel,
                    "action": text.action_words(event.action),
                    "subject": event.subject,
                }
                for event in events
            ],
            shown=SHOWN_EVENTS,
        )
