"""``healthcheck link issue``: make a personal one-time link for someone.

Register with ``app.add_typer(links_cli.app, name="link")`` in ``bot/cli.py``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation
from bot.settings import load_settings
from survey.campaigns import find_campaign
from survey.errors import SurveyError
from survey.models import Organisation
from survey.personal_links import issue_link
from survey.roster.people import find_person

app = typer.Typer(
    help="Personal one-time links to the web chat, for staff without chat access.",
    no_args_is_help=True,
)


@app.callback()
def links() -> None:
    """Personal one-time links to the web chat."""


def link_url(base_url: str, token: str) -> str:
    """The full address of a link."""
    return f"{base_url.rstrip('/')}/s/{token}"


@app.command("issue")
def issue(
    email: Annotated[str, typer.Argument(help="The person's email on the roster.")],
    campaign: Annotated[
        str | None, typer.Option(help="Open this survey when they arrive.")
    ] = None,
    days: Annotated[int, typer.Option(help="Days until the link expires.")] = 14,
    org: Annotated[str | None, typer.Option("--org", help="Organisation slug.")] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="The web app's public address (default: settings)."),
    ] = None,
) -> None:
    """Print a link that signs EMAIL in to the web chat once."""
    if not 1 <= days <= 90:
        raise SurveyError("--days must be from 1 to 90.")
    settings = load_settings()
    now = datetime.now(UTC)

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        person = await find_person(
            session, organisation_id=organisation.id, email=email
        )
        campaign_id = None
        if campaign is not None:
            found = await find_campaign(
                session, organisation_id=organisation.id, name=campaign
            )
            campaign_id = found.id
        return await issue_link(
            session,
            person_id=person.id,
            campaign_id=campaign_id,
            expires_at=now + timedelta(days=days),
        )

    token = in_organisation(org, work, settings=settings)
    base = base_url or settings.public_url or f"http://{settings.host}:{settings.port}"
    typer.echo(link_url(base, token))
    typer.echo(
        f"It works once, until {now + timedelta(days=days):%-d %B %Y}. Send it to "
        f"{email} only."
    )
