"""Finding a question by its id or its wording, and a theme by its key or name.

People know a question by what it asks ("workload is manageable"), not by an id
such as WL01, and a theme by its name ("IT and systems"), not ``it_systems``;
both forms are read, whole or in part (:mod:`survey.matching`).
"""

from __future__ import annotations

from survey.errors import NotFoundError
from survey.matching import did_you_mean, match_name, normalised
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import Question
from survey.questions.themes import THEMES


def find_question(
    definition: TemplateDefinition, typed: str, *, where: str
) -> Question:
    """The question whose id is ``typed``, or whose wording it matches.

    Args:
        definition: The questions to look in.
        typed: An id (any case) or some of the question's words.
        where: The survey or template, as messages name it.

    Raises:
        NotFoundError: no question fits (with the closest), or several do
            (listing them with their ids).
    """
    wanted = typed.strip()
    for question in definition.questions:
        if question.id.casefold() == wanted.casefold():
            return question
    by_wording = {question.text: question for question in definition.questions}
    match = match_name(wanted, list(by_wording), prefer_start=False)
    if match.found is not None:
        return by_wording[match.found]
    if match.candidates:
        shown = [f'{by_wording[text].id} "{text}"' for text in match.candidates[:5]]
        raise NotFoundError(
            f"'{wanted}' is in more than one question in {where}: "
            + "; ".join(shown)
            + ". Type more of its words, or its id."
        )
    hint = (
        f' Did you mean {by_wording[match.closest].id} "{match.closest}"?'
        if match.closest is not None
        else " Type some of the words the question asks, or its id."
    )
    raise NotFoundError(f"No question in {where} matches '{wanted}'.{hint}")


def theme_key(typed: str) -> str:
    """The taxonomy key for a theme typed as its key or its name, whole or in part.

    Raises:
        NotFoundError: naming the closest theme, or every theme.
    """
    cleaned = typed.strip()
    by_name = {label: key for key, label in THEMES.items()}
    wanted = normalised(cleaned.replace("_", " ").replace("-", " "))
    for key, label in THEMES.items():
        if wanted in (normalised(key.replace("_", " ")), normalised(label)):
            return key
    match = match_name(wanted, list(by_name))
    if match.found is not None:
        return by_name[match.found]
    hint = did_you_mean(match) or " Themes: " + ", ".join(THEMES.values()) + "."
    raise NotFoundError(f"There is no theme '{cleaned}'.{hint}")
