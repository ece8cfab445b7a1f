"""``healthcheck action ...`` and ``healthcheck target ...``: the chat commands' twins.

The same ``survey`` functions the chat's ``action`` and ``target`` commands call
(:mod:`survey.follow_up.actions`, :mod:`survey.follow_up.targets`), for a PSW
working from the command line or recording actions for an imported round.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation
from survey.audit import command_line_actor, record_event
from survey.follow_up.actions import (
    PLANNED,
    ListedAction,
    add_action,
    find_action,
    list_actions,
    update_action,
)
from survey.follow_up.targets import set_target, targets_for
from survey.models import Organisation
from survey.questions.themes import THEMES

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation slug (default from settings).")
]
DueOption = Annotated[
    datetime | None,
    typer.Option("--due", formats=["%Y-%m-%d"], help="Due date, YYYY-MM-DD."),
]
action_app = typer.Typer(
    help='"You said, we did" actions, as the chat\'s action command.',
    no_args_is_help=True,
)
target_app = typer.Typer(
    help="Targets % favourable per question (RAG), as the chat's target command.",
    no_args_is_help=True,
)
DEFAULT_TEMPLATE = "social-worker-health-check"


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _line(listed: ListedAction) -> str:
    action = listed.action
    survey = f" · {listed.campaign.name}" if listed.campaign else ""
    question = f" · {action.question_key}" if action.question_key else ""
    due = f" · due {action.due_on.isoformat()}" if action.due_on else ""
    return (
        f"{listed.number}. [{action.status}] {THEMES.get(action.theme, action.theme)}"
        f"{survey}{question}{due} · {action.owner}\n"
        f"   You said: {action.you_said}\n   We did: {action.we_did}"
    )


@action_app.command("add")
def action_add(
    said: Annotated[str, typer.Option("--said", help="What staff said.")],
    doing: Annotated[str, typer.Option("--doing", help="What is being done.")],
    owner: Annotated[str, typer.Option(help="Who is responsible.")],
    campaign: Annotated[
        str | None, typer.Option(help="The survey it answers, by name.")
    ] = None,
    question: Annotated[
        str | None, typer.Option(help="The question it answers, e.g. WL01.")
    ] = None,
    theme: Annotated[
        str | None, typer.Option(help="Theme (default: the question's).")
    ] = None,
    due: DueOption = None,
    status: Annotated[str, typer.Option(help="planned, in progress, done ...")] = (
        PLANNED
    ),
    reason: Annotated[str | None, typer.Option(help="Why, for 'not doing'.")] = None,
    org: OrgOption = None,
) -> None:
    """Log an action taken on what staff said."""

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        today = datetime.now(UTC).astimezone(ZoneInfo(organisation.timezone)).date()
        action = await add_action(
            session,
            organisation_id=organisation.id,
            you_said=said,
            we_did=doing,
            owner=owner,
            today=today,
            theme=theme,
            campaign=campaign,
            question=question,
            due_on=_day(due),
            status=status,
            reason=reason,
        )
        listed = await find_action(
            session, organisation_id=organisation.id, reference=action.id.hex
        )
        await _log(session, organisation, "action.added", listed)
        return _line(listed)

    typer.echo(f"Added:\n{in_organisation(org, work)}")


@action_app.command("update")
def action_update(
    reference: Annotated[str, typer.Argument(help="Its number in the list, or id.")],
    said: Annotated[str | None, typer.Option("--said")] = None,
    doing: Annotated[str | None, typer.Option("--doing")] = None,
    owner: Annotated[str | None, typer.Option()] = None,
    campaign: Annotated[str | None, typer.Option()] = None,
    question: Annotated[str | None, typer.Option()] = None,
    theme: Annotated[str | None, typer.Option()] = None,
    due: DueOption = None,
    status: Annotated[str | None, typer.Option()] = None,
    reason: Annotated[str | None, typer.Option()] = None,
    org: OrgOption = None,
) -> None:
    """Change an action: only the fields given change."""

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        action = await update_action(
            session,
            organisation_id=organisation.id,
            reference=reference,
            theme=theme,
            you_said=said,
            we_did=doing,
            owner=owner,
            due_on=_day(due),
            status=status,
            reason=reason,
            campaign=campaign,
            question=question,
        )
        listed = await find_action(
            session, organisation_id=organisation.id, reference=action.id.hex
        )
        await _log(session, organisation, "action.updated", listed)
        return _line(listed)

    typer.echo(f"Updated:\n{in_organisation(org, work)}")


@action_app.command("list")
def action_list(
    campaign: Annotated[
        str | None, typer.Argument(help="Only this survey's actions.")
    ] = None,
    org: OrgOption = None,
) -> None:
    """List the actions, oldest first, with their numbers and status."""

    async def work(session: AsyncSession, organisation: Organisation) -> list[str]:
        listed = await list_actions(
            session, organisation_id=organisation.id, campaign=campaign
        )
        return [_line(item) for item in listed]

    lines = in_organisation(org, work, writes=False)
    typer.echo("\n".join(lines) if lines else "No actions yet.")


async def _log(
    session: AsyncSession, organisation: Organisation, what: str, listed: ListedAction
) -> None:
    await record_event(
        session,
        organisation_id=organisation.id,
        actor=command_line_actor(),
        channel="cli",
        action=what,
        subject=f"action {listed.number} · {listed.action.status}",
    )


@target_app.command("set")
def target_set(
    question: Annotated[str, typer.Argument(help="Question id, e.g. WL01.")],
    percent: Annotated[float, typer.Argument(help="Target % favourable, 0-100.")],
    template: Annotated[str, typer.Option(help="Template key.")] = DEFAULT_TEMPLATE,
    org: OrgOption = None,
) -> None:
    """Set the target % favourable for a question (RAG in reports)."""

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        target = await set_target(
            session,
            organisation_id=organisation.id,
            template_key=template,
            question_key=question,
            percent=percent,
        )
        await record_event(
            session,
            organisation_id=organisation.id,
            actor=command_line_actor(),
            channel="cli",
            action="target.set",
            subject=f"{template} · {target.question_key} · {percent:g}%",
        )
        return target.question_key

    key = in_organisation(org, work)
    typer.echo(f"Target for {key} in {template}: {percent:g}% favourable.")


@target_app.command("list")
def target_list(
    template: Annotated[str, typer.Option(help="Template key.")] = DEFAULT_TEMPLATE,
    org: OrgOption = None,
) -> None:
    """List a template's targets."""

    async def work(
        session: AsyncSession, organisation: Organisation
    ) -> dict[str, float]:
        return await targets_for(
            session, organisation_id=organisation.id, template_key=template
        )

    targets = in_organisation(org, work, writes=False)
    lines = [f"{key}\t{value:g}%" for key, value in sorted(targets.items())]
    typer.echo("\n".join(lines) if lines else f"No targets set for {template}.")
