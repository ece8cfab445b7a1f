"""Reading ``name=value`` settings typed after a command: ``said="..." due=2027-03-31``.

Pure. A value with spaces may go in double or single quotes (curly quotes
count); inside quotes the text is kept exactly, line breaks included. Without
quotes a value runs to the next ``name=`` (``to=Child Protection at=Monday
9am``), so quotes are only needed when a value itself holds ``name=``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from survey.errors import SurveyError

_CURLY = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})
# A setting starts at a word boundary with `name=`; a quoted value ends at its
# closing quote followed by a space or the end, so "it's" inside '...' is kept.
_SETTING = re.compile(
    r"""(?<!\S)(?P<name>[A-Za-z][A-Za-z_-]*)=
        (?:"(?P<double>.*?)"(?=\s|$)
          |'(?P<single>.*?)'(?=\s|$)
          |(?P<bare>\S*))""",
    re.VERBOSE | re.DOTALL,
)
_FIRST = re.compile(r"(?<!\S)[A-Za-z][A-Za-z_-]*=")


class OptionsError(SurveyError):
    """Settings that cannot be read; the message says how to write them."""


@dataclass(frozen=True)
class Options:
    """The settings given, by lower-case name, and the words before the first one."""

    values: dict[str, str]
    words: tuple[str, ...] = ()

    def get(self, name: str) -> str | None:
        """The value of ``name``, or None if it was not given."""
        return self.values.get(name)

    def has(self, name: str) -> bool:
        """Whether ``name`` was given (even as an empty value)."""
        return name in self.values


def read_options(
    typed: str, *, allowed: Iterable[str], aliases: dict[str, str] | None = None
) -> Options:
    """Read the ``name=value`` settings in ``typed``.

    Args:
        typed: Everything the person typed (the command words may be included;
            they end up in ``words``).
        allowed: The setting names this command takes.
        aliases: Other names people may type, mapped to an allowed name.

    Raises:
        OptionsError: an unknown or repeated setting, an unclosed quote, or words
            that belong to no setting (a value with spaces typed without quotes).
    """
    aliases = aliases or {}
    known = set(allowed)
    text = typed.translate(_CURLY)
    start = _FIRST.search(text)
    if start is None:
        return Options({}, tuple(text.split()))
    words = tuple(text[: start.start()].split())
    values: dict[str, str] = {}
    position, last = start.start(), None
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        match = _SETTING.match(text, position)
        if match is None:
            stray = text[position:].split(maxsplit=1)[0]
            raise OptionsError(_stray(stray, last))
        typed_name = match["name"]
        name = aliases.get(typed_name.lower(), typed_name.lower())
        if name not in known:
            raise OptionsError(
                f"'{typed_name}=' is not a setting here. Use: "
                f"{', '.join(f'{option}=' for option in sorted(known))}."
            )
        if name in values:
            raise OptionsError(f"'{name}=' is given twice; give it once.")
        value = next(
            (
                match[group]
                for group in ("double", "single", "bare")
                if match[group] is not None
            ),
            "",
        )
        if match["bare"] is not None and value[:1] in ('"', "'"):
            raise OptionsError(
                f"The quote after {name}= is never closed; end the value with "
                f"{value[0]}."
            )
        end = match.end()
        if match["bare"] is not None:
            # Unquoted, the value runs on to the next setting.
            following = _FIRST.search(text, end)
            end = following.start() if following else len(text)
            value = " ".join(text[match.start("bare") : end].split())
        values[name] = value
        position, last = end, name
    return Options(values, words)


def _stray(word: str, last: str | None) -> str:
    if last is None:
        return f"I couldn't read '{word}'. Settings look like name=value."
    return (
        f"'{word}' after {last}= is not part of any setting. If the {last} has "
        f'spaces in it, put it in quotes: {last}="..."'
    )
