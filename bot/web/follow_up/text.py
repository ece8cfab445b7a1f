"""What the posts pages say: every heading, label and message, in one place."""

from __future__ import annotations

SIGN_IN_HEADING = "Sign in first"
SIGN_IN = "Choose who you are, or open your personal link, to use these pages."
TO_SIGN_IN = "Sign in"
PSW_ONLY_HEADING = "Only the Principal Social Worker can post to the workforce"
PSW_ONLY = (
    "Briefings, 'you said, we did', actions and targets are for the Principal "
    "Social Worker. Managers can ask for their team's summary in the chat: type "
    "'summary'."
)
BACK_TO_CHAT = "Back to the chat"

CHOOSE_AUDIENCE = "Choose who the briefing is for from the list."
SAY_WHEN = (
    "Say when to post it: pick a date and type a time such as 9am, or type a day "
    'and time such as "Monday 9am" or "tomorrow 14:30".'
)
DATE_NEEDS_TIME = "A date needs a time too: type one such as 9am or 14:30."
NOT_A_DATE = "The date is not one the date picker gives; pick it again."
CHANGED_SINCE_PREVIEW = (
    "What would be posted has changed since you previewed it (the roster, the "
    "actions or the form), so nothing was posted. Check the new preview below."
)
CHOOSE_SURVEY = "Choose a survey first."
CHOOSE_ACTIONS = "Tick at least one action to include."
NO_ACTIONS_FOR_SURVEY = (
    "No actions have been logged against this survey yet. Log what is being done "
    "on the actions page first, then post 'you said, we did'."
)
QUESTION_FROM_OTHER_SURVEY = (
    "That question is from '{question_survey}', not '{survey}'. Choose a question "
    "from the survey the action answers, or leave the survey as the question's."
)
NOT_A_QUESTION = "Choose the question from the list."
NOT_A_PERCENT = "A target is a percentage from 0 to 100, such as 70."
NOT_A_DUE_DATE = "The due date is not one the date picker gives; pick it again."


def posted(title: str, where: str, people: int | None) -> str:
    """A briefing posted now."""
    to = where if people is None else f"{where} ({people} people)"
    return f"Posted '{title}' to {to}."


def scheduled(title: str, where: str, when: str) -> str:
    """A briefing scheduled for later."""
    return (
        f"Scheduled '{title}' for {where}, to go on {when}. You can cancel it "
        "until then on the scheduled posts page."
    )


def repeat(title: str) -> str:
    """The same post confirmed twice (a double click, a resent form)."""
    return f"'{title}' was already posted or scheduled; nothing was posted twice."


def you_said_posted(title: str, notes: int) -> str:
    """A "you said, we did" digest posted."""
    people = "person" if notes == 1 else "people"
    return (
        f"Posted '{title}' to the workforce channel, with a note to the {notes} "
        f"{people} who took part."
    )


def cancelled(title: str) -> str:
    """A scheduled briefing cancelled."""
    return f"Cancelled '{title}': it will not be posted."


def action_added(number: int) -> str:
    """An action logged."""
    return f"Logged action {number}. It is in the list below."


def target_set(question: str, percent: float) -> str:
    """A target set."""
    return f"Target set: {percent:g}% favourable for '{question}'."


def reach_count(people: int) -> str:
    """How many people a personal briefing reaches."""
    return (
        f"{people} {'person' if people == 1 else 'people'}, each as a personal message"
    )


def not_turned_on(platforms: list[str]) -> str:
    """A note that some previews show a platform this deployment does not use."""
    if len(platforms) == 1:
        return (
            f" ({platforms[0]} is not turned on here: its preview shows what "
            "would be sent if it were)"
        )
    return (
        f" ({' and '.join(platforms)} are not turned on here: their previews "
        "show what would be sent if they were)"
    )
