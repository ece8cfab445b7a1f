"""The ``healthcheck`` command line; user mistakes print one line and exit non-zero."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.audit_cli import audit_app
from bot.command_line import run_with_runtime
from bot.export_cli import export_app
from bot.follow_up_cli import action_app, target_app
from bot.import_cli import import_app
from bot.reports_cli import report_app
from bot.retention_cli import retention_app
from bot.rounds_cli import (
    campaign_delete,
    service_app,
    team_app,
    template_add,
    template_questions,
)
from bot.runtime import Runtime
from bot.schedule_cli import pulse_app, schedule_app
from bot.settings import Mode, Settings, load_settings
from bot.slack.cli import slack_app
from bot.teams.cli import teams_app
from bot.web import links_cli, sessions_cli
from survey import migrate
from survey.campaigns import (
    Audience,
    close_campaign,
    create_campaign,
    find_campaign,
    list_campaigns,
    open_campaign,
)
from survey.errors import SettingsError, SurveyError
from survey.organisations import create_organisation, find_organisation
from survey.questions.bank import BANK_DIR, load_all, load_template
from survey.questions.catalogue import sync_templates
from survey.roster.importing import import_roster

T = TypeVar("T")

app = typer.Typer(
    help="Health Check bot: workforce health checks and pulse checks in chat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
roster_app = typer.Typer(
    help="The roster of people, teams and services.", no_args_is_help=True
)
template_app = typer.Typer(help="Question bank templates.", no_args_is_help=True)
campaign_app = typer.Typer(
    help="Surveys (health checks and pulses): 'survey' and 'campaign' are the same.",
    no_args_is_help=True,
)
demo_app = typer.Typer(help="The demo organisation.", no_args_is_help=True)
org_app = typer.Typer(help="Organisations (tenants).", no_args_is_help=True)
for sub, name in (
    (db_app, "db"),
    (roster_app, "roster"),
    (template_app, "template"),
    (campaign_app, "campaign"),
    (campaign_app, "survey"),
    (demo_app, "demo"),
    (org_app, "org"),
    (import_app, "import"),
):
    app.add_typer(sub, name=name)
app.add_typer(report_app)
app.add_typer(service_app, name="service")
app.add_typer(team_app, name="team")
app.add_typer(action_app, name="action")
app.add_typer(target_app, name="target")
template_app.command("questions")(template_questions)
template_app.command("add")(template_add)
campaign_app.command("delete")(campaign_delete)
campaign_app.add_typer(schedule_app)
app.add_typer(pulse_app, name="pulse")
app.add_typer(slack_app, name="slack")
app.add_typer(teams_app, name="teams")
app.add_typer(links_cli.app, name="link")
app.add_typer(sessions_cli.app, name="sessions")
app.add_typer(export_app, name="export")
app.add_typer(audit_app, name="audit")
app.add_typer(retention_app, name="retention")

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation slug (default from settings).")
]


def _settings() -> Settings:
    return load_settings()


def _run(work: Callable[[Runtime], Awaitable[T]]) -> T:
    """Run async work against a database that is at the newest migration."""
    return run_with_runtime(work, settings=_settings())


def _now() -> datetime:
    return datetime.now(UTC)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on.")] = None,
    with_worker: Annotated[
        bool,
        typer.Option(
            "--with-worker", help="Also run the worker in this process (for demos)."
        ),
    ] = False,
) -> None:
    """Serve the web app (local channel, and platforms when configured)."""
    import uvicorn

    from bot.app import create_app

    settings = _settings()
    migrate.require_current(settings.database_url)
    host, port = host or settings.host, port or settings.port
    settings.refuse_non_loopback(host)
    if with_worker:
        inbox = settings.local_inbox_url
        if "HEALTHCHECK_LOCAL_INBOX_URL" not in os.environ:
            inbox = f"http://{'127.0.0.1' if host == '0.0.0.0' else host}:{port}"
        settings = settings.model_copy(
            update={"worker_in_web": True, "local_inbox_url": inbox}
        )
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level="info",
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


@app.command()
def worker() -> None:
    """Work the job table and the outbox (idle until scheduling arrives)."""
    from bot.worker import run_worker

    settings = _settings()
    migrate.require_current(settings.database_url)
    asyncio.run(run_worker(settings))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date (safe to run every deploy)."""
    settings = _settings()
    migrate.upgrade(settings.database_url)
    typer.echo(f"Database is at {migrate.current_revision(settings.database_url)}.")


@db_app.command("current")
def db_current() -> None:
    """Show the schema revision of the database and of this code."""
    settings = _settings()
    current = migrate.current_revision(settings.database_url)
    typer.echo(f"database: {current or 'empty'}; code: {migrate.head_revision()}")


@org_app.command("create")
def org_create(
    slug: Annotated[str, typer.Argument(help="Short name, e.g. 'wolverhampton'.")],
    name: Annotated[str, typer.Argument(help="Full name of the council.")],
    min_group_size: Annotated[int, typer.Option(help="Smallest group shown.")] = 5,
) -> None:
    """Create an organisation and load the question banks for it."""

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            await create_organisation(
                session, slug=slug, name=name, min_group_size=min_group_size
            )
            await sync_templates(session, templates=load_all())

    _run(work)
    typer.echo(f"Created organisation '{slug}'.")


