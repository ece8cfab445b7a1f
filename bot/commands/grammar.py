"""The one command grammar every platform shares: text in, a Command out.

Pure: no database, no platform. Slack's ``/healthcheck status``, a Teams message
``@Health Check status`` and the local channel's ``status`` all parse the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class CommandName(StrEnum):
    """Every command the bot recognises, as people type it."""

    HELP = "help"
    STATUS = "status"
    START = "start"
    RESUME = "resume"
    BACK = "back"
    SKIP = "skip"
    PAUSE = "pause"
    PRIVACY = "privacy"
    CAMPAIGN = "campaign"
    CAMPAIGN_OPEN = "campaign open"
    CAMPAIGN_CLOSE = "campaign close"
    CAMPAIGN_SCHEDULE = "campaign schedule"
    WHO_HAS_ACCESS = "who-has-access"
    SUMMARY = "summary"
    PARTICIPATION = "participation"
    THEMES = "themes"
    TARGET = "target"
    REMIND = "remind"
    ACTION = "action"
    POST_YOU_SAID = "post you-said"
    BRIEF = "brief"
    YOU_SAID = "you-said"
    MUTE = "mute"
    UNMUTE = "unmute"
    PULSE_SCHEDULE = "pulse schedule"
    TRENDS = "trends"
    UNKNOWN = "unknown"


# Command words joined by "-", so "who has access", "who-has-access" and
# "post you said" all meet the same key.
_PHRASES: dict[str, CommandName] = {
    "help": CommandName.HELP,
    "?": CommandName.HELP,
    "status": CommandName.STATUS,
    "start": CommandName.START,
    "resume": CommandName.RESUME,
    "back": CommandName.BACK,
    "skip": CommandName.SKIP,
    "pause": CommandName.PAUSE,
    "privacy": CommandName.PRIVACY,
    "campaign": CommandName.CAMPAIGN,
    "campaign-open": CommandName.CAMPAIGN_OPEN,
    "campaign-close": CommandName.CAMPAIGN_CLOSE,
    "campaign-schedule": CommandName.CAMPAIGN_SCHEDULE,
    # What people see says "survey"; "campaign" is kept for those used to it.
    "survey": CommandName.CAMPAIGN,
    "survey-open": CommandName.CAMPAIGN_OPEN,
    "survey-close": CommandName.CAMPAIGN_CLOSE,
    "survey-schedule": CommandName.CAMPAIGN_SCHEDULE,
    # The design lists a bare `close`; it means the same as `campaign close`.
    "close": CommandName.CAMPAIGN_CLOSE,
    "who-has-access": CommandName.WHO_HAS_ACCESS,
    "summary": CommandName.SUMMARY,
    "participation": CommandName.PARTICIPATION,
    "themes": CommandName.THEMES,
    "target": CommandName.TARGET,
    # `launch NAME` is the design's word for opening a survey.
    "launch": CommandName.CAMPAIGN_OPEN,
    "remind": CommandName.REMIND,
    "action": CommandName.ACTION,
    "actions": CommandName.ACTION,
    "post-you-said": CommandName.POST_YOU_SAID,
    "brief": CommandName.BRIEF,
    "you-said": CommandName.YOU_SAID,
    "you-said-we-did": CommandName.YOU_SAID,
    "mute": CommandName.MUTE,
    "unmute": CommandName.UNMUTE,
    "pulse-schedule": CommandName.PULSE_SCHEDULE,
    "trends": CommandName.TRENDS,
}
_LONGEST_PHRASE = max(key.count("-") + 1 for key in _PHRASES)

# A mention or the command's own name, at the start: Slack "<@U123>" or
# "<@U123|bot>", Teams "<at>Health Check</at>", a typed "@bot", "/healthcheck".
_PREFIX = re.compile(
    r"""^(?:
        <@[^>]+>
      | <at>.*?</at>
      | @\S+
      | /?health-?check(?=\s|$|[:,])
    )[\s:,]*""",
    re.IGNORECASE | re.VERBOSE,
)
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
# A "double-quoted" run, a 'single-quoted' run standing alone (so the apostrophe
# in "Children's" is left alone), or a plain word.
_TOKEN = re.compile(r"\"([^\"]*)\"|(?<!\S)'([^']*)'(?!\S)|(\S+)")


@dataclass(frozen=True)
class Command:
    """A parsed command.

    Attributes:
        name: Which command; ``UNKNOWN`` when the words match none.
        args: What followed the command words, quoted phrases kept whole.
        text: The whole command as typed, without any mention or prefix.
    """

    name: CommandName
    args: tuple[str, ...] = ()
    text: str = ""

    @property
    def argument(self) -> str:
        """The arguments as one phrase, e.g. a campaign name typed without quotes."""
        return " ".join(self.args)


def parse(text: str) -> Command:
    """Read one command; never raises.

    Mentions and ``/healthcheck`` / ``healthcheck`` prefixes are dropped, case
    and extra whitespace do not matter, and empty text means ``help``.
    """
    rest = text.translate(_QUOTES).strip()
    while (prefix := _PREFIX.match(rest)) is not None and prefix.end() > 0:
        rest = rest[prefix.end() :]
    tokens = _tokens(rest)
    rest = " ".join(rest.split())
    if not tokens:
        return Command(CommandName.HELP, text=rest)
    for length in range(min(_LONGEST_PHRASE, len(tokens)), 0, -1):
        key = "-".join(tokens[:length]).casefold()
        # "help?" and "status." are still the command.
        for candidate in (key, key.rstrip(".!?")):
            if candidate in _PHRASES:
                return Command(_PHRASES[candidate], tuple(tokens[length:]), rest)
    return Command(CommandName.UNKNOWN, tuple(tokens[1:]), rest)


def _tokens(text: str) -> list[str]:
    tokens = []
    for match in _TOKEN.finditer(text):
        double, single, word = match.groups()
        token = next(part for part in (double, single, word) if part is not None)
        if word is not None:
            # An unmatched quote, e.g. `close "Pulse`, is not part of the name.
            token = token.strip("\"'") or token
        token = token.strip()
        if token:
            tokens.append(token)
    return tokens
