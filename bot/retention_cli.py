"""``healthcheck retention purge``: remove what the retention setting no longer allows.

Mistakes raise SurveyError, which ``healthcheck`` prints as one line with exit
code 1; nothing is removed then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from bot.command_line import run_with_runtime
from bot.runtime import Runtime
from bot.settings import load_settings
from survey.audit import command_line_actor
from survey.organisations import find_organisation
from survey.retention.purge import PurgePlan, check_months, plan_purge, purge

retention_app = typer.Typer(
    help="Retention: free text, drafts and participation records kept no longer "
    "than needed.",
    no_args_is_help=True,
)


@retention_app.callback()
def retention_group() -> None:
    """Retention: free text, drafts and participation kept no longer than needed."""
    # A callback keeps `purge` a subcommand while it is the only one.


@retention_app.command("purge")
def purge_command(
    org: Annotated[
        str | None,
        typer.Option("--org", help="Organisation slug (default from settings)."),
    ] = None,
    months: Annotated[
        int | None,
        typer.Option(
            help="Keep comments and drafts this many months "
            "(default HEALTHCHECK_RETENTION_MONTHS)."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would go; remove nothing.")
    ] = False,
) -> None:
    """Remove old comments and drafts; finished campaigns' participation becomes counts.

    Response rates stay the same; responses and closed answers are kept.
    """
    settings = load_settings()
    keep = check_months(months if months is not None else settings.retention_months)
    now = datetime.now(UTC)

    async def work(runtime: Runtime) -> tuple[str, PurgePlan]:
        async with runtime.sessions() as session, session.begin():
            organisation = await find_organisation(
                session, slug=org or settings.organisation
            )
            if dry_run:
                plan = await plan_purge(
                    session, organisation_id=organisation.id, now=now, months=keep
                )
            else:
                plan = await purge(
                    session,
                    organisation_id=organisation.id,
                    now=now,
                    months=keep,
                    actor=command_line_actor(),
                    channel="cli",
                )
            return organisation.slug, plan

    slug, plan = run_with_runtime(work, settings=settings)
    typer.echo(describe(slug, plan, dry_run=dry_run))


def describe(slug: str, plan: PurgePlan, *, dry_run: bool) -> str:
    """What a purge would remove or removed, one kind per line."""
    if dry_run:
        head = f"Dry run for '{slug}': nothing has been removed. It would remove:"
    elif plan.empty:
        head = f"Nothing to remove for '{slug}'. Checked:"
    else:
        head = f"Removed from '{slug}':"
    if plan.cutoff is None:
        comments = "comments: kept for good (HEALTHCHECK_RETENTION_MONTHS=keep)"
        drafts = (
            f"drafts: {plan.drafts} (of campaigns whose participation goes; "
            "others kept for good)"
        )
    else:
        comments = (
            f"comments: {plan.comments} (free text submitted before "
            f"{plan.cutoff:%d %b %Y}, over {plan.months} months ago)"
        )
        drafts = (
            f"drafts: {plan.drafts} (last saved before "
            f"{plan.cutoff:%d %b %Y %H:%M} UTC, or of campaigns whose "
            "participation goes)"
        )
    participation = f"participation records: {plan.participation_records}"
    if plan.participation:
        participation += (
            " of "
            + ", ".join(f"'{c.name}' ({c.records})" for c in plan.participation)
            + "; kept as counts per team, role and employment type, "
            f"no group smaller than {plan.minimum}"
        )
    else:
        participation += " (no closed campaign past its reminders)"
    messages = (
        f"personal messages: {plan.messages} (invitations, reminders and notes "
        "about those campaigns)"
    )
    lines = [head, f"  {comments}", f"  {drafts}", f"  {participation}"]
    lines.append(f"  {messages}")
    if not plan.empty:
        lines.append("  Responses and closed answers are kept.")
    return "\n".join(lines)
