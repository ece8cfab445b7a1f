"""Targets: the % favourable hoped for on a question picked by its wording."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from bot.web.follow_up import text
from bot.web.follow_up.question_choices import (
    organisation_templates,
    target_questions,
    wordings,
)
from bot.web.follow_up.shared import audit, form_of, posts_page, psw_in
from bot.web.pages import channel_of, organisation_of, runtime_of
from survey.errors import SurveyError
from survey.follow_up.targets import TargetError, set_target
from survey.models import Target

PATH = "/workspace/posts/targets"


def register(app: FastAPI) -> None:
    """Add the targets page."""

    @app.get(PATH, response_class=HTMLResponse)
    async def targets(request: Request, set: str = "") -> Response:
        return await _page(request, question="", percent="", done=set)

    @app.post(PATH, response_class=HTMLResponse)
    async def set_one(request: Request) -> Response:
        fields = await form_of(request)
        question, typed = fields.get("question", ""), fields.get("percent", "")
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        try:
            template_key, _, question_id = question.partition(":")
            if not template_key or not question_id:
                raise TargetError(text.NOT_A_QUESTION)
            try:
                percent = float(typed.strip().rstrip("%"))
            except ValueError:
                raise TargetError(text.NOT_A_PERCENT) from None
            async with (
                channel_of(request).writing(),
                runtime.sessions() as session,
                session.begin(),
            ):
                visitor = await psw_in(request, session)
                if isinstance(visitor, Response):
                    return visitor
                target = await set_target(
                    session,
                    organisation_id=organisation.id,
                    template_key=template_key,
                    question_key=question_id,
                    percent=percent,
                )
                await audit(
                    session,
                    organisation=organisation,
                    visitor=visitor,
                    action="target.set",
                    subject=f"{template_key} · {target.question_key} · {percent:g}%",
                )
        except SurveyError as error:
            return await _page(
                request, question=question, percent=typed, problem=str(error)
            )
        return RedirectResponse(
            f"{PATH}?set={template_key}:{target.question_key}", status_code=303
        )


async def _page(
    request: Request,
    *,
    question: str,
    percent: str,
    done: str = "",
    problem: str | None = None,
) -> Response:
    runtime = runtime_of(request)
    organisation = await organisation_of(request)
    async with runtime.read_sessions() as session:
        visitor = await psw_in(request, session)
        if isinstance(visitor, Response):
            return visitor
        definitions = await organisation_templates(
            session, organisation_id=organisation.id
        )
        stored = await session.exec(
            select(Target)
            .where(Target.organisation_id == organisation.id)
            .order_by(col(Target.template_key), col(Target.question_key))
        )
        targets = list(stored.all())
    titles = {definition.key: definition.title for definition in definitions}
    worded = wordings(definitions)
    rows = [
        {
            "template": titles.get(target.template_key, target.template_key),
            "question": worded[(target.template_key, target.question_key)].text
            if (target.template_key, target.question_key) in worded
            else target.question_key,
            "question_id": target.question_key,
            "percent": f"{target.percent:g}",
        }
        for target in targets
    ]
    outcome = None
    if done:
        key, _, question_id = done.partition(":")
        found = next(
            (
                target
                for target in targets
                if (target.template_key, target.question_key) == (key, question_id)
            ),
            None,
        )
        if found is not None:
            wording = worded.get((key, question_id))
            outcome = text.target_set(
                wording.text if wording else question_id, found.percent
            )
    return posts_page(
        request,
        "posts_targets.html",
        status_code=400 if problem else 200,
        visitor=visitor,
        questions=target_questions(definitions),
        rows=rows,
        chosen=question,
        percent=percent,
        outcome=outcome,
        problem=problem,
    )
