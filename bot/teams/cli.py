"""``healthcheck teams ...``: settings of Teams kept in the database.

``workforce-channel`` shows, sets or clears where an organisation's briefings
and "you said, we did" posts go in Teams. The PSW can do the same by writing
``@Health Check workforce channel`` in the channel; nothing else changes it.
"""

from __future__ import annotations

from typing import Annotated

import typer
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.command_line import in_organisation
from bot.teams import text
from bot.teams.references import TEAMS
from survey.delivery.conversations import channel_conversations, find_conversation
from survey.errors import SettingsError
from survey.models import ChatConversation, Organisation
from survey.organisations import set_teams_workforce_channel

teams_app = typer.Typer(
    rich_markup_mode=None, help="Teams: the workforce channel of each organisation."
)

OrgOption = Annotated[
    str | None, typer.Option("--org", help="Organisation slug (default from settings).")
]


def _team(conversation: ChatConversation | None) -> str:
    if conversation is None or not conversation.title:
        return ""
    return f" (team {conversation.title})"


def _known(channels: list[ChatConversation]) -> str:
    if not channels:
        return text.CLI_NONE_KNOWN
    return ", ".join(f"{row.conversation_id}{_team(row)}" for row in channels)


@teams_app.command("workforce-channel")
def workforce_channel_command(
    channel: Annotated[
        str | None,
        typer.Argument(help="The channel's id (19:...@thread.tacv2); none to show."),
    ] = None,
    org: OrgOption = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Hold workforce posts: no channel.")
    ] = False,
) -> None:
    """Show or choose the Teams channel where an organisation's workforce posts go."""
    if channel is not None and clear:
        raise SettingsError(text.CLI_CHANNEL_OR_CLEAR)
    wanted = channel.strip() if channel is not None else None

    async def work(session: AsyncSession, organisation: Organisation) -> str:
        names = {"name": organisation.name, "slug": organisation.slug}
        known = await channel_conversations(
            session, platform=TEAMS, organisation_id=organisation.id
        )
        if clear:
            await set_teams_workforce_channel(
                session, organisation_id=organisation.id, channel=None
            )
            return text.CLI_CLEARED.format(**names)
        if wanted is None:
            return await _current(session, organisation, known)
        found = next((row for row in known if row.conversation_id == wanted), None)
        if found is None:
            raise SettingsError(
                text.CLI_UNKNOWN_CHANNEL.format(
                    channel=wanted, known=_known(known), **names
                )
            )
        await set_teams_workforce_channel(
            session, organisation_id=organisation.id, channel=wanted
        )
        return text.CLI_SET.format(channel=wanted, team=_team(found), **names)

    typer.echo(in_organisation(org, work, writes=clear or wanted is not None))


async def _current(
    session: AsyncSession, organisation: Organisation, known: list[ChatConversation]
) -> str:
    names = {"name": organisation.name, "slug": organisation.slug}
    chosen = organisation.teams_workforce_channel
    if not chosen:
        return text.CLI_NOT_CHOSEN.format(known=_known(known), **names)
    stored = await find_conversation(session, platform=TEAMS, conversation_id=chosen)
    gone = stored is None or not stored.active
    return text.CLI_CURRENT.format(
        channel=chosen,
        team=_team(stored),
        state=text.CLI_GONE if gone else "",
        **names,
    )
