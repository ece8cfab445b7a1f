"""The persona picker: try the chat as anyone on the demo roster."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from itertools import groupby

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.web import text
from bot.web.identity import SignedInBy, sign_in, sign_out
from bot.web.pages import (
    notice_page,
    now,
    organisation_of,
    page,
    picker_enabled,
    runtime_of,
)
from bot.web.rate_limit import count_failure, refused_for_too_many
from survey.errors import SurveyError
from survey.roster.people import RosterEntry, active_person, roster
from survey.roster.roles import Access, Workforce, role_label, workforce_of


@dataclass(frozen=True)
class Persona:
    """One of the four suggested people, with what they can try."""

    kind: str
    can: str
    entry: RosterEntry

    @property
    def role(self) -> str:
        """The person's role in words."""
        return role_label(self.entry.person.role)


def choose_personas(entries: list[RosterEntry]) -> list[Persona]:
    """A social worker, a wider-workforce member, a manager and the PSW.

    The first of each kind in roster order (service, team, name), so the same
    people are offered every time for the same roster.
    """
    tests: dict[str, Callable[[RosterEntry], bool]] = {
        "social_worker": _social_worker,
        "wider_workforce": _wider_workforce,
        "manager": _team_manager,
        "psw": _psw,
    }
    chosen = []
    for kind, test in tests.items():
        entry = next((entry for entry in entries if test(entry)), None)
        if entry is None and kind == "manager":
            entry = next(
                (e for e in entries if e.person.access == Access.MANAGER), None
            )
        if entry is not None:
            label, can = text.PERSONA_KINDS[kind]
            chosen.append(Persona(kind=label, can=can, entry=entry))
    return chosen


def _social_worker(entry: RosterEntry) -> bool:
    return entry.person.role == "social_worker" and entry.person.access == Access.STAFF


def _wider_workforce(entry: RosterEntry) -> bool:
    return (
        workforce_of(entry.person.role) == Workforce.WIDER_WORKFORCE
        and entry.person.access == Access.STAFF
    )


def _team_manager(entry: RosterEntry) -> bool:
    return entry.person.access == Access.MANAGER and entry.person.role == "team_manager"


def _psw(entry: RosterEntry) -> bool:
    return entry.person.access == Access.PSW


async def picker_page(request: Request) -> HTMLResponse:
    """The picker: four suggested people and the whole roster by team."""
    if not picker_enabled(request):
        return notice_page(
            request,
            heading="Sign in with your personal link",
            message=text.picker_off(),
            next_href="/sign-in",
            next_label="Other ways to sign in (Microsoft, Slack)",
        )
    try:
        organisation = await organisation_of(request)
    except SurveyError as error:
        return notice_page(
            request,
            heading="The chat is not set up yet",
            message=str(error),
            tone="error",
            status_code=503,
        )
    async with runtime_of(request).read_sessions() as session:
        entries = await roster(session, organisation_id=organisation.id)
    groups = [
        (f"{team} ({service})", list(members))
        for (service, team), members in groupby(
            entries, key=lambda entry: (entry.service, entry.team)
        )
    ]
    return page(
        request,
        "picker.html",
        personas=choose_personas(entries),
        groups=groups,
        role_label=role_label,
    )


def register(app: FastAPI) -> None:
    """Add the picker routes."""

    @app.get("/people", response_class=HTMLResponse)
    async def people(request: Request) -> HTMLResponse:
        return await picker_page(request)

    @app.post("/sign-out", response_model=None)
    async def leave(request: Request) -> Response:
        response = RedirectResponse("/", status_code=303)
        await sign_out(response, request, now=now())
        return response

    @app.post("/persona", response_model=None)
    async def choose(request: Request) -> Response:
        if not picker_enabled(request):
            return notice_page(
                request,
                heading="Sign in with your personal link",
                message=text.picker_off(),
                status_code=403,
            )
        limited = refused_for_too_many(request)
        if limited is not None:
            return limited
        form = await request.form()
        organisation = await organisation_of(request)
        person = None
        try:
            person_id = uuid.UUID(str(form.get("person_id", "")))
        except ValueError:
            person_id = None
        if person_id is not None:
            async with runtime_of(request).read_sessions() as session:
                person = await active_person(
                    session, organisation_id=organisation.id, person_id=person_id
                )
        if person is None:
            count_failure(request)
            return notice_page(
                request,
                heading="Choose someone on the roster",
                message=text.not_on_roster(),
                tone="error",
                status_code=400,
                next_href="/people",
                next_label="Back to the list of people",
            )
        response = RedirectResponse("/", status_code=303)
        await sign_in(
            response,
            request,
            person_id=person.id,
            signed_in_by=SignedInBy.PICKER,
            now=now(),
        )
        return response
