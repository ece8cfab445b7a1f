"""The standard proxy settings, for the chat platforms' HTTP clients.

``HTTPS_PROXY`` / ``HTTP_PROXY`` (either case) name the proxy for each scheme and
``NO_PROXY`` the hosts reached directly, read exactly as Python's ``urllib`` and
aiohttp read them. slack-sdk reads ``HTTPS_PROXY`` itself but not ``NO_PROXY``,
and the Agents SDK's connector reads neither, so both are given the answer here.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.request import (  # type: ignore[attr-defined]  # not in typeshed
    getproxies_environment,
    proxy_bypass_environment,
)


def proxy_for(url: str) -> str | None:
    """The proxy to reach ``url`` through, or None to go direct."""
    parts = urlsplit(url)
    proxies = getproxies_environment()
    proxy = proxies.get(parts.scheme)
    if not proxy or not parts.hostname:
        return None
    if proxy_bypass_environment(parts.hostname, proxies):
        return None
    return proxy
