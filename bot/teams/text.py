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


def team_welcome() -> str:
    """When the app is added to a team."""
    return (
        f"{APP_NAME} will post survey news and 'you said, we did' updates in this "
        "channel. Nobody's answers are ever posted here."
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
