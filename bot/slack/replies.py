"""Shared by the listeners: who is asking, running a flow event, showing the result.

Survey screens live in the person's DM with the bot and are updated in place as
they answer. Everything else a command says (summaries, participation, help) is
ephemeral: only the person who asked sees it, wherever they asked.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import dispatch
from bot.conversation.flow import Event
from bot.conversation.messages import (
    Message,
    Notice,
    Prompt,
    QuestionSheet,
    Review,
    Tone,
)
from bot.conversation.service import Turn, handle_event, preview_event
from bot.slack.identity import (
    identify,
    organisation_for_team,
    remember_dm_channel,
    stored_dm_channel,
)
from bot.slack.render import SlackMessage
from bot.slack.services import SlackServices
from survey.models import Campaign, Organisation, Person

log = logging.getLogger(__name__)

EPHEMERAL = "ephemeral"


@dataclass(frozen=True)
class Asker:
    """The Slack user behind a request, and who the roster says they are."""

    organisation: Organisation
    person: Person | None
    user_id: str
    team_id: str | None


async def asker_of(
    services: SlackServices,
    client: AsyncWebClient,
    *,
    team_id: str | None,
    user_id: str,
) -> Asker | None:
    """Identify the user; None if their workspace belongs to no organisation."""
    async with services.read_sessions() as session:
        settings = services.settings
        organisation = await organisation_for_team(
            session,
            team_id=team_id,
            default_slug=None if settings.slack_oauth else settings.organisation,
        )
    if organisation is None:
        return None
    person = await identify(
        services.sessions,
        client,
        organisation_id=organisation.id,
        user_id=user_id,
        read_sessions=services.read_sessions,
    )
    return Asker(organisation, person, user_id, team_id)


def user_and_team(body: dict[str, Any]) -> tuple[str, str | None]:
    """The user id and team id of an interaction or slash command payload.

    The team is found as Bolt finds it (``extract_team_id``): the workspace the
    app is installed in (``view.app_installed_team_id``, then ``team.id``,
    then ``team_id``) before the user's own team, which in a Slack Connect
    channel is another organisation's workspace.
    """
    user = body.get("user") or {}
    view = body.get("view") or {}
    team = body.get("team")
    installed = view.get("app_installed_team_id") if isinstance(view, dict) else None
    if installed:
        found = installed
    elif isinstance(team, dict) and team.get("id"):
        found = team["id"]
    elif isinstance(team, str) and team:
        found = team
    elif body.get("team_id"):
        found = body["team_id"]
    elif isinstance(user, dict):
        found = user.get("team_id")
    else:
        found = None
    user_id = str(user.get("id", "")) if isinstance(user, dict) else ""
    user_id = user_id or str(body.get("user_id", ""))
    return user_id, str(found) if found else None


async def campaign_for(
    services: SlackServices, asker: Asker, campaign_id: uuid.UUID
) -> Campaign | None:
    """The campaign, if it belongs to the asker's organisation."""
    async with services.read_sessions() as session:
        campaign = await session.get(Campaign, campaign_id)
    if campaign is None or campaign.organisation_id != asker.organisation.id:
        return None
    return campaign


async def run_event(
    services: SlackServices, person: Person, campaign: Campaign, event: Event
) -> Turn:
    """Step the shared survey flow for the person."""
    async with services.writing():
        return await handle_event(
            services.sessions,
            secret=services.secret,
            person=person,
            campaign=campaign,
            event=event,
            now=services.clock(),
        )


async def preview(
    services: SlackServices, person: Person, campaign: Campaign, event: Event
) -> Turn:
    """What stepping the flow would answer, read only: no wait for the writer."""
    return await preview_event(
        services.read_sessions,
        secret=services.secret,
        person=person,
        campaign=campaign,
        event=event,
        now=services.clock(),
    )


async def run_command(
    services: SlackServices, person: Person | None, typed: str
) -> tuple[tuple[Message, ...], bool]:
    """Run a command of the shared grammar; True if it put up a survey screen."""
    async with services.writing():
        result = await dispatch(
            services.sessions,
            secret=services.secret,
            person=person,
            text=typed,
            now=services.clock(),
            platforms=services.platforms,
            channel="slack",
        )
    return result.messages, has_screen(result.messages)


def has_screen(messages: tuple[Message, ...]) -> bool:
    """Whether the messages include a question, the review or the whole form."""
    return any(
        isinstance(message, Prompt | Review | QuestionSheet) for message in messages
    )


