"""The Teams adapter's core: who is writing, and what the bot answers them.

Listeners translate Teams activities into calls here; this calls the shared
command grammar and survey flow and returns platform-neutral messages, so Teams
behaves exactly like every other channel.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from microsoft_agents.activity import Activity

from bot.commands import CommandName, dispatch, parse
from bot.commands.text import not_on_roster, start_command
from bot.conversation.flow import (
    AllAtOnce,
    Answer,
    AnswerAll,
    Back,
    Edit,
    Event,
    Pause,
    Skip,
    Submit,
)
from bot.conversation.messages import Menu, MenuItem, Message, Notice, Tone
from bot.conversation.service import handle_event
from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams import text
from bot.teams.card_actions import CardAction, Verb
from bot.teams.cards import AdaptiveCardRenderer
from bot.teams.identity import EmailLookup, TeamsUser, identify
from bot.teams.references import (
    TEAMS,
    ChannelEvent,
    conversation_info,
    tenant_of,
)
from bot.teams.workforce import WorkforceChannels
from survey.delivery.conversations import find_conversation, forget_conversation
from survey.delivery.conversations import remember_conversation as store_conversation
from survey.errors import NotFoundError
from survey.models import Campaign, Organisation, Person
from survey.organisations import find_organisation

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# Shown in a channel or group chat; everything else waits for a personal chat.
_SHARED_COMMANDS = frozenset(
    {CommandName.HELP, CommandName.PRIVACY, CommandName.UNKNOWN}
)


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class TeamsService:
    """What the Teams listeners share: the runtime, the clock, the renderer.

    Attributes:
        settings: This deployment's settings.
        runtime_of: Gives the runtime (built when the web app starts).
        clock: The current time; tests pin it.
        renderer: Draws messages as Adaptive Cards.
    """

    settings: Settings
    runtime_of: Callable[[], Runtime]
    clock: Clock = _now
    renderer: AdaptiveCardRenderer = field(default_factory=AdaptiveCardRenderer)
    _organisation: Organisation | None = None

    @property
    def platforms(self) -> tuple[str, ...]:
        """Where posts and messages can go from this deployment (as the worker's)."""
        chosen = ["local", "teams"]
        if self.settings.slack_enabled:
            chosen.append("slack")
        return tuple(chosen)

    @property
    def runtime(self) -> Runtime:
        """The web app's runtime."""
        return self.runtime_of()

    async def organisation(self) -> Organisation | None:
        """The organisation this deployment serves (looked up once)."""
        if self._organisation is None:
            try:
                async with self.runtime.read_sessions() as session:
                    self._organisation = await find_organisation(
                        session, slug=self.settings.organisation
                    )
            except NotFoundError:
                log.warning(
                    "Teams: organisation %r not found", self.settings.organisation
                )
                return None
        return self._organisation

    def serves(self, activity: Activity) -> bool:
        """Whether the activity comes from the tenant this deployment serves."""
        wanted = self.settings.teams_tenant_id
        if not wanted:
            return True
        return (tenant_of(activity) or "").lower() == wanted.lower()

    async def remember(self, activity: Activity) -> None:
        """Store (or refresh) the reference to the activity's conversation."""
        info = conversation_info(activity)
        if info is None:
            return
        organisation = await self.organisation()
        async with self.runtime.sessions() as session, session.begin():
            stored = await find_conversation(
                session, platform=TEAMS, conversation_id=info.conversation_id
            )
            unchanged = (
                stored is not None
                and stored.active
                and stored.reference == info.reference
                and (info.user_key is None or stored.user_key == info.user_key)
            )
            if unchanged:
                return
            await store_conversation(
                session,
                platform=TEAMS,
                conversation_id=info.conversation_id,
                kind=info.kind,
                reference=info.reference,
                organisation_id=organisation.id if organisation else None,
                user_key=info.user_key,
                tenant_id=info.tenant_id,
                title=info.title,
                now=self.clock(),
            )

    async def forget(self, activity: Activity) -> None:
        """The app was removed from the activity's conversation: stop writing there."""
        info = conversation_info(activity)
        if info is None:
            return
        async with self.runtime.sessions() as session, session.begin():
            await forget_conversation(
                session,
                platform=TEAMS,
                conversation_id=info.conversation_id,
                now=self.clock(),
            )

    @property
    def workforce(self) -> WorkforceChannels:
        """Chooses and watches the workforce channel."""
        return WorkforceChannels(self.runtime.sessions, self.platforms)

    async def choose_workforce_channel(
        self, person: Person | None, activity: Activity
    ) -> tuple[Message, ...]:
        """``@Health Check workforce channel``: workforce posts go to this channel."""
        info = conversation_info(activity)
        if info is None:
            return (Notice(text.workforce_channel_in_a_channel(), Tone.INFO),)
        return await self.workforce.choose(person=person, info=info, now=self.clock())

    async def channel_changed(self, activity: Activity, event: ChannelEvent) -> None:
        """A team channel was created, deleted, renamed or restored."""
        organisation = await self.organisation()
        await self.workforce.changed(
            organisation_id=organisation.id if organisation else None,
            event=event,
            event_id=activity.id or "",
            now=self.clock(),
        )

    async def person(self, activity: Activity, email_of: EmailLookup) -> Person | None:
        """The roster person who sent ``activity``, if any."""
        user = TeamsUser.of(activity)
        organisation = await self.organisation()
        if user is None or organisation is None or not self.serves(activity):
            return None
        return await identify(
            self.runtime.sessions,
            organisation_id=organisation.id,
            user=user,
            email_of=email_of,
        )

    async def command(
        self, person: Person | None, typed: str, *, personal: bool
    ) -> tuple[Message, ...]:
        """Answer a typed command; outside a personal chat only help and privacy."""
        if not personal and parse(typed).name not in _SHARED_COMMANDS:
            return (Notice(text.personal_chat_only(), Tone.INFO),)
        result = await dispatch(
            self.runtime.sessions,
            secret=self.settings.secret,
            person=person,
            text=typed,
            now=self.clock(),
            platforms=self.platforms,
            channel="teams",
        )
        return result.messages

    async def card_action(
        self, person: Person | None, action: CardAction
    ) -> tuple[Message, ...]:
        """Apply a tap on one of our cards (a personal chat's)."""
        if person is None:
            return (Notice(not_on_roster(), Tone.WARNING),)
        if action.verb == Verb.COMMAND:
            return await self.command(person, action.command or "help", personal=True)
        campaign = await self._campaign(person, action.campaign_id)
        event = _event(action)
        if campaign is None or event is None:
            return (Notice(text.card_out_of_date(), Tone.WARNING),)
        turn = await handle_event(
            self.runtime.sessions,
            secret=self.settings.secret,
            person=person,
            campaign=campaign,
            event=event,
            now=self.clock(),
        )
        if isinstance(event, Pause) and not turn.submitted:
            resume = MenuItem(label=text.RESUME, command=start_command(campaign.name))
            return (*turn.messages, Menu(title="", items=(resume,)))
        return turn.messages

    async def _campaign(
        self, person: Person, campaign_id: uuid.UUID | None
    ) -> Campaign | None:
        if campaign_id is None:
            return None
        async with self.runtime.read_sessions() as session:
            campaign = await session.get(Campaign, campaign_id)
        if campaign is None or campaign.organisation_id != person.organisation_id:
            return None
        return campaign


def _event(action: CardAction) -> Event | None:
    """The flow event a tap stands for; None when the card lacks what it needs."""
    question = action.question_id
    match action.verb:
        case Verb.PAUSE:
            return Pause()
        case Verb.SUBMIT:
            return Submit()
        case Verb.ALL_AT_ONCE:
            return AllAtOnce()
        case Verb.SEND_ALL:
            return AnswerAll(answers=action.answers or {})
    if question is None:
        return None
    match action.verb:
        case Verb.ANSWER:
            return Answer(question_id=question, raw=action.raw or "")
        case Verb.SKIP:
            return Skip(question_id=question)
        case Verb.BACK:
            return Back(from_question=question)
        case Verb.EDIT:
            return Edit(question_id=question)
    return None
