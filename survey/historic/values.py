"""Reading one cell of an earlier round's export: an answer, a date, a roster name."""

from __future__ import annotations

import difflib
import re
from datetime import date

from survey.errors import AnswerError
from survey.historic.dates import DAY_FIRST, date_parts
from survey.questions.definitions import (
    NOT_APPLICABLE,
    AnswerValue,
    Option,
    Question,
    Scale,
)
from survey.roster.names import name_key
from survey.roster.roles import (
    EmploymentType,
    Workforce,
    find_role,
    normalise_code,
    parse_employment_type,
    role_codes,
    workforce_of,
)

# UTF-8 read as Windows-1252 and saved again: "â€™" for ’, "Ã©" for é, "Â " for a
# no-break space. Plain English comments never contain these pairs.
GARBLED = re.compile(
    "â€|Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u017d\u2013-\u2122]|Â\u00a0"
)
WHOLE_NUMBER = re.compile(r"(-?\d{1,6})(?:\.0+)?")
MULTI_SEPARATOR = re.compile(r"[;,]")
NOT_APPLICABLE_WORDS = ("n/a", "na")


class CellError(Exception):
    """A cell's value does not fit its column; ``str(error)`` says how."""


def check_encoding(text: str) -> None:
    """Refuse text garbled by a round trip through another encoding.

    Raises:
        CellError: quoting the garbled characters.

    """
    garbled = GARBLED.search(text)
    if garbled is not None:
        raise CellError(
            f"the text is garbled ('{garbled.group()}' where a quote, accent or "
            "space should be), which happens when a file is converted between "
            "encodings; export it again from the old tool and save it as CSV UTF-8"
        )


def read_answer(
    question: Question, text: str, replacements: dict[str, str]
) -> AnswerValue | None:
    """Read a cell as an answer to ``question``; None when there is nothing to keep.

    Options match by code or words in any case, never by their position in the
    list. ``replacements`` (``name_key(answer)`` -> answer) apply to each part of
    a multiple-choice answer; whole cells are replaced before this is called.

    Raises:
        CellError: saying what would fit.

    """
    text = text.strip()
    special = match_option(text, question.special_options())
    if special is not None:
        return special
    if question.scale == Scale.TEXT:
        return _text(question, text)
    if text.startswith("="):
        raise CellError(
            f"'{text}' is a formula; formulas are never worked out on import, so "
            "put the answer itself in the cell"
        )
    if question.scale in (Scale.NUMBER, Scale.ZERO_TO_TEN):
        return _number(question, text)
    choices = question.choices()
    if question.scale != Scale.MULTI_CHOICE:
        code = match_option(text, choices)
        if code is None:
            raise CellError(f"'{text}' is not an option ({_labels(choices)})")
        return question.check(code)
    whole = match_option(text, choices)
    parts = [text] if whole else [p.strip() for p in MULTI_SEPARATOR.split(text)]
    picked = []
    for part in (part for part in parts if part):
        code = match_option(replacements.get(name_key(part), part), choices)
        if code is None:
            raise CellError(
                f"'{part}' is not an option ({_labels(choices)}); separate "
                "several answers with ;"
            )
        picked.append(code)
    try:
        return question.check(picked)
    except AnswerError:
        raise CellError(
            "'Prefer not to say' or 'Not applicable' cannot be combined with "
            "other answers"
        ) from None


def match_option(text: str, options: tuple[Option, ...]) -> str | None:
    """Return the option a cell names by code or words (any case), if any."""
    key, code = name_key(text), normalise_code(text)
    for option in options:
        if key in (option.value, name_key(option.label)) or code == option.value:
            return option.value
        if option.value == NOT_APPLICABLE and key in NOT_APPLICABLE_WORDS:
            return option.value
    return None


def _text(question: Question, text: str) -> str | None:
    try:
        return str(question.check(text))
    except AnswerError:
        if len(text) <= question.text_limit:
            return None  # nothing readable once control characters are gone
        raise CellError(
            f"the answer is {len(text):,} characters long; the most allowed is "
            f"{question.text_limit:,}"
        ) from None


