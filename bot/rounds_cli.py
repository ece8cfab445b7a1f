"""Commands a PSW needs around imported rounds, without chat or a roster file.

``healthcheck template questions``, ``campaign delete``, ``service create`` and
``team create``. Each is a thin shell over the ``survey`` function that does the
work; mistakes are SurveyError subclasses the main CLI prints as one line.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Annotated

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation, run_with_runtime
from bot.runtime import Runtime
from survey.audit import command_line_actor, record_event
from survey.campaigns import find_campaign
from survey.historic.replacing import delete_imported_round, imported_record
from survey.models import Organisation
from survey.questions.bank import TemplateDefinition, load_all
from survey.questions.catalogue import definition_of, latest_template, sync_templates
from survey.questions.extension import load_extension
from survey.roster.structure import create_service, create_team

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation slug (default from settings).")
]
service_app = typer.Typer(help="Services.", no_args_is_help=True)
team_app = typer.Typer(help="Teams.", no_args_is_help=True)
TEXT, CSV = "text", "csv"


def _template(key: str) -> TemplateDefinition:
    """A shipped bank, or a council's extended template stored by ``template add``."""
    templates = load_all()
    for template in templates:
        if template.key == key:
            return template

    async def stored(runtime: Runtime) -> TemplateDefinition:
        async with runtime.read_sessions() as session:
            return definition_of(await latest_template(session, key=key))

    return run_with_runtime(stored)


def template_add(
    file: Annotated[Path, typer.Argument(help="A template extension file (YAML).")],
) -> None:
    """Store a council's template extension: a shipped template plus its own questions.

    A changed file needs a higher version; stored versions never change.
    """
    definition = load_extension(file)

    async def work(runtime: Runtime) -> None:
        async with runtime.sessions() as session, session.begin():
            await sync_templates(session, templates=[definition])

    run_with_runtime(work)
    typer.echo(
        f"{definition.key} v{definition.version}: {len(definition.questions)} "
        f"questions. Use it with --template {definition.key}."
    )


def template_questions(
    template: Annotated[str, typer.Argument(help="e.g. social-worker-health-check.")],
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="text, or csv to start a mapping file (see docs)."
        ),
    ] = TEXT,
) -> None:
    """List a template's questions: id, wording, scale and answer options."""
    if fmt not in (TEXT, CSV):
        raise typer.BadParameter(f"'{fmt}': choose text or csv.", param_hint="--format")
    definition = _template(template)
    if fmt == CSV:
        typer.echo(mapping_starter(definition), nl=False)
        return
    for question in definition.questions:
        typer.echo(f"{question.id}\t{question.scale.value}\t{question.text}")
        codes = ", ".join(
            f"{option.value} ({option.label})" for option in question.choices()
        )
        if codes:
            typer.echo(f"\toptions: {codes}")
        if question.min is not None:
            typer.echo(f"\ta whole number from {question.min} to {question.max}")


def mapping_starter(definition: TemplateDefinition) -> str:
    """A CSV mapping file with a line per question and per answer option.

    The ``header`` column starts as the question's wording: replace it with the
    export's own heading, and each ``answer`` with the export's own words.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["header", "question_id", "answer", "code"])
    for column in ("date", "team", "role"):
        writer.writerow([column, column, "", ""])
    for question in definition.questions:
        writer.writerow([question.text, question.id, "", ""])
        for option in question.choices():
            writer.writerow([question.text, question.id, option.label, option.value])
    return out.getvalue()


def campaign_delete(
    name: Annotated[str, typer.Argument(help="The imported round's name.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Delete without asking to confirm.")
    ] = False,
    org: OrgOption = None,
) -> None:
    """Delete an imported round and its answers (after confirmation)."""

    async def describe(session: AsyncSession, organisation: Organisation) -> str:
        campaign = await find_campaign(
            session, organisation_id=organisation.id, name=name
        )
        record = imported_record(campaign)
        return (
            f"'{campaign.name}' ({campaign.year}, imported from "
            f"{record.get('source')}, {record.get('rows')} responses)"
        )

    what = in_organisation(org, describe, writes=False)
    if not yes and not typer.confirm(f"Delete {what} and all its answers?"):
        raise typer.Abort()

    async def work(session: AsyncSession, organisation: Organisation) -> int:
        campaign = await find_campaign(
            session, organisation_id=organisation.id, name=name
        )
        removed = await delete_imported_round(session, campaign=campaign)
        await record_event(
            session,
            organisation_id=organisation.id,
            actor=command_line_actor(),
            channel="cli",
            action="campaign.deleted",
            subject=f"{what}: {removed} responses deleted",
        )
        return removed

    removed = in_organisation(org, work)
    typer.echo(f"Deleted {what}: {removed} responses removed.")


@service_app.command("create")
def service_create(
    name: Annotated[str, typer.Argument(help="e.g. 'Youth Justice'.")],
    org: OrgOption = None,
) -> None:
    """Add a service (teams belong to one)."""

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        service = await create_service(
            session, organisation_id=organisation.id, name=name
        )
        return service.name

    typer.echo(f"Created the service '{in_organisation(org, work)}'.")


@team_app.command("create")
def team_create(
    name: Annotated[str, typer.Argument(help="e.g. 'Front Door'.")],
    service: Annotated[str, typer.Option(help="The service it belongs to.")],
    org: OrgOption = None,
) -> None:
    """Add a team to a service."""

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        team = await create_team(
            session, organisation_id=organisation.id, name=name, service=service
        )
        return team.name

    typer.echo(f"Created the team '{in_organisation(org, work)}' in '{service}'.")
