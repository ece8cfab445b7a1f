"""The local channel's inbox: where the worker delivers messages for the local channel.

It plays the part Slack's and Teams' APIs play for those platforms: requests are
signed, and each idempotency key is stored once.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from sqlmodel import select

from bot.platforms.signing import verify
from bot.runtime import Runtime
from survey.delivery.queue import insert_once
from survey.models import LocalDelivery
from survey.models.columns import new_id, utcnow


def register(app: FastAPI) -> None:
    """Add the inbox routes."""

    @app.post("/local/inbox", include_in_schema=False)
    async def receive(request: Request) -> dict[str, Any]:
        runtime: Runtime = request.app.state.runtime
        body = await request.body()
        _check_signature(request, runtime, body)
        try:
            message = json.loads(body)
            key = str(message["idempotency_key"])
            recipient = str(message["recipient"])
            payload = dict(message["payload"])
            organisation = message.get("organisation_id") or None
            organisation_id = uuid.UUID(organisation) if organisation else None
        except (ValueError, KeyError, TypeError):
            raise HTTPException(400, "malformed message") from None
        async with runtime.sessions() as session, session.begin():
            stored = await insert_once(
                session,
                LocalDelivery,
                key_column="idempotency_key",
                values={
                    "id": new_id(),
                    "organisation_id": organisation_id,
                    "idempotency_key": key,
                    "recipient": recipient,
                    "payload": payload,
                    "delivered_at": utcnow(),
                },
            )
        return {"ok": True, "duplicate": not stored}

    @app.get("/local/inbox/{key}", include_in_schema=False)
    async def has(key: str, request: Request) -> dict[str, bool]:
        runtime: Runtime = request.app.state.runtime
        _check_signature(request, runtime, b"")
        async with runtime.sessions() as session:
            found = (
                await session.exec(
                    select(LocalDelivery.id).where(LocalDelivery.idempotency_key == key)
                )
            ).first()
        if found is None:
            raise HTTPException(404, "no such message")
        return {"ok": True}


def _check_signature(request: Request, runtime: Runtime, body: bytes) -> None:
    timestamp = request.headers.get("X-Healthcheck-Timestamp", "")
    signature = request.headers.get("X-Healthcheck-Signature", "")
    if not verify(
        runtime.settings.secret, body, timestamp=timestamp, signature=signature
    ):
        raise HTTPException(401, "bad signature")
