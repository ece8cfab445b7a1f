"""Every sentence of ``action``, ``you-said``, ``post you-said`` and ``brief``."""

from __future__ import annotations

from datetime import date, datetime

from analytics.follow_up_figures import SupportingFigure
from survey.follow_up.actions import DONE, IN_PROGRESS, NOT_DOING, ListedAction
from survey.questions.themes import THEMES

ACTION_EXAMPLE = (
    'action add theme=workload survey="Social work health check 2026" '
    'question=WL01 said="Caseloads are too high" doing="Recruiting four more '
    'social workers" owner="Head of Service" due=2027-03-31'
)
BRIEF_EXAMPLE = (
    'brief to Child Protection title="Practice week" body="Join us from 1 '
    'December." at=Monday 9am feedback=yes link=https://example.org'
)


def action_usage() -> str:
    """A bare or mistyped ``action`` command."""
    return "\n".join(
        [
            "Use one of:",
            f"- {ACTION_EXAMPLE}",
            "- action update 3 status=done (or said=, doing=, owner=, due=, "
            "theme=, reason=)",
            "- action list [survey]",
            "Statuses: planned, in progress, done, not doing (with reason=...).",
        ]
    )


def action_needs(missing: list[str]) -> str:
    """``action add`` without a required setting."""
    settings = ", ".join(f"{name}=" for name in missing)
    return f"To log an action, add {settings}. For example:\n{ACTION_EXAMPLE}"


def action_theme_needed() -> str:
    """``action add`` with neither a theme nor a question."""
    return (
        "Say which theme it is about (theme=workload) or the question it answers "
        f"(survey=... question=...). Themes: {', '.join(THEMES)}."
    )


def which_action() -> str:
    """``action update`` without a number or id."""
    return "Which action? For example: action update 3 status=done."


def nothing_to_change() -> str:
    """``action update`` with no settings."""
    return (
        "Nothing to change. Add what to change, e.g. status=done, "
        'status="in progress", due=2027-06-30 or owner="...".'
    )


def not_a_date(typed: str) -> str:
    """A due date that is not a date."""
    return f"'{typed}' is not a date; write it like 2027-03-31."


def action_added(listed: ListedAction, figure: SupportingFigure | None) -> str:
    """After ``action add``."""
    action = listed.action
    where = f" for '{listed.campaign.name}'" if listed.campaign else ""
    lines = [
        f"Action {listed.number} is logged under "
        f"{theme_label(action.theme)}{where}: {status_words(listed)}."
    ]
    if figure is not None:
        lines.append(f"Supporting figure: {figure_words(figure, hidden_too=True)}.")
    return "\n".join(lines)


def action_updated(listed: ListedAction) -> str:
    """After ``action update``."""
    return f"Action {listed.number} is updated: {status_words(listed)}."


def actions_title(campaign: str | None) -> str:
    """Heading of the PSW's list of actions."""
    return f"Actions for {campaign}" if campaign else "Actions"


ACTION_COLUMNS = (
    "#",
    "Theme",
    "You said",
    "We did",
    "Owner",
    "Status",
    "Figure",
)


def actions_note(min_group_size: int) -> str:
    """Under the list of actions."""
    return (
        "Figures are % favourable for the whole organisation, shown only where "
        f"{min_group_size} or more people answered and the survey has closed. "
        "Change one with: action update NUMBER status=done."
    )


def no_actions(campaign: str | None) -> str:
    """No actions logged (for a campaign)."""
    where = f" for '{campaign}'" if campaign else ""
    return f"No actions have been logged{where} yet."


def no_actions_to_post(campaign: str) -> str:
    """``post you-said`` for a campaign without actions."""
    return (
        f"There are no actions for '{campaign}' yet, so there is nothing to post. "
        "Log one with: action add ..."
    )


def name_the_campaign() -> str:
    """``post you-said`` with no campaign, when no action names one."""
    return (
        "No action is linked to a survey yet. Link actions with survey=... and "
        'then send: post you-said "Social work health check 2026".'
    )


def theme_label(theme: str) -> str:
    """A theme's label, e.g. "Workload and caseload"."""
    return THEMES.get(theme, theme)


def status_words(listed: ListedAction) -> str:
    """An action's status in words, with its due date or reason."""
    action = listed.action
    if action.status == DONE:
        return "done"
    if action.status == NOT_DOING:
        return f"not doing: {action.status_reason}"
    due = f", due {due_words(action.due_on)}" if action.due_on else ""
    return f"{'in progress' if action.status == IN_PROGRESS else 'planned'}{due}"


def due_words(due: date) -> str:
    """A due date, e.g. "31 March 2027"."""
    return f"{due:%-d %B %Y}"


def figure_words(figure: SupportingFigure, *, hidden_too: bool = False) -> str:
    """A supporting figure, e.g. "42% favourable on WL01 in 2026, ▲ 5 points"."""
    if figure.favourable is None:
        return (
            f"{figure.question_id}: not shown ({figure.hidden})" if hidden_too else ""
        )
    words = (
        f"{figure.favourable:.0f}% favourable on {figure.question_id} "
        f'"{figure.question}" ({figure.year})'
    )
    change = figure.change
    if change is not None:
        if change.arrow == "▶":
            words += f", level with {change.year}"
        else:
            words += (
                f", {change.arrow} {abs(change.points):.0f} points since {change.year}"
            )
    return words


