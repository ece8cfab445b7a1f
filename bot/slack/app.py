"""The Bolt app, mounted on FastAPI (HTTP mode) or connected out (Socket Mode).

HTTP mode serves ``POST /slack/events`` (commands, interactions and events, each
signature and timestamp verified by Bolt) and, for installing into many
workspaces, ``GET /slack/install`` and ``GET /slack/oauth_redirect`` with
slack-sdk's SQLAlchemy installation and OAuth-state stores in our database. With
a single bot token no install is needed. Socket Mode, for one instance behind a
firewall, connects to Slack with an app-level token instead of exposing routes.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from slack_bolt.adapter.fastapi.async_handler import AsyncSlackRequestHandler
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import (
    AsyncInstallationStoreAuthorize,
)
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.error import BoltError
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import (
    AsyncSQLAlchemyInstallationStore,
)

from bot import security_log
from bot.runtime import Runtime
from bot.settings import Settings
from bot.slack import install_links, text
from bot.slack.clients import ROTATE_MINUTES, state_store, web_client
from bot.slack.identity import link_workspace, workspace_link
from bot.slack.install_links import installing_for
from bot.slack.listeners import actions, commands, events, views
from bot.slack.services import CONTEXT_KEY, SlackServices
from bot.slack.shape import payload_problem
from bot.slack.verify import signature_problem
from survey.db import SessionFactory
from survey.errors import NotFoundError
from survey.models.columns import utcnow
from survey.organisations import find_organisation

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class InstallRefused(BoltError):
    """An install that must not be stored; Bolt shows its failure page."""


class WorkspaceElsewhere(InstallRefused):
    """An install link for one organisation used in another's workspace."""


class LinkingInstallationStore(AsyncSQLAlchemyInstallationStore):
    """slack-sdk's store that links each new workspace to its install link's org."""

    def __init__(self, settings: Settings, runtime: Runtime) -> None:
        super().__init__(
            client_id=settings.slack_client_id or "single-workspace",
            engine=runtime.engine,
        )
        self._sessions: SessionFactory = runtime.sessions

    async def async_save(self, installation: Installation) -> None:
        """Link a new workspace to the install link's organisation, then store it.

        Saving an installation again (Bolt does, with fresh tokens, when token
        rotation is on) needs no link: the workspace is linked already.

        Raises:
            WorkspaceElsewhere: the workspace belongs to another organisation
                (Bolt then shows its failure page and nothing is stored).
            InstallRefused: a new workspace with no install link behind it.
        """
        slug = installing_for.get()
        async with self._sessions() as session, session.begin():
            existing = (
                await workspace_link(session, team_id=installation.team_id)
                if installation.team_id
                else None
            )
            if slug is None:
                if existing is None:
                    raise InstallRefused("a Slack install without an install link")
            elif installation.team_id:
                organisation = await find_organisation(session, slug=slug)
                if existing is not None and existing[1].id != organisation.id:
                    security_log.slack_install_refused(
                        reason="workspace linked elsewhere", client=None
                    )
                    raise WorkspaceElsewhere(installation.team_id)
                await link_workspace(
                    session,
                    team_id=installation.team_id,
                    enterprise_id=installation.enterprise_id,
                    organisation_id=organisation.id,
                )
        await super().async_save(installation)


def build_bolt_app(
    settings: Settings, services: SlackServices, runtime: Runtime
) -> AsyncApp:
    """The Bolt app with every listener, for one workspace or for OAuth installs."""
    signing_secret = (
        settings.slack_signing_secret.get_secret_value()
        if settings.slack_signing_secret
        else None
    )
    if settings.slack_oauth:
        client_secret = (
            settings.slack_client_secret.get_secret_value()
            if settings.slack_client_secret
            else None
        )
        store = LinkingInstallationStore(settings, runtime)
        app = AsyncApp(
            signing_secret=signing_secret,
            client=web_client(settings),
            user_facing_authorize_error_message=text.not_installed(),
            # Bolt's own authorize would rotate tokens with a client of its
            # making (slack.com, no proxy settings); this one uses ours.
            authorize=AsyncInstallationStoreAuthorize(  # type: ignore[arg-type]
                installation_store=store,
                client_id=settings.slack_client_id,
                client_secret=client_secret,
                client=web_client(settings),
                token_rotation_expiration_minutes=ROTATE_MINUTES,
                logger=log,
            ),
            oauth_settings=AsyncOAuthSettings(
                client_id=settings.slack_client_id,
                client_secret=client_secret,
                scopes=[scope.strip() for scope in settings.slack_scopes.split(",")],
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
                installation_store=store,
                state_store=state_store(runtime.engine),
                token_rotation_expiration_minutes=ROTATE_MINUTES,
            ),
        )
        app.event("tokens_revoked")(app.default_tokens_revoked_event_listener())
        app.event("app_uninstalled")(app.default_app_uninstalled_event_listener())
    else:
        token = (
            settings.slack_bot_token.get_secret_value()
            if settings.slack_bot_token
            else None
        )
        app = AsyncApp(
            signing_secret=signing_secret, client=web_client(settings, token=token)
        )

    async def attach_services(
        context: AsyncBoltContext, next: Callable[[], Awaitable[None]]
    ) -> None:
        context[CONTEXT_KEY] = services
        await next()

    app.use(attach_services)
    for listeners in (commands, actions, views, events):
        listeners.register(app)
    return app


