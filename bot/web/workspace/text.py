"""What the workspace says to the PSW, in one place: plain words, never labels.

Stored codes (``agree5``, ``social_work``, ``draft``) are turned into the words
people use here, and the survey core's "campaign" becomes "survey".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from survey.campaigns import Audience
from survey.models import Campaign, CampaignStatus
from survey.questions.bank import TemplateAudience, TemplateKind
from survey.questions.definitions import FIXED_SCALES, Question, Scale
from survey.roster.roles import Workforce, role_label

KINDS = {
    TemplateKind.HEALTH_CHECK: "Health check",
    TemplateKind.PULSE: "Pulse check",
    TemplateKind.FEEDBACK: "Feedback survey",
}
WRITTEN_FOR = {
    TemplateAudience.SOCIAL_WORKERS: "registered social workers",
    TemplateAudience.WIDER_WORKFORCE: "the wider workforce",
    TemplateAudience.EVERYONE: "everyone",
}
WORKFORCES = {
    Workforce.SOCIAL_WORK: "registered social workers",
    Workforce.WIDER_WORKFORCE: "the wider workforce",
}
STATES = {
    CampaignStatus.DRAFT: "Not open yet",
    CampaignStatus.OPEN: "Open",
    CampaignStatus.CLOSED: "Closed",
}
CLOSING_MEANS = (
    "Nobody can answer it any more, even people who have started.",
    "It cannot be reopened: to ask again, create a new survey.",
    "Its results appear on the dashboard and in the report at once, for every "
    "group large enough to be shown.",
    "Reminders still planned for it are not sent.",
)
HIDDEN_WHY = (
    "Hidden to protect anonymity: {reason}. Groups smaller than {k} are never "
    "shown, nor groups that would let a smaller one be worked out by subtraction."
)
LIVE_STEPS = (
    "While the survey is open, finished counts go up in steps of {k} (rounded "
    "down), so nobody can tell who has just finished; exact figures follow when "
    "it closes."
)
NOT_PSW_HEADING = "Only the Principal Social Worker can open the workspace"
NOT_PSW = "Managers can ask for their team's summary in the chat: type 'summary'."
NO_SUCH_SURVEY = "That survey does not exist, or is not one of this organisation's."
CHANGED_SINCE = (
    "This page is out of date: the roster file could not be confirmed. "
    "Upload it again to see its changes."
)
NO_FILE = "Choose a roster file (CSV) to upload."
NO_TIME = "Give the {what}: pick a date and time, or type one such as 'Monday 9am'."
CREATE_TEAMS_FLAG = "import with --create-teams to add it"
CREATE_TEAMS_BOX = "tick 'Add teams and services the file names' to add it"


def in_survey_words(message: str) -> str:
    """A core message with "campaign" said as "survey" (case kept)."""

    def swap(found: re.Match[str]) -> str:
        word = found.group(0)
        plain = "survey" + word[len("campaign") :].lower()
        return plain.capitalize() if word[0].isupper() else plain

    words = re.sub(r"(?i)\bcampaigns?\b", swap, message)
    return words.replace(CREATE_TEAMS_FLAG, CREATE_TEAMS_BOX)


def kind_words(kind: str) -> str:
    """A template's kind in words ("Pulse check")."""
    try:
        return KINDS[TemplateKind(kind)]
    except ValueError:
        return "Survey"


def written_for(audience: str) -> str:
    """Who a template is written for, in words."""
    try:
        return WRITTEN_FOR[TemplateAudience(audience)]
    except ValueError:
        return "everyone"


def audience_words(campaign: Campaign) -> str:
    """Who a survey goes to, in words: "Everyone" or "Adults; social workers"."""
    audience = Audience.model_validate(campaign.audience)
    if audience.imported:
        return "Imported from an earlier survey tool"
    parts = [*audience.services, *audience.teams]
    parts += [role_label(code) for code in audience.roles]
    for code in audience.workforce:
        try:
            parts.append(WORKFORCES[Workforce(code)])
        except ValueError:
            parts.append(code)
    if not parts:
        return "Everyone on the roster"
    words = "; ".join(parts)
    return words[0].upper() + words[1:]


def state_words(campaign: Campaign) -> str:
    """A survey's state in words."""
    try:
        return STATES[CampaignStatus(campaign.status)]
    except ValueError:
        return campaign.status


def scale_words(question: Question) -> str:
    """How a question is answered, in the words people see."""
    scale = question.scale
    if scale in FIXED_SCALES:
        labels = [option.label for option in FIXED_SCALES[scale]]
        if len(labels) > 3:
            return f"From '{labels[0]}' to '{labels[-1]}'"
        return " / ".join(labels)
    if scale in (Scale.CHOICE, Scale.MULTI_CHOICE):
        how = "Choose one" if scale == Scale.CHOICE else "Choose any"
        return f"{how}: " + ", ".join(option.label for option in question.options)
    if scale == Scale.NUMBER:
        unit = f" {question.unit}" if question.unit else ""
        return f"A number from {question.min} to {question.max}{unit}"
    if scale == Scale.ZERO_TO_TEN:
        return "A score from 0 to 10"
    return "Written answer"


def hidden_why(reason: str | None, min_group_size: int) -> str:
    """One plain sentence saying why a figure is not shown."""
    return HIDDEN_WHY.format(reason=reason or "too few people", k=min_group_size)


def listed(names: Sequence[str]) -> str:
    """Names joined as people write them: "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


NO_REPORT = (
    "A survey has a report once it has opened, as a file in one of these "
    "formats: {formats}."
)
CONFIRM_CLOSE = "Tick the box to confirm you want to close the survey."
ROSTER_PROBLEMS = (
    "The roster file has problems, so nothing has been changed. Correct them in "
    "the file and upload it again."
)
ACTIONS = {
    "campaign.created": "Created a survey",
    "campaign.scheduled": "Planned a survey's times",
    "campaign.opened": "Opened a survey",
    "campaign.closed": "Closed a survey",
    "roster.imported": "Updated the roster",
    "report.exported": "Exported a report",
    "participation.viewed": "Viewed response rates",
    "dashboard.viewed": "Viewed the dashboard",
    "summary.viewed": "Viewed a summary",
}


def action_words(action: str) -> str:
    """An audit log action in words; one not listed here shows as recorded."""
    return ACTIONS.get(action, action)
