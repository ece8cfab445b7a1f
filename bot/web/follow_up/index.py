"""``/workspace/posts``: the PSW's starting point for posts, actions and targets."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func
from sqlmodel import select

from bot.web.follow_up.shared import posts_page, psw_in
from bot.web.pages import organisation_of, runtime_of
from survey.follow_up.scheduled_posts import scheduled_briefings
from survey.models import Action, Target


def register(app: FastAPI) -> None:
    """Add ``/workspace/posts``."""

    @app.get("/workspace/posts", response_class=HTMLResponse)
    async def posts_index(request: Request) -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        async with runtime.read_sessions() as session:
            visitor = await psw_in(request, session)
            if isinstance(visitor, Response):
                return visitor
            scheduled = await scheduled_briefings(
                session, organisation_id=organisation.id
            )
            actions = (
                await session.exec(
                    select(func.count())
                    .select_from(Action)
                    .where(Action.organisation_id == organisation.id)
                )
            ).one()
            targets = (
                await session.exec(
                    select(func.count())
                    .select_from(Target)
                    .where(Target.organisation_id == organisation.id)
                )
            ).one()
        return posts_page(
            request,
            "posts_index.html",
            visitor=visitor,
            waiting=sum(1 for item in scheduled if item.cancellable),
            actions=actions,
            targets=targets,
        )
