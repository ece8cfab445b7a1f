"""The Teams workforce channel: chosen by the PSW, never moved by what Teams sends.

Every activity goes through ``/api/messages``; posts go out through the real
Teams delivery to the fake connector, so a test sees which channel a you-said
digest actually lands in.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import Council, teams_settings
from fakes.teams_connector import FakeConnector
from sqlmodel import select
from teamschat import (
    TEAM_CHANNEL,
    Database,
    Teams,
    channel_event,
    channel_message,
    team_install,
    words,
)

from bot.cli import main
from bot.teams.app import build_adapter, connection_manager
from bot.teams.delivery import TeamsDelivery
from survey.db import create_engine, session_factory
from survey.delivery.outbox import SendResult, enqueue
from survey.models import ChatConversation, Organisation, OutboxMessage

OTHER_CHANNEL = "19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2"
NEW_CHANNEL = "19:6d97d816470f481dbcda38244b98689a@thread.tacv2"
DIGEST = {"kind": "you_said", "title": "You said, we did", "body": "Caseloads capped."}


def send_workforce_post(url: str, key: str) -> SendResult:
    """Queue a you-said post to ``channel:workforce`` and deliver it once."""

    async def work() -> SendResult:
        engine = create_engine(url)
        sessions = session_factory(engine)
        connections = connection_manager(teams_settings(url))
        delivery = TeamsDelivery(
            adapter=build_adapter(connections),
            connections=connections,
            sessions=sessions,
            app_id=None,
        )
        try:
            async with sessions() as session, session.begin():
                organisation = (await session.exec(select(Organisation))).one()
                await enqueue(
                    session,
                    idempotency_key=key,
                    platform="teams",
                    recipient="channel:workforce",
                    payload=DIGEST,
                    organisation_id=organisation.id,
                    not_before=datetime.now(UTC) - timedelta(seconds=1),
                )
            async with sessions() as session:
                message = (
                    await session.exec(
                        select(OutboxMessage).where(
                            OutboxMessage.idempotency_key == key
                        )
                    )
                ).one()
            return await delivery.send(message)
        finally:
            await engine.dispose()

    return asyncio.run(work())


def chosen(db: Database) -> str | None:
    with db.session() as session:
        return session.exec(select(Organisation)).one().teams_workforce_channel


def psw_notes(db: Database, council: Council) -> list[str]:
    """The notes queued for the PSW, oldest first."""
    psw, _ = council.psw
    with db.session() as session:
        rows = session.exec(
            select(OutboxMessage).where(OutboxMessage.recipient == psw.teams_id)
        ).all()
    return [str(row.payload.get("text")) for row in rows]


def replies_in(connector: FakeConnector, channel: str) -> list[dict[str, Any]]:
    """Cards posted in ``channel``, its threads included."""
    return [
        card
        for post in connector.posts()
        if (post.conversation or "").split(";")[0] == channel
        for card in post.cards
    ]


def digests(connector: FakeConnector) -> list[str | None]:
    """Which conversations a you-said digest was posted in."""
    return [
        post.conversation
        for post in connector.posts()
        if any("Caseloads capped" in words(card) for card in post.cards)
    ]


@pytest.fixture
def psw_chose_general(teams: Teams, council: Council, db: Database) -> Teams:
    """The app added to the team, and the PSW chose its General channel."""
    _, psw = council.psw
    assert teams.post(team_install(teams.service_url, psw)).status_code == 202
    assert chosen(db) is None  # being added to a team chooses nothing
    teams.post(channel_message(teams.service_url, psw, "workforce channel"))
    reply = replies_in(teams.connector, TEAM_CHANNEL)[-1]
    assert "will be posted in this channel of Children's Services" in words(reply)
    assert chosen(db) == TEAM_CHANNEL
    return teams


def test_with_no_channel_chosen_a_workforce_post_is_held_with_the_fix_named(
    teams: Teams, council: Council, sqlite_url: str
) -> None:
    _, psw = council.psw
    teams.post(team_install(teams.service_url, psw))
    result = send_workforce_post(sqlite_url, "you_said:held")
    assert not result.ok
    assert result.permanent
    assert "no Teams workforce channel is chosen for 'teams-council'" in str(
        result.error
    )
    assert "@Health Check workforce channel" in str(result.error)
    assert digests(teams.connector) == []


def test_staff_cannot_choose_the_channel(
    teams: Teams, council: Council, db: Database
) -> None:
    _, psw = council.psw
    _, worker = council.staff[0]
    teams.post(team_install(teams.service_url, psw))
    teams.post(channel_message(teams.service_url, worker, "workforce channel"))
    reply = replies_in(teams.connector, TEAM_CHANNEL)[-1]
    assert "Only the PSW can choose" in words(reply)
    assert chosen(db) is None


def test_an_at_mention_in_another_channel_does_not_move_workforce_posts(
    psw_chose_general: Teams, council: Council, db: Database, sqlite_url: str
) -> None:
    teams = psw_chose_general
    _, worker = council.staff[0]
    teams.post(channel_message(teams.service_url, worker, "help", OTHER_CHANNEL))
    assert replies_in(teams.connector, OTHER_CHANNEL)  # the bot answered there
    assert chosen(db) == TEAM_CHANNEL
    assert send_workforce_post(sqlite_url, "you_said:1").ok
    assert digests(teams.connector) == [TEAM_CHANNEL]


def test_a_new_channel_does_not_move_workforce_posts(
    psw_chose_general: Teams, council: Council, db: Database, sqlite_url: str
) -> None:
    teams = psw_chose_general
    _, psw = council.psw
    created = channel_event(
        teams.service_url, psw, "channelCreated", NEW_CHANNEL, "FunDiscussions"
    )
    assert teams.post(created).status_code == 202
    assert chosen(db) == TEAM_CHANNEL
    with db.session() as session:
        known = session.exec(select(ChatConversation.conversation_id)).all()
    assert NEW_CHANNEL not in known
    assert psw_notes(db, council) == []
    assert send_workforce_post(sqlite_url, "you_said:2").ok
    assert digests(teams.connector) == [TEAM_CHANNEL]


def test_another_channel_deleted_changes_nothing(
    psw_chose_general: Teams, council: Council, db: Database, sqlite_url: str
) -> None:
    teams = psw_chose_general
    _, psw = council.psw
    teams.post(channel_message(teams.service_url, psw, "help", OTHER_CHANNEL))
    deleted = channel_event(
        teams.service_url, psw, "channelDeleted", OTHER_CHANNEL, "Old stuff"
    )
    assert teams.post(deleted).status_code == 202
    assert chosen(db) == TEAM_CHANNEL
    assert psw_notes(db, council) == []
    assert send_workforce_post(sqlite_url, "you_said:3").ok
    assert digests(teams.connector) == [TEAM_CHANNEL]


def test_the_chosen_channel_deleted_holds_posts_and_tells_the_psw_once(
    psw_chose_general: Teams, council: Council, db: Database, sqlite_url: str
) -> None:
    teams = psw_chose_general
    _, psw = council.psw
    teams.post(channel_message(teams.service_url, psw, "help", OTHER_CHANNEL))
    deleted = channel_event(
        teams.service_url, psw, "channelDeleted", TEAM_CHANNEL, "General"
    )
    assert teams.post(deleted).status_code == 202
    assert teams.post(deleted).status_code == 202  # Teams retrying the same event
    [note] = psw_notes(db, council)
    assert "('General') was deleted" in note
    assert "posts are held" in note
    # Not guessed: the other channel the bot knows is not used.
    assert chosen(db) == TEAM_CHANNEL
    result = send_workforce_post(sqlite_url, "you_said:4")
    assert not result.ok
    assert result.permanent
    assert "was deleted or the app removed from its team" in str(result.error)
    assert digests(teams.connector) == []
    # Restored: posts go there again, and the PSW hears of it.
    restored = channel_event(
        teams.service_url, psw, "channelRestored", TEAM_CHANNEL, "General"
    )
    teams.post(restored)
    assert "was restored" in psw_notes(db, council)[-1]
    assert send_workforce_post(sqlite_url, "you_said:5").ok
    assert digests(teams.connector) == [TEAM_CHANNEL]


def test_the_chosen_channel_renamed_is_reported_and_still_used(
    psw_chose_general: Teams, council: Council, db: Database, sqlite_url: str
) -> None:
    teams = psw_chose_general
    _, psw = council.psw
    renamed = channel_event(
        teams.service_url, psw, "channelRenamed", TEAM_CHANNEL, "Staff news"
    )
    assert teams.post(renamed).status_code == 202
    [note] = psw_notes(db, council)
    assert "was renamed to 'Staff news'" in note
    assert chosen(db) == TEAM_CHANNEL
    assert send_workforce_post(sqlite_url, "you_said:6").ok
    assert digests(teams.connector) == [TEAM_CHANNEL]


def test_teams_refusing_the_channel_is_reported_to_the_psw(
    psw_chose_general: Teams, council: Council, db: Database, sqlite_url: str
) -> None:
    teams = psw_chose_general
    teams.connector.refuse(1, status=404, retry_after=None)
    result = send_workforce_post(sqlite_url, "you_said:7")
    assert not result.ok
    assert result.permanent
    [note] = psw_notes(db, council)
    assert "Teams answered 404" in note


def healthcheck(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str]:
    """``healthcheck teams workforce-channel ARGUMENTS`` in this process."""
    capsys.readouterr()
    code = main(["teams", "workforce-channel", *arguments])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out + err


def test_the_command_line_shows_sets_and_clears_the_channel(
    psw_chose_general: Teams,
    council: Council,
    db: Database,
    sqlite_url: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    teams = psw_chose_general
    _, psw = council.psw
    teams.post(channel_message(teams.service_url, psw, "help", OTHER_CHANNEL))
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", "teams-test-secret-0123456789abcdef")
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "teams-council")
    code, shown = healthcheck(capsys)
    assert code == 0, shown
    assert f"the Teams workforce channel is {TEAM_CHANNEL}" in shown
    code, unknown = healthcheck(capsys, "19:nosuch@thread.tacv2")
    assert code == 1
    assert "has not been added to a Teams channel with id" in unknown
    assert OTHER_CHANNEL in unknown  # the channels it does know
    assert chosen(db) == TEAM_CHANNEL  # a mistake changes nothing
    code, moved = healthcheck(capsys, OTHER_CHANNEL)
    assert code == 0, moved
    assert chosen(db) == OTHER_CHANNEL
    code, cleared = healthcheck(capsys, "--clear")
    assert code == 0, cleared
    assert "held (not posted) until one is chosen" in cleared
    assert chosen(db) is None
    code, shown = healthcheck(capsys)
    assert "has no Teams workforce channel chosen" in shown
