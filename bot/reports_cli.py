"""``healthcheck report``: write a campaign's annual report as HTML, XLSX, CSV or DOCX.

Mistakes (an unknown campaign or format) raise SurveyError subclasses, which the
main CLI prints as one "Error: ..." line with a non-zero exit.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from analytics.writers import FORMATS, check_format, write_report
from bot.command_line import run_with_runtime
from bot.runtime import Runtime
from survey.audit import command_line_actor, record_event
from survey.campaigns import find_campaign
from survey.organisations import find_organisation

if TYPE_CHECKING:  # pandas loads only when a report is built, not for every command
    from analytics.report import Report

report_app = typer.Typer(rich_markup_mode=None)


def default_path(campaign: str, fmt: str) -> Path:
    """``./social-work-health-check-2025.docx`` for a campaign and format."""
    stem = re.sub(r"[^a-z0-9]+", "-", campaign.lower()).strip("-") or "report"
    return Path(f"{stem}.{fmt}")


async def _build(
    runtime: Runtime, *, campaign: str, org: str, compare: Path | None = None
) -> Report:
    from analytics.annual_report import annual_report

    async with runtime.sessions() as session:
        organisation = await find_organisation(session, slug=org)
        found = await find_campaign(
            session, organisation_id=organisation.id, name=campaign
        )
        return await annual_report(session, campaign=found, compare=compare)


async def _log_export(runtime: Runtime, *, org: str, campaign: str, what: str) -> None:
    """Write the report to the audit log, once its file has been written."""
    async with runtime.sessions() as session, session.begin():
        organisation = await find_organisation(session, slug=org)
        await record_event(
            session,
            organisation_id=organisation.id,
            actor=command_line_actor(),
            channel="cli",
            action="report.exported",
            subject=f"{campaign} · {what}",
        )


@report_app.command("report")
def report(
    campaigns: Annotated[
        list[str],
        typer.Argument(
            help="Campaign name, e.g. 'Social work health check 2025'; two with "
            "--combined."
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", help=" | ".join(FORMATS))] = "docx",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="File to write (default: named after the campaign)."
        ),
    ] = None,
    compare: Annotated[
        Path | None,
        typer.Option(
            "--compare",
            help="CSV of comparison figures (measure,question,value,population,"
            "year,source), e.g. a regional group's; shown where the wording matches.",
        ),
    ] = None,
    combined: Annotated[
        bool,
        typer.Option(
            "--combined",
            help="One committee paper (docx) for two health checks, e.g. the "
            "social work and the wider workforce checks.",
        ),
    ] = False,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organisation slug (default from settings)."),
    ] = None,
) -> None:
    """Write the annual report for a campaign (only figures that may be shown)."""
    name = check_format(fmt)
    if combined and (len(campaigns) != 2 or name != "docx"):
        raise typer.BadParameter(
            "--combined takes two campaigns and writes a docx committee paper.",
            param_hint="--combined",
        )
    if not combined and len(campaigns) != 1:
        raise typer.BadParameter(
            "give one campaign, or two with --combined.", param_hint="CAMPAIGNS"
        )

    async def work(runtime: Runtime) -> Path:
        slug = org or runtime.settings.organisation
        built = [
            await _build(runtime, campaign=campaign, org=slug, compare=compare)
            for campaign in campaigns
        ]
        if combined:
            from analytics.writers.combined import write_combined_docx

            path = out or default_path(" and ".join(r.campaign for r in built), name)
            path.parent.mkdir(parents=True, exist_ok=True)
            await asyncio.to_thread(write_combined_docx, built[0], built[1], path)
        else:
            # Charts and documents are CPU work: done off the event loop.
            path = await asyncio.to_thread(
                write_report,
                built[0],
                name,
                out or default_path(built[0].campaign, name),
            )
        what = f"{name} · {path}"
        for each in built:
            await _log_export(runtime, org=slug, campaign=each.campaign, what=what)
        return path

    typer.echo(f"Wrote {run_with_runtime(work)}")
