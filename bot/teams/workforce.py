"""The Teams workforce channel: chosen by the PSW, watched, never guessed.

Briefings and "you said, we did" posts go to the one channel the PSW chose,
by writing ``@Health Check workforce channel`` in it or with ``healthcheck
teams workforce-channel``. Nothing else moves it: not an @mention elsewhere,
not a new channel, not the app being added to another team. When the chosen
channel is deleted, restored or renamed, the PSWs are told; a deleted channel
holds workforce posts until a PSW chooses another.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot import security_log
from bot.conversation.messages import Message, Notice, Tone
from bot.teams import text
from bot.teams.references import (
    CHANNEL_DELETED,
    CHANNEL_RENAMED,
    CHANNEL_RESTORED,
    TEAMS,
    ChannelEvent,
    ConversationInfo,
)
from survey.db import SessionFactory
from survey.delivery.conversations import (
    CHANNEL,
    find_conversation,
    remember_conversation,
)
from survey.delivery.psw_notes import tell_psws
from survey.models import Organisation, Person
from survey.organisations import set_teams_workforce_channel
from survey.roster.roles import Access, parse_access

_REPORTS: dict[str, Callable[[str | None], str]] = {
    CHANNEL_DELETED: text.workforce_channel_deleted,
    CHANNEL_RESTORED: text.workforce_channel_restored,
    CHANNEL_RENAMED: text.workforce_channel_renamed,
}


def is_workforce_channel_command(typed: str) -> bool:
    """Whether ``typed`` asks to make this channel the workforce channel."""
    return " ".join(typed.casefold().split()) in text.WORKFORCE_CHANNEL_COMMANDS


@dataclass(frozen=True)
class WorkforceChannels:
    """Chooses and watches organisations' Teams workforce channels."""

    sessions: SessionFactory
    platforms: tuple[str, ...]

    async def choose(
        self, *, person: Person | None, info: ConversationInfo, now: datetime
    ) -> tuple[Message, ...]:
        """The PSW asked, in a channel, for workforce posts to go there."""
        if info.kind != CHANNEL:
            return (Notice(text.workforce_channel_in_a_channel(), Tone.INFO),)
        access = parse_access(person.access) if person is not None else None
        if person is None or access != Access.PSW:
            if person is not None:
                security_log.command_refused(
                    person_id=person.id,
                    command="workforce channel",
                    held=(access or Access.STAFF).value,
                    needed=Access.PSW.value,
                )
            return (Notice(text.workforce_channel_refused(), Tone.WARNING),)
        async with self.sessions() as session, session.begin():
            await remember_conversation(
                session,
                platform=TEAMS,
                conversation_id=info.conversation_id,
                kind=info.kind,
                reference=info.reference,
                organisation_id=person.organisation_id,
                tenant_id=info.tenant_id,
                title=info.title,
                now=now,
            )
            await set_teams_workforce_channel(
                session,
                organisation_id=person.organisation_id,
                channel=info.conversation_id,
            )
            # A message in a channel does not name its team; the install did.
            stored = await find_conversation(
                session, platform=TEAMS, conversation_id=info.conversation_id
            )
            team = stored.title if stored is not None else info.title
        return (Notice(text.workforce_channel_chosen(team), Tone.SUCCESS),)

    async def changed(
        self,
        *,
        organisation_id: uuid.UUID | None,
        event: ChannelEvent,
        event_id: str,
        now: datetime,
    ) -> bool:
        """A channel was created, deleted, renamed or restored.

        Only the organisation's chosen channel matters: its stored reference is
        retired on deletion and revived on restoration, and the PSWs are told.
        Nothing is chosen or moved. True if the PSWs were told.
        """
        if organisation_id is None or event.event not in _REPORTS:
            return False
        async with self.sessions() as session, session.begin():
            organisation = await session.get(Organisation, organisation_id)
            if organisation is None:
                return False
            if organisation.teams_workforce_channel != event.channel_id:
                return False
            stored = await find_conversation(
                session, platform=TEAMS, conversation_id=event.channel_id
            )
            if stored is not None and event.event != CHANNEL_RENAMED:
                stored.active = event.event == CHANNEL_RESTORED
                stored.updated_at = now
                session.add(stored)
            await tell_psws(
                session,
                organisation_id=organisation_id,
                event=f"teams:{event.event}:{event.channel_id}:{event_id}",
                text=_REPORTS[event.event](event.name),
                platforms=self.platforms,
                now=now,
            )
        return True

    async def refusing(
        self,
        *,
        organisation_id: uuid.UUID,
        channel_id: str,
        status: int | None,
        message_key: str,
        now: datetime,
    ) -> None:
        """Teams refused a workforce post outright: tell the PSWs, once a post."""
        async with self.sessions() as session, session.begin():
            await tell_psws(
                session,
                organisation_id=organisation_id,
                event=f"teams:refused:{channel_id}:{message_key}",
                text=text.workforce_channel_refusing(status),
                platforms=self.platforms,
                now=now,
            )
