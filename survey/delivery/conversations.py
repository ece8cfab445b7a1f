"""Chat conversations the bot was let into, kept so it can write there later.

The platform's reference is stored as it came (a JSON object); this module only
files and finds it: a person's personal chat by their platform id, a team's
channels by organisation. It also keeps which outbox messages a platform has
already accepted.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.queue import insert_once
from survey.models import ChatConversation, ChatDelivery
from survey.models.columns import new_id

PERSONAL = "personal"
CHANNEL = "channel"
GROUP = "group"


async def remember_conversation(
    session: AsyncSession,
    *,
    platform: str,
    conversation_id: str,
    kind: str,
    reference: dict[str, Any],
    organisation_id: uuid.UUID | None,
    user_key: str | None = None,
    tenant_id: str | None = None,
    title: str | None = None,
    now: datetime,
) -> None:
    """Store or refresh a conversation reference (one row per conversation).

    Safe when two requests from the same conversation arrive together: the
    second simply refreshes the row the first wrote.
    """
    values: dict[str, Any] = {
        "organisation_id": organisation_id,
        "kind": kind,
        "user_key": user_key,
        "tenant_id": tenant_id,
        "title": title,
        "reference": reference,
        "active": True,
        "updated_at": now,
    }
    table: Table = ChatConversation.__table__  # type: ignore[attr-defined]
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(table)
        .values(
            id=new_id(), platform=platform, conversation_id=conversation_id, **values
        )
        .on_conflict_do_update(
            index_elements=["platform", "conversation_id"],
            # A title seen once (a team's name) is kept when later activities
            # from the same channel do not carry it.
            set_={
                **values,
                "title": title if title is not None else table.c.title,
                "user_key": user_key if user_key is not None else table.c.user_key,
            },
        )
    )
    await session.exec(statement)


async def find_conversation(
    session: AsyncSession, *, platform: str, conversation_id: str
) -> ChatConversation | None:
    """The stored conversation with this id, if any."""
    return (
        await session.exec(
            select(ChatConversation).where(
                ChatConversation.platform == platform,
                ChatConversation.conversation_id == conversation_id,
            )
        )
    ).first()


async def forget_conversation(
    session: AsyncSession, *, platform: str, conversation_id: str, now: datetime
) -> bool:
    """Mark a conversation unusable (the app was removed); True if one was known."""
    conversation = await find_conversation(
        session, platform=platform, conversation_id=conversation_id
    )
    if conversation is None:
        return False
    conversation.active = False
    conversation.updated_at = now
    session.add(conversation)
    await session.flush()
    return True


async def personal_conversation(
    session: AsyncSession, *, platform: str, user_key: str
) -> ChatConversation | None:
    """The person's most recently used personal chat with the bot, if it is open."""
    return (
        await session.exec(
            select(ChatConversation)
            .where(
                ChatConversation.platform == platform,
                ChatConversation.kind == PERSONAL,
                ChatConversation.user_key == user_key,
                col(ChatConversation.active),
            )
            .order_by(col(ChatConversation.updated_at).desc())
        )
    ).first()


async def channel_conversations(
    session: AsyncSession, *, platform: str, organisation_id: uuid.UUID
) -> list[ChatConversation]:
    """The organisation's channels the app is installed in, most recent first."""
    rows = await session.exec(
        select(ChatConversation)
        .where(
            ChatConversation.platform == platform,
            ChatConversation.organisation_id == organisation_id,
            ChatConversation.kind == CHANNEL,
            col(ChatConversation.active),
        )
        .order_by(col(ChatConversation.updated_at).desc())
    )
    return list(rows.all())


async def any_conversation(
    session: AsyncSession, *, platform: str, organisation_id: uuid.UUID
) -> ChatConversation | None:
    """Any open conversation of the organisation: its service address and tenant."""
    return (
        await session.exec(
            select(ChatConversation)
            .where(
                ChatConversation.platform == platform,
                ChatConversation.organisation_id == organisation_id,
                col(ChatConversation.active),
            )
            .order_by(col(ChatConversation.updated_at).desc())
        )
    ).first()


async def record_delivery(
    session: AsyncSession,
    *,
    platform: str,
    idempotency_key: str,
    conversation_id: str,
    activity_id: str | None,
    now: datetime,
) -> None:
    """Note that the platform accepted the outbox message with this key."""
    await insert_once(
        session,
        ChatDelivery,
        key_column="idempotency_key",
        values={
            "id": new_id(),
            "platform": platform,
            "idempotency_key": idempotency_key,
            "conversation_id": conversation_id,
            "activity_id": activity_id,
            "delivered_at": now,
        },
    )


async def was_delivered(session: AsyncSession, *, idempotency_key: str) -> bool:
    """Whether a platform is known to have accepted this outbox message."""
    found = (
        await session.exec(
            select(ChatDelivery.id).where(
                ChatDelivery.idempotency_key == idempotency_key
            )
        )
    ).first()
    return found is not None
