"""The local channel's inbox and message view: signed delivery, shown escaped."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlmodel import select
from webchat import Chat, Database

from bot.platforms.signing import sign
from bot.settings import Settings
from survey.models import LocalDelivery


def _deliver(client: TestClient, settings: Settings, **message: object) -> int:
    body = json.dumps(message).encode()
    headers = {"Content-Type": "application/json", **sign(settings.secret, body)}
    return client.post("/local/inbox", content=body, headers=headers).status_code


def test_a_signed_delivery_is_stored_once_and_shown_escaped(
    client: TestClient, settings: Settings, chat: Chat, db: Database
) -> None:
    person = db.people(role="social_worker")[0]
    post = {
        "idempotency_key": "brief:1",
        "recipient": "channel:workforce",
        "organisation_id": "",
        "payload": {
            "kind": "announcement",
            "title": "Practice week <b>news</b>",
            "body": "<script>alert(1)</script> @here <!channel>",
        },
    }
    assert _deliver(client, settings, **post) == 200
    assert _deliver(client, settings, **post) == 200
    with db.session() as session:
        assert len(session.exec(select(LocalDelivery)).all()) == 1
    chat.pick(person)
    html = chat.get("/messages")
    assert "Workforce channel" in html
    assert "Practice week &lt;b&gt;news&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_a_forged_or_unsigned_delivery_is_refused_and_stores_nothing(
    client: TestClient, db: Database
) -> None:
    body = json.dumps(
        {"idempotency_key": "x", "recipient": "channel:workforce", "payload": {}}
    ).encode()
    forged = sign(b"not-the-server-secret-at-all", body)
    for headers in ({}, forged):
        response = client.post("/local/inbox", content=body, headers=headers)
        assert response.status_code == 401
    with db.session() as session:
        assert session.exec(select(LocalDelivery)).all() == []


def test_a_person_sees_their_own_messages_but_not_other_peoples(
    client: TestClient, settings: Settings, chat: Chat, db: Database
) -> None:
    first, second = db.people(role="social_worker")[:2]
    for person in (first, second):
        assert (
            _deliver(
                client,
                settings,
                idempotency_key=f"invite:{person.id}",
                recipient=f"person:{person.id}",
                organisation_id="",
                payload={"kind": "invitation", "campaign": f"Survey for {person.name}"},
            )
            == 200
        )
    chat.pick(first)
    html = chat.get("/messages")
    assert f"Survey for {first.name}" in html
    assert f"Survey for {second.name}" not in html


def test_messages_need_a_signed_in_person(client: TestClient) -> None:
    response = client.get("/messages", follow_redirects=False)
    assert response.status_code == 303
