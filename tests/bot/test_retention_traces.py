"""After a purge, no table says who took part in the purged campaign.

The old round of ``retention_builders`` gets what a real one leaves behind:
invitations and reminders to those who had not finished, a "you said, we did"
note to those who had, each handed to the real local inbox (``local_delivery``)
and receipted as a chat platform would (``chat_delivery``). The purge runs
through ``healthcheck retention purge``; then every row of every table is read.
"""

from __future__ import annotations

import asyncio
import json
import os
import warnings
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from builders import SECRET
from retention_builders import RetentionOrg, retention_org
from row_snapshots import snapshot
from sqlmodel import col, select

from bot.app import create_app
from bot.cli import main
from bot.platforms.signing import sign
from bot.settings import load_settings
from survey.anonymity import draft_key
from survey.db import SessionFactory, create_engine, session_factory
from survey.delivery.conversations import record_delivery
from survey.follow_up.you_said import post_you_said
from survey.models import Campaign, OutboxMessage, Participation, Person
from survey.schedule.plans import send_invitations

with warnings.catch_warnings():
    # Starlette asks for httpx2 instead of httpx; the lock has httpx.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette")
    from fastapi.testclient import TestClient

T = TypeVar("T")
PLATFORMS = ("local",)


def _with_sessions(url: str, work: Callable[[SessionFactory], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(url, pool_size=2)
        try:
            return await work(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


async def _round_with_messages(sessions: SessionFactory) -> RetentionOrg:
    org = await retention_org(sessions)
    now = datetime.now(UTC)
    async with sessions() as session, session.begin():
        for campaign in (org.old, org.current):
            stored = await session.get(Campaign, campaign.id)
            assert stored is not None
            await send_invitations(
                session, campaign=stored, now=now, platforms=PLATFORMS
            )
        old = await session.get(Campaign, org.old.id)
        assert old is not None
        posted = await post_you_said(
            session,
            campaign=old,
            title="You said, we did: Teams check 2026",
            body="You said: caseloads. We did: two more social workers.",
            note="Thank you for taking part in Teams check 2026.",
            now=now,
            platforms=PLATFORMS,
        )
        assert posted.notes == 5
        for message in (await session.exec(select(OutboxMessage))).all():
            await record_delivery(
                session,
                platform="teams",
                idempotency_key=message.idempotency_key,
                conversation_id=f"a:{message.recipient}",
                activity_id="1",
                now=now,
            )
    return org


async def _invited(sessions: SessionFactory, org: RetentionOrg) -> list[Person]:
    async with sessions() as session:
        rows = await session.exec(
            select(Person)
            .join(Participation, col(Participation.person_id) == col(Person.id))
            .where(Participation.campaign_id == org.old.id)
        )
        return list(rows.all())


def _deliver_everything(client: TestClient, secret: bytes, url: str) -> int:
    """Hand every outbox message to the local inbox, as the local platform does."""
    messages = snapshot(url)["outbox"].values()
    for message in messages:
        body = json.dumps(
            {
                "idempotency_key": message["idempotency_key"],
                "recipient": message["recipient"],
                "organisation_id": message["organisation_id"] or "",
                "payload": message["payload"],
            }
        ).encode()
        headers = {"Content-Type": "application/json", **sign(secret, body)}
        assert client.post("/local/inbox", content=body, headers=headers).is_success
    return len(messages)


def traces(url: str, campaign: Campaign, people: list[Person]) -> list[str]:
    """Rows of any table that tie one of ``people`` to ``campaign``.

    A row is a trace if it names the campaign (id or name) and a person (id,
    email, Slack or Teams id), or holds the draft key of a person and the
    campaign (computable by anyone with the server secret).
    """
    campaign_marks = {str(campaign.id), campaign.id.hex, campaign.name}
    person_marks = set()
    draft_keys = set()
    for person in people:
        person_marks |= {str(person.id), person.id.hex, person.email}
        person_marks |= {mark for mark in (person.slack_id, person.teams_id) if mark}
        draft_keys.add(draft_key(SECRET, person_id=person.id, campaign_id=campaign.id))
    found = []
    for table, rows in snapshot(url).items():
        for key, row in rows.items():
            text = json.dumps(row, default=str)
            names_both = any(mark in text for mark in campaign_marks) and any(
                mark in text for mark in person_marks
            )
            if names_both or any(mark in text for mark in draft_keys):
                found.append(f"{table} {key}")
    return found


@pytest.fixture
def environment(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> str:
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "teams-org")
    return database_url


def test_every_table_after_a_purge_is_silent_about_who_took_part(
    environment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = environment
    org = _with_sessions(url, _round_with_messages)
    people = _with_sessions(url, lambda sessions: _invited(sessions, org))
    assert len(people) == 11
    settings = load_settings(
        database_url=url,
        secret_key=SECRET.decode(),
        seed_demo=False,
        organisation="teams-org",
    )
    with TestClient(create_app(settings)) as client:
        delivered = _deliver_everything(client, settings.secret, url)
    # Invitations to the 6 who did not finish the old round and the 10 who have
    # not answered the open one, 5 notes and the workforce channel's digest.
    assert delivered == 22
    before = traces(url, org.old, people)
    tables = {found.split()[0] for found in before}
    assert tables == {
        "participation",
        "draft",
        "outbox",
        "local_delivery",
        "chat_delivery",
    }

    capsys.readouterr()
    code = main(["retention", "purge", "--org", "teams-org"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), out
    assert "  personal messages: 11 (invitations, reminders and notes " in out

    assert traces(url, org.old, people) == []
    after = snapshot(url)
    tallies = after["participationtally"].values()
    assert sum(tally["people"] for tally in tallies) == 11
    groups: dict[tuple[Any, ...], int] = {}
    for tally in tallies:
        group = tuple(tally[name] for name in ("service_id", "team_id", "role"))
        groups[group] = groups.get(group, 0) + tally["people"]
    assert min(groups.values()) >= 5
    # The open round's invitations and the channel digest are untouched.
    kinds = sorted(row["payload"]["kind"] for row in after["local_delivery"].values())
    assert kinds == ["invitation"] * 10 + ["you_said"]
    assert len(after["outbox"]) == 11
    assert len(after["chat_delivery"]) == 11
