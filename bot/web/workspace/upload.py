"""A roster file carried from preview to confirmation, signed so it cannot change.

The preview page puts the uploaded file, compressed, in a hidden field with an
HMAC over it, the PSW who uploaded it, whether new teams may be created, and
when. Confirming sends it back; the server applies it only if the signature
fits, so what is applied is byte for byte what was previewed, and nothing is
stored between the two steps (any instance of the app can confirm).
"""

from __future__ import annotations

import base64
import binascii
import time
import uuid
import zlib
from dataclasses import dataclass

from bot.web.keys import purpose_key, sign, verify

PURPOSE = "roster-upload"
LIFETIME_SECONDS = 30 * 60
"""How long a preview may be confirmed: long enough to read it, not a day."""


@dataclass(frozen=True)
class SignedUpload:
    """The hidden fields of a preview's confirm form."""

    file: str
    create_teams: str
    issued: str
    signature: str


def seal(
    secret: bytes, *, data: bytes, person_id: uuid.UUID, create_teams: bool
) -> SignedUpload:
    """The fields that carry ``data`` to the confirm step."""
    packed = base64.urlsafe_b64encode(zlib.compress(data, 9)).decode()
    flag = "1" if create_teams else "0"
    issued = str(int(time.time()))
    message = _message(packed, person_id=person_id, create_teams=flag, issued=issued)
    return SignedUpload(
        packed, flag, issued, sign(purpose_key(secret, PURPOSE), message)
    )


def unseal(
    secret: bytes, fields: SignedUpload, *, person_id: uuid.UUID
) -> tuple[bytes, bool] | None:
    """The file and its create-teams choice, or None if forged, altered or stale."""
    message = _message(
        fields.file,
        person_id=person_id,
        create_teams=fields.create_teams,
        issued=fields.issued,
    )
    if not verify(purpose_key(secret, PURPOSE), message, fields.signature):
        return None
    if not fields.issued.isdigit():
        return None
    if time.time() - int(fields.issued) > LIFETIME_SECONDS:
        return None
    try:
        data = zlib.decompress(base64.urlsafe_b64decode(fields.file))
    except (binascii.Error, zlib.error, ValueError):
        return None
    return data, fields.create_teams == "1"


def _message(
    packed: str, *, person_id: uuid.UUID, create_teams: str, issued: str
) -> str:
    return f"{person_id}|{create_teams}|{issued}|{packed}"
