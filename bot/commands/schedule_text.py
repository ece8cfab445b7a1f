"""The words of the planning, participation and trends commands, for review."""

from __future__ import annotations

from collections.abc import Sequence

from survey.matching import one_of

SCHEDULE_EXAMPLE = (
    'survey schedule "Health check 2026" opens=2026-12-01T09:00 '
    "closes=2026-12-21T17:00 remind=3,7,-1"
)
REMIND_EXAMPLE = "remind Child Protection Health check 2026 at=Thursday 2pm"
PULSE_EXAMPLE = (
    "pulse schedule every=4 weeks audience=service:Adults questions=4 cooldown=14"
)
PARTICIPATION_COLUMNS = ("Level", "Group", "Invited", "Finished", "Rate")
TRENDS_FIRST_COLUMN = "% favourable / score"
RESPONSES_ROW = "Responses"


def _list(names: Sequence[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


# campaign schedule


def schedule_usage() -> str:
    """``campaign schedule`` without a name or closing time."""
    return (
        "Give the survey's name and its times (your local time), for example:\n"
        f"{SCHEDULE_EXAMPLE}\n"
        "remind= lists reminder days: 3 is three days after opening, -1 the day "
        "before closing. An open survey needs only closes= and remind=."
    )


def campaign_scheduled(
    name: str,
    *,
    opens: str,
    closes: str,
    reminders: Sequence[str],
    already_open: bool,
) -> str:
    """After scheduling a campaign."""
    opening = f"opened {opens}" if already_open else f"opens {opens}"
    lines = [f"'{name}' {opening} and closes {closes}."]
    if reminders:
        lines.append(
            "Reminders go to people who have not finished on "
            + "; ".join(reminders)
            + "."
        )
    else:
        lines.append("No reminders are planned.")
    lines.append("Scheduling it again replaces this plan.")
    return " ".join(lines)


# remind (survey hour)


def remind_usage() -> str:
    """``remind`` without a group or time."""
    return (
        "Name the team or service and the time of their survey hour, for "
        f"example:\n{REMIND_EXAMPLE}\n"
        "The survey can be left out when only one is open."
    )


def remind_needs_group() -> str:
    """``remind`` naming a campaign but no team or service."""
    return f"Which team or service? Add its name, for example:\n{REMIND_EXAMPLE}"


def which_campaign(open_names: Sequence[str]) -> str:
    """No campaign named and not exactly one open."""
    if not open_names:
        return "No survey is open right now; name the campaign."
    return f"Which survey? Name one of {_list(open_names)}."


def nudge_planned(group: str, campaign: str, at: str) -> str:
    """After planning a survey hour."""
    return (
        f"Survey hour for {group} is set for {at}. Then, everyone in {group} "
        f"who has not finished '{campaign}' gets one nudge (not those who muted "
        "reminders). Mention it in your briefing so people can block the time."
    )


def nudge_already(group: str, campaign: str, at: str) -> str:
    """The same survey hour planned twice."""
    return (
        f"Survey hour for {group} on '{campaign}' at {at} was already planned; "
        "nothing was added."
    )


# mute / unmute


def nothing_to_mute(query: str, muted: bool) -> str:
    """Mute or unmute with no unfinished open survey (matching the query)."""
    if query:
        return f"None of your unfinished open surveys matches '{query}'."
    if muted:
        return "You have no unfinished open surveys, so there is nothing to mute."
    return "You have no unfinished open surveys, so there is nothing to unmute."


def muted(names: Sequence[str]) -> str:
    """After muting reminders."""
    return (
        f"Reminders for {_list(names)} are off. You can still answer any time; "
        "send 'unmute' to turn them back on."
    )


def unmuted(names: Sequence[str]) -> str:
    """After unmuting reminders."""
    return f"Reminders for {_list(names)} are back on until you finish."


# participation


def participation_title(campaign: str, status: str) -> str:
    """Heading of the participation table."""
    when = "so far" if status == "open" else "final"
    return f"Who has finished '{campaign}' ({when})"


def not_shown(reason: str | None) -> str:
    """The rate cell of a hidden group."""
    return f"not shown: {reason}" if reason else "not shown"


def participation_note(min_group_size: int, *, live: bool = False) -> str:
    """Under the participation table; ``live`` while the survey is open."""
    note = (
        "Counts and rates only, never names. Groups with fewer than "
        f"{min_group_size} people are not shown, nor groups that would let a "
        "smaller one be worked out by subtraction."
    )
    if live:
        note += (
            f" While the survey is open, finished counts go up in steps of "
            f"{min_group_size} (rounded down), so nobody can tell who has just "
            "finished; exact figures follow when it closes."
        )
    return note


def not_your_team(asked: str, teams: Sequence[str]) -> str:
    """A manager asking about a group that is not one of their teams."""
    mine = _list(teams) if teams else "none yet"
    return (
        f"Sorry, you can only see participation for the teams you manage "
        f"({mine}), so not for {asked}. The Principal Social Worker can see "
        "every team."
    )


def no_teams_managed() -> str:
    """A manager with no teams on the roster."""
    return (
        "The roster does not list any teams you manage yet, so there is no "
        "participation to show. Ask your Principal Social Worker to add them."
    )


def no_campaign_to_show() -> str:
    """Participation when there is no campaign at all."""
    return "There are no open or closed surveys yet."


# pulse schedule


def pulse_usage() -> str:
    """``pulse schedule`` without every=."""
    return (
        f"Say how often, for example:\n{PULSE_EXAMPLE}\n"
        "Optional: open=7 (days each pulse stays open), template=pulse-check, "
        'name="...", start=2026-12-01T09:00. audience= takes service:NAME, '
        "team:NAME, role:NAME or workforce:NAME, separated by commas (quote it "
        "if a name has spaces), or everyone."
    )


def pulse_scheduled(
    name: str,
    *,
    every_weeks: int,
    first: str,
    audience: str,
    questions: int | None,
    open_days: int,
    cooldown_days: int,
) -> str:
    """After scheduling a recurring pulse."""
    weeks = "week" if every_weeks == 1 else f"{every_weeks} weeks"
    asked = (
        f"{questions} questions each time, rotating through the template"
        if questions
        else "every question each time"
    )
    return (
        f"Pulse '{name}' runs every {weeks} from {first} for {audience}: {asked}, "
        f"open for {open_days} days. Anyone invited to a health check in the "
        f"{cooldown_days} days before a pulse is left out of it."
    )


def audience_usage(part: str) -> str:
    """An audience part that is not kind:name."""
    return (
        f"I can't read the audience '{part}'. Use service:NAME, team:NAME, "
        "role:NAME or workforce:NAME, separated by commas, or everyone."
    )


def whole_number(setting: str, typed: str) -> str:
    """A setting that needs a whole number."""
    return f"{setting}= needs a whole number, not '{typed}'."


# trends


def trends_title(title: str) -> str:
    """Heading of the trends table."""
    return f"{title}: trends (% favourable; standards scored 0-100)"


def standard_row(number: str, name: str) -> str:
    """The first cell of a standard's row."""
    return f"Standard {number}: {name}"


def trends_note(min_group_size: int) -> str:
    """Under the trends table."""
    return (
        "- means not shown: fewer than "
        f"{min_group_size} answers that round, or not asked that round (pulses "
        "rotate their questions). Only closed rounds are shown."
    )


def no_rounds_yet(title: str) -> str:
    """Trends before any round has closed."""
    return f"No round of {title} has closed yet, so there are no trends to show."


# naming

TARGET_USAGE = (
    "Set a target like this: target workload is manageable 70 (some of the "
    "question's words or its id, then the percent favourable). For another "
    "survey's questions add its template, e.g. target PL01 60 pulse-check."
)


def two_of(kind: str) -> str:
    """Two surveys, or two groups, named in one command."""
    return f"That names more than one {kind}; name one."


def which_of(typed: str, names: Sequence[str]) -> str:
    """A partial name that fits several teams, services or surveys."""
    return f"'{typed}' could be {one_of(names)}. Which one? Type more of its name."


def unknown_group(
    kind: str, name: str, closest: str | None, names: Sequence[str]
) -> str:
    """A team or service that does not exist."""
    if closest is not None:
        return f"There is no {kind} '{name}'. Did you mean '{closest}'?"
    known = ", ".join(sorted(names)) or "none"
    return f"There is no {kind} '{name}'. {kind.capitalize()}s: {known}."


def unknown_words(words: str, closest: str | None, *, groups_only: bool) -> str:
    """Words that name no survey, team or service."""
    what = "team or service" if groups_only else "survey, team or service"
    if closest is not None:
        return f"I don't know '{words}': it is not a {what}. Did you mean '{closest}'?"
    return (
        f"I don't know '{words}': it is not a {what}. Type a name as it appears "
        "in 'participation' or 'summary', with or without quotes."
    )
