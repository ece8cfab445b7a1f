"""One-time form tokens for answer forms.

A token names the person, the campaign, the question on screen and the version
of the person's draft the page was drawn from (its ``updated_at``), signed with
a key derived from the server secret. Any step that is stored changes the
draft's version, so a token works once: a double click, a refresh or a page
from the browser history is recognised as stale and changes nothing. A form
drawn for someone else (another persona in the same browser) fails the
signature and is handled the same way.

No table is needed: the draft is the state the token is checked against.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from bot import security_log
from bot.web.keys import purpose_key, sign, verify

NO_DRAFT = "0"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class TokenCheck(StrEnum):
    """What a posted token says about the form it came in."""

    CURRENT = "current"
    USED = "used"
    FOREIGN = "foreign"


def draft_version(updated_at: datetime | None) -> str:
    """The version marker of a draft: its last update in microseconds, or "0"."""
    if updated_at is None:
        return NO_DRAFT
    return str((updated_at - EPOCH) // timedelta(microseconds=1))


def form_token(
    secret: bytes,
    *,
    person_id: uuid.UUID,
    campaign_id: uuid.UUID,
    question_id: str,
    version: str,
) -> str:
    """The token for one form as drawn now."""
    message = _message(person_id, campaign_id, question_id, version)
    return f"{version}.{sign(purpose_key(secret, 'form'), message)}"


def check_form_token(
    secret: bytes,
    token: str,
    *,
    person_id: uuid.UUID,
    campaign_id: uuid.UUID,
    question_id: str,
    version: str,
) -> TokenCheck:
    """Whether a posted token is for this person's form and still unused.

    A used or foreign token is written to the security log (who and which
    survey, never the answer posted with it).
    """
    drawn_at, _, signature = token.partition(".")
    message = _message(person_id, campaign_id, question_id, drawn_at)
    if not signature or not verify(purpose_key(secret, "form"), message, signature):
        verdict = TokenCheck.FOREIGN
    else:
        verdict = TokenCheck.CURRENT if drawn_at == version else TokenCheck.USED
    if verdict is not TokenCheck.CURRENT:
        security_log.form_token_refused(
            reason=verdict.value, person_id=person_id, campaign_id=campaign_id
        )
    return verdict


def _message(
    person_id: uuid.UUID, campaign_id: uuid.UUID, question_id: str, version: str
) -> str:
    return f"{person_id.hex}|{campaign_id.hex}|{question_id}|{version}"