def _number(question: Question, text: str) -> int:
    low, high = question.min, question.max
    if question.scale == Scale.ZERO_TO_TEN:
        low, high = 0, 10
    assert low is not None
    assert high is not None
    whole = WHOLE_NUMBER.fullmatch(text)
    if whole is None or not low <= int(whole.group(1)) <= high:
        unit = f" {question.unit}" if question.unit else ""
        special = question.special_options()
        extra = f", or {' or '.join(o.label for o in special)}" if special else ""
        raise CellError(
            f"'{text}' is not a whole number from {low} to {high}{unit}{extra}"
        )
    return int(whole.group(1))


def _labels(options: tuple[Option, ...]) -> str:
    return ", ".join(option.label for option in options)


def read_date(text: str, *, year: int, today: date, order: str = DAY_FIRST) -> date:
    """Read a submission date: ISO (2024-03-14) or slashed in ``order``; times dropped.

    Raises:
        CellError: not a date, in the future, or more than a year from ``year``.

    """
    parts = date_parts(text, order)
    try:
        if parts is None:
            raise ValueError(text)
        day = date(*parts)
    except ValueError:
        raise CellError(
            f"'{text}' is not a date; write it as YYYY-MM-DD or {order}"
        ) from None
    if day > today:
        raise CellError(f"{day:%d/%m/%Y} is in the future")
    if abs(day.year - year) > 1:
        raise CellError(
            f"{day:%d/%m/%Y} is not within a year of {year}; check the date or --year"
        )
    return day


class RosterNames:
    """The organisation's teams and services and the role catalogue, for lookups.

    Names compare as :func:`survey.roster.names.name_key` does: case, spacing and
    curly apostrophes do not matter.
    """

    def __init__(self, teams: dict[str, str], services: list[str]) -> None:
        self.teams = {name_key(team): (team, home) for team, home in teams.items()}
        self.services = {name_key(name): name for name in [*services, *teams.values()]}

    def read(self, column: str, text: str) -> str:
        """Return the team, service, role code or employment type a cell names.

        Raises:
            CellError: naming close matches, or what is allowed.

        """
        key = name_key(text)
        if column == "team":
            if key not in self.teams:
                shown = {k: name for k, (name, _) in self.teams.items()}
                raise CellError(
                    f"'{text}' is not a team in this organisation"
                    f"{suggest(key, shown)}; correct it, or leave the cell blank"
                )
            return self.teams[key][0]
        if column == "service":
            if key not in self.services:
                raise CellError(
                    f"'{text}' is not a service in this organisation"
                    f"{suggest(key, self.services)}; correct it, or leave the "
                    "cell blank"
                )
            return self.services[key]
        if column == "role":
            role = find_role(text)
            if role is None:
                codes = {code: code for code in role_codes()}
                raise CellError(
                    f"'{text}' is not a known role"
                    f"{suggest(normalise_code(text), codes)}; use one of: "
                    f"{', '.join(role_codes())}, or map the job title to a role "
                    "or to social_work or wider_workforce under values: in the "
                    "mapping file (docs/importing.md)"
                )
            return role.code
        employment = parse_employment_type(text)
        if employment is None:
            raise CellError(
                f"'{text}' is not an employment type; use one of: "
                f"{', '.join(EmploymentType)}"
            )
        return employment.value

    def service_of(self, team: str) -> str:
        """Return the service a known team belongs to."""
        return self.teams[name_key(team)][1]

    @staticmethod
    def workforce_of(role: str) -> str:
        """Return the workforce of a role code."""
        return workforce_of(role).value


def workforce_group(text: str) -> Workforce | None:
    """The workforce group a mapped job title names (``social_work`` ...), or None.

    A council's own job titles that are not in the role catalogue (an
    "Educational Psychologist") are mapped to a workforce group in the mapping
    file's ``values:``; the response then has a workforce and no role.
    """
    code = normalise_code(text)
    for group in Workforce:
        if code == group.value:
            return group
    return None


def suggest(typed: str, shown: dict[str, str]) -> str:
    """Suggest close names; ``shown`` maps comparison keys to names as shown.

    Only the near-best two, in their own order, so one clear typo does not bring
    a list of also-rans.
    """
    scored = [(difflib.SequenceMatcher(None, typed, key).ratio(), key) for key in shown]
    best = max((ratio for ratio, _ in scored), default=0.0)
    if best < 0.6:
        return ""
    close = [key for ratio, key in scored if ratio >= best - 0.05][:2]
    return " (did you mean " + " or ".join(f"'{shown[c]}'" for c in close) + "?)"