@dataclass
class SlackRuntime:
    """The running Slack side of the web app."""

    bolt: AsyncApp
    handler: AsyncSlackRequestHandler
    services: SlackServices
    socket: AsyncSocketModeHandler | None = None


def slack_runtime(app: FastAPI) -> SlackRuntime:
    """The Slack runtime the lifespan built."""
    runtime = getattr(app.state, "slack", None)
    if not isinstance(runtime, SlackRuntime):
        raise RuntimeError("Slack is not running (the app's lifespan has not started)")
    return runtime


def start_slack(settings: Settings, runtime: Runtime) -> SlackRuntime:
    """Build the Bolt app and its handler on the app's database."""
    services = SlackServices(
        settings=settings,
        sessions=runtime.sessions,
        read_sessions=runtime.read_sessions,
        writers=1 if runtime.engine.dialect.name == "sqlite" else 8,
    )
    bolt = build_bolt_app(settings, services, runtime)
    return SlackRuntime(
        bolt=bolt, handler=AsyncSlackRequestHandler(bolt), services=services
    )


def register(app: FastAPI, settings: Settings) -> None:
    """Serve Slack from this app if the settings enable it (else add nothing).

    The Bolt app is built once the lifespan has made the database runtime;
    in Socket Mode it connects out then, and no Slack routes are served.
    """
    if not settings.slack_enabled:
        return
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(fastapi_app: FastAPI) -> AsyncIterator[Any]:
        async with inner(fastapi_app) as state:
            slack = start_slack(settings, fastapi_app.state.runtime)
            fastapi_app.state.slack = slack
            if settings.slack_socket_mode and settings.slack_app_token:
                slack.socket = AsyncSocketModeHandler(
                    slack.bolt, app_token=settings.slack_app_token.get_secret_value()
                )
                await slack.socket.connect_async()  # type: ignore[no-untyped-call]
                log.info("Slack connected over Socket Mode")
            try:
                yield state
            finally:
                if slack.socket is not None:
                    await slack.socket.close_async()  # type: ignore[no-untyped-call]

    app.router.lifespan_context = lifespan
    if settings.slack_socket_mode:
        return

    secret = (
        settings.slack_signing_secret.get_secret_value()
        if settings.slack_signing_secret
        else None
    )

    async def slack_events(request: Request) -> Response:
        body = await request.body()
        problem = signature_problem(secret, body, request.headers)
        if problem is not None:
            client = request.client.host if request.client else None
            security_log.slack_request_refused(reason=problem, client=client)
            return JSONResponse({"error": "invalid request"}, status_code=401)
        verdict = payload_problem(body, request.headers.get("content-type"))
        if verdict is not None:
            # Signed, so from Slack (or someone holding the secret): not an
            # attack to log, but nothing a listener can act on.
            log.warning("ignored a Slack request: %s", verdict.reason)
            return Response(status_code=verdict.status)
        return await slack_runtime(request.app).handler.handle(request)

    app.add_api_route(
        EVENTS_PATH, slack_events, methods=["POST"], include_in_schema=False
    )
    if settings.slack_oauth:
        _add_install_routes(app, settings)


def _refused(request: Request, reason: str) -> Response:
    security_log.slack_install_refused(
        reason=reason, client=request.client.host if request.client else None
    )
    return HTMLResponse(text.install_link_needed(), status_code=403)


def _add_install_routes(app: FastAPI, settings: Settings) -> None:
    """``/slack/install`` and its redirect, open only to a valid install link."""

    async def slack_install(request: Request) -> Response:
        token = request.query_params.get("org")
        if install_links.slug_of(settings.secret, token, now=utcnow()) is None:
            return _refused(request, "missing or invalid install link")
        response = await slack_runtime(request.app).handler.handle(request)
        response.set_cookie(
            install_links.COOKIE,
            token or "",
            max_age=install_links.COOKIE_SECONDS,
            path="/slack",
            httponly=True,
            secure=request.url.scheme == "https",
            samesite="lax",
        )
        return response

    async def slack_redirect(request: Request) -> Response:
        token = request.cookies.get(install_links.COOKIE)
        slug = install_links.slug_of(settings.secret, token, now=utcnow())
        if slug is None:
            return _refused(request, "redirect without a valid install link")
        try:
            async with slack_runtime(request.app).services.read_sessions() as session:
                await find_organisation(session, slug=slug)
        except NotFoundError:
            return _refused(request, "install link for a deleted organisation")
        reset = installing_for.set(slug)
        try:
            response = await slack_runtime(request.app).handler.handle(request)
        finally:
            installing_for.reset(reset)
        response.delete_cookie(install_links.COOKIE, path="/slack")
        return response

    app.add_api_route(
        INSTALL_PATH, slack_install, methods=["GET"], include_in_schema=False
    )
    app.add_api_route(
        REDIRECT_PATH, slack_redirect, methods=["GET"], include_in_schema=False
    )
