"""Recognising suggestions and requests ("more staff please", "could be better").

An improvement suggestion implies a present shortfall, so it counts as mild criticism,
as NHS patient-experience coding treats it; the good words inside it ("would be
*useful*", "*better* pay") describe a wished-for state, not the present one.
"""

from __future__ import annotations

import re
from typing import Final

from analytics.comments.phrases import MARKER_PREFIX

# A clause that opens a sentence with one of these words is a request ("More training
# on court skills", "Quicker call backs", "Provide desks", "Maybe review mileage").
REQUEST_OPENERS: Final = frozenset(
    {
        "more",
        "less",
        "fewer",
        "quicker",
        "faster",
        "better",
        "shorter",
        "clearer",
        "earlier",
        "sooner",
        "extra",
        "additional",
        "improve",
        "reduce",
        "increase",
        "provide",
        "ensure",
        "make",
        "get",
        "give",
        "allow",
        "consider",
        "introduce",
        "reintroduce",
        "reinstate",
        "stop",
        "answer",
        "send",
        "bring",
        "employ",
        "hire",
        "recruit",
        "fund",
        "invest",
        "review",
        "update",
        "offer",
        "listen",
        "train",
        "be",
        "keep",
        "maybe",
        "perhaps",
        "possibly",
        "should",
        "please",
        "need",
        "needs",
        "having",
        "try",
        "use",
        "let",
        "treat",
        "communicate",
        "inform",
        "tell",
        "explain",
        "check",
        "arrange",
        "organise",
        "organize",
        "lower",
        "raise",
        "fix",
        "been",
        "teach",
        "ask",
        "show",
        "follow",
        "learn",
        "look",
        "put",
        "take",
    }
)

# "Review of cases", "Follow up was quick": the opener is a noun, not an order.
_NOUN_READING: Final = frozenset({"of", "is", "was", "are", "were", "given", "has"})
# "Having a supportive manager makes all the difference": a gerund opener with a
# finite verb after it is the subject of a statement, not a wish.
_FINITE_VERBS: Final = frozenset(
    {
        "is",
        "was",
        "are",
        "were",
        "has",
        "had",
        "have",
        "makes",
        "made",
        "helps",
        "helped",
        "means",
        "meant",
        "gives",
        "gave",
        "keeps",
        "kept",
        "feels",
        "felt",
        "works",
        "worked",
        "can",
        "does",
        "did",
    }
)
# "Keep doing what you are doing", "Continue supporting us": asking for more of the
# same approves of the present; it is no complaint.
_CONTINUATION_OPENERS: Final = frozenset({"keep", "continue"})
_CONTINUATION_NEXT: Final = frozenset({"up", "going", "on", "it", "this", "that"})

_ANYWHERE: Final = re.compile(
    r"\bplease\b|\bshould(?:n'?t)?\b|\bought to\b"
    r"|\bneeds? (?:to|more|better|a|an|some|extra|additional|improving|improvement|"
    r"looking at|addressing|sorting)\b|\bwe need\b|\bthere (?:should|needs? to) be\b"
    r"|\bwould (?:be|have been) (?:\w+ )?(?:nice|good|better|helpful|useful|great|"
    r"beneficial|ideal|appreciated|lovely|welcome|welcomed|easier)\b"
    r"|\bwould help\b|\bwould (?:have )?(?:like|liked)\b|\b(?:i|we)'d (?:have )?"
    r"(?:like|liked)\b|\b(?:i|we) wish\b|\bif only\b"
    r"|\bcould (?:have |of )?(?:be|been|do|do with|use|have|get) (?:\w+ ){0,2}?"
    r"(?:better|more|improved|quicker|faster|clearer|easier|shorter|sooner|"
    r"improvement|improving)\b"
    r"|\b(?:could|can|would) (?:you|we|they|someone|somebody|management|managers) "
    r"(?:please |possibly )?(?:have|get|be|look|make|give|provide|consider|do|"
    r"review|share|put|set|arrange|organise|organize|reduce|increase|stop|start)\b"
    r"|\bsuggest(?:ion|ions|ed)?\b|\brecommend(?:ation|ations)? (?:that|would)\b"
)


# Words that may precede the request opener: "Just get there quicker", "Maybe more".
_LEAD_INS: Final = frozenset(
    {"just", "maybe", "perhaps", "possibly", "also", "so", "and"}
)
# A short sentence whose judgement is a bare comparative ("Arrived quicker", "A better
# time frame") names the change wanted; with "than" it is a comparison instead.
_COMPARATIVES: Final = frozenset(
    {
        "quicker",
        "faster",
        "better",
        "sooner",
        "earlier",
        "clearer",
        "easier",
        "shorter",
        "more",
        "less",
        "fewer",
    }
)
BARE_COMPARATIVE_MAX_WORDS: Final = 5
# "Feeling much more settled now", "I'm less stressed": a subject, a state verb or
# "now" makes the comparative a report of how things are, not a wish.
_STATEMENT_WORDS: Final = frozenset(
    {
        "i",
        "i'm",
        "im",
        "we",
        "we're",
        "it's",
        "am",
        "feel",
        "feels",
        "feeling",
        "felt",
        "getting",
        "got",
        "now",
        "became",
        "become",
        "becoming",
    }
)


def is_request(clause: str, *, opens_sentence: bool) -> bool:
    """Whether a clause asks for a change.

    Args:
        clause: The clause's tokens joined by single spaces.
        opens_sentence: Whether the clause is the first of its sentence, where a
            bare imperative or "More X" is a request rather than a comparison.

    Returns:
        True for a suggestion or request.
    """
    words = clause.split(" ")
    while len(words) > 1 and words[0] in _LEAD_INS:
        words = words[1:]
    if opens_sentence:
        if (
            words[0] in REQUEST_OPENERS
            and _NOUN_READING.isdisjoint(words[1:3])
            and not _states_or_continues(words)
        ):
            return True
        if (
            len(words) <= BARE_COMPARATIVE_MAX_WORDS
            and "than" not in words
            and not _COMPARATIVES.isdisjoint(words)
            and _STATEMENT_WORDS.isdisjoint(words)
        ):
            return True
    return bool(_ANYWHERE.search(clause))


def _states_or_continues(words: list[str]) -> bool:
    """Whether an opener-led clause states something or asks for more of the same."""
    opener = words[0]
    if opener.endswith("ing") and any(
        word in _FINITE_VERBS or word.startswith(MARKER_PREFIX) for word in words[2:]
    ):
        # The marker of an idiom ("makes all the difference") carries its verb.
        return True
    if opener in _CONTINUATION_OPENERS and len(words) > 1:
        following = words[1]
        return following.endswith("ing") or following in _CONTINUATION_NEXT
    return False
