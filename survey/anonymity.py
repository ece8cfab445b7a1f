"""The keys that keep answers apart from the people who gave them."""

from __future__ import annotations

import hashlib
import hmac
import uuid


def draft_key(secret: bytes, *, person_id: uuid.UUID, campaign_id: uuid.UUID) -> str:
    """The key of a person's draft: an HMAC, so the draft table names nobody.

    Args:
        secret: the server's draft secret; without it the key cannot be recomputed.
        person_id: whose draft it is.
        campaign_id: which campaign the draft belongs to.
    """
    message = f"draft:{person_id}:{campaign_id}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()
