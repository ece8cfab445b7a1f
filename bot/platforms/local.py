"""Delivery to the local web channel's inbox, over HTTP like any other platform."""

from __future__ import annotations

import json

import httpx

from bot.platforms.signing import sign
from survey.delivery.outbox import SendResult
from survey.models import OutboxMessage

LOCAL = "local"


class LocalChannelDelivery:
    """Hands outbox messages to the local channel's ``/local/inbox``.

    The inbox stores each idempotency key once and answers whether it has a key,
    so a message in doubt after a crash is checked before it is sent again.
    """

    platform = LOCAL

    def __init__(self, *, base_url: str, secret: bytes, timeout: float = 10.0) -> None:
        self._secret = secret
        self._client = httpx.AsyncClient(base_url=base_url, timeout=timeout)

    async def send(self, message: OutboxMessage) -> SendResult:
        """POST the message; 2xx is delivered, 429/5xx retry, other 4xx park."""
        body = json.dumps(
            {
                "idempotency_key": message.idempotency_key,
                "recipient": message.recipient,
                "organisation_id": str(message.organisation_id or ""),
                "payload": message.payload,
            }
        ).encode()
        try:
            response = await self._client.post(
                "/local/inbox",
                content=body,
                headers={
                    "Content-Type": "application/json",
                    **sign(self._secret, body),
                },
            )
        except httpx.HTTPError as error:
            return SendResult(ok=False, error=f"local channel unreachable: {error}")
        return _result(response)

    async def already_delivered(self, message: OutboxMessage) -> bool | None:
        """Ask the inbox whether it already has this message's key."""
        path = f"/local/inbox/{message.idempotency_key}"
        try:
            response = await self._client.get(path, headers=sign(self._secret, b""))
        except httpx.HTTPError:
            return None
        if response.status_code == 200:
            return True
        if response.status_code == 404:
            return False
        return None

    async def close(self) -> None:
        """Close the HTTP connection pool."""
        await self._client.aclose()


def _result(response: httpx.Response) -> SendResult:
    if response.is_success:
        return SendResult(ok=True)
    error = f"local channel answered {response.status_code}"
    retry_after = response.headers.get("Retry-After")
    if response.status_code == 429 or response.status_code >= 500:
        seconds = float(retry_after) if retry_after and retry_after.isdigit() else None
        return SendResult(ok=False, error=error, retry_after=seconds)
    return SendResult(ok=False, error=error, permanent=True)
