"""``healthcheck report``: write a campaign's annual report as HTML, XLSX, CSV or DOCX.

Mistakes (an unknown campaign or format) raise SurveyError subclasses, which the
main CLI prints as one "Error: ..." line with a non-zero exit.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Annotated

import typer

from analytics.report import Report, build_report
from analytics.writers import FORMATS, check_format, write_report
from bot.runtime import Runtime
from bot.settings import load_settings
from survey import migrate
from survey.campaigns import find_campaign
from survey.organisations import find_organisation

report_app = typer.Typer(rich_markup_mode=None)


def default_path(campaign: str, fmt: str) -> Path:
    """``./social-work-health-check-2025.docx`` for a campaign and format."""
    stem = re.sub(r"[^a-z0-9]+", "-", campaign.lower()).strip("-") or "report"
    return Path(f"{stem}.{fmt}")


async def _build(runtime: Runtime, *, campaign: str, org: str) -> Report:
    async with runtime.sessions() as session:
        organisation = await find_organisation(session, slug=org)
        found = await find_campaign(
            session, organisation_id=organisation.id, name=campaign
        )
        return await build_report(session, campaign=found)


@report_app.command("report")
def report(
    campaign: Annotated[
        str, typer.Argument(help="Campaign name, e.g. 'Social work health check 2025'.")
    ],
    fmt: Annotated[str, typer.Option("--format", help=" | ".join(FORMATS))],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="File to write (default: named after the campaign)."
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organisation slug (default from settings)."),
    ] = None,
) -> None:
    """Write the annual report for a campaign (only figures that may be shown)."""
    name = check_format(fmt)
    settings = load_settings()
    migrate.require_current(settings.database_url)

    async def main() -> Report:
        runtime = Runtime.build(settings)
        try:
            slug = org or settings.organisation
            return await _build(runtime, campaign=campaign, org=slug)
        finally:
            await runtime.close()

    built = asyncio.run(main())
    # Charts and documents are CPU work: done after the event loop has finished.
    path = write_report(built, name, out or default_path(built.campaign, name))
    typer.echo(f"Wrote {path}")
