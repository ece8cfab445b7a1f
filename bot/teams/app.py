"""Teams on the web app: ``/api/messages`` served by the Microsoft 365 Agents SDK.

The route checks the Bot Framework JWT on every request whenever an app id is
configured (``jwt_authorization_decorator``); only with no app id, which
production refuses, are requests let in anonymously, for local testing. The
``AgentApplication`` keeps no state between turns (every survey answer is in
the database), so any number of web replicas can serve Teams.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import jwt
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core import (
    AgentApplication,
    AgentAuthConfiguration,
    ConnectionManager,
    MemoryStorage,
    TurnContext,
    TurnState,
)
from microsoft_agents.hosting.core.app import ApplicationOptions
from microsoft_agents.hosting.core.authorization import AccessTokenProviderBase
from microsoft_agents.hosting.fastapi import (
    CloudAdapter,
    jwt_authorization_decorator,
    start_agent_process,
)

from bot import security_log
from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams import listeners
from bot.teams.connector import ProxyAwareClientFactory
from bot.teams.service import TeamsService
from bot.teams.shape import activity_problem

log = logging.getLogger(__name__)

ProviderFactory = Callable[[AgentAuthConfiguration], AccessTokenProviderBase]
ROUTE = "/api/messages"


def auth_configuration(settings: Settings) -> AgentAuthConfiguration:
    """The SDK's auth settings: JWT validation on whenever an app id is set."""
    password = settings.teams_app_password
    return AgentAuthConfiguration(
        client_id=settings.teams_app_id,
        tenant_id=settings.teams_tenant_id,
        client_secret=password.get_secret_value() if password else None,
        anonymous_allowed=not settings.teams_app_id,
    )


def connection_manager(
    settings: Settings, *, provider_factory: ProviderFactory | None = None
) -> ConnectionManager:
    """The connection manager both the adapter and the application need.

    Tokens for replies come from MSAL (the app id and secret) unless another
    ``provider_factory`` is given.
    """
    return ConnectionManager(
        provider_factory=provider_factory or MsalAuth,
        connections_configurations={"SERVICE_CONNECTION": auth_configuration(settings)},
    )


def build_adapter(connections: ConnectionManager) -> CloudAdapter:
    """A CloudAdapter whose failed turns log instead of telling users the error."""
    adapter = CloudAdapter(
        connection_manager=connections,
        channel_service_client_factory=ProxyAwareClientFactory(connections),
    )
    adapter.on_turn_error = _on_adapter_error
    return adapter


async def _on_adapter_error(context: TurnContext, error: Exception) -> None:
    await listeners.apologise(context, error)


def build_application(
    service: TeamsService, connections: ConnectionManager
) -> AgentApplication[TurnState]:
    """The AgentApplication with the Teams listeners."""
    options = ApplicationOptions(
        storage=MemoryStorage(),
        start_typing_timer=False,
        remove_recipient_mention=True,
        # No conversation or user state: the database holds everything.
        turn_state_factory=TurnState,
    )
    agent = AgentApplication[TurnState](options, connection_manager=connections)
    listeners.register(agent, service)
    return agent


def token_problem(authorization: str | None, *, now: float | None = None) -> str:
    """Why the SDK refused a request's token, for the security log.

    The SDK has already refused the request; this only names the reason:
    ``missing``, ``malformed`` (not a bearer JWT), ``expired`` or ``invalid``
    (a wrong signature, audience or issuer). The claims are read without
    trusting them, and never logged.
    """
    if not authorization:
        return "missing"
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token or " " in token:
        return "malformed"
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "malformed"
    expires = claims.get("exp")
    clock = time.time() if now is None else now
    if isinstance(expires, int | float) and expires < clock:
        return "expired"
    return "invalid"


def register(
    app: FastAPI,
    settings: Settings,
    *,
    provider_factory: ProviderFactory | None = None,
) -> TeamsService:
    """Serve Teams at ``/api/messages`` on ``app``; returns the shared service.

    The runtime is read from ``app.state.runtime`` (set when the app starts).
    """

    def runtime() -> Runtime:
        built: Runtime = app.state.runtime
        return built

    connections = connection_manager(settings, provider_factory=provider_factory)
    adapter = build_adapter(connections)
    service = TeamsService(settings=settings, runtime_of=runtime)
    agent = build_application(service, connections)
    # jwt_authorization_decorator reads the auth settings from here.
    app.state.agent_configuration = auth_configuration(settings)
    app.state.teams = service

    @jwt_authorization_decorator  # type: ignore[untyped-decorator]
    async def authorised(request: Request) -> Response | None:
        request.state.token_accepted = True
        problem = activity_problem(await request.body())
        if problem is not None:
            log.warning("refused a Teams request: %s", problem)
            return JSONResponse({"error": problem}, status_code=400)
        return await start_agent_process(request, agent, adapter)

    async def messages(request: Request) -> Response | None:
        try:
            response: Response | None = await authorised(request)
        except Exception:
            # The SDK's validator raises on some malformed tokens (a JWT without
            # a key id); that is a refusal, not a server error.
            if getattr(request.state, "token_accepted", False):
                raise
            response = JSONResponse({"error": "invalid token"}, status_code=401)
        if not getattr(request.state, "token_accepted", False):
            security_log.teams_token_refused(
                reason=token_problem(request.headers.get("Authorization")),
                client=request.client.host if request.client else None,
            )
        return response

    app.add_api_route(
        ROUTE,
        messages,
        methods=["POST"],
        include_in_schema=False,
        response_model=None,
    )
    return service
