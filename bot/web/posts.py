"""The local channel's message views: my messages, and the workforce channel."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import and_, or_
from sqlmodel import col, select

from bot.conversation.outbound import messages_for
from bot.web.pages import channel_of, page, runtime_of, visitor_in
from bot.web.render_html import HtmlRenderer
from survey.models import LocalDelivery

WORKFORCE = "channel:workforce"
SHOWN = 50


def register(app: FastAPI) -> None:
    """Add the message views."""

    @app.get("/messages", response_class=HTMLResponse)
    async def my_messages(request: Request) -> Response:
        runtime = runtime_of(request)
        async with runtime.sessions() as session:
            visitor = await visitor_in(request, session)
            if visitor is None:
                return RedirectResponse("/", status_code=303)
            rows = await session.exec(
                select(LocalDelivery)
                .where(
                    or_(
                        col(LocalDelivery.recipient) == f"person:{visitor.person.id}",
                        and_(
                            col(LocalDelivery.recipient) == WORKFORCE,
                            or_(
                                col(LocalDelivery.organisation_id)
                                == visitor.person.organisation_id,
                                col(LocalDelivery.organisation_id).is_(None),
                            ),
                        ),
                    )
                )
                .order_by(col(LocalDelivery.delivered_at).desc())
                .limit(SHOWN)
            )
            delivered = list(rows.all())
        renderer = HtmlRenderer(environment=channel_of(request).environment)
        posts = []
        for index, row in enumerate(delivered):
            renderer.id_prefix = f"post{index}-"
            where = "Workforce channel" if row.recipient == WORKFORCE else "To you"
            body = renderer.render(messages_for(row.payload))
            posts.append((row.delivered_at, where, body))
        return page(request, "messages.html", visitor=visitor, posts=posts)
