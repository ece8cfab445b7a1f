"""``healthcheck import ...``: bringing in earlier rounds from the old survey tool."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation
from survey.audit import command_line_actor, record_event
from survey.historic.importing import ImportReport, import_responses
from survey.models import Organisation

import_app = typer.Typer(
    help="Import earlier rounds so year-on-year figures work from the start.",
    no_args_is_help=True,
)


@import_app.callback()
def import_group() -> None:
    """Import earlier rounds so year-on-year figures work from the start."""
    # A callback keeps `responses` a subcommand while it is the only one.


@import_app.command("responses")
def responses(
    file: Annotated[
        Path, typer.Argument(help="The old tool's export: CSV (UTF-8) or XLSX.")
    ],
    template: Annotated[
        str, typer.Option(help="Template key, e.g. social-worker-health-check.")
    ],
    campaign: Annotated[str, typer.Option(help="Name, e.g. 'Health check 2024'.")],
    year: Annotated[int, typer.Option(help="The round's reporting year.")],
    mapping: Annotated[
        Path | None,
        typer.Option(
            help="YAML or CSV matching the export's headings to question ids."
        ),
    ] = None,
    invited: Annotated[
        int | None,
        typer.Option(min=1, help="How many were invited, for the response rate."),
    ] = None,
    invited_file: Annotated[
        Path | None,
        typer.Option(
            "--invited-file",
            help="CSV of team,invited or service,invited: team response rates.",
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option(
            "--date-format",
            help="DD/MM/YYYY or MM/DD/YYYY when the dates could be either.",
        ),
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace the answers of an earlier import under this name.",
        ),
    ] = False,
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organisation slug (default from settings)."),
    ] = None,
) -> None:
    """Import an earlier round as a closed campaign; nothing is stored on any error.

    Headings are question ids (WL01 ...) and optionally date, team, service,
    role, employment_type and respondent_id; --mapping matches other headings.
    """

    async def work(session: AsyncSession, organisation: Organisation) -> ImportReport:
        report = await import_responses(
            session,
            organisation_id=organisation.id,
            path=file,
            template_key=template,
            campaign_name=campaign,
            year=year,
            mapping_path=mapping,
            invited=invited,
            date_format=date_format,
            replace=replace,
            invited_path=invited_file,
        )
        if report.replaced is not None:
            await record_event(
                session,
                organisation_id=organisation.id,
                actor=command_line_actor(),
                channel="cli",
                action="import.replaced",
                subject=f"{campaign} · {report.replaced} responses replaced by "
                f"{report.responses} from {file.name}",
            )
        return report

    typer.echo(in_organisation(org, work).summary())
