"""Every sentence the Teams adapter shows a person, in one place for review."""

from __future__ import annotations

from datetime import date

from bot.conversation.messages import Progress

APP_NAME = "Health Check"


def progress(campaign: str, where: Progress) -> str:
    """The line above a question, e.g. "Pulse check · Question 3 of 7"."""
    return f"{campaign} · Question {where.position} of {where.total}"


def review_heading(campaign: str) -> str:
    """The heading of the review card."""
    return f"{campaign}: check your answers"


def review_hint() -> str:
    """Under the review heading."""
    return "Select an answer to change it. Nothing is sent until you choose Send."


def still_needed(count: int) -> str:
    """On the review card, when required answers are missing."""
    noun = "question still needs" if count == 1 else "questions still need"
    return f"{count} {noun} an answer (marked 'Not answered yet')."


def number_hint(minimum: int | None, maximum: int | None, unit: str | None) -> str:
    """Under a number box."""
    unit_words = f" ({unit})" if unit else ""
    if minimum is not None and maximum is not None:
        return f"A whole number from {minimum} to {maximum}{unit_words}."
    return f"A whole number{unit_words}."


def text_hint(max_length: int | None) -> str:
    """Under a comment box."""
    limit = f"Up to {max_length} characters. " if max_length else ""
    return f"{limit}Please do not include names or case details."


ALL_AT_ONCE = "All questions in one card"


def sheet_hint(count: int) -> str:
    """Under the one-card form's title."""
    return (
        f"{count} questions: answer them here and send them all at once. Leave "
        "any you would rather not answer, unless it says why it is needed."
    )


def chosen(label: str) -> str:
    """An option button marked as the answer already given."""
    return f"✓ {label} (your answer)"


def choose_all() -> str:
    """Under a question that takes several answers."""
    return "Choose all that apply."


YOUR_ANSWER = "Your answer"
CONTINUE = "Continue"
SKIP = "Skip this question"
BACK = "Back"
PAUSE = "Pause and save"
SEND = "Send my answers"
START = "Start"
CARRY_ON = "Carry on"
RESUME = "Resume"
OPEN_LINK = "Open"
NOT_ANSWERED = "Not answered yet"
CONTINUED = "(continued)"


def invitation_title(campaign: str) -> str:
    """The heading of an invitation."""
    return f"You're invited: {campaign}"


def invitation(campaign: str, closes_on: date | None) -> str:
    """The body of an invitation."""
    closing = f" It closes on {_day(closes_on)}." if closes_on else ""
    return (
        f"Please answer '{campaign}' here in Teams, one question at a time.{closing} "
        "Your answers are anonymous: results are only ever shown for groups of "
        "several people. You can pause and carry on later."
    )


def reminder_title(campaign: str) -> str:
    """The heading of a reminder."""
    return f"Reminder: {campaign}"


def reminder(campaign: str, closes_on: date | None) -> str:
    """The body of a reminder (sent only to people who have not finished)."""
    closing = f" It closes on {_day(closes_on)}." if closes_on else ""
    return (
        f"You haven't sent your answers to '{campaign}' yet.{closing} "
        "Anything you already answered is saved."
    )


def personal_chat_only() -> str:
    """A command asked for in a channel or group chat that belongs in a 1:1 chat."""
    return (
        "I only answer that in a personal chat, so nobody else sees it. "
        f"Open a chat with {APP_NAME} and ask me there."
    )


def welcome() -> str:
    """When someone installs the app for themselves."""
    return (
        f"Hello, I'm {APP_NAME}. I'll send you the council's workforce health check "
        "and short pulse checks here. Send 'help' to see what I can do, or "
        "'privacy' to see how your answers are kept anonymous."
    )


WORKFORCE_CHANNEL_COMMANDS = frozenset({"workforce channel", "workforce-channel"})
"""What the PSW types (after @-mentioning the app) in the chosen channel."""


def team_welcome() -> str:
    """When the app is added to a team."""
    return (
        f"{APP_NAME} is here. Nobody's answers are ever posted here. To have "
        "survey news and 'you said, we did' updates posted in a channel, the PSW "
        f"writes '@{APP_NAME} workforce channel' in it."
    )


