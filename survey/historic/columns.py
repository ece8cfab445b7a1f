"""Matching an export's column headings to a template's questions and import columns."""

from __future__ import annotations

from dataclasses import dataclass

from survey.historic.file import ColumnMapping
from survey.historic.problems import ImportProblems
from survey.historic.values import CellError, read_answer, suggest
from survey.questions.bank import TemplateDefinition
from survey.roster.names import name_key
from survey.roster.roles import normalise_code

ATTRIBUTE_COLUMNS = (
    "date",
    "team",
    "service",
    "role",
    "employment_type",
    "respondent_id",
)

IGNORE = "ignore"


@dataclass(frozen=True)
class ImportColumn:
    """A column of the export that is kept, and what it holds.

    Attributes:
        index: Its position in the header.
        target: The question id or import column it holds (or ``ignore``).
        label: How messages name it.
        values: Replacement answers from the mapping file, by answer as typed.
    """

    index: int
    target: str
    label: str
    values: dict[str, str]


def resolve_columns(
    header: list[str],
    definition: TemplateDefinition,
    mapping: ColumnMapping | None,
    problems: ImportProblems,
) -> list[ImportColumn]:
    """Match each heading to a question or an import column; report the rest."""
    if mapping is not None:
        _check_mapping(mapping, definition, problems)
    columns: list[ImportColumn] = []
    unknown: list[str] = []
    taken: dict[str, str] = {}
    for index, heading in enumerate(header):
        key = name_key(heading)
        mapped = mapping is not None and key in mapping.columns
        target = _target(
            mapping.columns[key] if mapping and mapped else heading, definition
        )
        if not heading or (mapped and target is None):
            continue  # an empty heading is checked row by row; a bad map above
        if target is None:
            if normalise_code(heading) == "workforce":
                problems.add(
                    0,
                    "column 'workforce': the workforce is worked out from the role; "
                    "delete this column, or map it to ignore",
                )
            else:
                unknown.append(heading)
            continue
        if target != IGNORE and target in taken:
            problems.add(
                0,
                f"columns '{taken[target]}' and '{heading}' both hold {target}; "
                "keep one of them",
            )
            continue
        taken[target] = heading
        label = target if name_key(target) == key else f"'{heading}' ({target})"
        values = mapping.values.get(key, {}) if mapping and mapped else {}
        columns.append(ImportColumn(index, target, label, values))
    for heading in unknown:
        hint = suggest(name_key(heading), _target_names(definition))
        problems.add(
            0,
            f"column '{heading}' is not a question of {definition.key} or an "
            f"import column{hint}",
        )
    if unknown:
        problems.add(
            0,
            f"the columns can be {', '.join(ATTRIBUTE_COLUMNS)} and the question "
            f"ids of {definition.key}: "
            f"{', '.join(question.id for question in definition.questions)}; to "
            "keep the export's own headings, give --mapping FILE matching each "
            "heading to a question id (or to ignore, to leave a column out)",
        )
    elif all(column.target in (*ATTRIBUTE_COLUMNS, IGNORE) for column in columns):
        problems.add(0, f"the file has no columns for questions of {definition.key}")
    return columns


def _check_mapping(
    mapping: ColumnMapping, definition: TemplateDefinition, problems: ImportProblems
) -> None:
    """Every target must exist, and every replacement answer must fit its question."""
    for key, typed in mapping.columns.items():
        heading = mapping.headings[key]
        target = _target(typed, definition)
        if target is None:
            hint = suggest(name_key(typed), _target_names(definition))
            problems.add(
                0,
                f"{mapping.source}: '{heading}' is mapped to '{typed}', which is "
                f"not a question of {definition.key} or an import column{hint}",
            )
        elif target not in (*ATTRIBUTE_COLUMNS, IGNORE):
            question = definition.question(target)
            for answer, replacement in mapping.values.get(key, {}).items():
                try:
                    read_answer(question, replacement, {})
                except CellError as error:
                    problems.add(
                        0,
                        f"{mapping.source}: '{heading}': the replacement for "
                        f"'{mapping.answers.get(answer, answer)}' does not fit "
                        f"{question.id}: {error}",
                    )


def _target(typed: str, definition: TemplateDefinition) -> str | None:
    """The question id or import column a heading names, or None."""
    code = normalise_code(typed)
    if code in ATTRIBUTE_COLUMNS or code == IGNORE:
        return code
    wanted = typed.strip().casefold()
    for question in definition.questions:
        if question.id.casefold() == wanted:
            return question.id
    return None


def _target_names(definition: TemplateDefinition) -> dict[str, str]:
    names = {name: name for name in ATTRIBUTE_COLUMNS}
    names.update({q.id.casefold(): q.id for q in definition.questions})
    return names
