"""Wording for ``summary`` and ``themes``, kept together for review."""

from __future__ import annotations

from analytics.data import Names
from analytics.groups import Group
from analytics.manager_view import Fallback, Highlight, ManagerView
from analytics.model import Change, QuestionResult, StandardScore
from survey.questions.themes import THEMES

RATES = "Response rate"
STANDARDS = "LGA standards: score out of 100"
STRONGEST = "Going well: the five highest questions"
WEAKEST = "Needs attention: the five lowest questions"
HEADLINES = "Three headlines"
BANDS_NOTE = "Bands: low 0-50, moderate 51-74, high 75-100."
FAVOURABLE_NOTE = (
    "Favourable is the share who gave the answers named under each question, "
    'out of everyone who answered it ("prefer not to say" is left out).'
)
NOT_SHOWN = "not shown"
NO_EARLIER = "no earlier figure"
NO_PULSE_YET = (
    "No pulse survey has closed yet. Pulse results are shown once a round closes."
)
THEMES_NOTE = (
    "Each comment is counted under every theme it mentions; a quote is shown "
    "once, under its first theme, and only where enough people wrote."
)


def no_themes(label: str, minimum: int) -> str:
    """Why there are no themes for a group whose figures are shown."""
    return (
        f"No themes to show for {label}: themes need comments from at least "
        f"{minimum} people, and fewer wrote comments this survey."
    )


NEXT_STEPS = (
    "Type themes for what people wrote, summary pulse for the pulse survey, or "
    "open Team summary in the web app for every question."
)


def summary_title(label: str, campaign: str) -> str:
    """Heading of a summary."""
    return f"Summary for {label}: {campaign}"


def hidden_note(reason: str, minimum: int) -> str:
    """Why a group's answers are not shown, when no larger group can stand in."""
    if reason.startswith("results are shown once"):
        return "Results are shown once the survey has closed."
    if reason == "no respondents in this group":
        return "Nobody in this group answered this survey, so there are no figures."
    return (
        f"Figures are only shown for groups of at least {minimum} answers, and no "
        "group this one belongs to can be shown instead."
    )


def why_hidden(reason: str, minimum: int) -> str:
    """The gate's reason for hiding a group, in plain words."""
    if reason.startswith("fewer than"):
        return f"this group has fewer than the {minimum} answers needed to show figures"
    if reason.startswith("hidden so a smaller group"):
        return (
            "its figures could be set against other groups' to work out how fewer "
            f"than {minimum} people answered"
        )
    if reason.startswith("results are shown once"):
        return "results are shown once the survey has closed"
    return reason


def where_from(view: ManagerView) -> str:
    """One sentence: whose figures these are, and why if not the group asked."""
    if view.fallback is None:
        return f"These are {view.asked}'s own figures."
    return instead(view.fallback, _shown_words(view), view.min_group_size)


def _shown_words(view: ManagerView) -> str:
    shown = view.shown_group
    answers = view.shown.respondents
    count = f" ({answers} answers)" if answers is not None else ""
    if shown.is_everyone:
        return f"the whole of {view.shown.label}{count}"
    if shown.value("team_id") is None and shown.value("service_id") is not None:
        return f"the {view.shown.label} service{count}"
    return f"{view.shown.label}{count}"


def instead(fallback: Fallback, shown: str, minimum: int) -> str:
    """Why the group asked about is hidden and what is shown in its place."""
    label = fallback.label
    if fallback.why == "nobody":
        return f"Nobody in {label} answered this survey, so this shows {shown}."
    if fallback.why == "too_few" and fallback.answers is not None:
        return (
            f"{label} has {fallback.answers} answers, fewer than the {minimum} "
            f"needed to show figures, so this shows {shown}."
        )
    if fallback.why == "too_few":
        return (
            f"{label} has fewer than the {minimum} answers needed to show figures, "
            f"so this shows {shown}."
        )
    if fallback.why == "subtraction":
        return (
            f"{label}'s own figures could be set against other teams' to work out "
            f"how fewer than {minimum} people answered, so this shows {shown}."
        )
    return f"Figures for {label} are not shown for this survey, so this shows {shown}."


