"""Events API: the App Home tab, messages to the bot, uninstalls.

Slack retries an event it thinks we missed (``X-Slack-Retry-Num``); each event id
is stored once (``slack_event``), so a retry of a message already handled is
not handled again.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import delete
from sqlmodel import col

from bot.slack.home import home_view
from bot.slack.replies import asker_of, remember_dm, run_command
from bot.slack.services import SlackServices, services_of
from survey.delivery.queue import insert_once
from survey.models import SlackEvent
from survey.models.columns import new_id

log = logging.getLogger(__name__)

KEEP_EVENT_IDS = timedelta(days=1)
"""Slack retries within minutes; a day of event ids is plenty."""


async def first_time(services: SlackServices, event_id: str | None) -> bool:
    """Record an event id; False if it was seen before (a retry)."""
    if not event_id:
        return True
    now = services.clock()
    async with services.writing(), services.sessions() as session, session.begin():
        fresh = await insert_once(
            session,
            SlackEvent,
            key_column="event_id",
            values={"id": new_id(), "event_id": event_id, "received_at": now},
        )
        if fresh:
            await session.exec(
                delete(SlackEvent).where(
                    col(SlackEvent.received_at) < now - KEEP_EVENT_IDS
                )
            )
    return fresh


async def app_home_opened(
    body: dict[str, Any],
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Draw the Home tab afresh for the person who opened it."""
    if event.get("tab") not in (None, "home"):
        return
    services = services_of(context)
    user_id = str(event.get("user", ""))
    asker = await asker_of(
        services, client, team_id=body.get("team_id"), user_id=user_id
    )
    if asker is None:
        return
    if event.get("channel"):
        await remember_dm(services, asker, str(event["channel"]))
    async with services.read_sessions() as session:
        view = await home_view(
            session,
            secret=services.secret,
            organisation=asker.organisation,
            person=asker.person,
            now=services.clock(),
        )
    try:
        await client.views_publish(user_id=user_id, view=view)
    except SlackApiError as error:
        log.warning("could not publish a Home tab: %s", error.response.get("error"))


async def direct_message(
    body: dict[str, Any],
    event: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """A message in the bot's DM is a command of the shared grammar.

    The reply goes back into the same DM, which only the person can read.
    """
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    services = services_of(context)
    if not await first_time(services, body.get("event_id")):
        return
    asker = await asker_of(
        services, client, team_id=body.get("team_id"), user_id=str(event.get("user"))
    )
    if asker is None:
        return
    channel = str(event.get("channel", ""))
    await remember_dm(services, asker, channel)
    messages, _ = await run_command(services, asker.person, str(event.get("text", "")))
    try:
        for part in services.renderer.render_all(messages):
            await client.chat_postMessage(
                channel=channel, text=part.text, blocks=part.blocks
            )
    except SlackApiError as error:
        log.warning("could not reply in a DM: %s", error.response.get("error"))


def register(app: AsyncApp) -> None:
    """Listen for the events the manifest subscribes to."""
    app.event("app_home_opened")(app_home_opened)
    app.event("message")(direct_message)
