"""Every word the report files say, and how their numbers are written, in one place.

HTML, XLSX, CSV and DOCX all take their wording from here, so a hidden cell
reads the same in every format and the text can be reviewed and translated once.
"""

from __future__ import annotations

import math

from analytics.model import NOTHING_TO_SHOW, Change
from survey.questions.themes import STANDARDS

HIDDEN = "hidden"
PROTECTED = "hidden to protect anonymity"
NOT_APPLICABLE = "n/a"

SECTION_SUMMARY = "Summary and key findings"
SECTION_RESPONSE = "Response rates"
SECTION_STANDARDS = "The LGA standards: scores and bands"
SECTION_STRONGEST = "Strongest and weakest questions"
SECTION_QUESTIONS = "Every question"
SECTION_SERVICE = "By service"
SECTION_TEAM = "By team"
SECTION_ROLE = "By role"
SECTION_HOURS = "Hours worked over contract"
SECTION_THEMES = "What staff said: themes from comments"
SECTION_ACTIONS = "You said, we did"
SECTION_BENCHMARKS = "National comparison"
SECTION_METHOD = "How the figures were worked out"

NO_ACTIONS = (
    "No actions have been logged against this health check yet. Actions the "
    "Principal Social Worker records will appear here as \u201cyou said, we did\u201d."
)
NO_THEMES = (
    "No comment themes are shown: either there were no comments, or no group "
    "that commented was large enough to show."
)
NO_BENCHMARKS = "No national comparison figures were added to this report."
NO_FIGURES = "No figures can be shown for the whole organisation: {reason}."
LOW_RESPONSE = (
    "Fewer than 30% of those invited responded, so the results may not "
    "represent the whole workforce."
)

PURPOSE = (
    "This report presents the findings of {organisation}'s {campaign}, an "
    "anonymous survey of the workforce measured against the Local Government "
    "Association (LGA) Standards for employers of social workers in England. "
    "{comparison}It sets out strengths, areas to improve and the actions taken "
    "in response to what staff said."
)
PURPOSE_COMPARISON = "It compares the results with {year}. "

BACKGROUND_HEALTH_CHECK = (
    "Health checks were a key recommendation of the Social Work Task Force. The "
    "LGA Standards for employers of social workers in England set out what every "
    "employer should provide so that social workers can practise well, and ask "
    "employers to check the health of their social work workforce regularly and "
    "act on what they find. Regular health checks show where the organisation is "
    "strong and where it needs to focus, and they inform workforce development "
    "planning."
)
BACKGROUND_STANDARDS = "The eight standards are:"
HOW_COLLECTED = {
    "chat": "The survey was answered in the chat tools staff already use (Slack "
    "or Microsoft Teams), one question at a time.",
    "chat and web link": "The survey was answered in the chat tools staff "
    "already use (Slack or Microsoft Teams), or through a personal web link for "
    "staff without them, one question at a time.",
    "web link": "The survey was answered through a personal web link sent to "
    "each member of staff invited, one question at a time.",
    "web chat": "The survey was answered on a private web page, one question at "
    "a time.",
    "imported": "This round was run in another survey tool; its answers were "
    "imported from that tool's export{source}, keeping no names or respondent "
    "ids.",
}
BACKGROUND_HOW = (
    "{collected} Answers are stored apart from who took part, and no figure, "
    "chart or comment is reported for any group with fewer than {k} responses."
)


def how_collected(how: str, source: str = "") -> str:
    """The sentence saying how a round was answered (see analytics.collection)."""
    sentence = HOW_COLLECTED.get(how, HOW_COLLECTED["web chat"])
    return sentence.format(source=f" ({source})" if source else "")


PLACEHOLDER = "[PSW to edit: {text}]"
RECOMMENDATIONS = (
    "Note and comment on the findings of the {campaign}.",
    "Provide comment, feedback and challenge on the proposed actions to improve "
    "practice conditions for, and the health of, the social work workforce.",
)
NEXT_STEPS = (
    "An action plan addressing the areas to improve will be overseen by "
    "[the board or leadership team] and reviewed quarterly.",
    "Progress will be shared with the workforce during the year as "
    "\u201cyou said, we did\u201d updates.",
    "[Add the key actions for the coming year, and how take-up of next year's "
    "survey will be improved.]",
)

