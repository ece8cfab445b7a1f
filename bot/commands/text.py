"""Every sentence the commands show a person, in one place for review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.commands.grammar import CommandName
from survey.roster.roles import Access

if TYPE_CHECKING:
    from bot.commands.privacy_facts import PrivacyFacts

ROSTER_ASK = "ask your Principal Social Worker to add you to the Health Check roster"

USAGE: dict[CommandName, tuple[str, str]] = {
    CommandName.STATUS: ("status", "your open surveys and how far you have got"),
    CommandName.START: ("start [survey]", "answer a survey, e.g. 'start pulse'"),
    CommandName.RESUME: ("resume [survey]", "carry on where you left off"),
    CommandName.BACK: ("back", "go back one question in the survey you are answering"),
    CommandName.SKIP: (
        "skip",
        "skip the question you are on, unless it must be answered",
    ),
    CommandName.PAUSE: (
        "pause",
        "stop for now; your answers are kept until you resume",
    ),
    CommandName.PRIVACY: ("privacy", "how your answers are kept anonymous"),
    CommandName.YOU_SAID: (
        "you-said [survey]",
        "what is being done about what staff said",
    ),
    CommandName.MUTE: (
        "mute [survey]",
        "stop reminders about a survey you are answering",
    ),
    CommandName.UNMUTE: ("unmute [survey]", "turn those reminders back on"),
    CommandName.HELP: ("help", "this list"),
    CommandName.CAMPAIGN_OPEN: (
        "survey open NAME",
        "open a survey and invite everyone in its audience",
    ),
    CommandName.CAMPAIGN_CLOSE: (
        "survey close NAME",
        "close a survey so it takes no more answers",
    ),
    CommandName.CAMPAIGN_SCHEDULE: (
        "survey schedule NAME opens=Monday 9am closes=... remind=3,7,-1",
        "plan when a survey opens, closes and reminds (replaces any earlier plan)",
    ),
    CommandName.WHO_HAS_ACCESS: (
        "who-has-access",
        "who can ask for which summaries",
    ),
    CommandName.SUMMARY: (
        "summary [team or service] [survey]",
        "results compared with the service and the council, e.g. 'summary "
        "Child Protection'; 'summary pulse' for the latest pulse check and its "
        "trend; also on the Team summary page of the web app",
    ),
    CommandName.PARTICIPATION: (
        "participation [survey] [team or service]",
        "how many have finished, as counts and rates (never names)",
    ),
    CommandName.THEMES: (
        "themes [team or service] [survey]",
        "what comments are about",
    ),
    CommandName.TARGET: (
        "target QUESTION PERCENT",
        "set a target % favourable for a question, by its words or id "
        "(red/amber/green in reports)",
    ),
    CommandName.REMIND: (
        "remind TEAM OR SERVICE [survey] at=Monday 9am",
        "a survey-hour nudge to that group's people who have not finished",
    ),
    CommandName.PULSE_SCHEDULE: (
        "pulse schedule every=4 weeks audience=... questions=4 cooldown=14",
        "a recurring pulse check with rotating questions",
    ),
    CommandName.TRENDS: ("trends [pulse]", "pulse results round by round"),
    CommandName.ACTION: (
        "action add|update|list",
        "log and update what is being done about what staff said; "
        "send 'action' for examples",
    ),
    CommandName.POST_YOU_SAID: (
        "post you-said [survey]",
        "post 'you said, we did' to the workforce channel, with a note to "
        "everyone who took part",
    ),
    CommandName.BRIEF: (
        'brief [to TEAM OR SERVICE] title="..." body="..."',
        "post a briefing now or later (at=Monday 9am) to everyone or to one team "
        "or service, with link= and feedback=yes",
    ),
}
"""What each command is for, in the order help lists them."""

_WHO_FOR = {
    Access.STAFF: "everyone",
    Access.MANAGER: "managers and the Principal Social Worker",
    Access.PSW: "the Principal Social Worker",
}


def usage(command: CommandName) -> str:
    """How a command is typed, e.g. "campaign close NAME"."""
    return USAGE[command][0] if command in USAGE else command.value


def help_title() -> str:
    """Heading of the help message."""
    return "What you can ask me"


HELP_GROUPS: tuple[tuple[str, tuple[CommandName, ...]], ...] = (
    (
        "Answering",
        (
            CommandName.STATUS,
            CommandName.START,
            CommandName.RESUME,
            CommandName.BACK,
            CommandName.SKIP,
            CommandName.PAUSE,
            CommandName.MUTE,
            CommandName.UNMUTE,
            CommandName.PRIVACY,
        ),
    ),
    (
        "My team's results",
        (
            CommandName.SUMMARY,
            CommandName.THEMES,
            CommandName.PARTICIPATION,
            CommandName.TRENDS,
        ),
    ),
    (
        "Running surveys",
        (
            CommandName.CAMPAIGN_OPEN,
            CommandName.CAMPAIGN_CLOSE,
            CommandName.CAMPAIGN_SCHEDULE,
            CommandName.PULSE_SCHEDULE,
            CommandName.REMIND,
            CommandName.WHO_HAS_ACCESS,
        ),
    ),
    (
        "Follow-up",
        (
            CommandName.YOU_SAID,
            CommandName.ACTION,
            CommandName.TARGET,
            CommandName.POST_YOU_SAID,
            CommandName.BRIEF,
        ),
    ),
)
"""Help's sections, by task; a section nobody may use is left out."""


