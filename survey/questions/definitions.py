"""Question definitions, answer scales, and checking an answer against its question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator

from survey.errors import AnswerError
from survey.questions.themes import STANDARDS, THEMES
from survey.roster.roles import EmploymentType, Workforce, role_codes

PREFER_NOT_TO_SAY = "prefer_not_to_say"
NOT_APPLICABLE = "not_applicable"
SPECIAL_LABELS = {
    PREFER_NOT_TO_SAY: "Prefer not to say",
    NOT_APPLICABLE: "Not applicable",
}

AnswerValue = str | int | list[str]
"""An option code, a whole number, a list of option codes, or free text."""


class Scale(StrEnum):
    """The kinds of answer a question can take."""

    AGREE5 = "agree5"
    FREQUENCY5 = "frequency5"
    SATISFACTION5 = "satisfaction5"
    LIKELIHOOD5 = "likelihood5"
    YES_NO_UNSURE = "yes_no_unsure"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    NUMBER = "number"
    ZERO_TO_TEN = "zero_to_ten"
    TEXT = "text"


class Option(BaseModel):
    """One answer option: a stable code and the words a person sees."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str = Field(pattern=r"^[a-z0-9_]+$", max_length=40)
    label: str = Field(min_length=1, max_length=75)


def _options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value=value, label=label) for value, label in pairs)


FIXED_SCALES: dict[Scale, tuple[Option, ...]] = {
    Scale.AGREE5: _options(
        ("strongly_disagree", "Strongly disagree"),
        ("disagree", "Disagree"),
        ("neither", "Neither agree nor disagree"),
        ("agree", "Agree"),
        ("strongly_agree", "Strongly agree"),
    ),
    Scale.FREQUENCY5: _options(
        ("never", "Never"),
        ("rarely", "Rarely"),
        ("sometimes", "Sometimes"),
        ("often", "Often"),
        ("always", "Always"),
    ),
    Scale.SATISFACTION5: _options(
        ("very_dissatisfied", "Very dissatisfied"),
        ("dissatisfied", "Dissatisfied"),
        ("neither", "Neither satisfied nor dissatisfied"),
        ("satisfied", "Satisfied"),
        ("very_satisfied", "Very satisfied"),
    ),
    Scale.LIKELIHOOD5: _options(
        ("very_unlikely", "Very unlikely"),
        ("unlikely", "Unlikely"),
        ("neither", "Neither likely nor unlikely"),
        ("likely", "Likely"),
        ("very_likely", "Very likely"),
    ),
    Scale.YES_NO_UNSURE: _options(
        ("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")
    ),
}

DEFAULT_FAVOURABLE: dict[Scale, tuple[str, ...]] = {
    Scale.AGREE5: ("agree", "strongly_agree"),
    Scale.SATISFACTION5: ("satisfied", "very_satisfied"),
    Scale.LIKELIHOOD5: ("likely", "very_likely"),
    Scale.ZERO_TO_TEN: ("9", "10"),
}

CHOICE_SCALES = {*FIXED_SCALES, Scale.CHOICE, Scale.MULTI_CHOICE}
TEXT_LIMIT = 2000
WHOLE_NUMBER = re.compile(r"-?\d{1,6}")
ZERO_TO_TEN_CODES = frozenset(str(number) for number in range(11))
BANK_FILE = "bank_file"
"""Validation context key set when reading a bank file (not a stored version)."""
EARLIER_RULE = "Every question had to be answered in this version of the survey."
"""The reason stored versions from before reasons were written give for
``required: true``: then every question was required unless marked otherwise."""


class Required(BaseModel):
    """Why a question must be answered; every other question may be skipped."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: str = Field(min_length=10, max_length=200)


class Condition(BaseModel):
    """Ask a question only if an earlier question was answered one of the given ways."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    question: str
    any_of: Annotated[list[str], Field(alias="in", min_length=1)]

    def holds(self, answers: dict[str, AnswerValue]) -> bool:
        """Whether the earlier answer is one of ``any_of``."""
        given = answers.get(self.question)
        if given is None:
            return False
        if isinstance(given, list):
            return any(item in self.any_of for item in given)
        return str(given) in self.any_of


