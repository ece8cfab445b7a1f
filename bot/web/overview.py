"""A plain page listing the open surveys and their questions, in the words people use.

Each question says how it is answered ("From 'Strongly disagree' to 'Strongly
agree'"), whether it must be answered and why, and when it is only asked after an
earlier answer; never the question bank's codes ("agree5", "social_work").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from bot.runtime import Runtime
from bot.web.workspace.text import audience_words, scale_words
from survey.campaigns import open_campaigns
from survey.organisations import find_organisation
from survey.questions.bank import TemplateDefinition
from survey.questions.definitions import Question
from survey.questions.sets import campaign_definition

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


@dataclass(frozen=True)
class ListedQuestion:
    """One question as the page shows it."""

    text: str
    how: str
    notes: tuple[str, ...]


def listed_questions(definition: TemplateDefinition) -> list[ListedQuestion]:
    """The template's questions with how each is answered and when it is asked."""
    number = {
        question.id: index for index, question in enumerate(definition.questions, 1)
    }
    by_id = {question.id: question for question in definition.questions}
    return [
        ListedQuestion(
            question.text, scale_words(question), _notes(question, number, by_id)
        )
        for question in definition.questions
    ]


def _notes(
    question: Question, number: dict[str, int], by_id: dict[str, Question]
) -> tuple[str, ...]:
    notes = []
    if question.required is not None:
        notes.append(f"must be answered: {question.required.reason}")
    if question.when is not None:
        lead = by_id.get(question.when.question)
        labels = (
            {option.value: option.label for option in lead.choices()} if lead else {}
        )
        answers = " or ".join(
            f"'{labels.get(code, code)}'" for code in question.when.any_of
        )
        where = number.get(question.when.question)
        notes.append(
            f"asked only if you answer {answers} to question {where}"
            if where
            else f"asked only after an answer of {answers}"
        )
    return tuple(notes)


def register(app: FastAPI) -> None:
    """Add the overview routes."""

    @app.get("/surveys", response_class=HTMLResponse)
    async def surveys(request: Request) -> HTMLResponse:
        runtime: Runtime = request.app.state.runtime
        async with runtime.sessions() as session:
            organisation = await find_organisation(
                session, slug=runtime.settings.organisation
            )
            listed = []
            for campaign in await open_campaigns(
                session, organisation_id=organisation.id
            ):
                definition = await campaign_definition(session, campaign=campaign)
                listed.append(
                    (
                        campaign,
                        definition,
                        audience_words(campaign),
                        listed_questions(definition),
                    )
                )
        return templates.TemplateResponse(
            request,
            "surveys.html",
            {"organisation": organisation, "campaigns": listed},
        )
