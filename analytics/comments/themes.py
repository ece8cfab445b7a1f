"""Tagging comments with themes from the taxonomy, using the rules in theme_rules.

A comment can carry several themes or none; a theme's strength is how many distinct
rule phrases it matched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from types import MappingProxyType

from analytics.comments.text import normalise
from analytics.comments.theme_rules import CASE_SENSITIVE_RULES, THEME_RULES
from survey.questions.themes import THEMES


def _compile(fragments: tuple[str, ...], flags: int) -> re.Pattern[str]:
    alternatives = "|".join(f"(?:{fragment})" for fragment in fragments)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])", flags)


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]:
    unknown = set(THEME_RULES) - set(THEMES)
    if unknown:
        raise ValueError(f"theme rules for keys outside the taxonomy: {unknown}")
    compiled = []
    for theme in THEMES:
        sensitive = CASE_SENSITIVE_RULES.get(theme)
        compiled.append(
            (
                theme,
                _compile(THEME_RULES.get(theme, ()), 0),
                _compile(sensitive, 0) if sensitive else None,
            )
        )
    return tuple(compiled)


def theme_matches(text: str) -> Mapping[str, tuple[str, ...]]:
    """Find every theme a comment mentions and the phrases that showed it.

    Args:
        text: The comment as typed (capitals matter only for "IT").

    Returns:
        Theme key to the distinct matched phrases (lower case), strongest theme
        first; empty when no rule matches.
    """
    found: dict[str, tuple[str, ...]] = {}
    lowered = normalise(text)
    for theme, pattern, sensitive in _patterns():
        hits = set(pattern.findall(lowered))
        if sensitive is not None:
            hits.update(match.group(0).lower() for match in sensitive.finditer(text))
        if hits:
            found[theme] = tuple(sorted(hits))
    ordered = sorted(found.items(), key=lambda item: -len(item[1]))
    return MappingProxyType(dict(ordered))
