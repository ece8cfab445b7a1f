"""Clauses within a sentence: where contrast falls and which clauses ask for change."""

from __future__ import annotations

from typing import Final

from analytics.comments.requests import is_request

# Contrast shifts weight to the main clause (VADER uses 0.5/1.5, which lets a "but"
# clause decide almost every comment; these keep balanced comments mixed).
CONCEDED_WEIGHT: Final = 0.75
STRESSED_WEIGHT: Final = 1.25
ADVERSATIVES: Final = frozenset(
    {"but", "however", "yet", "nevertheless", "nonetheless", "whereas"}
)
CONCESSIVES: Final = frozenset({"although", "though", "despite", "except", "spite"})
_CONCESSIVE_PAIRS: Final = {"apart": "from", "aside": "from", "other": "than"}
_SENTENCE_OPENING_CONCESSIVES: Final = frozenset({"while", "whilst"})
# Negation and suggestions do not reach across these.
CLAUSE_BREAKS: Final = frozenset(
    {
        ",",
        ":",
        "(",
        ")",
        "-",
        "/",
        "and",
        "because",
        "which",
        "who",
        "when",
        "if",
        "whilst",
        "while",
    }
    | ADVERSATIVES
    | CONCESSIVES
)
_REQUEST_JOINERS: Final = frozenset({"and", "or"})


def contrast_weights(words: list[str]) -> tuple[list[float], bool]:
    """Weight each word of a sentence by the clause it is in.

    Args:
        words: The sentence's tokens.

    Returns:
        One weight per word (conceded clauses down, main clauses up), and whether
        the sentence opens with "But"/"However" and so concedes the one before.
    """
    count = len(words)
    weights = [1.0] * count
    adversative = -1
    for index, word in enumerate(words):
        if word in ADVERSATIVES and not (
            index + 1 < count and words[index + 1] in {"also", "not"}
        ):
            adversative = index
    if adversative == 0:
        return weights, True
    if adversative > 0:
        for index in range(count):
            if index < adversative:
                weights[index] = CONCEDED_WEIGHT
            elif index > adversative:
                weights[index] = STRESSED_WEIGHT
        return weights, False
    if words[-1] == "though" and count > 1:
        return weights, True
    start = _concession_start(words)
    if start < 0:
        return weights, False
    end = start + 1
    while end < count and words[end] not in {",", ":", "-"}:
        end += 1
    for index in range(count):
        conceded = start <= index < end
        weights[index] = CONCEDED_WEIGHT if conceded else STRESSED_WEIGHT
    return weights, False


def _concession_start(words: list[str]) -> int:
    if words[0] in _SENTENCE_OPENING_CONCESSIVES:
        return 0
    for index, word in enumerate(words):
        if word in CONCESSIVES:
            return index
        partner = _CONCESSIVE_PAIRS.get(word)
        if partner and index + 1 < len(words) and words[index + 1] == partner:
            return index
    return -1


def clauses(words: list[str]) -> tuple[list[int], list[bool]]:
    """Number each word's clause and say which clauses are requests.

    A clause joined by "and"/"or" to a request continues it ("More staff and better
    pay"); after a comma or "but" a new statement starts.

    Args:
        words: The sentence's tokens.

    Returns:
        The clause number of each word, and for each clause whether it is a request.
    """
    clause_of: list[int] = []
    spans: list[list[str]] = [[]]
    joiners: list[str] = [""]
    for word in words:
        if word in CLAUSE_BREAKS and spans[-1]:
            spans.append([])
            joiners.append(word)
        clause_of.append(len(spans) - 1)
        if word not in CLAUSE_BREAKS:
            spans[-1].append(word)
    requests: list[bool] = []
    for number, span in enumerate(spans):
        continues = number > 0 and requests[-1] and joiners[number] in _REQUEST_JOINERS
        requests.append(
            bool(span)
            and (
                continues
                or is_request(" ".join(span), opens_sentence=number == 0)
                or (number == 0 and span[:2] == ["not", "to"])
            )
        )
    return clause_of, requests
