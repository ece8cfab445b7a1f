"""A command on its way to its handler, and what the handler gives back."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.commands.access import Standing
from bot.commands.grammar import Command
from bot.commands.insights import UNKNOWN_CHANNEL
from bot.conversation.messages import Message, Notice, Tone
from survey.db import SessionFactory
from survey.models import Organisation, Person


@dataclass(frozen=True)
class CommandResult:
    """What a command produced.

    Attributes:
        messages: What to show the person, in order.
        campaign_id: The survey that was started or resumed, if one was.
    """

    messages: tuple[Message, ...]
    campaign_id: uuid.UUID | None = None


@dataclass(frozen=True)
class CommandRequest:
    """A command someone with standing sent, with what its handler needs."""

    sessions: SessionFactory
    secret: bytes
    standing: Standing
    organisation: Organisation
    command: Command
    now: datetime
    # Where announcements go (the chat platforms in use) and the raw text, so
    # quoted settings keep their line breaks.
    platforms: tuple[str, ...] = ("local",)
    typed: str = ""
    channel: str = UNKNOWN_CHANNEL

    @property
    def person(self) -> Person:
        """Who sent the command."""
        return self.standing.person


Handler = Callable[[CommandRequest], Awaitable[CommandResult]]


def one_notice(words: str, tone: Tone = Tone.INFO) -> CommandResult:
    """A result that is one notice."""
    return CommandResult((Notice(words, tone),))