@dataclass(frozen=True)
class Profile:
    """Who is answering, in the roster's words, frozen when they were invited."""

    role: str
    workforce: str
    employment_type: str


class AskedOf(BaseModel):
    """Ask a question only of people whose roster entry fits.

    Each given list must contain the person's value: ``{role: [asye_social_worker]}``
    asks newly qualified social workers only.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: tuple[str, ...] | None = None
    workforce: tuple[str, ...] | None = None
    employment_type: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _check_codes(self) -> AskedOf:
        catalogues = {
            "role": role_codes(),
            "workforce": [str(code) for code in Workforce],
            "employment_type": [str(code) for code in EmploymentType],
        }
        given = {name: getattr(self, name) for name in catalogues}
        if all(codes is None for codes in given.values()):
            raise ValueError("give a role, workforce or employment_type list")
        for name, codes in given.items():
            if codes is None:
                continue
            if not codes:
                raise ValueError(f"the {name} list is empty")
            for code in codes:
                if code not in catalogues[name]:
                    raise ValueError(
                        f"{name} '{code}' is not one of: {', '.join(catalogues[name])}"
                        if name != "role"
                        else f"role '{code}' is not in the role catalogue"
                    )
        return self

    def holds(self, profile: Profile) -> bool:
        """Whether ``profile`` is one of the people this question is for."""
        return (
            (self.role is None or profile.role in self.role)
            and (self.workforce is None or profile.workforce in self.workforce)
            and (
                self.employment_type is None
                or profile.employment_type in self.employment_type
            )
        )


class Figure(BaseModel):
    """The share a question reports, when it is not "% favourable".

    A published figure such as "% who plan to leave in the next 12 months" is
    the share giving certain answers (``answers``), or giving an answer at or
    above one on the scale (``at_least``), shown to ``decimals`` places.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: str = Field(min_length=3, max_length=80)
    answers: tuple[str, ...] = ()
    at_least: str | None = None
    decimals: int = Field(default=0, ge=0, le=1)

    @model_validator(mode="after")
    def _one_way(self) -> Figure:
        if bool(self.answers) == (self.at_least is not None):
            raise ValueError("a figure gives either `answers` or `at_least`")
        return self


