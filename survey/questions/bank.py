"""Question banks: versioned YAML files of survey templates, checked on load."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from survey.errors import QuestionBankError
from survey.questions.definitions import BANK_FILE, Question

BANK_DIR = Path(__file__).parents[1] / "question_banks"


class TemplateKind(StrEnum):
    """What a template is used for."""

    HEALTH_CHECK = "health_check"
    PULSE = "pulse"
    FEEDBACK = "feedback"


class TemplateAudience(StrEnum):
    """Who a template is written for."""

    SOCIAL_WORKERS = "social_workers"
    WIDER_WORKFORCE = "wider_workforce"
    EVERYONE = "everyone"


class TemplateDefinition(BaseModel):
    """A whole survey template as written in its YAML file."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=r"^[a-z0-9-]{3,60}$")
    version: int = Field(ge=1)
    title: str = Field(min_length=3, max_length=120)
    kind: TemplateKind
    audience: TemplateAudience
    description: str = Field(default="", max_length=1000)
    minutes: int = Field(default=10, ge=1, le=60)
    questions: tuple[Question, ...] = Field(min_length=1)

    def question(self, question_id: str) -> Question:
        """Return the question with this id (KeyError if there is none)."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


def load_template(path: Path) -> TemplateDefinition:
    """Read and check one question bank file.

    Raises:
        QuestionBankError: listing every problem as "file: question id: what is wrong".

    """
    return parse_template(read_yaml(path), source=path.name)


def read_yaml(path: Path) -> Any:
    """A bank or extension file's YAML, or every reason it cannot be read.

    Raises:
        QuestionBankError: no such file, not UTF-8, or not valid YAML.
    """
    name = path.name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise QuestionBankError([f"{path}: no such file"]) from None
    except UnicodeDecodeError:
        raise QuestionBankError([f"{name}: the file is not UTF-8 text"]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = getattr(error, "problem", None) or "it is not valid YAML"
        raise QuestionBankError([f"{name}{where}: {problem}"]) from None
    except (ValueError, OverflowError) as error:
        # PyYAML builds dates itself: "2026-02-30" raises ValueError, not YAMLError.
        raise QuestionBankError(
            [f"{name}: a value in the file cannot be read ({error})"]
        ) from None
    except RecursionError:
        raise QuestionBankError([f"{name}: the file is nested too deeply"]) from None


def parse_template(raw: Any, *, source: str) -> TemplateDefinition:
    """Check an already-parsed template mapping; see :func:`load_template`."""
    if not isinstance(raw, dict):
        raise QuestionBankError([f"{source}: the top level must be a mapping"])
    problems = _question_problems(raw.get("questions"), source)
    try:
        template = TemplateDefinition.model_validate(raw, context={BANK_FILE: True})
    except ValidationError as error:
        problems += _describe(error, raw, source)
        raise QuestionBankError(_unique(problems)) from None
    problems += _cross_question_problems(template, source)
    if problems:
        raise QuestionBankError(_unique(problems))
    return template


def load_all(directory: Path = BANK_DIR) -> list[TemplateDefinition]:
    """Load every ``*.yaml`` bank in ``directory``, reporting all problems together."""
    templates: list[TemplateDefinition] = []
    problems: list[str] = []
    defined_in: dict[tuple[str, int], str] = {}
    # A bank saved as .yml must not be silently left out.
    paths = sorted([*directory.glob("*.yaml"), *directory.glob("*.yml")])
    for path in paths:
        try:
            template = load_template(path)
        except QuestionBankError as error:
            problems += error.problems
            continue
        first = defined_in.setdefault((template.key, template.version), path.name)
        if first != path.name:
            problems.append(
                f"{path.name}: {template.key} version {template.version} is "
                f"already defined in {first}; bump `version` or change `key`"
            )
        else:
            templates.append(template)
    if problems:
        raise QuestionBankError(problems)
    return templates


def _question_problems(questions: Any, source: str) -> list[str]:
    if not isinstance(questions, list):
        return []
    problems = []
    seen: set[str] = set()
    for item in questions:
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            if item["id"] in seen:
                problems.append(f"{source}: {item['id']}: duplicate question id")
            seen.add(item["id"])
    return problems


def _cross_question_problems(template: TemplateDefinition, source: str) -> list[str]:
    problems = []
    earlier: dict[str, Question] = {}
    for question in template.questions:
        condition = question.when
        if condition is not None:
            target = earlier.get(condition.question)
            if target is None:
                problems.append(
                    f"{source}: {question.id}: condition refers to "
                    f"'{condition.question}', which is not an earlier question"
                )
            else:
                codes = {option.value for option in target.choices()}
                for code in condition.any_of:
                    if code not in codes:
                        problems.append(
                            f"{source}: {question.id}: condition value '{code}' is "
                            f"not an option of {target.id}"
                        )
        earlier[question.id] = question
    return problems


def _describe(error: ValidationError, raw: dict[str, Any], source: str) -> list[str]:
    problems = []
    given = raw.get("questions")
    questions: list[Any] = given if isinstance(given, list) else []
    for detail in error.errors():
        location = list(detail["loc"])
        where = source
        if len(location) >= 2 and location[0] == "questions":
            index = location[1]
            position = index + 1 if isinstance(index, int) else index
            item = questions[index] if isinstance(index, int) else None
            label = item.get("id") if isinstance(item, dict) else None
            where += f": {label or f'question {position}'}"
            location = location[2:]
        field = ".".join(str(part) for part in location if not isinstance(part, int))
        message = detail["msg"].removeprefix("Value error, ")
        kind = detail["type"]
        if kind == "enum" and field == "scale":
            message = f"unknown scale '{detail['input']}'"
        elif kind == "extra_forbidden":
            message = "is not a field a question or template can have"
        elif kind in ("string_type", "model_type") and isinstance(
            detail["input"], bool | int | float
        ):
            # YAML reads unquoted yes/no as true/false, and 9 as a number.
            message = (
                'put this value in quotes, like "yes" or "9" (unquoted, YAML '
                f"reads it as {str(detail['input']).lower()})"
            )
        elif kind == "model_type" and not field:
            message = "a question must be a mapping of fields (id, text, scale, ...)"
        elif kind == "too_short" and field == "questions":
            if questions:
                continue  # every question failed; their own problems say why
            message = "add at least one question"
        problems.append(f"{where}: {field + ': ' if field else ''}{message}")
    return problems


def _unique(problems: list[str]) -> list[str]:
    return list(dict.fromkeys(problems))