@roster_app.command("import")
def roster_import(
    file: Annotated[Path, typer.Argument(help="CSV file of the roster.")],
    org: OrgOption = None,
    create_teams: Annotated[
        bool, typer.Option("--create-teams", help="Add teams not yet known.")
    ] = False,
) -> None:
    """Import or update the roster from CSV; nothing is imported if any row is wrong."""
    if not file.is_file():
        raise SurveyError(f"{file}: no such file")

    async def work(runtime: Runtime) -> str:
        async with runtime.sessions() as session, session.begin():
            organisation = await find_organisation(
                session, slug=org or runtime.settings.organisation
            )
            report = await import_roster(
                session,
                organisation_id=organisation.id,
                path=file,
                create_teams=create_teams,
            )
            return report.summary()

    typer.echo(_run(work))


@template_app.command("check")
def template_check(
    files: Annotated[
        list[Path] | None, typer.Argument(help="YAML files (default: shipped banks).")
    ] = None,
) -> None:
    """Check question bank files and print what each contains."""
    templates = [load_template(path) for path in files] if files else load_all()
    for template in templates:
        typer.echo(
            f"{template.key} v{template.version}: {len(template.questions)} questions"
            f" ({template.kind}, {template.audience})"
        )
    if not files:
        typer.echo(f"All banks in {BANK_DIR} are valid.")


@campaign_app.command("create")
def campaign_create(
    name: Annotated[str, typer.Argument(help="e.g. 'Health check 2026'.")],
    template: Annotated[str, typer.Option(help="Template key.")],
    year: Annotated[int, typer.Option(help="Reporting year.")] = 0,
    service: Annotated[
        list[str] | None, typer.Option(help="Limit to a service.")
    ] = None,
    team: Annotated[list[str] | None, typer.Option(help="Limit to a team.")] = None,
    role: Annotated[list[str] | None, typer.Option(help="Limit to a role.")] = None,
    workforce: Annotated[
        list[str] | None, typer.Option(help="social_work or wider_workforce.")
    ] = None,
    org: OrgOption = None,
) -> None:
    """Create a draft survey of a template for an audience."""
    audience = Audience(
        services=service or [],
        teams=team or [],
        roles=role or [],
        workforce=workforce or [],
    )

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            organisation = await find_organisation(
                session, slug=org or runtime.settings.organisation
            )
            await create_campaign(
                session,
                organisation_id=organisation.id,
                template_key=template,
                name=name,
                year=year or _now().year,
                audience=audience,
            )

    _run(work)
    typer.echo(
        f"Created '{name}' for {audience.describe()}. Open it with "
        f'`healthcheck survey open "{name}"`.'
    )


@campaign_app.command("open")
def campaign_open(name: str, org: OrgOption = None) -> None:
    """Open a survey and invite its audience."""

    async def work(runtime: Runtime) -> int:
        async with runtime.sessions() as session, session.begin():
            organisation = await find_organisation(
                session, slug=org or runtime.settings.organisation
            )
            campaign = await find_campaign(
                session, organisation_id=organisation.id, name=name
            )
            return await open_campaign(session, campaign=campaign, now=_now())

    invited = _run(work)
    typer.echo(f"Opened '{name}': {invited} people invited.")


@campaign_app.command("close")
def campaign_close(name: str, org: OrgOption = None) -> None:
    """Close a survey; it accepts no more answers."""

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            organisation = await find_organisation(
                session, slug=org or runtime.settings.organisation
            )
            campaign = await find_campaign(
                session, organisation_id=organisation.id, name=name
            )
            await close_campaign(
                session,
                campaign=campaign,
                now=_now(),
                secret=runtime.settings.secret,
            )

    _run(work)
    typer.echo(f"Closed '{name}'.")


@campaign_app.command("list")
def campaign_list(org: OrgOption = None) -> None:
    """List surveys with their status."""

    async def work(runtime: Runtime) -> list[str]:
        async with runtime.sessions() as session:
            organisation = await find_organisation(
                session, slug=org or runtime.settings.organisation
            )
            rows = await list_campaigns(session, organisation_id=organisation.id)
        return [
            f"{campaign.name}\t{campaign.status}\t{template.key} v{template.version}"
            f"\t{Audience.model_validate(campaign.audience).describe()}"
            for campaign, template in rows
        ]

    lines = _run(work)
    typer.echo("\n".join(lines) if lines else "No surveys yet.")


@demo_app.command("seed")
def demo_seed() -> None:
    """Create the demo organisation (skipped if it already exists)."""
    from survey.demo import seed_demo

    settings = _settings()
    if settings.mode == Mode.PRODUCTION:
        raise SettingsError(
            "The demo organisation is for development mode only: run it with "
            "HEALTHCHECK_MODE=development (make run does)"
        )

    async def work(runtime: Runtime) -> str:
        return await seed_demo(
            runtime.sessions, secret=runtime.settings.secret, now=_now()
        )

    typer.echo(_run(work))


def main(argv: list[str] | None = None) -> int:
    """Entry point: run a command, turning user mistakes into one line and exit 1."""
    try:
        app(args=argv, prog_name="healthcheck", standalone_mode=False)
    except SurveyError as error:
        typer.echo(f"Error: {error}", err=True)
        return 1
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        return 1
    except typer.TyperException as error:
        message = getattr(error, "format_message", error.__str__)()
        if type(error).__name__ == "NoArgsIsHelpError":
            typer.echo(message, err=True)
        else:
            typer.echo(f"Error: {message} (see --help)", err=True)
        return int(getattr(error, "exit_code", 2))
    return 0


def entry_point() -> None:
    """Console script wrapper for :func:`main`."""
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
