"""Finding people's names in a comment, on the roster or not.

Roster names are matched whatever their case, with possessives ("Mark's", "Marks"),
accents ("Zoe" for "Zoë") and hyphens written as spaces ("Smith Jones"). Names that
are also everyday words ("Will", "Hope", "Mark") need a sign that a person is meant:
a full name, a title, a possessive, or a word around them ("with mark", "Grace was").

Names of people who are not on the roster (a child, a parent, a manager elsewhere) are
found by shape and word lists: a capitalised given name from the name lists, a title
("Mrs Begum"), a capitalised word after a word that introduces a person ("the child
Tyler", "my manager Dave"), a family ("the Kowalski family"), or a capitalised word
mid-sentence that is neither an everyday word nor a known service or system name.
Places found this way are redacted too; that is the price of not missing a child.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from analytics.comments.name_lists import (
    MONTHS_AND_DAYS,
    SERVICE_WORDS,
    first_names,
    is_everyday,
    surnames,
)
from analytics.comments.name_tokens import Word, words
from analytics.comments.roster_names import (
    COMMON_WORD_NAMES,
    is_everyday_word,
    roster_spans,
)

TITLES: Final = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof"})
# A capitalised word straight after one of these is a person, even an everyday word
# ("my manager Will", "the child Hope").
PERSON_NOUNS: Final = frozenset(
    """
    manager child boy girl son daughter baby mum mom mother father dad brother sister
    aunt uncle nan nana grandmother grandfather grandma grandad carer carers senior
    mentor colleague supervisor clerk worker practitioner named called thank thanks
    ask cousin nephew niece stepdad stepmum partner husband wife boyfriend girlfriend
    toddler teenager pa
    """.split()
)
# After one of these a capitalised word that is not an everyday word is a person.
PERSON_VERBS: Final = frozenset(
    """
    with told asked to from by and visited met phoned rang emailed called supporting
    supported
    """.split()
)
# An everyday-word given name followed by one of these is a person ("Grace was",
# "Will said").
AFTER_PERSON: Final = frozenset(
    """
    said says told asked helped covered ran was has had always never does did who
    """.split()
)
DETERMINERS: Final = frozenset(
    "a an the this that these those our their your my his her its".split()
)
# "in Tipton", "at Netherton": an unknown word after these is a place.
PLACE_PREPOSITIONS: Final = frozenset(
    "in at near across around outside inside within".split()
)
PLACE_WORDS: Final = frozenset(
    """
    road street lane avenue close drive way crescent grove centre center house hall
    park court hospital school college academy office library station square hill
    estate gardens green bridge lodge surgery clinic
    """.split()
)
FAMILY_WORDS: Final = frozenset({"family", "families", "children", "twins", "case"})


def person_name_spans(text: str, roster: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Where people's names are in a comment.

    Args:
        text: The comment as typed.
        roster: Roster names to look for in any case and spelling variant.

    Returns:
        ``(start, end)`` offsets of each name, in order, not overlapping.
    """
    found = roster_spans(text, tuple(roster)) + _unknown_name_spans(text)
    return _merge(found)


def _unknown_name_spans(text: str) -> list[tuple[int, int]]:
    tokens = words(text)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(tokens):
        if not _starts_name(tokens, index, text):
            index += 1
            continue
        end = index
        while end + 1 < len(tokens) and _continues_name(tokens, end, text):
            end += 1
        first = tokens[index]
        title = _neighbour(tokens, index, -1, text)
        if title is not None and title.key.rstrip(".") in TITLES:
            first = title  # "Mrs [name]" would still say who is meant
        spans.append((first.start, tokens[end].end))
        index = end + 1
    return spans


