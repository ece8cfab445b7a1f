"""What is true about anonymity for one organisation, as the privacy notice says."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PrivacyFacts:
    """What is true about anonymity for one organisation.

    Attributes:
        organisation: Its name, or ``None`` when the person is not on a roster.
        min_group_size: Its smallest group shown, or ``None`` when unknown.
        floor: The smallest minimum any organisation may set.
        kept_with_answers: What each stored response carries about its sender,
            in words, straight from the response table's columns.
        date_only: Whether a response records only the date it was sent.
    """

    organisation: str | None
    min_group_size: int | None
    floor: int
    kept_with_answers: tuple[str, ...]
    date_only: bool
