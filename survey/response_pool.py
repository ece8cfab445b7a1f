"""The sealed response pool: submissions wait here and are written in shuffled batches.

A submit changes the person's participation and, in the same transaction, adds
one opaque entry to the pool: the response encrypted (AES-256-GCM from
``cryptography``) under a key derived from the server secret, padded so its
length says little, with a random id and the campaign id and nothing else. The
response rows themselves are written later, by a drain, in one transaction that
writes a whole batch in random order and deletes its entries. So on PostgreSQL
no response shares a transaction id (``xmin``) with a participation change, and
the physical order of responses (``ctid``) is a shuffle within the batch.

A drain runs as a job once at least the organisation's minimum group size of
entries are waiting, and always when the campaign closes, whatever the count.
It is one transaction: a crash (even ``kill -9``) leaves either the entries or
the responses, never both and never neither.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Table, delete, func, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.delivery.job_kinds import handles_with_secret
from survey.delivery.jobs import schedule_job
from survey.errors import SealedResponseError
from survey.models import Campaign, CampaignStatus, Organisation, SealedResponse
from survey.models.columns import new_id
from survey.response_rows import ResponseRecord, write_responses

DRAIN_JOB = "write_response_pool"
PAD_TO = 4096
"""Sealed entries are a whole number of these bytes long (before the 28 of GCM)."""
_KEY_INFO = b"healthcheck sealed response pool v1"
_NONCE_BYTES = 12
_LENGTH_BYTES = 4
_POOL: Table = SealedResponse.__table__  # type: ignore[attr-defined]
_shuffle = random.SystemRandom().shuffle


def _cipher(secret: bytes) -> AESGCM:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_INFO)
    return AESGCM(key.derive(secret))


def _bound_to(entry_id: uuid.UUID, campaign_id: uuid.UUID) -> bytes:
    """Associated data: an entry opens only as itself, in its own campaign."""
    return entry_id.bytes + campaign_id.bytes


def seal(
    secret: bytes,
    *,
    entry_id: uuid.UUID,
    campaign_id: uuid.UUID,
    record: ResponseRecord,
) -> bytes:
    """Encrypt a response record for the pool, padded to a multiple of ``PAD_TO``."""
    plain = json.dumps(record, separators=(",", ":")).encode()
    framed = len(plain).to_bytes(_LENGTH_BYTES, "big") + plain
    padded = framed + bytes(-len(framed) % PAD_TO)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher(secret).encrypt(nonce, padded, _bound_to(entry_id, campaign_id))
    return nonce + sealed


def unseal(
    secret: bytes, *, entry_id: uuid.UUID, campaign_id: uuid.UUID, sealed: bytes
) -> ResponseRecord:
    """Open a sealed entry.

    Raises:
        SealedResponseError: a different secret, or an entry altered or moved
            to another campaign.
    """
    nonce, body = sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:]
    try:
        padded = _cipher(secret).decrypt(nonce, body, _bound_to(entry_id, campaign_id))
    except InvalidTag:
        raise SealedResponseError(
            "Responses waiting to be written cannot be opened with this server's "
            "secret key (was HEALTHCHECK_SECRET_KEY changed?). Nothing was written "
            "or lost: put back the key they were sealed with and try again."
        ) from None
    length = int.from_bytes(padded[:_LENGTH_BYTES], "big")
    record: ResponseRecord = json.loads(padded[_LENGTH_BYTES : _LENGTH_BYTES + length])
    return record


async def add_to_pool(
    session: AsyncSession,
    *,
    secret: bytes,
    campaign: Campaign,
    record: ResponseRecord,
    now: datetime,
) -> None:
    """Seal a response into the pool, in the caller's (the submit's) transaction.

    When enough entries wait for a batch, a drain job is scheduled (its key is
    random: it says nothing about which submission asked for it).
    """
    entry_id = new_id()
    await session.exec(
        insert(_POOL).values(
            id=entry_id,
            campaign_id=campaign.id,
            sealed=seal(
                secret, entry_id=entry_id, campaign_id=campaign.id, record=record
            ),
        )
    )
    if await waiting(session, campaign_id=campaign.id) >= await _batch_size(
        session, campaign
    ):
        await schedule_job(
            session,
            kind=DRAIN_JOB,
            dedupe_key=f"{DRAIN_JOB}:{campaign.id}:{new_id()}",
            run_at=now,
            payload={"campaign_id": str(campaign.id)},
            organisation_id=campaign.organisation_id,
        )


async def waiting(session: AsyncSession, *, campaign_id: uuid.UUID) -> int:
    """How many sealed responses wait in the pool for the campaign."""
    count = await session.exec(
        select(func.count())
        .select_from(SealedResponse)
        .where(col(SealedResponse.campaign_id) == campaign_id)
    )
    return count.one()


async def drain_pool(
    session: AsyncSession, *, secret: bytes, campaign: Campaign, closing: bool
) -> int:
    """Write the campaign's waiting responses as one shuffled batch (caller's session).

    Nothing is written while fewer than the minimum group size wait, unless
    ``closing`` (or the campaign has closed): then every waiting response is
    written, however few, and the results' own suppression hides small groups.

    Returns:
        How many responses were written.
    """
    # FOR UPDATE: a second drainer (a job and a close at once) waits here and
    # then finds these entries gone, so no entry is written twice.
    entries = (
        await session.exec(
            select(SealedResponse)
            .where(col(SealedResponse.campaign_id) == campaign.id)
            .with_for_update()
        )
    ).all()
    closing = closing or campaign.status == CampaignStatus.CLOSED
    if not entries or (
        not closing and len(entries) < await _batch_size(session, campaign)
    ):
        return 0
    records = [
        unseal(secret, entry_id=entry.id, campaign_id=campaign.id, sealed=entry.sealed)
        for entry in entries
    ]
    _shuffle(records)
    await write_responses(session, campaign_id=campaign.id, records=records)
    ids = [entry.id for entry in entries]
    for entry in entries:
        session.expunge(entry)
    deleted = await session.exec(delete(_POOL).where(_POOL.c.id.in_(ids)))
    if deleted.rowcount != len(ids):
        # Another drain took some of them: undo, so nothing is written twice.
        raise RuntimeError("the response pool changed while it was being written")
    return len(records)


async def _batch_size(session: AsyncSession, campaign: Campaign) -> int:
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    return organisation.min_group_size


@handles_with_secret(DRAIN_JOB)
async def _drain(
    session: AsyncSession, payload: dict[str, Any], now: datetime, secret: bytes
) -> None:
    campaign = await session.get(Campaign, uuid.UUID(payload["campaign_id"]))
    if campaign is not None:
        await drain_pool(session, secret=secret, campaign=campaign, closing=False)