def _starts_name(tokens: list[Word], index: int, text: str) -> bool:
    word = tokens[index]
    if not word.capitalised or _is_service(word) or word.key in TITLES:
        return False
    before = _neighbour(tokens, index, -1, text)
    after = _neighbour(tokens, index, 1, text)
    everyday = _is_everyday(word)
    given = _is_given_name(word) or word.key in COMMON_WORD_NAMES
    if before is not None and before.key.rstrip(".") in TITLES:
        return True
    if everyday and before is not None and before.capitalised:
        return False
    if before is not None and before.key in PLACE_PREPOSITIONS and not given:
        return word.possessive
    if after is not None and _names_a_place(word, after, given):
        return False
    if before is not None and before.key in PERSON_NOUNS and (given or not everyday):
        return True
    if given and not everyday:
        return True
    if before is not None and before.key in DETERMINERS:
        return not everyday and _is_family(tokens, index, text)
    if given and (
        word.possessive
        or (after is not None and after.key in AFTER_PERSON)
        or (after is not None and _surname_after(after))
        or _paired_with_name(tokens, index, text)
    ):
        return True
    if given and not is_everyday_word(word.key):
        # A given name that is also a rarer word ("Ken", "Maria", "Council"): a
        # person mid-sentence unless a determiner or a capitalised word says it is
        # part of a title ("the Council", "Victoria Centre").
        return not word.sentence_start and not (after is not None and after.capitalised)
    if everyday:
        return False
    if before is not None and before.key in PERSON_VERBS:
        return True
    if word.possessive or not word.sentence_start:
        return True
    # An unknown capitalised word opening a sentence: a person when a surname or an
    # ordinary word follows ("Gurpreet is", "Seun has"), not a title ("Brierley Hill").
    return after is not None and (_surname_after(after) or not after.capitalised)


def _names_a_place(word: Word, after: Word, given: bool) -> bool:
    """Whether the word starts a place or building ("Lincoln Road", "Himley Hall")."""
    if not after.capitalised or after.key not in PLACE_WORDS:
        return False
    return not (given and after.key in surnames())


def _paired_with_name(tokens: list[Word], index: int, text: str) -> bool:
    """Whether "and" joins this given name to another ("Lily and Mia")."""
    for step in (-1, 1):
        joiner = _neighbour(tokens, index, step, text)
        if joiner is None or joiner.key != "and":
            continue
        other = _neighbour(tokens, index + step, step, text)
        if other is not None and other.capitalised and _is_given_name(other):
            return True
    return False


def _continues_name(tokens: list[Word], index: int, text: str) -> bool:
    current, following = tokens[index], tokens[index + 1]
    if current.possessive or not following.capitalised or _is_service(following):
        return False
    if text[current.end : following.start].strip():
        return False
    return not _is_everyday(following) or following.key in surnames()


def _surname_after(word: Word) -> bool:
    return (
        word.capitalised
        and not _is_service(word)
        and (not _is_everyday(word) or word.key in surnames())
    )


def _neighbour(tokens: list[Word], index: int, step: int, text: str) -> Word | None:
    """The word next to this one, if only spaces or a comma come between."""
    other = index + step
    if not 0 <= other < len(tokens):
        return None
    first, second = sorted((tokens[index], tokens[other]), key=lambda w: w.start)
    between = text[first.end : second.start]
    if first.possessive:
        between = between[2:]
    return tokens[other] if not between.strip(" ,") else None


def _is_family(tokens: list[Word], index: int, text: str) -> bool:
    before = _neighbour(tokens, index, -1, text)
    after = _neighbour(tokens, index, 1, text)
    if before is None or before.key != "the":
        return False
    word = tokens[index]
    if after is not None and after.key in FAMILY_WORDS:
        return True
    return word.key.endswith("s") and word.key[:-1] in surnames()


def _is_given_name(word: Word) -> bool:
    names = first_names()
    return word.key in names or (
        len(word.parts) > 1 and all(part in names for part in word.parts)
    )


def _is_everyday(word: Word) -> bool:
    return all(is_everyday(part) for part in word.parts)


def _is_service(word: Word) -> bool:
    return word.key in SERVICE_WORDS or word.key in MONTHS_AND_DAYS


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
