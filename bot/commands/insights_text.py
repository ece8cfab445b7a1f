"""Wording for ``summary`` and ``themes``, kept together for review."""

from __future__ import annotations

from analytics.data import Names
from analytics.groups import Group
from analytics.model import GroupResults

RATES = "Response rate"
STANDARDS = "LGA standards: score out of 100"
STRONGEST = "Five strongest questions"
WEAKEST = "Five weakest questions"
BANDS_NOTE = "Bands: low 0-50, moderate 51-74, high 75-100."
NO_THEMES = (
    "No themes to show: too few comments from this group, or the group is too "
    "small to show."
)


def summary_title(label: str) -> str:
    """Heading of a summary."""
    return f"Summary for {label}"


def summary_intro(label: str, campaign: str, result: GroupResults) -> str:
    """First line of a summary."""
    if result.respondents is None:
        return f"{campaign}: {label} compared with its service and the organisation."
    return (
        f"{campaign}: {result.respondents} responses from {label}, compared with its "
        "service and the organisation."
    )


def hidden_note(reason: str, minimum: int) -> str:
    """Why a group's answers are not shown."""
    return (
        f"Answers for this group are not shown: {reason}. Figures are only shown for "
        f"groups of at least {minimum} people, so nobody can be identified."
    )


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


TARGET_USAGE = (
    "Set a target like this: target WL01 70 (question id, percent favourable, and "
    "optionally the template, e.g. target PL01 60 pulse-check)."
)


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
