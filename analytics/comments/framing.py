"""What the question asked, and what a bare "nothing" or "n/a" answer means under it.

"What could be improved?" - "Nothing." is a verdict (nothing needs to change);
"What works well?" - "Nothing." is the opposite verdict; "Any other comments?" -
"Nothing." says nothing at all. A comment is read against the frame of its question.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Final


class QuestionFrame(StrEnum):
    """How the question that a comment answers frames it."""

    GENERAL = "general"
    WORKS_WELL = "works_well"
    IMPROVE = "improve"


class ShortAnswer(StrEnum):
    """Comments that are only an answer word."""

    NOTHING = "nothing"
    NON_ANSWER = "non_answer"


_IMPROVE_QUESTION: Final = re.compile(
    r"\b(?:improv\w*|better|change|differently|worse|dissatisf\w*|fix|suggest\w*|"
    r"one thing|missing|easier|wrong|problems?|concerns?)\b"
)
_WORKS_WELL_QUESTION: Final = re.compile(
    r"\b(?:good|well|best|like|enjoy\w*|positive|satisf\w*|value\w*|proud|helpful|"
    r"strengths?)\b"
)
# "What would you like to change?" asks what to change, not what people like.
_WISH: Final = re.compile(r"\b(?:would|'d)(?: you| we| staff)? like\b")

# Valence of a bare "nothing" (and of a leading "Nothing, ...") under each frame.
NOTHING_VALENCE: Final[dict[QuestionFrame, float]] = {
    QuestionFrame.GENERAL: 0.0,
    QuestionFrame.WORKS_WELL: -1.5,
    QuestionFrame.IMPROVE: 1.5,
}
# The lean given to a short answer that names something but judges nothing ("Waiting
# times.", "Reassurance."); a longer narrative that judges nothing stays neutral.
UNJUDGED_MAX_WORDS: Final = 6
UNJUDGED_VALENCE: Final[dict[QuestionFrame, float]] = {
    QuestionFrame.GENERAL: 0.0,
    QuestionFrame.WORKS_WELL: 1.0,
    QuestionFrame.IMPROVE: -0.8,
}

_NOTHING_WORD = (
    r"(?:absolutely |really |honestly |just |there is |there's |on this occasion,? )?"
    r"(?:nothing|none|no|nope|nil|not really|not a thing|not anything|no changes?|"
    r"nothing (?:extra |else |more |further )?(?:needed|required)|"
    r"(?:i )?(?:can'?t|cannot|can not) think of any(?:thing)?|nothing "
    r"(?:that )?i can think of|nothing comes to mind|nothing springs to mind|"
    r"no thanks?)"
)
_NOTHING_ANSWER: Final = re.compile(
    rf"{_NOTHING_WORD}(?:[ ,]+(?:really|at all|for me|thanks?|thank you|much|"
    rf"i can think of|as such|whatsoever|to report))*"
)
_NON_ANSWER: Final = re.compile(
    r"n ?/ ?a|na|not applicable|no comments?|nothing (?:else |further |more )?to "
    r"(?:add|say|report|comment(?: on)?)|nothing (?:else|further|more)|no further "
    r"comments?|(?:i )?(?:don'?t|do not|dont) know|not sure|unsure|idk|same as "
    r"(?:above|before)|(?:see|as) above|pass|skip|prefer not to say|no answer|"
    r"(?:i )?(?:have )?no idea|no comments? (?:needed|required)|-+|\?+|x+"
)
_TRAILING: Final = re.compile(r"[\s.!,;:)(]+$|^[\s.!,;:)(]+")

# After a leading "nothing"/"none", these words mean it is the subject of a sentence
# ("Nothing was done", "Nothing to complain about"), not a one-word answer.
_CONTINUES_NOTHING: Final = frozenset(
    {
        "to",
        "wrong",
        "bad",
        "negative",
        "could",
        "can",
        "would",
        "will",
        "was",
        "is",
        "has",
        "had",
        "were",
        "seems",
        "seemed",
        "ever",
        "else",
        "further",
        "more",
        "much",
        "that",
        "which",
        "changes",
        "changed",
        "happens",
        "happened",
        "gets",
        "got",
        "done",
        "needed",
        "needs",
        "extra",
        "comes",
        "came",
        "worse",
        "better",
        "in",
        "about",
        "for",
        "of",
        "too",
        "like",
        "compared",
        "but",
        "i",
        "we",
        "special",
        "major",
    }
)
# A leading "no" is an answer word only before a fresh clause ("No, everything...").
_STARTS_CLAUSE_AFTER_NO: Final = frozenset(
    {
        "everything",
        "everyone",
        "everybody",
        "all",
        "it",
        "it's",
        "they",
        "the",
        "staff",
        "very",
        "thank",
        "thanks",
        "excellent",
        "great",
        "good",
        "perfect",
        "brilliant",
        "fine",
        "ok",
        "okay",
        "happy",
        "i'm",
        "we're",
        "you",
    }
)
_LEADING_ANSWER: Final = re.compile(
    r"^(?:absolutely |really |honestly )?(?P<word>nothing|none|nope|nil|not really|"
    r"not a thing|no)(?P<more>(?: at all| really| much| whatsoever)*)\b\W*"
)


def frame_for_question(question: str | None) -> QuestionFrame:
    """Classify a question's wording as asking for praise, improvements or anything.

    Args:
        question: The question text ("What could we do better?"), or None.

    Returns:
        The frame; a question that asks for both (or neither) is GENERAL.
    """
    if not question:
        return QuestionFrame.GENERAL
    wording = _WISH.sub(" ", question.lower())
    improve = bool(_IMPROVE_QUESTION.search(wording))
    works_well = bool(_WORKS_WELL_QUESTION.search(wording))
    if improve and not works_well:
        return QuestionFrame.IMPROVE
    if works_well and not improve:
        return QuestionFrame.WORKS_WELL
    return QuestionFrame.GENERAL


def short_answer(normalised: str) -> ShortAnswer | None:
    """Recognise comments that are only "nothing", "none", "n/a" or the like.

    Args:
        normalised: Normalised comment text.

    Returns:
        The kind of short answer, or None for a comment with content.
    """
    bare = _TRAILING.sub("", normalised)
    if not bare or _NON_ANSWER.fullmatch(bare):
        return ShortAnswer.NON_ANSWER
    if _NOTHING_ANSWER.fullmatch(bare):
        return ShortAnswer.NOTHING
    return None


def split_leading_answer(normalised: str) -> tuple[bool, str]:
    """Separate a leading answer word from the rest ("Nothing they were brill").

    Args:
        normalised: Normalised comment text with content after the answer word.

    Returns:
        Whether the comment opened with a standalone "nothing"/"none"/"no", and the
        text after it (the whole text when it did not).
    """
    match = _LEADING_ANSWER.match(normalised)
    if match is None:
        return False, normalised
    rest = normalised[match.end() :]
    separated = match.group(0).rstrip() != match.group(0).rstrip(" ,.;:!-")
    next_word = rest.split(" ", 1)[0] if rest else ""
    if match.group("word") == "no":
        standalone = separated or next_word in _STARTS_CLAUSE_AFTER_NO
    else:
        standalone = (
            separated
            or bool(match.group("more"))
            or next_word not in _CONTINUES_NOTHING
        )
    return (True, rest) if standalone and rest else (False, normalised)
