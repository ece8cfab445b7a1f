"""Conversation references: stored on install and first message, retired on removal."""

from __future__ import annotations

import pytest
from conftest import Council, teams_settings
from fakes.teams_connector import FakeConnector
from sqlmodel import select
from teamschat import (
    TEAM_CHANNEL,
    TENANT,
    Database,
    Member,
    Teams,
    TestClient,
    channel_message,
    installation_update,
    message,
    team_install,
    team_uninstall,
    words,
)

from bot.app import create_app
from survey.models import ChatConversation


def stored(db: Database) -> list[ChatConversation]:
    with db.session() as session:
        return list(
            session.exec(
                select(ChatConversation).order_by(ChatConversation.conversation_id)
            ).all()
        )


def test_a_personal_install_stores_the_reference_and_a_removal_retires_it(
    teams: Teams, council: Council, db: Database
) -> None:
    _, member = council.staff[0]
    assert teams.post(installation_update(teams.service_url, member)).status_code == 202
    [conversation] = stored(db)
    assert conversation.platform == "teams"
    assert conversation.kind == "personal"
    assert conversation.conversation_id == member.conversation_id
    assert conversation.user_key == member.aad_object_id
    assert conversation.tenant_id == TENANT
    assert conversation.organisation_id == council.organisation_id
    assert conversation.active
    reference = conversation.reference
    assert reference["serviceUrl"] == teams.service_url
    assert reference["conversation"]["tenantId"] == TENANT
    assert reference["bot"]["id"].startswith("28:")
    assert "activityId" not in reference
    teams.post(installation_update(teams.service_url, member, "remove"))
    [retired] = stored(db)
    assert not retired.active


def test_a_first_message_stores_the_reference_too(
    teams: Teams, council: Council, db: Database
) -> None:
    _, member = council.staff[1]
    teams.say(member, "help")
    teams.say(member, "help")
    [conversation] = stored(db)
    assert conversation.conversation_id == member.conversation_id


def test_a_team_install_stores_the_channel_and_says_hello_there(
    teams: Teams, council: Council, db: Database
) -> None:
    _, psw = council.psw
    assert teams.post(team_install(teams.service_url, psw)).status_code == 202
    [channel] = stored(db)
    assert (channel.kind, channel.conversation_id) == ("channel", TEAM_CHANNEL)
    assert channel.title == "Children's Services"
    [welcome] = teams.connector.posts(TEAM_CHANNEL)
    assert "Nobody's answers are ever posted here" in words(welcome.cards[0])
    # A message in a thread of that channel keeps one reference, to the channel.
    teams.post(channel_message(teams.service_url, psw, "help"))
    [same] = stored(db)
    assert same.conversation_id == TEAM_CHANNEL
    assert same.title == "Children's Services"
    teams.post(team_uninstall(teams.service_url, psw))
    [retired] = stored(db)
    assert not retired.active


def test_another_tenant_is_refused_and_nothing_is_stored(
    sqlite_url: str, connector: FakeConnector, council: Council, db: Database
) -> None:
    settings = teams_settings(
        sqlite_url, teams_tenant_id="00000000-0000-0000-0000-000000000000"
    )
    _, member = council.staff[0]
    with TestClient(create_app(settings)) as client:
        teams = Teams(client, connector)
        [card] = teams.say(member, "start")
    assert "serves another organisation" in words(card)
    assert stored(db) == []


@pytest.mark.parametrize("kind", ["message", "install"])
def test_a_stranger_s_chat_is_kept_so_a_later_roster_entry_can_reach_them(
    teams: Teams, council: Council, db: Database, kind: str
) -> None:
    stranger = Member.new("Sam Stranger")
    if kind == "message":
        teams.post(message(teams.service_url, stranger, "help"))
    else:
        teams.post(installation_update(teams.service_url, stranger))
    [conversation] = stored(db)
    assert conversation.user_key == stranger.aad_object_id
