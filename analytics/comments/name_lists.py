"""Word lists that tell a person's name from an ordinary capitalised word, all offline.

First names and surnames come from Faker's person providers (MIT licence, maintained,
installed from PyPI with the app), for the locales of people a UK council's social
workers meet: British, Irish, American, South Asian, Nigerian, Ghanaian, Kenyan,
South African, Polish, Romanian, Baltic, Portuguese and others. Ordinary English words
come from the part-of-speech lexicon TextBlob ships (a lower-case entry there is an
everyday word). Nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Final

from analytics.comments.stopwords import STOPWORDS

# Latin-script locales only: a name list in another script cannot match a comment
# typed in English.
NAME_LOCALES: Final = (
    "en",
    "en_GB",
    "en_IE",
    "ga_IE",
    "en_US",
    "en_IN",
    "en_PK",
    "en_KE",
    "en_NG",
    "yo_NG",
    "ig_NG",
    "ha_NG",
    "tw_GH",
    "zu_ZA",
    "sw",
    "pl_PL",
    "ro_RO",
    "lt_LT",
    "lv_LV",
    "sk_SK",
    "cs_CZ",
    "hu_HU",
    "pt_PT",
    "pt_BR",
    "es_ES",
    "it_IT",
    "fr_FR",
    "de_DE",
    "nl_NL",
    "tr_TR",
    "id_ID",
    "vi_VN",
)
_FIRST_NAME_FIELDS: Final = (
    "first_names",
    "first_names_male",
    "first_names_female",
    "first_names_nonbinary",
)
_LAST_NAME_FIELDS: Final = ("last_names", "last_names_male", "last_names_female")

MONTHS_AND_DAYS: Final = frozenset(
    """
    january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday
    """.split()
)

# Capitalised words a social worker writes that are neither names nor everyday
# words: systems, regulators, bodies, festivals.
SERVICE_WORDS: Final = frozenset(
    """
    ofsted mosaic liquidlogic eclipse controcc azeus carefirst makaton windrush
    ramadan eid diwali christmas easter hanukkah vaisakhi teams outlook microsoft
    slack zoom dell lenovo excel sharepoint unison basw nhs icb cafcass barnardo
    nspcc frontline ilacs jobcentre amhp amhps asye asyes psw dcs lado camhs mash
    dols iro iros cqc lga pa hr covid coronavirus brexit google whatsapp
    """.split()
)


# Words of British social work that a US part-of-speech lexicon does not have.
DOMAIN_WORDS: Final = frozenset(
    """
    carer carers caseload caseloads rota rotas admin councillor councillors leaver
    leavers enquiry enquiries password passwords petrol email emails template
    templates motivational safeguarding wellbeing reablement signposting hotdesking
    paperwork timescale timescales workload workloads childcare kinship fostering
    adopter adopters placement placements respite overtime supervisee mentee
    neurodivergent autism autistic dementia online offline laptop laptops smartphone
    wifi app apps webinar webinars hybrid flexi toil mileage commissioning
    restructure restructures restructuring healthcare homecare onboarding induction
    teamwork multiagency coproduction neglectful practitioner practitioners
    """.split()
)
# Nationalities, faiths and groups are capitalised but are not people's names.
GROUP_WORDS: Final = frozenset(
    """
    sikh muslim hindu christian jewish buddhist catholic english welsh scottish
    british african caribbean asian european polish romanian nigerian ghanaian
    somali pakistani indian bangladeshi chinese roma traveller travellers gypsy
    eritrean syrian afghan ukrainian kurdish arabic urdu punjabi gujarati bengali
    black white deaf lgbt lgbtq
    """.split()
)
_BRITISH_SPELLINGS: Final = (
    (re.compile(r"isation(s?)$"), r"ization\1"),
    (re.compile(r"is(e|es|ed|ing)$"), r"iz\1"),
    (re.compile(r"our(s?|ed|ing)$"), r"or\1"),
    (re.compile(r"tre(s?)$"), r"ter\1"),
    (re.compile(r"ogramme(s?)$"), r"ogram\1"),
    (re.compile(r"ll(ed|ing|er|ers)$"), r"l\1"),
    (re.compile(r"ence$"), r"ense"),
)


def fold(text: str) -> str:
    """The text with accents removed and curly apostrophes straightened.

    Every character maps to exactly one character, so positions in the folded text
    are positions in the original.

    Args:
        text: Any text.

    Returns:
        Text of the same length: "Zoë" becomes "Zoe", "O’Neill" becomes "O'Neill".
    """
    return "".join(_fold_character(character) for character in text)


@lru_cache(maxsize=1024)
def _fold_character(character: str) -> str:
    if character in "\u2019\u2018\u02bc":
        return "'"
    if character in "\u2010\u2011\u2012\u2013":
        return "-"
    decomposed = unicodedata.normalize("NFKD", character)
    base = decomposed[:1]
    if base and all(unicodedata.combining(rest) for rest in decomposed[1:]):
        return base
    return character


def _provider_names(fields: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for locale in NAME_LOCALES:
        module = importlib.import_module(f"faker.providers.person.{locale}")
        provider = module.Provider
        for field in fields:
            values: Iterable[str] = getattr(provider, field, ())
            names.update(_keys(values))
    return names


def _keys(values: Iterable[str]) -> set[str]:
    keys: set[str] = set()
    for value in values:
        for part in fold(value).lower().replace("-", " ").split():
            if part.isalpha() and len(part) > 1:
                keys.add(part)
    return keys


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """Lower-case, accent-free given names from Faker's person providers."""
    return frozenset(_provider_names(_FIRST_NAME_FIELDS))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Lower-case, accent-free family names from Faker's person providers."""
    return frozenset(_provider_names(_LAST_NAME_FIELDS))


@lru_cache(maxsize=1)
def everyday_words() -> frozenset[str]:
    """Lower-case words English uses as ordinary words, from TextBlob's lexicon.

    A lower-case entry in the lexicon is an ordinary word; a capitalised entry tagged
    as an adjective ("Asian", "Polish") is one too.
    """
    source = resources.files("textblob").joinpath("en/en-lexicon.txt")
    words: set[str] = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        word, _, tags = line.partition(" ")
        if not word.isalpha():
            continue
        if word.islower() or "JJ" in tags.split():
            words.add(word.lower())
    return frozenset(words | STOPWORDS | MONTHS_AND_DAYS | DOMAIN_WORDS | GROUP_WORDS)


@lru_cache(maxsize=8192)
def is_everyday(key: str) -> bool:
    """Whether a lower-case word is an ordinary English word, in British spelling too.

    Args:
        key: A lower-case, accent-free word ("programme", "mondays").

    Returns:
        True for ordinary words and their plurals; False for names and unknown words.
    """
    known = everyday_words()
    candidates = {key, key[:-1] if key.endswith("s") else key}
    for pattern, replacement in _BRITISH_SPELLINGS:
        candidates.add(pattern.sub(replacement, key))
    return any(candidate in known for candidate in candidates)