def only_errors(messages: tuple[Message, ...]) -> bool:
    """True when the turn is a refusal (e.g. already sent), not a new screen."""
    return bool(messages) and all(
        isinstance(message, Notice) and message.tone == Tone.ERROR
        for message in messages
    )


async def dm_channel(
    services: SlackServices, client: AsyncWebClient, asker: Asker
) -> str:
    """The asker's DM channel with the bot (opened and stored the first time)."""
    async with services.read_sessions() as session:
        stored = await stored_dm_channel(
            session, organisation_id=asker.organisation.id, slack_id=asker.user_id
        )
    if stored is not None:
        return stored
    opened = await client.conversations_open(users=asker.user_id)
    channel = str((opened.get("channel") or {})["id"])
    await remember_dm(services, asker, channel)
    return channel


async def remember_dm(services: SlackServices, asker: Asker, channel: str) -> None:
    """Store the DM channel id if it is one (``D...``) and the person is known."""
    if asker.person is None or not channel.startswith("D"):
        return
    if asker.person.slack_dm_channel == channel:
        return
    async with services.writing(), services.sessions() as session, session.begin():
        await remember_dm_channel(
            session,
            organisation_id=asker.organisation.id,
            slack_id=asker.user_id,
            channel=channel,
        )


async def post_to_dm(
    services: SlackServices,
    client: AsyncWebClient,
    asker: Asker,
    rendered: SlackMessage | list[SlackMessage],
) -> None:
    """Post new messages in the asker's DM with the bot, in order."""
    channel = await dm_channel(services, client, asker)
    for part in _parts(rendered):
        await client.chat_postMessage(
            channel=channel, text=part.text, blocks=part.blocks
        )


async def say_privately(
    respond: AsyncRespond, rendered: SlackMessage | list[SlackMessage]
) -> None:
    """Reply so that only the asker sees it (never posted to a channel).

    A reply in several parts is several replies, in order. A request without a
    response URL (a tap in a modal or on App Home) has nowhere to say it
    privately; nothing is said.
    """
    if respond.response_url is None:
        log.warning("no response URL for a private reply")
        return
    for part in _parts(rendered):
        await respond(
            text=part.text,
            blocks=part.blocks,
            response_type=EPHEMERAL,
            replace_original=False,
        )


def _parts(rendered: SlackMessage | list[SlackMessage]) -> list[SlackMessage]:
    return rendered if isinstance(rendered, list) else [rendered]


async def show_turn(
    services: SlackServices,
    client: AsyncWebClient,
    respond: AsyncRespond,
    asker: Asker,
    body: dict[str, Any],
    messages: tuple[Message, ...],
) -> None:
    """Show what a flow event produced where the tap came from.

    A tap on a survey message updates that message in place; a refusal is
    said privately so the screen underneath stays; a tap elsewhere (App Home,
    an ephemeral menu) posts the screen in the asker's DM.
    """
    rendered = services.renderer.render(messages)
    if only_errors(messages):
        await say_privately(respond, rendered)
        return
    container = body.get("container") or {}
    named = body.get("channel")
    channel = container.get("channel_id") or (
        named.get("id") if isinstance(named, dict) else named
    )
    ts = container.get("message_ts")
    if container.get("type") == "message" and channel and ts:
        if container.get("is_ephemeral"):
            if respond.response_url is None:
                await post_to_dm(services, client, asker, rendered)
                return
            await respond(
                text=rendered.text,
                blocks=rendered.blocks,
                response_type=EPHEMERAL,
                replace_original=True,
            )
            return
        try:
            await update_message(client, str(channel), str(ts), rendered)
        except SlackApiError as error:
            # The message is gone or not the bot's (deleted, or a forged tap):
            # the screen goes in a new message instead.
            log.warning("could not update a message: %s", error.response.get("error"))
        else:
            await remember_dm(services, asker, str(channel))
            return
    await post_to_dm(services, client, asker, rendered)


async def update_message(
    client: AsyncWebClient, channel: str, ts: str, rendered: SlackMessage
) -> None:
    """Replace a bot message's content."""
    await client.chat_update(
        channel=channel, ts=ts, text=rendered.text, blocks=rendered.blocks
    )


async def tell_privately(respond: AsyncRespond, words: str) -> None:
    """A one-line private reply in our own words (none without a response URL)."""
    if respond.response_url is None:
        log.warning("no response URL for a private reply")
        return
    try:
        await respond(text=words, response_type=EPHEMERAL, replace_original=False)
    except SlackApiError:
        log.warning("could not send a private reply")
