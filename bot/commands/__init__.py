"""The one command grammar for every platform: help, status, start, privacy, ...

Adapters pass what a person typed to :func:`dispatch` and render the messages in
the :class:`CommandResult`.
"""

from bot.commands.grammar import Command, CommandName, parse
from bot.commands.handlers import dispatch
from bot.commands.request import CommandResult

__all__ = [
    "Command",
    "CommandName",
    "CommandResult",
    "dispatch",
    "parse",
]
