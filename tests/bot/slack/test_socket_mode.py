"""Socket Mode: the app connects out to Slack and serves the same listeners."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import Org, slack_settings
from fakes.slack_api import FakeSlack
from fakes.slack_socket import FakeSocketMode
from slackapp import TestClient, slash_command

from bot.app import create_app


@pytest.fixture
def socket_server(fake_slack: FakeSlack) -> Iterator[FakeSocketMode]:
    with FakeSocketMode() as server:
        fake_slack.socket_url = server.url
        yield server


async def test_a_slash_command_over_socket_mode_is_acked_and_answered(
    org: Org, fake_slack: FakeSlack, socket_server: FakeSocketMode
) -> None:
    settings = slack_settings(
        org.url,
        fake_slack,
        slack_signing_secret=None,
        slack_socket_mode=True,
        slack_app_token="xapp-1-fake-app-token",
    )
    user = org.small.people[0].slack_id or ""
    with TestClient(create_app(settings)) as client:
        assert client.post("/slack/events", content=b"{}").status_code == 404
        assert socket_server.connected.wait(10)
        opened = fake_slack.calls_to("apps.connections.open")
        assert [call.token for call in opened] == ["xapp-1-fake-app-token"]
        socket_server.send(
            {
                "envelope_id": "env-1",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": slash_command(
                    user,
                    "status",
                    channel="C0GENERAL",
                    response_url=fake_slack.response_url(),
                ),
            }
        )
        socket_server.wait_for_ack("env-1")
        reply = fake_slack.wait_for_responses(1)[0]
        socket_server.send(
            {
                "envelope_id": "env-2",
                "type": "slash_commands",
                "accepts_response_payload": True,
                "payload": slash_command(
                    user,
                    "start",
                    channel="C0GENERAL",
                    response_url=fake_slack.response_url(),
                ),
            }
        )
        socket_server.wait_for_ack("env-2")
        fake_slack.wait_for_dm(user)
    assert reply["response_type"] == "ephemeral"
    assert "Small check 2026" in reply["text"]
    assert "My workload is manageable." in str(fake_slack.dm_messages(user)[-1].blocks)