def digest_title(campaign: str | None) -> str:
    """Heading of a "you said, we did" digest."""
    return f"You said, we did: {campaign}" if campaign else "You said, we did"


def digest_intro(campaign: str | None) -> str:
    """First paragraph of the digest."""
    if campaign is None:
        return "Here is what you told us and what is being done about it."
    return (
        f"Thank you to everyone who took part in '{campaign}'. Here is what you "
        "told us and what is being done about it."
    )


def digest_entry(listed: ListedAction, figure: SupportingFigure | None) -> str:
    """One action in the digest."""
    action = listed.action
    lines = [
        f"You said: {action.you_said}",
        f"We did: {action.we_did} ({action.owner}; {status_words(listed)})",
    ]
    shown = figure_words(figure) if figure is not None else ""
    if shown:
        lines.append(f"The figure: {shown}.")
    return "\n".join(lines)


def digest_more(count: int) -> str:
    """The end of a digest too long for one post."""
    return f"...and {count} more. Send 'you-said' to read them all."


def nothing_said_yet(campaign: str | None) -> str:
    """``you-said`` with no actions."""
    where = f" for '{campaign}'" if campaign else ""
    return f"Nothing has been logged{where} yet. Updates will appear here."


def participant_note(campaign: str, actions: int, done: int) -> str:
    """The personal note to everyone who completed the survey."""
    things = "action" if actions == 1 else "actions"
    return (
        f"Thank you for taking part in '{campaign}'. An update on what is being "
        f"done about what staff said is in the workforce channel: {actions} "
        f"{things}, {done} done so far. Send 'you-said' to read it here."
    )


def you_said_posted(*, title: str, actions: int, notes: int, channel: int) -> str:
    """After ``post you-said``."""
    things = "action" if actions == 1 else "actions"
    where = "the workforce channel" if channel else "nowhere new"
    people = "person" if notes == 1 else "people"
    sent = (
        f" and a note to the {notes} {people} who took part"
        if notes
        else ". Nobody has completed the survey, so no personal notes were sent"
    )
    return f"Posted '{title}' ({actions} {things}) to {where}{sent}."


def you_said_repeat(posted_at: datetime | None, notes: int) -> str:
    """``post you-said`` with a digest already posted."""
    when = f" on {posted_at:%-d %B %Y}" if posted_at else ""
    line = f"This update was already posted{when}; nothing was posted twice."
    if notes:
        people = "person" if notes == 1 else "people"
        line += f" {notes} {people} who took part since then got their note."
    return line


def brief_needs() -> str:
    """``brief`` without a title or body."""
    return f"A briefing needs a title and a body. For example:\n{BRIEF_EXAMPLE}"


def not_yes_or_no(typed: str) -> str:
    """A feedback setting that is not yes or no."""
    return f"feedback= takes yes or no, not '{typed}'."


def not_a_reach(why: str) -> str:
    """Who a briefing is for names no team or service (``why`` says so)."""
    return f"{why} To post to the whole workforce channel, leave to= out."


def brief_stray_words(words: str) -> str:
    """Words before a briefing's settings that are not ``to NAME``."""
    return (
        f"I couldn't read '{words}'. Start with 'to' and a team or service if the "
        f"briefing is for one, for example:\n{BRIEF_EXAMPLE}"
    )


def brief_two_reaches() -> str:
    """Both ``to NAME`` and ``to=`` given."""
    return "Say who the briefing is for once: either 'to NAME' or to=NAME."


def briefing_posted(title: str, where: str, people: int | None) -> str:
    """After a briefing is posted now."""
    if people is None:
        return f"Posted '{title}' to {where}."
    plural = "person" if people == 1 else "people"
    return f"Sent '{title}' to {where} ({people} {plural})."


def briefing_scheduled(title: str, where: str, when: datetime) -> str:
    """After a briefing is scheduled."""
    return f"'{title}' will be posted to {where} at {when_words(when)}."


def briefing_repeat(title: str, scheduled_for: datetime | None) -> str:
    """The same briefing sent again."""
    if scheduled_for is not None:
        return (
            f"'{title}' is already scheduled for {when_words(scheduled_for)}; "
            "nothing new was stored."
        )
    return (
        f"'{title}' was already posted; nothing was sent twice. Change its words "
        "to post it again."
    )


def feedback_opened(name: str, closes: datetime | None) -> str:
    """A feedback survey opened with a briefing."""
    until = f" until {closes:%A %-d %B}" if closes else ""
    return (
        f"The feedback survey '{name}' is open{until}; answers are anonymous. "
        f'People answer it with: start "{name}"'
    )


def feedback_later(name: str) -> str:
    """A feedback survey that opens when its scheduled briefing is posted."""
    return f"Its feedback survey '{name}' opens then, for two weeks."


def when_words(moment: datetime) -> str:
    """A local time, e.g. "09:30 on Tuesday 1 December 2026"."""
    return f"{moment:%H:%M on %A %-d %B %Y}"
