"""How names of people, teams and services are compared, tidied and suggested."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping


def name_key(name: str) -> str:
    """Return how names are compared: case, spacing and curly apostrophes ignored."""
    return " ".join(name.replace("\u2019", "'").casefold().split())


def tidy_name(name: str) -> str:
    """Return a name with runs of spaces made single and the ends trimmed."""
    return " ".join(name.split())


def did_you_mean(typed: str, choices: Iterable[str] | Mapping[str, str]) -> str:
    """Suggest close matches; ``choices`` may map comparison keys to shown names."""
    shown = dict(choices) if isinstance(choices, Mapping) else {c: c for c in choices}
    scored = sorted(
        ((difflib.SequenceMatcher(None, typed, key).ratio(), key) for key in shown),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.6:
        return ""
    # Only the near-best, so one clear typo does not bring a list of also-rans.
    close = [key for ratio, key in scored[:3] if ratio >= scored[0][0] - 0.1]
    return " (did you mean " + " or ".join(f"'{shown[c]}'" for c in close) + "?)"
