"""A deployment for Ashford: its local channel and dashboard show nothing of Brookvale.

Both councils live in one database with colliding names (``tests/two_councils.py``);
the app serves Ashford. Brookvale's people cannot sign in, not even with a
genuinely signed cookie, and nothing Brookvale's is listed or shown.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from builders import NOW, SECRET
from council_copies import councils_in
from row_snapshots import changes, snapshot
from two_councils import B_MARK, HEALTH_CHECK, PULSE, TwoCouncils
from webchat import TestClient

from bot.app import create_app
from bot.commands import dispatch
from bot.platforms.signing import sign
from bot.settings import load_settings
from bot.web.identity import COOKIE, SignedInBy
from survey.db import create_engine, session_factory
from survey.models import OutboxMessage, Person
from survey.personal_links import issue_link
from survey.web_sessions import start_session

SECRET_KEY = SECRET.decode()


@pytest.fixture
def councils(database_url: str) -> TwoCouncils:
    return councils_in(database_url)


@pytest.fixture
def ashford(database_url: str, councils: TwoCouncils) -> Iterator[TestClient]:
    """The app of a deployment serving Ashford (the persona picker is on)."""
    settings = load_settings(
        database_url=database_url,
        secret_key=SECRET_KEY,
        seed_demo=False,
        organisation="ashford",
    )
    with TestClient(create_app(settings)) as client:
        yield client


def brookvale_ids(councils: TwoCouncils) -> list[str]:
    b = councils.b
    ids = [b.id, *(p.id for p in b.people), *(t.id for t in b.teams.values())]
    ids += [s.id for s in b.services.values()]
    ids += [c.id for c in b.campaigns.values()]
    return [str(found) for found in ids]


def assert_nothing_of_brookvale(html: str, councils: TwoCouncils) -> None:
    assert B_MARK not in html.casefold()
    leaked = [found for found in brookvale_ids(councils) if found in html]
    assert leaked == []
    # Brookvale: 23 of 24 answered, 0% favourable; Ashford: 14 of 14, 100%.
    assert not re.search(r"\b(23|24) of\b|\bof (23|24)\b", html)


def cookie_for(database_url: str, person_id: uuid.UUID) -> str:
    """A genuine, live session for ``person_id``, written straight to the table."""

    async def start() -> str:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await start_session(
                    session,
                    person_id=person_id,
                    signed_in_by=SignedInBy.PICKER.value,
                    now=datetime.now(UTC),
                )
        finally:
            await engine.dispose()

    return asyncio.run(start())


def test_the_picker_and_dashboard_list_and_show_only_ashford(
    database_url: str, ashford: TestClient, councils: TwoCouncils
) -> None:
    a, b = councils.a, councils.b
    people = ashford.get("/people")
    assert people.status_code == 200
    assert a.psw.name in people.text
    assert_nothing_of_brookvale(people.text, councils)

    ashford.post("/persona", data={"person_id": str(a.psw.id)})
    page = ashford.get("/dashboard")
    assert page.status_code == 200
    assert "Ashford Council" in page.text
    assert HEALTH_CHECK in page.text
    assert re.search(r"Response rate: 14 of 14", page.text)
    assert_nothing_of_brookvale(page.text, councils)
    options = set(re.findall(r'<option value="([0-9a-f-]{36})"', page.text))
    ashford_ids = {str(t.id) for t in a.teams.values()}
    ashford_ids |= {str(s.id) for s in a.services.values()}
    ashford_ids |= {str(c.id) for c in a.campaigns.values()}
    assert options
    assert options <= ashford_ids

    # Brookvale's campaign and team ids, typed into the address, are ignored.
    asked = (
        f"/dashboard?campaign={b.campaigns[HEALTH_CHECK].id}"
        f"&team={b.teams['Team North'].id}&service={b.services['Adults'].id}"
    )
    page = ashford.get(asked)
    assert page.status_code == 200
    assert re.search(r"Response rate: 14 of 14", page.text)
    assert_nothing_of_brookvale(page.text, councils)

    # The chat lists Ashford's surveys only: Brookvale also has "Brook pulse".
    ashford.post("/persona", data={"person_id": str(a.shared.id)})
    chat = ashford.get("/")
    assert chat.status_code == 200
    assert "Pulse 2026" in chat.text
    assert_nothing_of_brookvale(chat.text, councils)

    # Brookvale's surveys, named by id in a form, can be neither shown nor answered.
    before = snapshot(database_url)
    for name in ("Brook pulse 2026", "Pulse 2026"):
        campaign = str(b.campaigns[name].id)
        for path, form in (
            ("/start", {"campaign_id": campaign}),
            (
                "/answer",
                {"campaign_id": campaign, "question_id": "Q1", "answer": "agree"},
            ),
        ):
            page = ashford.post(path, data=form)
            assert page.status_code == 200, path
            assert_nothing_of_brookvale(page.text, councils)
        shown_survey = ashford.get(f"/?survey={campaign}")
        assert_nothing_of_brookvale(shown_survey.text, councils)
    assert changes(before, snapshot(database_url)) == []


def test_a_brookvale_person_cannot_sign_in_at_ashford(
    ashford: TestClient, councils: TwoCouncils, database_url: str
) -> None:
    for person in (councils.b.psw, councils.b.shared):
        refused_everywhere(ashford, councils, person, database_url)


def refused_everywhere(
    ashford: TestClient, councils: TwoCouncils, person: Person, database_url: str
) -> None:
    """The picker refuses ``person``, and a cookie naming them opens nothing."""
    ashford.cookies.clear()
    chosen = ashford.post(
        "/persona", data={"person_id": str(person.id)}, follow_redirects=False
    )
    assert chosen.status_code == 400
    assert "roster" in chosen.text
    assert COOKIE not in chosen.cookies
    assert_nothing_of_brookvale(chosen.text, councils)

    # Even a genuine session naming them admits them nowhere.
    ashford.cookies.set(COOKIE, cookie_for(database_url, person.id))
    for path in ("/dashboard", "/messages"):
        refused = ashford.get(path, follow_redirects=False)
        assert refused.status_code == 303, path
        assert refused.headers["location"] == "/"
    home = ashford.get("/")
    assert home.status_code == 200
    assert person.name not in home.text
    assert_nothing_of_brookvale(home.text, councils)


def deliver_locally(client: TestClient, message: OutboxMessage) -> None:
    """Hand an outbox row to the local channel's inbox, as the worker does."""
    body = json.dumps(
        {
            "idempotency_key": message.idempotency_key,
            "recipient": message.recipient,
            "organisation_id": str(message.organisation_id or ""),
            "payload": message.payload,
        }
    ).encode()
    answer = client.post(
        "/local/inbox",
        content=body,
        headers={"Content-Type": "application/json", **sign(SECRET, body)},
    )
    assert answer.status_code == 200


