"""What the local channel's routes share: templates, the organisation, who is here."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment
from sqlmodel.ext.asyncio.session import AsyncSession

from bot import security_log
from bot.commands.access import standing_of
from bot.runtime import Runtime
from bot.settings import Mode
from bot.web.identity import WebSession
from bot.web.render_html import template_environment
from bot.web.sessions import signed_in
from survey.db import SessionFactory, session_factory
from survey.models import Organisation, Person
from survey.organisations import find_organisation
from survey.roster.people import person_and_team
from survey.roster.roles import Access, parse_access, role_label

AUTOCOMMIT = "AUTOCOMMIT"
READERS = 16
"""Chat requests reading at once: fewer than the 20 connections a pool keeps."""


@dataclass
class ChannelState:
    """Built once per app: the template environment, the organisation, two gates.

    The write gate bounds how many requests write at once. On SQLite only one
    transaction writes at a time anyway: queueing writers here, first come first
    served, keeps them from polling the database lock (where, with many people
    answering at once, some could wait past the busy timeout). On PostgreSQL a
    few writers at a time leave pooled connections free for the pages that only
    read, instead of every request queueing for a connection.

    The read gate bounds how many chat requests hold a read session at once.
    With a hundred people answering, requests otherwise all hold one while they
    wait their turn for the CPU, and the pool opens and closes a connection for
    each beyond the ones it keeps (a PostgreSQL backend, or an aiosqlite thread).
    """

    environment: Environment = field(default_factory=template_environment)
    organisation: Organisation | None = None
    _gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(1))
    _readers: asyncio.Semaphore = field(
        default_factory=lambda: asyncio.Semaphore(READERS)
    )
    _reads: tuple[Runtime, SessionFactory] | None = None

    def reads(self, runtime: Runtime) -> SessionFactory:
        """Sessions for chat pages that only read (made once per runtime)."""
        if self._reads is None or self._reads[0] is not runtime:
            self._reads = (runtime, _reading_sessions(runtime))
        return self._reads[1]

    def limit_writers(self, writers: int) -> None:
        """Let at most ``writers`` requests write at once (set at startup)."""
        self._gate = asyncio.Semaphore(max(1, writers))

    @asynccontextmanager
    async def writing(self) -> AsyncIterator[None]:
        """Hold while a request writes to the database."""
        async with self._gate:
            yield

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[None]:
        """Hold while a chat request reads from the database."""
        async with self._readers:
            yield


def _reading_sessions(runtime: Runtime) -> SessionFactory:
    """Reads without a transaction on PostgreSQL; the reader engine on SQLite."""
    if runtime.reads is not None or runtime.engine.dialect.name == "sqlite":
        return runtime.read_sessions
    return session_factory(runtime.engine.execution_options(isolation_level=AUTOCOMMIT))


@dataclass(frozen=True)
class Visitor:
    """The signed-in person, their team's name and how they signed in."""

    person: Person
    team: str
    session: WebSession

    @property
    def role(self) -> str:
        """The person's role in words."""
        return role_label(self.person.role)


@dataclass(frozen=True)
class Nav:
    """The header's links for a signed-in person (``nav.html``).

    Attributes:
        psw: Whether to link the dashboard and the workspace (the roster's PSW).
        sign_out: Whether to show a Sign out button (pages with their own omit it).
        summary: Whether to link the Team summary (managers and the PSW).
    """

    psw: bool
    sign_out: bool = True
    summary: bool = False


def nav_for(visitor: Visitor, *, sign_out: bool = True) -> Nav:
    """The header links for ``visitor``: the PSW's pages only for a PSW."""
    access = parse_access(visitor.person.access)
    return Nav(
        psw=access == Access.PSW,
        sign_out=sign_out,
        summary=access in (Access.MANAGER, Access.PSW),
    )


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


def runtime_of(request: Request) -> Runtime:
    """The app's runtime (settings, database)."""
    runtime: Runtime = request.app.state.runtime
    return runtime


def channel_of(request: Request) -> ChannelState:
    """The channel's shared state."""
    state: ChannelState = request.app.state.channel
    return state


@asynccontextmanager
async def read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """A session for reading, once the channel's read gate lets this request in.

    Never write through it: on PostgreSQL its statements run outside a
    transaction (no ``BEGIN`` and ``ROLLBACK`` round trips for a page that only
    reads); on SQLite it is the runtime's reader, which skips the write lock.
    """
    channel = channel_of(request)
    async with channel.reading(), channel.reads(runtime_of(request))() as session:
        yield session


def picker_enabled(request: Request) -> bool:
    """The persona picker is for the demo only: never in production."""
    return runtime_of(request).settings.mode == Mode.DEVELOPMENT


async def organisation_of(request: Request) -> Organisation:
    """The organisation this app serves (looked up once, then kept).

    Raises:
        NotFoundError: it does not exist yet (the message says how to create it).
    """
    channel = channel_of(request)
    if channel.organisation is None:
        runtime = runtime_of(request)
        async with runtime.read_sessions() as session:
            channel.organisation = await find_organisation(
                session, slug=runtime.settings.organisation
            )
    return channel.organisation


async def visitor_in(request: Request, session: AsyncSession) -> Visitor | None:
    """The person the session cookie names, if it is genuine and they are active."""
    cookie = await signed_in(request, session)
    if cookie is None:
        return None
    organisation = await organisation_of(request)
    person, team = cookie.person, cookie.team
    if person is None:
        found = await person_and_team(
            session, organisation_id=organisation.id, person_id=cookie.person_id
        )
        if found is None:
            return None
        person, team = found
    elif person.organisation_id != organisation.id or not person.active:
        return None
    return Visitor(person=person, team=team, session=cookie)


def page(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Render a full page."""
    channel = channel_of(request)
    organisation = channel.organisation
    context.setdefault("organisation_name", organisation.name if organisation else "")
    context.setdefault(
        "min_group_size", organisation.min_group_size if organisation else 5
    )
    context.setdefault("has_problem", False)
    visitor = context.get("visitor")
    context.setdefault(
        "nav", nav_for(visitor) if isinstance(visitor, Visitor) else None
    )
    html = channel.environment.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


def notice_page(
    request: Request,
    *,
    heading: str,
    message: str,
    tone: str = "info",
    status_code: int = 200,
    next_href: str | None = None,
    next_label: str = "",
) -> HTMLResponse:
    """A page with one heading and one notice (links that fail, setup problems)."""
    return page(
        request,
        "notice_page.html",
        status_code=status_code,
        heading=heading,
        text=message,
        tone=tone,
        next_href=next_href,
        next_label=next_label,
    )


async def refused_unless_psw(
    request: Request,
    session: AsyncSession,
    visitor: Visitor,
    *,
    heading: str,
    message: str,
    next_href: str | None = None,
    next_label: str = "",
) -> HTMLResponse | None:
    """None for the roster's PSW; anyone else gets a 403 page, logged as refused."""
    standing = await standing_of(session, person=visitor.person)
    if standing is not None and standing.access == Access.PSW:
        return None
    security_log.page_refused(
        person_id=visitor.person.id,
        page=request.url.path,
        held=str(standing.access) if standing else "none",
        needed=str(Access.PSW),
    )
    return notice_page(
        request,
        heading=heading,
        message=message,
        status_code=403,
        next_href=next_href,
        next_label=next_label,
    )
