"""``/summary``: a manager's view of their team in the browser, as in the chat.

Headlines first, then response rates, LGA standards, every question with what
favourable means for it, the change since the last round, and what people
wrote. The figures are the chat's ``summary`` (:func:`summary_pages`), so every
one has been through the disclosure gate.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from analytics.model import GroupResults, StandardScore
from analytics.summary import PULSE
from bot import security_log
from bot.commands import insights_text
from bot.commands.access import Standing, standing_of
from bot.commands.insights import summary_pages
from bot.web.pages import notice_page, organisation_of, page, runtime_of, visitor_in
from survey.errors import SurveyError
from survey.models import Team
from survey.roster.roles import Access

CHANNEL = "web"


def register(app: FastAPI) -> None:
    """Add ``/summary``."""

    @app.get("/summary", response_class=HTMLResponse)
    async def summary(request: Request, team: str = "", survey: str = "") -> Response:
        runtime = runtime_of(request)
        organisation = await organisation_of(request)
        async with runtime.read_sessions() as session:
            visitor = await visitor_in(request, session)
            if visitor is None:
                return RedirectResponse("/", status_code=303)
            standing = await standing_of(session, person=visitor.person)
            if standing is None or standing.access not in (Access.MANAGER, Access.PSW):
                security_log.page_refused(
                    person_id=visitor.person.id,
                    page=request.url.path,
                    held=str(standing.access) if standing else "none",
                    needed=str(Access.MANAGER),
                )
                return notice_page(
                    request,
                    heading="Only managers and the Principal Social Worker can see "
                    "summaries",
                    message="Your answers are anonymous and are only ever shown "
                    "within groups of people.",
                    status_code=403,
                )
            teams = await _teams_offered(session, standing)
        pulse = survey == PULSE
        # A manager starts on their (first) team; the PSW on the whole organisation.
        first = teams[0] if teams and standing.access != Access.PSW else ""
        chosen = team if team in teams else first
        args = tuple(filter(None, [PULSE if pulse else "", chosen]))
        try:
            pages = await summary_pages(
                runtime.sessions,
                standing=standing,
                organisation=organisation,
                args=args,
                channel=CHANNEL,
            )
        except SurveyError as error:
            return page(
                request,
                "summary.html",
                visitor=visitor,
                teams=teams,
                chosen=chosen,
                pulse=pulse,
                problem=str(error),
                found=None,
                text=insights_text,
                standard_of=standard_of,
            )
        return page(
            request,
            "summary.html",
            visitor=visitor,
            teams=teams,
            chosen=chosen,
            pulse=pulse,
            problem=None,
            found=pages[0],
            text=insights_text,
            standard_of=standard_of,
        )


async def _teams_offered(session: AsyncSession, standing: Standing) -> list[str]:
    """The teams a person may choose: their own, or every team for the PSW."""
    if standing.access != Access.PSW:
        return list(standing.teams)
    rows = await session.exec(
        select(Team.name)
        .where(Team.organisation_id == standing.person.organisation_id)
        .order_by(col(Team.name))
    )
    return list(rows.all())


def standard_of(result: GroupResults, number: int) -> StandardScore | None:
    """A group's score for one LGA standard, if it has one."""
    return next((s for s in result.standards if s.standard == number), None)