METHOD_NOTE = (
    "All figures come from anonymous answers. No figure, chart or comment is shown "
    "for any group with fewer than {k} responses: such cells are marked "
    "\u201chidden to protect anonymity (fewer than {k} responses)\u201d. Where "
    "showing a group would let a smaller hidden group be worked out by "
    "subtraction, it is hidden too and "
    "marked \u201chidden so a smaller group cannot be worked out by subtraction\u201d. "
    "A hidden group never appears in a chart. \u201cNot asked in this round\u201d "
    "means the question was not part of that year's survey, and \u201cno "
    "respondents in this group\u201d that nobody in the group answered: neither is "
    "hidden, there is simply no figure. Changes since the previous round compare "
    "only questions asked in both rounds, and a standard's change only the "
    "questions it had in both.",
    "% favourable is the share of people giving the positive answer (for example "
    "agree or strongly agree; for a statement such as \u201cMy job often makes me "
    "feel stressed\u201d, disagreeing), leaving out \u201cprefer not to say\u201d and "
    "\u201cnot applicable\u201d.",
    "A standard's score is the average, from 0 to 100, of its five-point questions "
    "(100 = most favourable answer). Bands follow the LGA: low (50 or below), "
    "moderate (51 to 74), high (75 or above).",
    "Change is in percentage points (points for standard scores) against the "
    "previous round. \u25b2 up, \u25bc down, \u25b6 level (within half a point).",
    "RAG for a standard: Green = high band, Amber = moderate band, Red = low band "
    "or a fall of 5 points or more. RAG for a question compares % favourable with "
    "the target set by the Principal Social Worker: Green at or above it, Amber "
    "within 10 points below, Red further below.",
    "n/a means not applicable: no favourable answer (for example a number), no "
    "target set, or no earlier round to compare with.",
)


def report_title(template_title: str, year: int) -> str:
    """The report's title, e.g. "Social worker health check: annual report 2025"."""
    return f"{template_title}: annual report {year}"


def method_note(min_size: int) -> list[str]:
    """The method note's paragraphs for an organisation's minimum group size."""
    return [paragraph.format(k=min_size) for paragraph in METHOD_NOTE]


def hidden_label(reason: str) -> str:
    """How a hidden cell reads in prose, e.g. "hidden to protect anonymity (...)".

    A figure that does not exist ("not asked in this round", "no respondents in
    this group") says so plainly: it is not hidden, there is nothing to show.
    """
    if reason in NOTHING_TO_SHOW or reason.startswith(HIDDEN):
        return reason
    return f"{PROTECTED} ({reason})"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """A count and its noun: "1 comment", "2 comments" (``many``: irregular)."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def whole(value: float) -> int:
    """Round half away from zero (so +0.5 points shows as +1, matching its arrow)."""
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def percent(value: float, decimals: int = 0) -> str:
    """A percentage as a whole number, e.g. "46%", or to one place, "70.5%"."""
    if decimals:
        return f"{value:.{decimals}f}%"
    return f"{whole(value)}%"


def score(value: float) -> str:
    """A 0-100 standard score as shown (the band uses the same rounding)."""
    return str(round(value))


def number(value: float) -> str:
    """A mean or similar, to one decimal place."""
    return f"{value:.1f}"


def change_text(change: Change) -> str:
    """A change without its arrow, e.g. "+4 pts", "-3 pts", "level"."""
    points = whole(change.points)
    if points == 0:
        return "level"
    unit = "pt" if abs(points) == 1 else "pts"
    return f"{points:+d} {unit}".replace("-", "\u2212")


def change_sentence(change: Change) -> str:
    """A change in words, e.g. "up 4 points on 2024"."""
    points = whole(change.points)
    if points == 0:
        return f"level with {change.year}"
    direction = "up" if points > 0 else "down"
    unit = "point" if abs(points) == 1 else "points"
    return f"{direction} {abs(points)} {unit} on {change.year}"


def standard_name(number_: int) -> str:
    """A standard's full name, e.g. "Standard 3: Safe workloads and case ..."."""
    return f"Standard {number_}: {STANDARDS.get(number_, '')}".rstrip(": ")


def placeholder(text: str) -> str:
    """A clearly marked place for the PSW to write."""
    return PLACEHOLDER.format(text=text)
