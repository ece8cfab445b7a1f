"""End to end in Teams, as the Slack one: a pulse to 50 people, answered in cards.

The PSW schedules the pulse by message; the worker sends 50 invitations through
the outbox to the Teams chats stored when people installed the app (through a
burst of 429s); everyone answers by tapping cards; the PSW closes it; a manager
asks for a summary in their personal chat; the PSW logs an action and posts
"you said, we did", which the worker puts in the team channel. Then the
database and every call the fake Bot Connector recorded are checked.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from conftest import PULSE, Council, seed_council, teams_settings
from fakes.teams_connector import FakeConnector
from sqlmodel import func, select
from teamschat import (
    TEAM_CHANNEL,
    Database,
    Member,
    Teams,
    TestClient,
    action,
    actions,
    answer_with,
    channel_message,
    installation_update,
    options,
    team_install,
    walk,
    words,
)

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import Settings
from bot.teams.app import build_adapter, connection_manager
from bot.teams.delivery import TeamsDelivery
from bot.worker import Worker
from survey.db import create_engine, session_factory
from survey.models import (
    Answer,
    Campaign,
    ChatDelivery,
    Draft,
    OutboxMessage,
    Participation,
    Response,
)
from survey.schedule.working_hours import is_working_time, next_working_time

PEOPLE = 50


def in_working_hours() -> datetime:
    """Now if it is working time with an hour to spare, else the next working day.

    The worker's clock; invitations and posts wait for working hours.
    """
    zone = "Europe/London"
    moment = next_working_time(datetime.now(UTC), timezone=zone)
    if not is_working_time(moment + timedelta(hours=1), timezone=zone):
        moment = next_working_time(moment + timedelta(hours=16), timezone=zone)
    return moment + timedelta(minutes=1)


def run_worker(url: str, settings: Settings) -> int:
    """Run the worker (Teams delivery only) until nothing is due; rounds run."""

    async def no_wait(seconds: float) -> None:
        await asyncio.sleep(0)

    async def work() -> int:
        engine = create_engine(url)
        runtime = Runtime(
            settings=settings, engine=engine, sessions=session_factory(engine)
        )
        connections = connection_manager(settings)
        delivery = TeamsDelivery(
            adapter=build_adapter(connections),
            connections=connections,
            sessions=runtime.sessions,
            app_id=None,
            sleep=no_wait,
        )
        # Invitations wait in the outbox for working hours: the worker's clock
        # is in working hours, so whenever the test runs they are due.
        worker = Worker(runtime, {"teams": delivery}, clock=in_working_hours)
        try:
            rounds = 0
            while await worker.work_once():
                rounds += 1
                assert rounds < 20, "the worker never ran out of work"
            return rounds
        finally:
            await engine.dispose()

    return asyncio.run(work())


def answer_pulse(teams: Teams, member: Member, invitation: dict[str, Any]) -> int:
    """Start from the invitation card and answer everything; returns taps."""
    card = teams.tap(member, action(invitation, "command", "Start"))
    taps = 1
    while not actions(card, "submit"):
        choices = options(card)
        if not choices:
            given = f"More time for visits, said {member.name}"
        else:
            # Spread the answers so the summary has something to show.
            given = choices[taps % len(choices)]["value"]
        card = answer_with(teams, member, card, given)
        taps += 1
    thanks = teams.tap(member, action(card, "submit"))
    assert "Thank you" in words(thanks)
    return taps + 1


def count(db: Database, model: type[Any], *where: Any) -> int:
    with db.session() as session:
        query = select(func.count()).select_from(model)
        for condition in where:
            query = query.where(condition)
        return int(session.exec(query).one())


def test_a_pulse_to_fifty_people_in_teams_end_to_end(
    sqlite_url: str, connector: FakeConnector, db: Database
) -> None:
    council: Council = seed_council(sqlite_url, size=PEOPLE - 2, open_now=False)
    everyone = council.everyone
    assert len(everyone) == PEOPLE
    settings = teams_settings(sqlite_url)
    _, psw = council.psw
    _, manager = council.manager
    local = datetime.now(ZoneInfo("Europe/London"))
    opens = local.strftime("%Y-%m-%dT%H:%M")
    closes = (local + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")

    with TestClient(create_app(settings)) as client:
        teams = Teams(client, connector)
        # Everyone has the app; the PSW added it to the workforce team too.
        for _, member in everyone:
            assert (
                teams.post(installation_update(teams.service_url, member)).status_code
                == 202
            )
        assert teams.post(team_install(teams.service_url, psw)).status_code == 202
        # ...and chose its channel for workforce posts.
        chose = channel_message(teams.service_url, psw, "workforce channel")
        assert teams.post(chose).status_code == 202

        # The PSW launches the pulse by message.
        [scheduled] = teams.say(
            psw, f'campaign schedule "{PULSE}" opens={opens} closes={closes}'
        )
        assert PULSE in words(scheduled)
        connector.refuse(3, status=429, retry_after="0")
        run_worker(sqlite_url, settings)

        invitations: dict[str, dict[str, Any]] = {}
        for _, member in everyone:
            posts = connector.posts(member.conversation_id)
            [invitation] = [
                card
                for post in posts
                for card in post.cards
                if f"You're invited: {PULSE}" in words(card)
            ]
            invitations[member.conversation_id] = invitation

        taps = sum(
            answer_pulse(teams, member, invitations[member.conversation_id])
            for _, member in everyone
        )
        assert taps == PEOPLE * 9  # start, seven questions, send

        [closed] = teams.say(psw, f'campaign close "{PULSE}"')
        assert "closed" in words(closed).lower()
        summary = teams.say(manager, "summary")
        summary_words = " ".join(words(card) for card in summary)
        assert "Team A" in summary_words
        assert "not available yet" not in summary_words
        assert [
            node
            for card in summary
            for node in walk(card)
            if node.get("type") == "Table"
        ]

        [logged] = teams.say(
            psw,
            f'action add theme=workload campaign="{PULSE}" '
            'said="Workload is too high" doing="Two more social workers from April" '
            'owner="Head of Service" due=2027-03-31',
        )
        assert "not available yet" not in words(logged)
        [posted] = teams.say(psw, f'post you-said "{PULSE}"')
        assert "not available yet" not in words(posted)
        run_worker(sqlite_url, settings)

    # The database: every answer stored anonymously, nothing left in progress.
    with db.session() as session:
        campaign = session.exec(select(Campaign).where(Campaign.name == PULSE)).one()
    assert count(db, Response, Response.campaign_id == campaign.id) == PEOPLE
    assert count(db, Draft) == 0
    assert (
        count(
            db,
            Participation,
            Participation.campaign_id == campaign.id,
            Participation.status == "completed",
        )
        == PEOPLE
    )
    assert count(db, Answer) >= PEOPLE * 6
    with db.session() as session:
        outbox = session.exec(
            select(
                OutboxMessage.platform,
                OutboxMessage.status,
                OutboxMessage.idempotency_key,
            )
        ).all()
    assert {(platform, status) for platform, status, _ in outbox} == {("teams", "done")}
    kinds = Counter(key.split(":")[0] for _, _, key in outbox)
    assert kinds["invite"] == PEOPLE
    assert kinds["you_said"] == 1
    assert kinds["you_said_note"] == PEOPLE
    assert count(db, ChatDelivery) == len(outbox)

    # The connector: throttled three times, then each message exactly once.
    refused = connector.refused()
    assert [call.status for call in refused] == [429, 429, 429]
    personal = {member.conversation_id for _, member in everyone}
    for _, member in everyone:
        cards = [
            card
            for post in connector.posts(member.conversation_id)
            for card in post.cards
        ]
        invites = [card for card in cards if "You're invited" in words(card)]
        assert len(invites) == 1
        notes = [card for card in cards if "in the workforce channel" in words(card)]
        assert len(notes) == 1
    [welcome, digest] = connector.posts(TEAM_CHANNEL)
    assert "Nobody's answers" in words(welcome.cards[0])
    assert digest.path.endswith(f"/v3/conversations/{TEAM_CHANNEL}/activities")
    assert "Two more social workers from April" in words(digest.cards[0])
    # Answers happened in cards replaced in place: no question ever went to a
    # channel, and nothing in the channel names a person.
    for post in connector.posts(TEAM_CHANNEL):
        text = words(post.cards[0])
        assert "How manageable is your workload" not in text
        assert not any(member.name in text for _, member in everyone)
    # The summary went only to the manager's own chat.
    summary_posts = [
        post
        for post in connector.posts()
        if any(
            node.get("type") == "Table" for card in post.cards for node in walk(card)
        )
    ]
    assert {post.conversation for post in summary_posts} == {manager.conversation_id}
    assert all(
        (post.conversation or "").split(";")[0] in personal | {TEAM_CHANNEL}
        for post in connector.posts()
    )
    assert connector.updates() == []
