"""Connector clients that honour the standard proxy settings.

The Agents SDK opens each Bot Connector client with a plain aiohttp session,
which ignores ``HTTPS_PROXY``; behind a council's outbound proxy no reply would
arrive. This factory gives the same client a session that reads the proxy
settings (``trust_env``: ``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``). Tokens
come from MSAL, which uses ``requests`` and reads the same variables.
"""

from __future__ import annotations

from aiohttp import ClientSession
from microsoft_agents.activity import RoleTypes
from microsoft_agents.hosting.core import (
    ClaimsIdentity,
    RestChannelServiceClientFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient


class ProxyAwareClientFactory(RestChannelServiceClientFactory):
    """The SDK's factory, with connector sessions that read the proxy settings."""

    async def create_connector_client(
        self,
        context: TurnContext | None,
        claims_identity: ClaimsIdentity,
        service_url: str,
        audience: str,
        scopes: list[str] | None = None,
        use_anonymous: bool = False,
    ) -> ConnectorClientBase:
        """A Teams connector client for ``service_url`` (see the module docstring).

        Agentic and Copilot Studio requests, which this app never serves, are
        left to the SDK.
        """
        special = context is not None and (
            context.activity.is_agentic_request()
            or (
                context.activity.recipient is not None
                and context.activity.recipient.role == RoleTypes.connector_user
            )
        )
        if special or not service_url or not audience:
            return await super().create_connector_client(
                context,
                claims_identity,
                service_url,
                audience,
                scopes,
                use_anonymous,
            )
        provider = (
            self._ANONYMOUS_TOKEN_PROVIDER
            if use_anonymous
            else self._connection_manager.get_token_provider(
                claims_identity, service_url
            )
        )
        token = await provider.get_access_token(
            audience, scopes or claims_identity.get_token_scope()
        )
        endpoint = service_url if service_url.endswith("/") else f"{service_url}/"
        session = ClientSession(base_url=endpoint, trust_env=True)
        return TeamsConnectorClient(endpoint=endpoint, token=token, session=session)
