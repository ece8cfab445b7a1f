"""``/healthcheck``: the shared command grammar, in Slack.

The command is acknowledged at once; its answer follows privately through the
response URL (only the person who typed it sees it, even in a channel). A
command that starts a survey puts the question in the person's DM with the bot.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import text
from bot.slack.replies import (
    asker_of,
    post_to_dm,
    run_command,
    say_privately,
    tell_privately,
)
from bot.slack.services import services_of

COMMAND = "/healthcheck"
RESPONSE_URL_REPLIES = 5
"""Slack takes at most five replies through one response URL."""


async def healthcheck(
    ack: AsyncAck,
    command: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """Run ``/healthcheck <text>`` for the person who typed it."""
    await ack()
    services = services_of(context)
    asker = await asker_of(
        services,
        client,
        team_id=command.get("team_id"),
        user_id=str(command.get("user_id", "")),
    )
    if asker is None:
        await tell_privately(respond, text.workspace_unknown())
        return
    messages, screen = await run_command(
        services, asker.person, str(command.get("text", ""))
    )
    rendered = services.renderer.render_all(messages)
    # A response URL takes five replies; a longer reply goes to the DM whole.
    too_many = len(rendered) > RESPONSE_URL_REPLIES
    if (screen or too_many) and asker.person is not None:
        await post_to_dm(services, client, asker, rendered)
        await tell_privately(respond, text.sent_to_dm())
        return
    await say_privately(respond, rendered)


def register(app: AsyncApp) -> None:
    """Listen for the slash command."""
    app.command(COMMAND)(healthcheck)