def percent(value: float | None) -> str:
    """A share as shown: ``58%``, or ``not shown``."""
    return NOT_SHOWN if value is None else f"{value:.0f}%"


def favourable_means(question: QuestionResult) -> str:
    """What favourable means for a question, e.g. ``Agree or Strongly agree``."""
    return question.favourable_means or "the answers its figure counts"


def question_cell(question: QuestionResult) -> str:
    """A question with what counts as favourable for it."""
    return f"{question.text} (favourable = {favourable_means(question)})"


def change_words(change: Change | None, since: str, unit: str = "%") -> str:
    """A change with both rounds, e.g. ``down 6 points (64% in Health check 2025)``."""
    if change is None:
        return NO_EARLIER
    was = f"{change.previous:.0f}{unit} in {since}"
    if change.arrow == "▶":
        return f"no change ({was})"
    direction = "up" if change.points > 0 else "down"
    return f"{direction} {abs(change.points):.0f} points ({was})"


def standard_cell(score: StandardScore | None) -> str:
    """A standard's score and band, e.g. ``62 moderate``."""
    if score is None or score.score is None:
        return NOT_SHOWN
    return f"{score.score:.0f} {score.band}"


def headline(found: Highlight, view: ManagerView) -> str:
    """One headline in plain words.

    For example ``Workload and caseload: 58% agree or strongly agree that “My
    workload is manageable”, down 6 points on Health check 2025 (64%); Demo City
    Council 67%``.
    """
    question = found.question
    theme = THEMES.get(question.theme, question.theme)
    share = f"{question.favourable:.0f}%"
    means = favourable_means(question)
    wording = question.text.rstrip(".")
    if question.scale == "agree5":
        said = f"{share} {means.lower()} that “{wording}”"
    else:
        said = f"{share} answered {means} to “{wording}”"
    change = question.change
    if change is not None and view.previous is not None:
        was = f"{view.previous} ({change.previous:.0f}%)"
        if change.arrow == "▶":
            said += f", no change on {was}"
        else:
            direction = "up" if change.points > 0 else "down"
            said += f", {direction} {abs(change.points):.0f} points on {was}"
    if found.organisation is not None and view.organisation is not None:
        said += f"; {view.organisation.label} {found.organisation:.0f}%"
    return f"{theme}: {said}"


def themes_title(label: str) -> str:
    """Heading of the themes table."""
    return f"What people wrote about: {label}"


def not_your_team(asked: str, mine: tuple[str, ...]) -> str:
    """A manager asked about a team they do not manage."""
    teams = ", ".join(mine) or "none"
    return (
        f"Sorry, you can only see summaries for the teams you manage ({teams}). "
        f"Ask your Principal Social Worker if you need figures for {asked}."
    )


def unknown_group(name: str, names: Names) -> str:
    """A team or service name that matches nothing."""
    teams = ", ".join(sorted(names.teams.values()))
    return f"There is no team or service called '{name}'. Teams: {teams}."


def no_campaigns() -> str:
    """Nothing has been run yet."""
    return "There are no surveys yet, so there is nothing to summarise."


def target_set(question: str, percent: float, template: str) -> str:
    """Confirmation of a target."""
    return (
        f"Target set: {percent:g}% favourable for {question} in {template}. Reports "
        "show it as green at or above, amber within 10 points, red below that."
    )


def group_words(group: Group) -> str:
    """A group as the audit log names it: ``team Alpha``, ``service Adults``."""
    if group.is_everyone:
        return "whole organisation"
    if group.value("team_id") is not None:
        return f"team {group.label}"
    if group.value("service_id") is not None and len(group.where) == 1:
        return f"service {group.label}"
    return group.label


def audit_subject(campaign: str, groups: list[str]) -> str:
    """What was looked at, e.g. ``Health check 2026 · team Children East``."""
    return " · ".join([campaign, ", ".join(groups)] if groups else [campaign])


def target_subject(template: str, question: str, percent: float) -> str:
    """A target as the audit log names it."""
    return f"{template} · {question} target {percent:g}% favourable"
