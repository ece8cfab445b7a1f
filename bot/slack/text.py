"""Every sentence and label the Slack adapter shows, in one place for review."""

from __future__ import annotations

from datetime import datetime

BACK = "Back"
SKIP = "Skip"
PAUSE = "Pause"
SEND = "Send my answers"
CHANGE = "Change an answer"
ALL_AT_ONCE = "All questions in one message"


def sheet_hint(count: int) -> str:
    """Under the one-message form's title."""
    return (
        f"{count} questions: choose your answers, then send them all at once. "
        "Leave any you would rather not answer, unless it says why it is needed."
    )


def sheet_later(questions: list[str]) -> str:
    """On the one-message form, the questions that need typing, asked after it."""
    listed = "; ".join(f"'{question}'" for question in questions)
    return f"After you send, you can type an answer to {listed}, or skip it."


CHOOSE = "Choose an answer"
TYPE_ANSWER = "Type your answer"
CHOOSE_SEVERAL = "Choose answers"
START = "Start"
RESUME = "Carry on"
MODAL_TITLE = "Your answer"
MODAL_SAVE = "Save answer"
MODAL_CANCEL = "Cancel"
MODAL_CLOSE = "Close"
MODAL_LOADING = "Getting the question..."
MODAL_MOVED_ON = (
    "You have moved on from that question. The survey message shows where you are."
)
CONFIRM_TITLE = "Send your answers?"
CONFIRM_TEXT = (
    "Once sent, your answers are stored anonymously and cannot be changed or "
    "linked back to you."
)
CONFIRM_YES = "Send"
CONFIRM_NO = "Not yet"
MISSING = "needs an answer"
HOME_SURVEYS = "Your surveys"
HOME_NO_SURVEYS = "You have no open surveys right now. Thank you."
HOME_YOU_SAID = "You said, we did"
HOME_NO_YOU_SAID = "No 'you said, we did' updates yet."
HOME_NOT_ON_ROSTER = (
    "You are not on the Health Check roster yet, so there is nothing to answer "
    "here. Please ask your Principal Social Worker to add you."
)
HOME_HELP = "Type `/healthcheck help` anywhere to see what you can do."


def progress(position: int, total: int) -> str:
    """Where a person is in a survey."""
    return f"Question {position} of {total}"


def your_answer(answer: str) -> str:
    """The answer already given to a question shown again."""
    return f"Your answer so far: {answer}"


def unit_label(unit: str | None) -> str:
    """The label of a number box."""
    return f"Your answer ({unit})" if unit else "Your answer"


def review_title(campaign: str) -> str:
    """Heading of the review step."""
    return f"Check your answers to {campaign}"


def invitation(campaign: str, closes_at: str | None) -> str:
    """An invitation to answer a survey."""
    when = _closes(closes_at)
    return (
        f"You are invited to answer '{campaign}'. Your answers are anonymous: "
        f"nobody, including your manager, can see what you said.{when}"
    )


def reminder(campaign: str, closes_at: str | None) -> str:
    """A reminder to someone who has not finished."""
    when = _closes(closes_at)
    return (
        f"A reminder: you have not sent your answers to '{campaign}' yet. It takes "
        f"a few minutes and you can pause at any time.{when}"
    )


def message_from_bot(kind: str) -> str:
    """A message kind this version does not know how to draw."""
    return f"You have a new message from the Health Check bot ({kind})."


def _closes(closes_at: str | None) -> str:
    if not closes_at:
        return ""
    try:
        closes = datetime.fromisoformat(closes_at)
    except ValueError:
        return ""
    return f" It closes on {closes:%A %-d %B}."


def manager_pointer(manager: bool, psw: bool) -> str:
    """What the App Home tells managers and the PSW about their summaries."""
    if psw:
        return (
            "As the Principal Social Worker you can see every team's results: "
            "`/healthcheck summary`, `/healthcheck participation`, "
            "`/healthcheck themes`. Replies are shown only to you."
        )
    if manager:
        return (
            "As a manager you can see your teams' results with `/healthcheck "
            "summary` and `/healthcheck themes`. Replies are shown only to you, and "
            "groups too small to keep anonymous are never shown."
        )
    return ""