class Question(BaseModel):
    """A question as written in a question bank file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,19}$")
    text: str = Field(min_length=3, max_length=300)
    help: str | None = Field(default=None, max_length=300)
    scale: Scale
    standard: int | None = None
    theme: str
    required: Required | None = None
    options: tuple[Option, ...] = ()
    favourable: tuple[str, ...] | None = None
    min: int | None = None
    max: int | None = None
    unit: str | None = Field(default=None, max_length=20)
    max_length: int | None = None
    prefer_not_to_say: bool = False
    not_applicable: bool = False
    when: Condition | None = None
    figure: Figure | None = None
    asked_of: AskedOf | None = None

    @model_validator(mode="before")
    @classmethod
    def _required_with_reason(cls, data: Any, info: ValidationInfo) -> Any:
        if not isinstance(data, dict) or not isinstance(data.get("required"), bool):
            return data
        data = dict(data)
        if not data["required"]:
            data["required"] = None
        elif info.context and info.context.get(BANK_FILE):
            raise ValueError(
                "required: give the reason people may not skip it, like "
                "required: {reason: Needed to route the follow-up questions}"
            )
        else:
            data["required"] = {"reason": EARLIER_RULE}
        return data

    @model_validator(mode="before")
    @classmethod
    def _options_from_strings(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("options"), list):
            data = dict(data)
            data["options"] = [
                {"value": _code(item), "label": item} if isinstance(item, str) else item
                for item in data["options"]
            ]
        return data

    @model_validator(mode="after")
    def _check_scale_fits(self) -> Question:
        if self.standard is not None and self.standard not in STANDARDS:
            raise ValueError(f"standard {self.standard} is not one of 1-8")
        if self.theme not in THEMES:
            raise ValueError(
                f"theme '{self.theme}' is not in the taxonomy ({', '.join(THEMES)})"
            )
        if self.scale in (Scale.CHOICE, Scale.MULTI_CHOICE):
            if len(self.options) < 2:
                raise ValueError(f"a {self.scale} question needs at least two options")
        elif self.options:
            raise ValueError(f"a {self.scale} question takes no options of its own")
        codes = [option.value for option in self.choices()]
        if len(set(codes)) != len(codes):
            raise ValueError("two options have the same code")
        if self.scale == Scale.NUMBER:
            if self.min is None or self.max is None:
                raise ValueError("a number question needs both min and max")
            if self.min > self.max:
                raise ValueError(f"min {self.min} is above max {self.max}")
        elif self.min is not None or self.max is not None:
            raise ValueError("only number questions take min and max")
        if self.max_length is not None and (
            self.scale != Scale.TEXT or not 1 <= self.max_length <= TEXT_LIMIT
        ):
            raise ValueError(f"max_length is for text questions, 1 to {TEXT_LIMIT}")
        for code in self.favourable or ():
            if code not in codes and not self._is_in_numeric_range(code):
                raise ValueError(f"favourable option '{code}' is not an answer option")
        if self.figure is not None:
            named = (*self.figure.answers, *filter(None, [self.figure.at_least]))
            for code in named:
                if code not in codes:
                    raise ValueError(f"figure answer '{code}' is not an answer option")
        return self

    def _is_in_numeric_range(self, code: str) -> bool:
        return self.scale == Scale.ZERO_TO_TEN and code in ZERO_TO_TEN_CODES

    def choices(self, *, with_special: bool = True) -> tuple[Option, ...]:
        """Return the options a person may pick, with "prefer not to say" and "N/A"."""
        base = FIXED_SCALES.get(self.scale, self.options)
        if self.scale == Scale.ZERO_TO_TEN:
            base = tuple(Option(value=str(n), label=str(n)) for n in range(11))
        if not with_special:
            return base
        return base + self.special_options()

    def special_options(self) -> tuple[Option, ...]:
        """Return the opt-out options this question allows."""
        allowed = []
        if self.prefer_not_to_say:
            allowed.append(Option(value=PREFER_NOT_TO_SAY, label="Prefer not to say"))
        if self.not_applicable:
            allowed.append(Option(value=NOT_APPLICABLE, label="Not applicable"))
        return tuple(allowed)

    def favourable_codes(self) -> tuple[str, ...]:
        """Return the answers that count as favourable (empty when none do)."""
        if self.favourable is not None:
            return self.favourable
        return DEFAULT_FAVOURABLE.get(self.scale, ())

    def reported_codes(self) -> tuple[str, ...]:
        """The answers whose share the question reports: its figure's, or favourable.

        ``at_least`` counts that answer and every one above it on the scale.
        """
        if self.figure is None:
            return self.favourable_codes()
        if self.figure.answers:
            return self.figure.answers
        codes = [option.value for option in self.choices(with_special=False)]
        return tuple(codes[codes.index(str(self.figure.at_least)) :])

    @property
    def text_limit(self) -> int:
        """The longest free-text answer accepted."""
        return self.max_length or 1000

    def applies(self, answers: dict[str, AnswerValue]) -> bool:
        """Whether this question is asked, given the answers so far."""
        return self.when is None or self.when.holds(answers)

    def check(self, value: AnswerValue) -> AnswerValue:
        """Return ``value`` normalised, or raise AnswerError saying what is wrong."""
        special = {option.value for option in self.special_options()}
        if isinstance(value, str) and value in special:
            return value
        if self.scale == Scale.TEXT:
            return self._check_text(value)
        if self.scale == Scale.NUMBER:
            return self._check_number(value)
        if self.scale == Scale.ZERO_TO_TEN:
            number = self._as_whole_number(value)
            if not 0 <= number <= 10:
                raise AnswerError("Please choose a number from 0 to 10.")
            return number
        codes = [option.value for option in self.choices()]
        if self.scale == Scale.MULTI_CHOICE:
            picked = value if isinstance(value, list) else [str(value)]
            unknown = [code for code in picked if code not in codes]
            if unknown or not picked:
                raise AnswerError("Please pick one or more of the options shown.")
            if len(picked) > 1 and special.intersection(picked):
                raise AnswerError(
                    "'Prefer not to say' or 'Not applicable' cannot be combined "
                    "with other options."
                )
            return sorted(set(picked), key=codes.index)
        if not isinstance(value, str) or value not in codes:
            raise AnswerError("Please pick one of the options shown.")
        return value

    def _check_text(self, value: AnswerValue) -> str:
        if not isinstance(value, str):
            raise AnswerError("Please type your answer as text.")
        cleaned = "".join(
            _readable(char) for char in value.replace("\r\n", "\n")
        ).strip()
        if not cleaned:
            raise AnswerError("Please type an answer, or skip this question.")
        if len(cleaned) > self.text_limit:
            raise AnswerError(
                f"Please keep your answer to {self.text_limit} characters "
                f"(it is {len(cleaned)})."
            )
        return cleaned

    def _check_number(self, value: AnswerValue) -> int:
        number = self._as_whole_number(value)
        assert self.min is not None
        assert self.max is not None
        if not self.min <= number <= self.max:
            unit = f" {self.unit}" if self.unit else ""
            raise AnswerError(
                f"Please give a whole number from {self.min} to {self.max}{unit}."
            )
        return number

    def _as_whole_number(self, value: AnswerValue) -> int:
        if isinstance(value, bool | list):
            raise AnswerError("Please give a whole number, like 3.")
        if isinstance(value, int):
            return value
        text = value.strip()
        # Not str.isdigit(): it accepts "²" and "①", which int() cannot read.
        if WHOLE_NUMBER.fullmatch(text):
            return int(text)
        raise AnswerError("Please give a whole number, like 3.")

    def parse(self, raw: str) -> AnswerValue:
        """Turn what a person typed or tapped into an answer, then check it.

        Options match by code, by label (any case) or by their number in the list.
        """
        text = raw.strip()
        if self.scale in (Scale.TEXT, Scale.NUMBER, Scale.ZERO_TO_TEN):
            special = self._match_option(
                text, self.special_options(), by_position=False
            )
            return self.check(special if special is not None else text)
        choices = self.choices()
        if self.scale == Scale.MULTI_CHOICE:
            parts = [part for part in text.replace(";", ",").split(",") if part.strip()]
            matched = [self._match_option(part.strip(), choices) for part in parts]
            if not matched or None in matched:
                raise AnswerError("Please pick one or more of the options shown.")
            return self.check([code for code in matched if code is not None])
        code = self._match_option(text, choices)
        if code is None:
            raise AnswerError("Please pick one of the options shown.")
        return self.check(code)

    @staticmethod
    def _match_option(
        text: str, options: tuple[Option, ...], *, by_position: bool = True
    ) -> str | None:
        lowered = text.casefold()
        for position, option in enumerate(options, start=1):
            names = (option.value, option.label.casefold())
            if lowered in names or (by_position and lowered == str(position)):
                return option.value
        return None


def _readable(char: str) -> str:
    """Keep printable characters, drop control characters.

    Other whitespace (a no-break space pasted from Word, a line separator) becomes
    a space or a new line, so the words either side stay apart.
    """
    if char in "\n\t" or char.isprintable():
        return char
    if char in "\r\v\f\x85\u2028\u2029":
        return "\n"
    return " " if char.isspace() else ""


def _code(label: str) -> str:
    cleaned = "".join(char if char.isalnum() else "_" for char in label.casefold())
    return "_".join(part for part in cleaned.split("_") if part)[:40] or "option"
