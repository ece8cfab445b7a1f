"""The anonymity promise, built from the real settings and the real tables.

The ``privacy`` command must say exactly what the system does (README.md,
Anonymity, rule 8), so the facts are read rather than written down: the
organisation's minimum group size, and what a stored response actually carries,
taken from the ``Response`` table itself. Add a column to it and the promise
names it; the wording lives in :mod:`bot.commands.text`.
"""

from __future__ import annotations

from datetime import date

from bot.commands import text
from bot.commands.privacy_facts import PrivacyFacts
from bot.conversation.messages import Notice
from survey.models import Organisation, Response

MIN_GROUP_FLOOR = 3
"""No organisation may show groups smaller than this (survey.organisations)."""

# Columns of a response that say nothing about the person who sent it.
_NOT_ABOUT_THE_PERSON = {"id", "campaign_id", "submitted_on"}
_ATTRIBUTE_WORDS = {
    "service_id": "service",
    "team_id": "team",
    "role": "job role",
    "workforce": "workforce (registered social work or the wider workforce)",
    "employment_type": "type of employment (such as permanent or agency)",
}


def privacy_facts(organisation: Organisation | None) -> PrivacyFacts:
    """The facts for ``organisation`` (or the general ones if it is unknown)."""
    fields = Response.model_fields
    kept = tuple(
        _ATTRIBUTE_WORDS.get(name, name.removesuffix("_id").replace("_", " "))
        for name in fields
        if name not in _NOT_ABOUT_THE_PERSON
    )
    return PrivacyFacts(
        organisation=organisation.name if organisation else None,
        min_group_size=organisation.min_group_size if organisation else None,
        floor=MIN_GROUP_FLOOR,
        kept_with_answers=kept,
        # datetime is a date too, so "is", not issubclass.
        date_only=fields["submitted_on"].annotation is date,
    )


def privacy_notice(organisation: Organisation | None) -> Notice:
    """The ``privacy`` answer: the promise, in plain words, for this organisation."""
    facts = privacy_facts(organisation)
    return Notice(text.privacy(facts), title=text.privacy_title(facts.organisation))
