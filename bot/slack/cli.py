"""``healthcheck slack ...``: the slow Slack work, run outside any request.

``link-roster`` gives everyone on the roster without a Slack id the one Slack
has for their email (the worker also does this before each campaign's
invitations go out) and lists the emails Slack does not know;
``import-audience`` invites a user group's or channel's members to an open
campaign. Both call Slack many times (rate-limited), so they
run here or in the worker, never inside a Slack request. ``workforce-channel``
stores where an organisation's you-said digests and briefings are posted (each
council of a regional deployment has its own); ``link-workspace`` says which
council a Slack workspace belongs to. Those two only write the database.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

import typer
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation, run_with_runtime
from bot.runtime import Runtime
from bot.settings import Settings, load_settings
from bot.slack import install_links, text
from bot.slack.app import INSTALL_PATH
from bot.slack.audience import import_audience
from bot.slack.clients import (
    TokenSource,
    installation_store,
    token_rotator,
    web_client,
)
from bot.slack.identity import link_workspace, team_of, workspace_link
from bot.slack.linking import link_roster
from survey.campaigns import find_campaign
from survey.errors import SettingsError
from survey.models import Organisation
from survey.organisations import find_organisation, set_workforce_channel

slack_app = typer.Typer(
    rich_markup_mode=None, help="Slack: link the roster, audiences, workforce channels."
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
    token = await TokenSource(
        settings, store, rotator=token_rotator(settings)
    ).for_team(team)
    if token is None:
        raise SettingsError("The Slack app is not installed for this organisation yet.")
    return web_client(settings, token=token)


def _run_with_slack(org: str | None, work: Work) -> str:

    async def with_slack(runtime: Runtime) -> str:
        async with runtime.read_sessions() as session:
            organisation = await find_organisation(
                session, slug=org or runtime.settings.organisation
            )
        client = await _client(runtime.settings, runtime, organisation.id)
        return await work(runtime, client, organisation)

    return run_with_runtime(with_slack)


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
        if not report.not_in_slack:
            return report.summary()
        missing = ", ".join(report.not_in_slack)
        return f"{report.summary()}\n{text.NO_SLACK_ACCOUNT.format(emails=missing)}"

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


CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,39}")
"""A Slack channel id: C (public) or G (older private), then capitals and digits."""


def check_channel_id(channel: str) -> str:
    """The channel id, trimmed.

    Raises:
        SettingsError: anything that is not a Slack channel id (a name, ``#x``).
    """
    channel = channel.strip()
    if not CHANNEL_ID.fullmatch(channel):
        raise SettingsError(text.NOT_A_CHANNEL.format(channel=channel))
    return channel


@slack_app.command("workforce-channel")
def workforce_channel_command(
    channel: Annotated[
        str | None,
        typer.Argument(help="The channel's id (C... or G...), not its name."),
    ] = None,
    org: OrgOption = None,
    clear: Annotated[
        bool,
        typer.Option("--clear", help="Remove the organisation's own channel."),
    ] = False,
) -> None:
    """Set the Slack channel where an organisation's workforce posts go."""
    if channel is not None and clear:
        raise SettingsError(text.CHANNEL_OR_CLEAR)
    if channel is None and not clear:
        raise SettingsError(text.NEED_CHANNEL)
    checked = check_channel_id(channel) if channel is not None else None
    settings = load_settings()

    async def store(session: AsyncSession, organisation: Organisation) -> Organisation:
        return await set_workforce_channel(
            session, organisation_id=organisation.id, channel=checked
        )

    organisation = in_organisation(org, store, settings=settings)
    names = {"name": organisation.name, "slug": organisation.slug}
    if checked is not None:
        typer.echo(text.SET.format(channel=checked, **names))
    elif organisation.slug == settings.organisation:
        setting = settings.slack_workforce_channel or "not set, so they are held"
        typer.echo(text.CLEARED_DEFAULT.format(setting=setting, **names))
    else:
        typer.echo(text.CLEARED.format(**names))


TEAM_ID = re.compile(r"T[A-Z0-9]{2,20}")


@slack_app.command("link-workspace")
def link_workspace_command(
    team: Annotated[str, typer.Argument(help="The workspace's id (T...).")],
    org: OrgOption = None,
    move: Annotated[
        bool,
        typer.Option("--move", help="Take it from the organisation it belongs to."),
    ] = False,
) -> None:
    """Say which organisation a Slack workspace belongs to (a regional deployment).

    A workspace installed through an install link (``install-link``) is linked
    already; this moves or links one by hand.
    """
    team = team.strip()
    if not TEAM_ID.fullmatch(team):
        raise SettingsError(text.NOT_A_TEAM.format(team=team))

    async def link(session: AsyncSession, organisation: Organisation) -> str:
        names = {"team": team, "name": organisation.name, "slug": organisation.slug}
        existing = await workspace_link(session, team_id=team)
        if existing is None:
            await link_workspace(
                session,
                team_id=team,
                enterprise_id=None,
                organisation_id=organisation.id,
            )
            return text.LINKED.format(**names)
        linked, other = existing
        if other.id == organisation.id:
            return text.ALREADY.format(**names)
        if not move:
            raise SettingsError(
                text.ELSEWHERE.format(other=other.name, other_slug=other.slug, **names)
            )
        linked.organisation_id = organisation.id
        session.add(linked)
        return text.LINKED.format(**names)

    typer.echo(in_organisation(org, link))


@slack_app.command("install-link")
def install_link_command(
    org: OrgOption = None,
    days: Annotated[
        int, typer.Option("--days", min=1, max=30, help="Days the link works.")
    ] = install_links.DEFAULT_DAYS,
) -> None:
    """Print the link that installs the Slack app for one organisation.

    A workspace joins an organisation only through a link made for it.
    """
    settings = load_settings()
    if not settings.slack_oauth:
        raise SettingsError(text.NOT_OAUTH)
    if not settings.public_url:
        raise SettingsError(text.NO_PUBLIC_URL)
    base = settings.public_url.rstrip("/")

    async def make(session: AsyncSession, organisation: Organisation) -> str:
        until = install_links.expiry(datetime.now(UTC), days)
        token = install_links.issue(
            settings.secret, slug=organisation.slug, expires=until
        )
        url = f"{base}{INSTALL_PATH}?{urlencode({'org': token})}"
        return text.INSTALL_LINK.format(
            name=organisation.name, slug=organisation.slug, until=until, url=url
        )

    typer.echo(in_organisation(org, make, settings=settings, writes=False))
