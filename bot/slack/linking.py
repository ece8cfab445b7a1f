"""Linking the roster to Slack by email, before invitations go out.

Everyone active without a Slack id is looked up with ``users.lookupByEmail``
(rate-limit tier 3, about 50 a minute per workspace), paced so Slack never has
to refuse, within a time budget so a large roster does not hold a job past its
lease; whoever is left is looked up at the next campaign opening, by
``healthcheck slack link-roster``, or the first time they write to the bot.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlmodel import col, select

from survey.db import SessionFactory
from survey.models import Person
from survey.models.columns import utcnow

Pace = Callable[[], Awaitable[None]]
"""Waits for the next free ``users.lookupByEmail`` slot."""


async def _no_pace() -> None:
    return None


@dataclass
class LinkReport:
    """What linking the roster to Slack found."""

    linked: int = 0
    already: int = 0
    not_in_slack: list[str] = field(default_factory=list)
    not_looked_up: int = 0

    def summary(self) -> str:
        """The outcome in one line."""
        later = (
            f" {self.not_looked_up} were not looked up yet (time ran out; run "
            "`healthcheck slack link-roster` to carry on)."
            if self.not_looked_up
            else ""
        )
        return (
            f"Linked {self.linked} people to Slack by email; {self.already} were "
            f"linked already; {len(self.not_in_slack)} have no Slack account "
            f"with their roster email (they are reached in the local channel).{later}"
        )

    @property
    def news(self) -> bool:
        """Whether the PSW needs to hear of it (someone linked, missing or left)."""
        return bool(self.linked or self.not_in_slack or self.not_looked_up)


async def link_roster(
    sessions: SessionFactory,
    client: AsyncWebClient,
    *,
    organisation_id: uuid.UUID,
    pace: Pace = _no_pace,
    budget_seconds: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> LinkReport:
    """Give every active person without a Slack id the one Slack has for their email.

    Args:
        sessions: Opens database sessions.
        client: A Slack client for the organisation's workspace.
        organisation_id: Whose roster.
        pace: Awaited before each lookup, to stay within the method's limit
            (the client's retry handler still waits out any 429).
        budget_seconds: Stop looking up after this long (None: no limit); those
            left are counted in ``not_looked_up``.
        clock: Monotonic seconds; tests pin it.
    """
    report = LinkReport()
    async with sessions() as session:
        people = list(
            (
                await session.exec(
                    select(Person)
                    .where(
                        Person.organisation_id == organisation_id,
                        col(Person.active),
                    )
                    .order_by(col(Person.email))
                )
            ).all()
        )
    taken = {person.slack_id for person in people if person.slack_id}
    ends = None if budget_seconds is None else clock() + budget_seconds
    for person in people:
        if person.slack_id:
            report.already += 1
            continue
        if ends is not None and clock() >= ends:
            report.not_looked_up += 1
            continue
        await pace()
        try:
            response = await client.users_lookupByEmail(email=person.email)
        except SlackApiError as error:
            if error.response.get("error") == "users_not_found":
                report.not_in_slack.append(person.email)
                continue
            raise
        slack_id = str((response.get("user") or {}).get("id", ""))
        if not slack_id or slack_id in taken:
            report.not_in_slack.append(person.email)
            continue
        async with sessions() as session, session.begin():
            stored = await session.get(Person, person.id)
            if stored is not None and not stored.slack_id:
                stored.slack_id = slack_id
                stored.updated_at = utcnow()
                session.add(stored)
                taken.add(slack_id)
                report.linked += 1
    return report
