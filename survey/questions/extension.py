"""A council's own questions added to a shipped template, in a file of its own.

An extension file names the template it extends and gives the new template's
key, version and the questions to add::

    key: westmere-social-worker-health-check
    extends: social-worker-health-check
    version: 1
    title: Westmere social worker health check
    questions:
      - id: LC01
        text: I am aware of the council's practice improvement plan.
        scale: yes_no_unsure
        theme: practice_model
        figure: {label: aware of the improvement plan, answers: [yes], decimals: 1}

The result is an ordinary template (the base's questions, then the council's),
checked as a bank is and versioned the same way: a stored version is never
changed, so a changed file needs a higher ``version``. Rounds of the same key
are compared year on year like any other.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from survey.errors import QuestionBankError
from survey.questions.bank import (
    TemplateDefinition,
    load_all,
    parse_template,
    read_yaml,
)

ALLOWED = {"key", "extends", "version", "title", "description", "questions"}


def load_extension(
    path: Path, *, banks: list[TemplateDefinition] | None = None
) -> TemplateDefinition:
    """The extended template an extension file describes.

    Args:
        path: The extension file (YAML).
        banks: The templates it may extend (default: the shipped banks).

    Raises:
        QuestionBankError: every problem: unknown base, unknown fields, a
            question id the base already uses, or any question problem.
    """
    raw = read_yaml(path)
    return extend(raw, banks=load_all() if banks is None else banks, source=path.name)


def extend(
    raw: Any, *, banks: list[TemplateDefinition], source: str
) -> TemplateDefinition:
    """Merge an extension (already parsed YAML) into its base template."""
    if not isinstance(raw, dict):
        raise QuestionBankError([f"{source}: the top level must be a mapping"])
    unknown = sorted(set(raw) - ALLOWED)
    if unknown:
        raise QuestionBankError(
            [
                f"{source}: unknown fields {', '.join(unknown)}; use "
                f"{', '.join(sorted(ALLOWED))}"
            ]
        )
    by_key = {bank.key: bank for bank in banks}
    base = by_key.get(str(raw.get("extends")))
    if base is None:
        raise QuestionBankError(
            [f"{source}: `extends` must name a template: {', '.join(sorted(by_key))}"]
        )
    if raw.get("key") in by_key:
        raise QuestionBankError(
            [f"{source}: key '{raw.get('key')}' is a shipped template; choose your own"]
        )
    added = raw.get("questions")
    if not isinstance(added, list) or not added:
        raise QuestionBankError(
            [f"{source}: list the questions to add under `questions`"]
        )
    taken = {question.id for question in base.questions}
    clashes = [
        str(item.get("id"))
        for item in added
        if isinstance(item, dict) and item.get("id") in taken
    ]
    if clashes:
        raise QuestionBankError(
            [f"{source}: {id_} is already a question of {base.key}; choose another id"
             for id_ in clashes]
        )  # fmt: skip
    merged = base.model_dump(mode="json", by_alias=True, exclude_none=True)
    merged.update(
        key=raw.get("key"),
        version=raw.get("version"),
        title=raw.get("title") or base.title,
        description=raw.get("description") or base.description,
        questions=[*merged["questions"], *added],
    )
    return parse_template(merged, source=source)