def workforce_channel_chosen(team: str | None) -> str:
    """The PSW chose this channel for workforce posts."""
    where = f" of {team}" if team else ""
    return (
        f"Done: survey news and 'you said, we did' updates will be posted in this "
        f"channel{where}, and nowhere else, until a PSW chooses another. Nobody's "
        "answers are ever posted here."
    )


def workforce_channel_refused() -> str:
    """Someone without PSW access asked to make a channel the workforce channel."""
    return "Only the PSW can choose where workforce updates are posted."


def workforce_channel_in_a_channel() -> str:
    """The command typed in a personal or group chat."""
    return (
        "Type that in the team channel you want workforce updates posted in, "
        f"mentioning me: '@{APP_NAME} workforce channel'."
    )


def workforce_channel_deleted(name: str | None) -> str:
    """To the PSW: the chosen workforce channel was deleted."""
    called = f" ('{name}')" if name else ""
    return (
        f"The Teams channel chosen for workforce updates{called} was deleted, so "
        "briefings and 'you said, we did' posts are held, not posted anywhere "
        "else. Choose another channel: write "
        f"'@{APP_NAME} workforce channel' in it."
    )


def workforce_channel_restored(name: str | None) -> str:
    """To the PSW: the deleted workforce channel was restored."""
    called = f" ('{name}')" if name else ""
    return (
        f"The Teams channel chosen for workforce updates{called} was restored. "
        "New workforce posts go there again; posts held while it was deleted "
        "stay held."
    )


def workforce_channel_renamed(name: str | None) -> str:
    """To the PSW: the chosen workforce channel was renamed."""
    called = f" to '{name}'" if name else ""
    return (
        f"The Teams channel chosen for workforce updates was renamed{called}. "
        "Workforce posts still go there. If that is no longer the right place, "
        f"write '@{APP_NAME} workforce channel' in the channel you want."
    )


def workforce_channel_refusing(status: int | None) -> str:
    """To the PSW: Teams refused a post to the chosen workforce channel."""
    said = f" (Teams answered {status})" if status else ""
    return (
        "A workforce post could not be delivered to the chosen Teams channel"
        f"{said}: the app may have been removed from that team or the channel "
        "deleted. The post is held. Add the app to the team again, or choose "
        f"another channel by writing '@{APP_NAME} workforce channel' in it."
    )


def something_went_wrong() -> str:
    """When a turn fails unexpectedly."""
    return (
        "Sorry, something went wrong on our side and nothing was changed. "
        "Please try again in a minute."
    )


def card_out_of_date() -> str:
    """A tap on a card that no longer fits any survey."""
    return "That card is out of date. Send 'status' to see your surveys."


def wrong_tenant() -> str:
    """A message from a Microsoft 365 organisation this deployment does not serve."""
    return "This Health Check app serves another organisation, so I can't help here."


def _day(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B}"


# healthcheck teams workforce-channel ---------------------------------------------

CLI_CHANNEL_OR_CLEAR = "Give a channel id or --clear, not both."
CLI_UNKNOWN_CHANNEL = (
    "The app has not been added to a Teams channel with id '{channel}' in "
    "{name} ({slug}). Add the app to the team first (or let the PSW write "
    "'@Health Check workforce channel' in the channel). Channels it knows: {known}."
)
CLI_NONE_KNOWN = "none yet"
CLI_SET = (
    "{name} ({slug}): briefings and 'you said, we did' posts now go to Teams "
    "channel {channel}{team}, and nowhere else."
)
CLI_CLEARED = (
    "{name} ({slug}) has no Teams workforce channel now; its briefings and "
    "'you said, we did' posts are held (not posted) until one is chosen."
)
CLI_CURRENT = "{name} ({slug}): the Teams workforce channel is {channel}{team}{state}."
CLI_NOT_CHOSEN = (
    "{name} ({slug}) has no Teams workforce channel chosen, so workforce posts "
    "are held. The PSW writes '@Health Check workforce channel' in the channel, "
    "or run this command with the channel's id. Channels the app is in: {known}."
)
CLI_GONE = (
    ", which was deleted or the app removed from its team: posts are held until "
    "another is chosen"
)