def help_text(available: Sequence[CommandName]) -> str:
    """The help message: the commands this person can use, by task."""
    lines = ["Send me one of these:"]
    for heading, commands in HELP_GROUPS:
        mine = [name for name in commands if name in available]
        if not mine:
            continue
        lines += ["", f"{heading}:"]
        lines += [f"- {usage(name)}: {USAGE[name][1]}" for name in mine]
    if CommandName.CAMPAIGN_OPEN in available:
        lines += ["", "'campaign' still works wherever 'survey' is written."]
    lines += ["", f"- {usage(CommandName.HELP)}: {USAGE[CommandName.HELP][1]}"]
    return "\n".join(lines)


def not_recognised(typed: str) -> str:
    """Before the help text, when a command is not one the bot knows."""
    shown = typed if len(typed) <= 60 else typed[:57] + "..."
    return f"I didn't recognise '{shown}'. Here is what you can ask me."


def nothing_in_progress(command: CommandName) -> str:
    """``back``, ``skip`` or ``pause`` when no survey is being answered."""
    return (
        f"You are not in the middle of a survey, so there is nothing to "
        f"{command.value}. Send 'start' to answer one, or 'status' to see yours."
    )


def which_survey(command: CommandName) -> str:
    """``back``, ``skip`` or ``pause`` when several surveys are in progress."""
    return (
        f"You are answering more than one survey. Which one should I {command.value}?"
    )


def nothing_to_skip() -> str:
    """``skip`` typed on the review, where every question has been seen."""
    return (
        "You have reached the end, so there is no question to skip. Send 'back' "
        "to change an answer, or use Send to send your answers."
    )


def not_on_roster() -> str:
    """For someone the roster does not know (or who has left)."""
    return (
        "You are not on the Health Check roster, so I can't show you any surveys. "
        f"Please {ROSTER_ASK}. Nothing about you has been stored."
    )


def refused(command: CommandName, needed: Access, psws: Sequence[str]) -> str:
    """When someone asks for a command their access does not allow."""
    who = _WHO_FOR[needed]
    if psws:
        ask = f"Please ask {_either(psws)} if you need it done."
    else:
        ask = "Nobody on your roster has that access yet."
    return f"Only {who} can use '{usage(command)}'. {ask} Nothing was changed."


