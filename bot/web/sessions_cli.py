"""``healthcheck sessions revoke``: sign someone out of every browser at once.

Register with ``app.add_typer(sessions_cli.app, name="sessions")`` in ``bot/cli.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation
from bot.settings import load_settings
from survey.models import Organisation
from survey.roster.people import find_person
from survey.web_sessions import end_sessions_of

app = typer.Typer(
    help="Sign-in sessions of the web chat and dashboard.", no_args_is_help=True
)


@app.callback()
def sessions() -> None:
    """Sign-in sessions of the web chat and dashboard."""


@app.command("revoke")
def revoke(
    email: Annotated[str, typer.Argument(help="The person's email on the roster.")],
    org: Annotated[str | None, typer.Option("--org", help="Organisation slug.")] = None,
) -> None:
    """End every web session of EMAIL now (a lost laptop, someone leaving)."""
    settings = load_settings()

    async def work(
        session: AsyncSession, organisation: Organisation
    ) -> tuple[str, int]:
        person = await find_person(
            session, organisation_id=organisation.id, email=email
        )
        ended = await end_sessions_of(
            session, person_id=person.id, now=datetime.now(UTC)
        )
        return person.name, ended

    name, ended = in_organisation(org, work, settings=settings)
    noun = "session" if ended == 1 else "sessions"
    typer.echo(f"Ended {ended} web {noun} of {name}. They must sign in again.")