def sent_to_dm() -> str:
    """After a command that starts a survey from a channel."""
    return "I have sent the survey to you in a direct message with me."


def not_on_roster() -> str:
    """An action from someone the roster does not know."""
    return (
        "You are not on the Health Check roster, so I cannot record answers for "
        "you. Please ask your Principal Social Worker to add you."
    )


def workspace_unknown() -> str:
    """A request from a workspace that no organisation has installed the app into."""
    return "This Slack workspace is not linked to a Health Check organisation yet."


def install_link_needed() -> str:
    """The page for ``/slack/install`` without a valid install link."""
    return (
        "<!doctype html><title>Health Check</title><p>To add Health Check to a "
        "Slack workspace you need an install link made for your organisation. "
        "Ask whoever runs Health Check for one (they make it with "
        "<code>healthcheck slack install-link --org YOUR-ORGANISATION</code>); "
        "links expire after a few days.</p>"
    )


def not_installed() -> str:
    """A request from a workspace the app is not (or no longer) installed in."""
    return (
        "The Health Check app is not installed in this Slack workspace. Please ask "
        "your Slack administrator or Principal Social Worker to install it."
    )


READ_MORE = "Read more"
GIVE_FEEDBACK = "Tell us what you think"

# healthcheck slack workforce-channel and link-workspace
NEED_CHANNEL = "Give the channel's id (C... or G...), or --clear to unset it."
CHANNEL_OR_CLEAR = "Give a channel id or --clear, not both."
NOT_A_CHANNEL = (
    "'{channel}' is not a Slack channel id: one starts with C or G followed by "
    "capital letters and digits, e.g. C0123ABCD (in Slack, open the channel's "
    "details; its id is at the bottom)."
)
SET = (
    "{name} ({slug}): you-said digests and briefings are now posted in Slack "
    "channel {channel}. Invite the Health Check app to it if it is not there yet."
)
CLEARED_DEFAULT = (
    "{name} ({slug}) has no Slack workforce channel of its own now; as the "
    "default organisation its posts go to HEALTHCHECK_SLACK_WORKFORCE_CHANNEL "
    "({setting})."
)
CLEARED = (
    "{name} ({slug}) has no Slack workforce channel of its own now; its "
    "you-said digests and briefings are held (not posted) until one is set."
)
NOT_A_TEAM = (
    "'{team}' is not a Slack workspace id: one starts with T followed by capital "
    "letters and digits (it is in the workspace's address: "
    "app.slack.com/client/T...)."
)
ALREADY = "Workspace {team} already belongs to {name} ({slug}); nothing changed."
LINKED = (
    "Workspace {team} now belongs to {name} ({slug}): its people's commands, surveys "
    "and summaries are {name}'s."
)
ELSEWHERE = (
    "Workspace {team} belongs to {other} ({other_slug}). Add --move to give it to "
    "{name} ({slug}) instead; {other}'s people there would then reach {name}'s data."
)


def linked_before_invitations(summary: str) -> str:
    """To the PSW: what linking the roster to Slack found before invitations."""
    return (
        "Before sending invitations I looked up everyone on the roster without a "
        f"Slack id by their roster email. {summary}"
    )


NO_SLACK_ACCOUNT = "No Slack account has these roster emails: {emails}."


INSTALL_LINK = (
    "Install link for {name} ({slug}), valid until {until:%d %B %Y %H:%M} UTC. "
    "A Slack admin of that council's workspace opens it and allows the app; the "
    "workspace then belongs to {name}:\n{url}"
)
NO_PUBLIC_URL = (
    "HEALTHCHECK_PUBLIC_URL is not set, so there is no address to put in the link."
)
NOT_OAUTH = (
    "Install links are for installing into many workspaces (OAuth): set "
    "HEALTHCHECK_SLACK_CLIENT_ID and HEALTHCHECK_SLACK_CLIENT_SECRET instead of "
    "HEALTHCHECK_SLACK_BOT_TOKEN."
)


def part_of(words: str, number: int, count: int) -> str:
    """The notification text of one message of a reply split in several."""
    return f"{words} (part {number} of {count})"


def continued(title: str) -> str:
    """The heading of a table that goes on from the message before."""
    return f"{title} (continued)"
