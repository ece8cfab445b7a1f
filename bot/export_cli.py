"""``healthcheck export org``: everything an organisation holds, as a zip of JSON.

Results leave only as the annual report shows them (see
:mod:`analytics.org_export`); each export is written to the audit log.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.command_line import run_with_runtime
from bot.runtime import Runtime
from survey.audit import command_line_actor, record_event
from survey.organisations import find_organisation

if TYPE_CHECKING:  # pandas loads only for an export, not for every command
    from analytics.org_export import OrgExport

export_app = typer.Typer(
    help="Machine-readable exports of an organisation's records.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@export_app.command("org")
def export_org(
    out: Annotated[
        Path, typer.Option("--out", help="Zip file to write, e.g. council.zip.")
    ],
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organisation slug (default from settings)."),
    ] = None,
) -> None:
    """Export the roster, campaigns, follow-up and the report's results as JSON."""
    from analytics.org_export import check_destination

    check_destination(out)

    async def work(runtime: Runtime) -> OrgExport:
        return await _export(
            runtime, slug=org or runtime.settings.organisation, out=out
        )

    export = run_with_runtime(work)
    counts = ", ".join(f"{name} {len(rows)}" for name, rows in export.files.items())
    typer.echo(f"Wrote {out} for {export.organisation.name}: {counts}.")


async def _export(runtime: Runtime, *, slug: str, out: Path) -> OrgExport:
    """Collect, write, then log; if the log entry fails, the file is taken back.

    Collecting only reads, so it runs outside the write lock: on SQLite people
    keep answering while a large council is exported.
    """
    from analytics.org_export import collect_export
    from analytics.org_export import write_export as write_zip

    async with runtime.read_sessions() as session:
        organisation = await find_organisation(session, slug=slug)
        export = await collect_export(
            session, organisation=organisation, now=datetime.now(UTC)
        )
    await asyncio.to_thread(write_zip, export, out)
    try:
        async with runtime.sessions() as session, session.begin():
            await record_event(
                session,
                organisation_id=organisation.id,
                actor=command_line_actor(),
                channel="cli",
                action="org.exported",
                subject=f"{organisation.name} · all records · {out}",
            )
    except BaseException:
        await asyncio.to_thread(out.unlink, missing_ok=True)
        raise
    return export
