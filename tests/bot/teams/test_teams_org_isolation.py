"""Teams in a regional round: a deployment serves its own council's tenant only.

Ashford and Brookvale share one database (``tests/two_councils.py``); this
deployment serves Ashford, whose Microsoft 365 tenant is ``TENANT``. Brookvale's
people, writing from Brookvale's tenant, are refused and nothing is stored; in
Ashford's tenant they are not on the roster; Ashford's people see only Ashford.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from council_copies import councils_in
from fakes.teams_connector import FakeConnector
from row_snapshots import changes, snapshot
from teamschat import SECRET_KEY, TENANT, Member, Teams, TestClient, message, words
from two_councils import B_MARK, Council, TwoCouncils

from bot.app import create_app
from bot.settings import load_settings
from survey.db import create_engine, session_factory
from survey.models import Person

BROOKVALE_TENANT = "0b5e1c3a-9d2f-4e6b-8a7c-3f1e2d4c5b6a"


@pytest.fixture
def members(database_url: str) -> tuple[TwoCouncils, dict[str, Member]]:
    """The councils, with Teams accounts for the PSWs and the shared person."""

    councils = councils_in(database_url)
    made: dict[str, Member] = {}

    async def give_accounts() -> None:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        try:
            async with sessions() as session, session.begin():
                for key, council in (("a", councils.a), ("b", councils.b)):
                    for who in ("psw", "shared"):
                        person = await session.get(Person, _person(council, who).id)
                        assert person is not None
                        member = Member.new(person.name)
                        person.teams_id = member.aad_object_id
                        session.add(person)
                        made[f"{key}.{who}"] = member
        finally:
            await engine.dispose()

    asyncio.run(give_accounts())
    return councils, made


def _person(council: Council, who: str) -> Person:
    person: Person = getattr(council, who)
    return person


@pytest.fixture
def ashford(database_url: str, connector: FakeConnector) -> Iterator[Teams]:
    settings = load_settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        seed_demo=False,
        organisation="ashford",
        teams_enabled=True,
        teams_tenant_id=TENANT,
    )
    with TestClient(create_app(settings)) as client:
        yield Teams(client, connector)


def from_tenant(activity: dict[str, Any], tenant: str) -> dict[str, Any]:
    """The activity as it arrives from another tenant."""
    if isinstance(activity, dict):
        return {key: from_tenant(value, tenant) for key, value in activity.items()}
    if isinstance(activity, list):
        return [from_tenant(value, tenant) for value in activity]
    return tenant if activity == TENANT else activity


def reply_to(teams: Teams, member: Member, activity: dict[str, Any]) -> str:
    before = len(teams.connector.posts(member.conversation_id))
    response = teams.post(activity)
    assert response.status_code == 202, response.text
    posts = teams.connector.posts(member.conversation_id)[before:]
    return " ".join(words(card) for call in posts for card in call.cards)


def test_another_tenant_is_refused_and_ashford_sees_only_ashford(
    database_url: str,
    ashford: Teams,
    members: tuple[TwoCouncils, dict[str, Member]],
) -> None:
    _, member = members
    url = ashford.service_url

    before = snapshot(database_url)
    for who in ("b.psw", "b.shared"):
        for typed in ("summary", "status", "start"):
            activity = from_tenant(message(url, member[who], typed), BROOKVALE_TENANT)
            refused = reply_to(ashford, member[who], activity)
            assert "serves another organisation" in refused
            assert B_MARK not in refused.casefold()
    assert changes(before, snapshot(database_url)) == []

    # In Ashford's tenant (as a guest, say) Brookvale's PSW is on no roster here.
    stranger = reply_to(
        ashford, member["b.psw"], message(url, member["b.psw"], "summary")
    )
    assert "roster" in stranger
    assert B_MARK not in stranger.casefold()

    for who, typed in (("a.psw", "summary"), ("a.shared", "status")):
        reply = reply_to(ashford, member[who], message(url, member[who], typed))
        assert B_MARK not in reply.casefold(), (typed, reply)
        assert "23 of 24" not in reply
    assert "14 of 14" in reply_to(
        ashford, member["a.psw"], message(url, member["a.psw"], "summary")
    )
    assert "Pulse 2026" in reply_to(
        ashford, member["a.shared"], message(url, member["a.shared"], "status")
    )
