"""Teams behind a council's outbound proxy: the Bot Connector is reached through it.

The proxy and the connector both run on loopback; ``HTTP_PROXY`` is what an
``http://`` service address is fetched through (``HTTPS_PROXY`` for Teams' real
``https://`` ones, read the same way).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from conftest import PULSE, Council, seed_council_async, teams_settings
from fakes.http_proxy import FakeProxy, running_proxy
from fakes.teams_connector import FakeConnector, running_connector
from microsoft_agents.activity import Activity
from sqlmodel import select
from teamschat import installation_update

from bot.teams.app import build_adapter, connection_manager
from bot.teams.delivery import TeamsDelivery
from bot.teams.references import conversation_info
from survey.db import SessionFactory
from survey.delivery.conversations import remember_conversation
from survey.delivery.outbox import enqueue
from survey.models import OutboxMessage


@pytest.fixture
def connector() -> Iterator[FakeConnector]:
    with running_connector() as running:
        yield running


@pytest.fixture
def proxy() -> Iterator[FakeProxy]:
    with running_proxy() as running:
        yield running


async def invite_one(
    sessions: SessionFactory, council: Council, connector: FakeConnector, new: bool
) -> OutboxMessage:
    """Queue an invitation; with ``new`` the person has no chat with the bot yet."""
    person, member = council.staff[0]
    _, other = council.staff[1]
    activity = installation_update(connector.service_url, other if new else member)
    info = conversation_info(Activity.model_validate(activity))
    assert info is not None
    async with sessions() as session, session.begin():
        await remember_conversation(
            session,
            platform="teams",
            conversation_id=info.conversation_id,
            kind=info.kind,
            reference=info.reference,
            organisation_id=council.organisation_id,  # type: ignore[arg-type]
            user_key=info.user_key,
            tenant_id=info.tenant_id,
            now=datetime.now(UTC),
        )
        await enqueue(
            session,
            idempotency_key=f"invite:{person.id}",
            platform="teams",
            recipient=str(person.teams_id),
            payload={"kind": "invitation", "campaign": PULSE},
            organisation_id=council.organisation_id,  # type: ignore[arg-type]
            not_before=datetime.now(UTC) - timedelta(seconds=1),
        )
        return (await session.exec(select(OutboxMessage))).one()


def delivery(database_url: str, sessions: SessionFactory) -> TeamsDelivery:
    connections = connection_manager(teams_settings(database_url))
    return TeamsDelivery(
        adapter=build_adapter(connections),
        connections=connections,
        sessions=sessions,
        app_id=None,
    )


@pytest.mark.parametrize("new", [False, True], ids=["existing-chat", "new-chat"])
async def test_sends_go_through_the_proxy_in_the_environment(
    database_url: str,
    sessions: SessionFactory,
    connector: FakeConnector,
    proxy: FakeProxy,
    monkeypatch: pytest.MonkeyPatch,
    new: bool,
) -> None:
    council = await seed_council_async(database_url, size=2)
    message = await invite_one(sessions, council, connector, new)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    assert (await delivery(database_url, sessions).send(message)).ok
    [post] = connector.posts()
    targets = proxy.targets()
    assert f"POST {connector.url}{post.path}" in targets
    if new:
        assert f"POST {connector.url}/amer/v3/conversations" in targets


async def test_no_proxy_hosts_are_reached_directly(
    database_url: str,
    sessions: SessionFactory,
    connector: FakeConnector,
    proxy: FakeProxy,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    council = await seed_council_async(database_url, size=2)
    message = await invite_one(sessions, council, connector, False)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert (await delivery(database_url, sessions).send(message)).ok
    assert len(connector.posts()) == 1
    assert proxy.targets() == []