def test_ashford_s_messages_page_shows_no_brookvale_workforce_post(
    database_url: str, ashford: TestClient, councils: TwoCouncils
) -> None:
    async def post_brookvale_digest() -> list[OutboxMessage]:
        engine = create_engine(database_url)
        sessions = session_factory(engine)
        try:
            result = await dispatch(
                sessions,
                secret=SECRET,
                person=councils.b.psw,
                text=f'post you-said "{HEALTH_CHECK}"',
                now=NOW,
            )
            assert "posted" in repr(result.messages).casefold()
            async with sessions() as session:
                from sqlmodel import select

                rows = await session.exec(select(OutboxMessage))
                return list(rows.all())
        finally:
            await engine.dispose()

    for message in asyncio.run(post_brookvale_digest()):
        deliver_locally(ashford, message)
    ashford.post("/persona", data={"person_id": str(councils.a.shared.id)})
    page = ashford.get("/messages")
    assert page.status_code == 200
    assert_nothing_of_brookvale(page.text, councils)


def test_a_brookvale_link_opened_at_ashford_is_unknown_and_stays_usable(
    database_url: str, ashford: TestClient, councils: TwoCouncils
) -> None:
    async def issue() -> str:
        engine = create_engine(database_url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await issue_link(
                    session,
                    person_id=councils.b.shared.id,
                    campaign_id=councils.b.campaigns[PULSE].id,
                    expires_at=datetime.now(UTC) + timedelta(days=7),
                )
        finally:
            await engine.dispose()

    token = asyncio.run(issue())
    before = snapshot(database_url)
    opened = ashford.get(f"/s/{token}", follow_redirects=False)
    assert opened.status_code == 404
    assert COOKIE not in opened.cookies
    assert_nothing_of_brookvale(opened.text, councils)
    assert changes(before, snapshot(database_url)) == [], "the link was used up"
