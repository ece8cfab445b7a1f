"""Idioms and multi-word phrases whose sentiment is not the sum of their words.

Each phrase is found in the normalised text and replaced by a marker token carrying its
valence, so "can't fault" or "couldn't be better" is not read as a negated fault or a
negated "better", and "on hold" or "short staffed" count though none of their words do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

MARKER_PREFIX: Final = "zzphrase"

_CANT = r"(?:can'?t|cannot|can not|could ?n'?t|could not|couldnt|would ?n'?t|would not)"
_NOONE = r"(?:no ?one|no-one|nobody|nothing)"
_BETTER = (
    r"(?:better|happier|nicer|kinder|quicker|faster|easier|smoother|improved?|"
    r"any ?more|more(?: \w+)?)"
)
_FAILED_TO = (
    r"(?:never|didn'?t|did not|don'?t|do not|doesn'?t|does not|hasn'?t|has not|"
    r"haven'?t|have not|won'?t|will not|wasn'?t|was not)"
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A phrase rule: a pattern and the valence of what it says."""

    pattern: str
    valence: float
    negatable: bool = False


PHRASES: Final[tuple[Phrase, ...]] = (
    # Praise by denying that anything could be better or found wrong.
    Phrase(rf"\b{_CANT} (?:\w+ ){{0,3}}?fault\b", 2.5),
    Phrase(
        rf"\b{_CANT} (?:have )?(?:been |be |done |do |ask for |asked for |wish for "
        rf"|get |have |expect |hope for )?(?:any |anything |it |a |much |them )?"
        rf"{_BETTER}\b",
        3.0,
    ),
    Phrase(
        rf"\b{_NOONE} (?:\w+ ){{0,3}}?(?:could|can|would) (?:\w+ ){{0,3}}?"
        rf"{_BETTER}\b(?! (?:if|when|by|to|with)\b)"
        r"|\bnothing (?:to be|needed to be|needs to be) (?:done |made )?(?:better|"
        r"improved)\b"
        r"|\b(?:hard|difficult|impossible) to (?:find (?:any |a )?)?faults?\b",
        3.0,
    ),
    Phrase(
        r"\bask(?:ed)? for (?:no|nothing) (?:better|more)\b|\bcould (?:have |of )?"
        r"(?:\w+ )?nothing better\b|\b(?:can'?t|cannot|couldn'?t|could not) think of "
        r"(?:a |any |anything |any way )(?:\w+ ){0,5}?(?:better|improved?)\b"
        r"|\b(?:don'?t|do not|didn'?t|did not) (?:think|feel|feel like|believe) "
        r"(?:\w+ ){0,2}?(?:could|can) "
        r"(?:\w+ ){0,4}?(?:better|more|improved?)\b",
        3.0,
    ),
    Phrase(
        r"\bnothing (?:needed|needs|needing|to|that needs?) (?:\w+ )?(?:improv\w*|"
        r"chang\w*)\b|\bno (?:improvements?|changes?) (?:are |were )?(?:needed|"
        r"required|necessary)\b|\bno suggestions?\b|\bnothing to suggest\b",
        1.5,
    ),
    Phrase(
        r"\bnothing (?:was|is|is ever|was ever|seemed) too much"
        r"(?: trouble| bother| effort| hassle| to ask)?\b",
        3.0,
    ),
    Phrase(
        r"\b(?:no|not any|never (?:had|have) any|without any) (?:real |major )?"
        r"(?:complaints?|problems?|issues?|concerns?|qualms|faults?)\b",
        1.5,
    ),
    Phrase(
        r"\bnothing (?:to complain about|wrong|bad|negative|to fault)\b"
        r"|\b(?:can'?t|cannot|couldn'?t|could not) complain\b",
        1.5,
    ),
    Phrase(
        r"\b(?:can'?t|cannot|couldn'?t|could not) (?:thank|praise|recommend) "
        r"(?:\w+ ){0,3}?enough\b|\bspeak (?:very |so )?highly\b",
        3.0,
    ),
    Phrase(
        r"\bkeep (?:up )?(?:the )?(?:good|great|excellent|amazing|fantastic) work\b"
        r"|\bkeep it up\b",
        2.5,
    ),
    Phrase(
        r"\b(?:keep|continue|carry on) (?:on )?(?:doing|going) (?:what|as|the way)\b"
        r"|\bcarry on (?:as you are|the same|like this)\b"
        r"|\bkeep (?:it|this|that|things) (?:up|going)\b",
        1.5,
    ),
    Phrase(
        r"\b(?:makes?|made|making) (?:all |such |a |the )?(?:the |a )?(?:real |big |"
        r"huge |massive |positive )?difference\b",
        1.8,
        negatable=True,
    ),
    Phrase(
        r"\b(?:listen|communicat|work|run|manag|support|explain|organis|organiz|"
        r"handl|respond|lead|led|plan|cop)(?:s|es|ed|d|e)? (?:really |very |so |"
        r"extremely )?well\b",
        1.5,
        negatable=True,
    ),
    Phrase(r"\babove and beyond\b|\bextra mile\b", 2.5),
    Phrase(
        r"\b(?:straight|right) away\b|\bin no time\b"
        r"|\bdeserves? (?:\w+ )?(?:recognition|praise|credit|a medal|an award|"
        r"thanks)\b",
        1.8,
        negatable=True,
    ),
    Phrase(r"\bleft (?:me|us|them|him|her|staff|people) (?:\w+ )?waiting\b", -1.8),
    Phrase(
        r"\b(?:first|1st|top|world) class\b|\bsecond to none\b|\b10 ?/ ?10\b"
        r"|\b(?:10|ten) out of (?:10|ten)\b|\bspot on\b|\bon the ball\b",
        2.8,
    ),
    Phrase(
        r"\b(?:put|set) (?:my |our |his |her |their |me |us )?(?:mind )?at "
        r"(?:ease|rest)\b"
        r"|\bat (?:ease|rest)\b|\bpeace of mind\b|\breassur(?:ed|ing)\b"
        r"|\bmet (?:all )?(?:my|our|his|her|their) needs\b",
        1.8,
        negatable=True,
    ),
    Phrase(
        r"\bwell (?:run|organised|organized|managed|supported|resourced|led|looked "
        r"after)\b",
        1.8,
        negatable=True,
    ),
    Phrase(
        r"\b(?:feel|felt|feels|feeling) (?:heard|listened to|included)\b"
        r"|\bvoices? (?:is|are|was|were|being|gets|get) heard\b",
        1.5,
        negatable=True,
    ),
    Phrase(r"\b(?:on|in good) time\b|\bon schedule\b", 1.2, negatable=True),
    Phrase(
        r"\b(?:no|without|with no|with little) (?:long )?(?:wait|waiting|delays?)\b"
        r"|\b(?:didn'?t|did not|never) (?:have|had|need) to wait\b",
        1.5,
    ),
    # Complaints about waiting, in words any workplace uses.
    Phrase(
        r"\blong (?:waits?|waiting|delays?)\b|\b(?:wait|waited|waiting|took|takes|"
        r"taking) (?:so |too |far too |very )long\b",
        -1.5,
        negatable=True,
    ),
    # Something that should have happened and did not.
    Phrase(
        rf"\b{_FAILED_TO} (?:\w+ )?(?:get back|got back|respond(?:ed)?|repl(?:y|ied)|"
        r"follow(?:ed)? (?:it )?up|listen(?:ed)?|happen(?:ed)?|help(?:ed)?)\b",
        -1.5,
    ),
    Phrase(
        r"\b(?:problems?|issues?|queries|query|concerns?) (?:was |were |got |has been "
        r"|have been |is |are )?(?:\w+ )?(?:solved|resolved|sorted|fixed|dealt with|"
        r"addressed|handled)\b",
        1.5,
        negatable=True,
    ),
    Phrase(
        r"\b(?:later?|longer|slower) than (?:expected|promised|planned|booked|agreed|"
        r"anticipated|it should)\b",
        -1.2,
    ),
    Phrase(r"\bmade sure\b", 1.2, negatable=True),
    # Workload, staffing and leaving.
    Phrase(
        r"\b(?:high|heavy|huge|excessive|big|large|increasing|rising|growing) "
        r"(?:staff )?(?:case ?loads?|work ?loads?|turnover|vacanc(?:y|ies)(?: rates?)?|"
        r"sickness(?: levels| rates)?|stress(?: levels)?|demand|pressures?)\b"
        r"|\b(?:case ?loads?|work ?loads?|turnover|stress levels) (?:are|is|remains?|"
        r"have been|has been|keeps?) (?:\w+ )?(?:high|heavy|huge|growing|increasing|"
        r"rising)\b",
        -1.8,
        negatable=True,
    ),
    Phrase(
        r"\b(?:short|under)[- ]?(?:staffed|resourced)\b|\bover[- ](?:stretched|"
        r"worked|loaded)\b|\bburn(?:ed|t|ing)?[- ]?out\b|\bsnowed under\b",
        -2.0,
        negatable=True,
    ),
    Phrase(
        r"\b(?:at )?breaking point\b|\bon (?:our|my|its|their) knees\b|\bdropping "
        r"like flies\b|\bend of (?:my|our) tether\b|\brunning on empty\b|\bstretched "
        r"(?:thin|to the limit|to breaking)\b|\bthrown in at the deep end\b|\bleft to "
        r"(?:get on|cope|fend|sink|struggle)\b|\bpillar to post\b|\bfobbed off\b"
        r"|\bdeaf ears\b|\bnot (?:\w+ )?fit for purpose\b|\ba (?:complete |total )?"
        r"joke\b|\bred tape\b|\btick[- ]?box(?:ing)?\b|\blet (?:me |us |them )?down\b",
        -2.0,
    ),
    Phrase(
        r"\bnothing (?:ever )?(?:changes|changed|happens|happened)\b|\bnothing "
        r"(?:ever |at all )?(?:gets|got|was|is|has been|is being|had been) done\b"
        r"|\b(?:no ?one|no-one|nobody) (?:ever )?(?:listens|cares|checks|asks)\b",
        -2.0,
    ),
    Phrase(
        r"\blooking (?:for|at) (?:another|a new|other|a different) "
        r"(?:job|role|post)s?\b"
        r"|\b(?:thinking|considering|thought) (?:about|of) leaving\b|\bwant(?:ed|s)? "
        r"to leave\b|\b(?:i'm|i am|we are|people are|staff are|colleagues are|many "
        r"are) leaving\b|\bkeeps? leaving\b|\bhanded in (?:my|their|our) notice\b",
        -1.8,
        negatable=True,
    ),
    Phrase(
        r"\b(?:no|never had any|without any) (?:plans?|intention|intentions|desire|"
        r"wish) (?:of |to )?(?:leave|leaving|move on|moving on)\b",
        1.5,
    ),
    Phrase(r"\bnot enough\b|\bnot nearly enough\b", -1.5),
    Phrase(
        r"\b(?:low|poor|bad|rubbish|terrible|awful|no|stagnant) (?:pay|salar(?:y|ies)|"
        r"wages?|benefits|pay rises?|raises?|bonus(?:es)?|pensions?)\b"
        r"|\b(?:long|unpaid|late|unsociable|crazy) hours\b|\bno overtime pay\b"
        r"|\blong (?:commutes?|journeys?|drives?|shifts)\b|\bbelow (?:average|"
        r"market|inflation|the going rate)\b",
        -1.8,
    ),
    Phrase(
        r"\b(?:is|are|was|were|isn'?t|aren'?t|wasn'?t|weren'?t) not paid\b"
        r"|\b(?:isn'?t|aren'?t|wasn'?t|weren'?t|never|not) paid\b"
        r"|\b(?:just|only) a number\b|\b(?:treated|feel) like a number\b"
        r"|\bwho you know\b|\bout of touch\b|\bfed up\b|\brock bottom\b"
        r"|\bfor love (?:n|)or money\b|\b(?:can'?t|cannot|couldn'?t|could not|never) "
        r"get hold of\b|\bmorale (?:is |was )?(?:low|on the floor)\b"
        r"|\b(?:system|systems|server|network|wi-?fi|internet|email|emails|phones?|"
        r"laptops?|mosaic|portal) (?:is |are |was |were |went |goes |keeps going |"
        r"keep going )?down\b",
        -2.0,
    ),
    Phrase(
        r"\babove (?:average|market|inflation|the going rate)\b|\bopen door\b",
        1.8,
        negatable=True,
    ),
    Phrase(
        r"\b(?:good|great|decent|competitive|fair|generous|excellent) (?:pay|salar(?:y|"
        r"ies)|wages?|benefits|pensions?|holidays?|annual leave)\b"
        r"|\bwork[- ]?life[- ]?balance\b",
        1.8,
        negatable=True,
    ),
    Phrase(
        r"\b(?:little|limited|not much|no|lack of|shortage of) (?:time|capacity|"
        r"resources?|opportunit(?:y|ies)|budget|funding|staff|space|desks?|"
        r"progression|training|supervision|support|recognition|parking|help)\b"
        r"|\b(?:wasn'?t|was not|isn'?t|is not|weren'?t|were not|aren'?t|are not|no|"
        r"never|nothing) (?:one |anyone |anybody |any \w+ |an? \w+ |\w+s )?available\b",
        -1.5,
    ),
    # Neutral uses of words VADER rates.
    Phrase(
        r"\btoo (?:early|soon) to (?:say|tell|comment|judge)\b|\bas well(?: as)?\b"
        r"|\b(?:kind|sort) of\b|\bthis kind\b|\bnot sure\b"
        r"|\bsick (?:pay|leave|days?|notes?|absence|policy)\b"
        r"|\bshared (?:drive|folder|area|inbox|mailbox|calendar|care)\b",
        0.0,
    ),
)

# Every phrase starts at a word start; checking that once before the alternation (not
# once per alternative) keeps the scan fast.
_COMBINED: Final = re.compile(
    r"(?<![\w'])(?:"
    + "|".join(
        f"(?P<p{index}>{phrase.pattern})" for index, phrase in enumerate(PHRASES)
    )
    + ")"
)


def mark_phrases(text: str) -> str:
    """Replace each known phrase in normalised text with its marker token.

    Args:
        text: Normalised comment text.

    Returns:
        The text with phrases replaced by ``zzphrase<N>`` markers.
    """

    def _marker(match: re.Match[str]) -> str:
        return f" {MARKER_PREFIX}{match.lastgroup} "

    return _COMBINED.sub(_marker, text)


def phrase_for(token: str) -> Phrase | None:
    """The phrase a marker token stands for, or None for an ordinary token."""
    if not token.startswith(MARKER_PREFIX):
        return None
    return PHRASES[int(token[len(MARKER_PREFIX) + 1 :])]
