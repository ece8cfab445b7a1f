"""``healthcheck slack ...``: the slow Slack work, run outside any request.

``link-roster`` gives everyone on the roster without a Slack id the one Slack
has for their email; ``import-audience`` invites a user group's or channel's
members to an open campaign. Both call Slack many times (rate-limited), so they
run here or in the worker, never inside a Slack request.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated

import typer
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from bot.slack.audience import import_audience
from bot.slack.clients import TokenSource, installation_store, web_client
from bot.slack.identity import link_roster, team_of
from survey import migrate
from survey.campaigns import find_campaign
from survey.errors import SettingsError
from survey.models import Organisation
from survey.organisations import find_organisation

slack_app = typer.Typer(
    rich_markup_mode=None, help="Slack: link the roster, audiences."
)

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation slug (default from settings).")
]


Work = Callable[[Runtime, AsyncWebClient, Organisation], Awaitable[str]]


async def _client(
    settings: Settings, runtime: Runtime, organisation_id: uuid.UUID
) -> AsyncWebClient:
    if not settings.slack_enabled:
        raise SettingsError("Slack is not enabled (HEALTHCHECK_SLACK_ENABLED).")
    store = (
        installation_store(settings, runtime.engine) if settings.slack_oauth else None
    )
    async with runtime.sessions() as session:
        team = await team_of(session, organisation_id=organisation_id)
    token = await TokenSource(settings, store).for_team(team)
    if token is None:
        raise SettingsError("The Slack app is not installed for this organisation yet.")
    return web_client(settings, token=token)


def _run_with_slack(org: str | None, work: Work) -> str:
    settings = load_settings()
    migrate.require_current(settings.database_url)

    async def main() -> str:
        runtime = Runtime.build(settings)
        try:
            async with runtime.sessions() as session:
                organisation = await find_organisation(
                    session, slug=org or settings.organisation
                )
            client = await _client(settings, runtime, organisation.id)
            return await work(runtime, client, organisation)
        finally:
            await runtime.close()

    return asyncio.run(main())


@slack_app.command("link-roster")
def link_roster_command(org: OrgOption = None) -> None:
    """Match people without a Slack id to Slack by their roster email."""

    async def work(
        runtime: Runtime, client: AsyncWebClient, organisation: Organisation
    ) -> str:
        report = await link_roster(
            runtime.sessions,
            client,
            organisation_id=organisation.id,
        )
        return report.summary()

    typer.echo(_run_with_slack(org, work))


@slack_app.command("import-audience")
def import_audience_command(
    campaign: Annotated[str, typer.Argument(help="The open campaign's name.")],
    source: Annotated[
        str, typer.Argument(help="A user group id (S...) or channel id (C... or G...).")
    ],
    org: OrgOption = None,
) -> None:
    """Invite the members of a Slack user group or channel to an open campaign."""

    async def work(
        runtime: Runtime, client: AsyncWebClient, organisation: Organisation
    ) -> str:
        async with runtime.sessions() as session:
            found = await find_campaign(
                session,
                organisation_id=organisation.id,
                name=campaign,
            )
        report = await import_audience(
            runtime.sessions,
            client,
            campaign_id=found.id,
            source=source,
            now=datetime.now(UTC),
            platforms=("local", "slack"),
        )
        return report.summary(source)

    typer.echo(_run_with_slack(org, work))