def _either(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


# status


def status_title() -> str:
    """Heading of the status message."""
    return "Your surveys"


def no_open_surveys() -> str:
    """Status or start when nothing is open for the person."""
    return "You have no open surveys right now."


def progress(*, sent: bool, answered: int, total: int) -> str:
    """One survey's progress in words (the person's own, never anyone else's)."""
    if sent:
        return "sent, thank you"
    if answered == 0:
        return "not started"
    return f"{answered} of {total} answered"


def status_line(name: str, words: str, closes_on: date | None) -> str:
    """One line of the status message."""
    closes = f" (closes {closes_on:%A %-d %B})" if closes_on else ""
    return f"{name}: {words}{closes}"


def carry_on_title() -> str:
    """Heading of the menu of surveys still to finish."""
    return "Answer a survey"


# start / resume


def all_sent() -> str:
    """Start with no argument when every open survey has been sent."""
    return "You have sent your answers to every open survey. Thank you."


def no_match(query: str) -> str:
    """Start with an argument that names none of the person's open surveys."""
    return f"None of your open surveys matches '{query}'."


def choose_survey() -> str:
    """Heading of the menu when more than one survey could be meant."""
    return "Which survey would you like to answer?"


def start_command(campaign_name: str) -> str:
    """The command a menu item sends to start one survey."""
    if '"' in campaign_name:
        return f"start {campaign_name}"
    return f'start "{campaign_name}"'


# campaign open / close


def campaign_usage() -> str:
    """A bare or mistyped ``campaign`` command."""
    return (
        "Use 'survey open NAME', 'survey close NAME' or 'survey schedule "
        "NAME opens=... closes=... remind=...', for example: "
        "survey close Pulse check November 2026."
    )


def campaign_name_needed(command: CommandName) -> str:
    """Survey open or close without a name."""
    return f"Which survey? Send '{usage(command)}' with the survey's name."


def campaign_opened(name: str, invited: int) -> str:
    """After opening a campaign."""
    people = "person was" if invited == 1 else "people were"
    return f"'{name}' is open. {invited} {people} invited."


def campaign_closed(name: str) -> str:
    """After closing a campaign."""
    return f"'{name}' is closed and takes no more answers."


# who-has-access


def access_title(organisation: str) -> str:
    """Heading of the who-has-access table."""
    return f"Who can see what in {organisation}"


ACCESS_COLUMNS = ("Name", "Access", "Can ask for")


def access_scope(access: Access, teams: Sequence[str]) -> str:
    """What one PSW or manager can ask for."""
    if access == Access.PSW:
        return "Summaries for every team and service; opens and closes surveys"
    if teams:
        return "Summaries for " + ", ".join(teams)
    return "No teams yet"


def access_note(min_group_size: int) -> str:
    """Under the who-has-access table."""
    return (
        "Nobody can see anyone's individual answers. Summaries only cover groups "
        f"of {min_group_size} or more responses."
    )


def nobody_has_access() -> str:
    """Who-has-access when the roster names no PSW or manager."""
    return "Nobody on the roster has manager or Principal Social Worker access."


# privacy


def privacy_title(organisation: str | None) -> str:
    """Heading of the privacy notice."""
    return f"Your privacy in {organisation}" if organisation else "Your privacy"


def privacy(facts: PrivacyFacts) -> str:
    """The anonymity promise (README.md, Anonymity), from the real facts."""
    if facts.min_group_size is not None:
        fewer = f"fewer than {facts.min_group_size} responses"
        groups = f"groups of {facts.min_group_size} or more"
        batch = f"a shuffled batch of at least {facts.min_group_size}"
        quoted = (
            f"groups of {2 * facts.min_group_size} or more, and only on a theme at "
            f"least {facts.min_group_size} people wrote about"
        )
    else:
        fewer = (
            "fewer responses than your council's minimum (never fewer than "
            f"{facts.floor})"
        )
        groups = "groups that meet that minimum"
        batch = "a shuffled batch of at least that minimum"
        quoted = (
            "groups of twice that minimum or more, and only on a theme at least "
            "that minimum wrote about"
        )
    when = "the date" if facts.date_only else "the date and time"
    step = f" of {facts.min_group_size}" if facts.min_group_size is not None else ""
    kept = _and(facts.kept_with_answers)
    time_of_day = "not the time, " if facts.date_only else ""
    return "\n".join(
        [
            "- Your answers are stored apart from the record of who took part. "
            f"Each set of answers carries a random number, the survey, your {kept} "
            f"as the roster had them when you were invited, and {when} you sent it: "
            f"{time_of_day}not your name and not your chat account.",
            "- While you answer, your answers so far are saved under a one-way code "
            "made from you and the survey, so the saved copy does not name you. It "
            "is deleted the moment you send.",
            "- When you send, your answers are sealed (encrypted) and only stored "
            f"as answers later, with other people's, in {batch} (or all together "
            "when the survey closes), so not even the database's own record of "
            "when and in what order rows were written shows whose they are.",
            "- No figure, chart, comment or theme is shown for any group with "
            f"{fewer}. When one group is hidden, enough others are hidden with it "
            "that it cannot be worked out by subtraction.",
            f"- Comments are only shown for {groups}. Your own words are only "
            f"quoted for {quoted}, with names, email addresses, phone numbers and "
            "case references taken out.",
            f"- Who has taken part is only shown as counts and rates for {groups}, "
            "never as names. While a survey is open, the count of who has finished "
            f"only moves in steps{step}, so nobody can tell who has just finished. "
            "The bot uses the list of who has finished only to stop reminding them "
            "and to show each person their own progress, and deletes it (and the "
            "messages it sent about that survey) once the survey is over, keeping "
            "only counts.",
            "- So nobody (not your manager, not the Principal Social Worker, not the "
            "people who run the bot) can look up what you sent by who you are.",
        ]
    )


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
