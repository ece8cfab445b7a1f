"""Word valences: VADER's lexicon adjusted for staff comments about social-care work.

VADER's lexicon (MIT, C.J. Hutto) ships inside the ``vaderSentiment`` wheel, so it is
read from the installed package and nothing is downloaded. Valences run from -4 to +4.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Final

# Words VADER rates that, in comments about social work or a service, name the subject
# rather than judge it: "safeguarding", "abuse and neglect cases", "social care", "IT
# support", "early help". Left in, they make a description of the job read as a verdict.
TOPIC_WORDS: Final = frozenset(
    {
        "abuse",
        "abused",
        "care",
        "crisis",
        "emergency",
        "exploitation",
        "harm",
        "help",
        "neglect",
        "protect",
        "protection",
        "risk",
        "risks",
        "safeguarding",
        "support",
        "trauma",
        "violence",
        "vulnerable",
        "pay",
        "friend",
        "friends",
        "benefit",
        "benefits",
        "interest",
        "interests",
        "party",
        "parties",
        "poverty",
        "crime",
        "criminal",
        "offender",
        "prison",
        "victim",
        "victims",
        "debt",
        "illness",
        "accident",
        "injury",
        "cancer",
        "suicide",
        "suicidal",
        "assault",
        "murder",
        "justice",
        "fire",
        "authority",
        "legal",
        "heart",
        # Answer words and hedges handled by rules (negation, requests, short answers).
        "no",
        "yes",
        "yeah",
        "please",
        "sure",
        "hope",
        "hoping",
        "wish",
        "want",
        "pretty",
        "improve",
        "improvement",
        "improvements",
        "challenging",
        "intense",
        "matter",
        "joke",
        "lol",
        "leave",
    }
)

# Workplace and service words VADER lacks or rates for other registers. Values follow
# VADER's scale: about 1 mild, 2 clear, 3 strong.
DOMAIN_VALENCES: Final[dict[str, float]] = {
    # Workload and wellbeing at work.
    "understaffed": -2.0,
    "understaffing": -2.0,
    "overstretched": -2.0,
    "overworked": -2.0,
    "overloaded": -2.0,
    "overwhelmed": -2.0,
    "overwhelming": -1.5,
    "burnout": -2.5,
    "unmanageable": -2.2,
    "unsustainable": -2.0,
    "unrealistic": -1.5,
    "impossible": -1.5,
    "exhausting": -2.0,
    "draining": -1.5,
    "demoralised": -2.0,
    "demoralising": -2.0,
    "demoralizing": -2.0,
    "demotivated": -1.8,
    "demotivating": -1.8,
    "undervalued": -2.0,
    "underpaid": -1.8,
    "unappreciated": -1.8,
    "unsupported": -2.0,
    "unsafe": -2.0,
    "isolating": -1.5,
    "micromanaged": -1.8,
    "micromanagement": -1.8,
    "micromanaging": -1.8,
    "firefighting": -1.5,
    "fire-fighting": -1.5,
    "toxic": -2.5,
    "cliquey": -1.5,
    "dismissive": -1.8,
    "disrespectful": -2.0,
    "disorganised": -1.8,
    "disorganized": -1.8,
    "shambles": -2.5,
    "nightmare": -2.5,
    "pointless": -1.8,
    "unacceptable": -2.2,
    "insufficient": -1.5,
    "lacking": -1.3,
    "rushed": -1.2,
    "pressured": -1.5,
    "pressurised": -1.5,
    "bullied": -2.5,
    "harassed": -2.2,
    "discriminated": -2.5,
    "discrimination": -2.0,
    "discriminatory": -2.2,
    "microaggressions": -2.0,
    "heavy": -1.0,
    "busy": -0.6,
    # Systems, paperwork and waiting.
    "backlog": -1.2,
    "backlogs": -1.2,
    "overdue": -1.0,
    "delays": -1.3,
    "late": -1.0,
    "slow": -1.0,
    "slower": -1.0,
    "outdated": -1.2,
    "clunky": -1.5,
    "glitchy": -1.5,
    "crashes": -1.5,
    "crashing": -1.5,
    "crashed": -1.5,
    "cumbersome": -1.5,
    "convoluted": -1.5,
    "bureaucratic": -1.5,
    "bureaucracy": -1.5,
    "duplication": -1.0,
    "duplicate": -0.8,
    "duplicating": -1.0,
    "repetitive": -1.0,
    "clash": -1.0,
    "clashes": -1.0,
    "cancelled": -1.2,
    "canceled": -1.2,
    # Praise in British and workplace registers.
    "approachable": 1.8,
    "manageable": 1.5,
    "flexibility": 1.2,
    "reliable": 1.5,
    "prompt": 1.5,
    "promptly": 1.5,
    "punctual": 1.5,
    "quick": 1.0,
    "quickly": 1.0,
    "quicker": 1.2,
    "faster": 1.2,
    "smooth": 1.2,
    "smoothly": 1.2,
    "seamless": 1.5,
    "thorough": 1.5,
    "professional": 1.5,
    "professionally": 1.5,
    "knowledgeable": 1.5,
    "attentive": 1.8,
    "reflective": 1.0,
    "consulted": 1.0,
    "listened": 1.2,
    "listens": 1.0,
    "invaluable": 2.5,
    "brill": 2.5,
    "superstar": 2.5,
    "supportive": 2.0,
    "exceptional": 2.8,
    "expertly": 2.0,
    "polite": 1.8,
    "impolite": -1.8,
    "discourteous": -2.0,
    "constrained": -1.0,
    "helped": 1.2,
    "helps": 1.0,
    "flexible": 1.2,
    "visible": 1.0,
    "rocks": 2.0,
    # Workplace complaints.
    "unpaid": -1.2,
    "cramped": -1.5,
    "inconsistent": -1.2,
    "favouritism": -2.0,
    "favoritism": -2.0,
    "nepotism": -2.0,
    "cliques": -1.5,
}

# Degree words (VADER's list): they raise or lower the valence of what follows.
BOOSTER_STEP: Final = 0.293
BOOSTERS: Final[frozenset[str]] = frozenset(
    {
        "absolutely",
        "amazingly",
        "awfully",
        "completely",
        "considerably",
        "deeply",
        "enormously",
        "entirely",
        "especially",
        "exceptionally",
        "extremely",
        "fully",
        "greatly",
        "highly",
        "hugely",
        "incredibly",
        "particularly",
        "quite",
        "really",
        "remarkably",
        "so",
        "substantially",
        "thoroughly",
        "totally",
        "tremendously",
        "truly",
        "unbelievably",
        "utterly",
        "very",
        "constantly",
        "always",
        "seriously",
        "far",
        "way",
        "much",
    }
)
DAMPENERS: Final[frozenset[str]] = frozenset(
    {
        "almost",
        "barely",
        "bit",
        "hardly",
        "less",
        "little",
        "marginally",
        "occasionally",
        "partly",
        "slightly",
        "somewhat",
        "fairly",
        "reasonably",
    }
)

# Words that reverse what follows within a short scope (VADER's list, without
# "despite", which is treated as a concession, plus "no" and "nobody").
NEGATORS: Final[frozenset[str]] = frozenset(
    {
        "not",
        "no",
        "never",
        "nothing",
        "none",
        "nobody",
        "nowhere",
        "neither",
        "nor",
        "without",
        "cannot",
        "rarely",
        "seldom",
        "aint",
        "arent",
        "cant",
        "couldnt",
        "didnt",
        "doesnt",
        "dont",
        "hadnt",
        "hasnt",
        "havent",
        "isnt",
        "shouldnt",
        "wasnt",
        "werent",
        "wont",
        "wouldnt",
    }
)
NEGATION_SCALAR: Final = -0.74


def is_negator(token: str) -> bool:
    """Whether a token reverses the valence of a word shortly after it."""
    return token in NEGATORS or token.endswith("n't")


@cache
def valences() -> MappingProxyType[str, float]:
    """The word-to-valence table: VADER's lexicon with the domain changes above.

    Returns:
        A read-only mapping from lower-case word to valence (-4 to +4).
    """
    table: dict[str, float] = {}
    source = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    for line in source.read_text(encoding="utf-8").splitlines():
        word, _, rest = line.partition("\t")
        if rest:
            table[word] = float(rest.split("\t", 1)[0])
    for word in TOPIC_WORDS:
        table.pop(word, None)
    table.update(DOMAIN_VALENCES)
    return MappingProxyType(table)
