"""Personal links in the browser: sign in once without the picker, then refuse."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner
from webchat import SECRET_KEY, Chat, Database, TestClient

from bot.app import create_app
from bot.settings import Settings
from bot.web.identity import COOKIE
from bot.web.links_cli import app as link_app
from survey.db import create_engine, session_factory
from survey.models import Person
from survey.personal_links import issue_link


def issue(
    url: str,
    person: Person,
    *,
    campaign_id: object = None,
    expires_at: datetime | None = None,
) -> str:
    async def work() -> str:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await issue_link(
                    session,
                    person_id=person.id,
                    campaign_id=campaign_id,  # type: ignore[arg-type]
                    expires_at=expires_at or datetime.now(UTC) + timedelta(days=14),
                )
        finally:
            await engine.dispose()

    return asyncio.run(work())


def test_a_link_signs_in_without_the_picker_and_opens_its_survey(
    client: TestClient, db: Database, demo_url: str
) -> None:
    person = db.people(role="reablement_worker")[0]
    pulse = db.campaign("Pulse check")
    token = issue(demo_url, person, campaign_id=pulse.id)

    opened = client.get(f"/s/{token}", follow_redirects=False)
    assert opened.status_code == 200
    assert f"signs you in as <strong>{person.name}</strong>" in opened.text
    assert '<button type="submit" class="button primary">Continue</button>' in (
        opened.text
    )
    assert COOKIE not in client.cookies, "opening the link signs nobody in"

    arrived = client.post(f"/s/{token}", follow_redirects=False)
    assert arrived.status_code == 303
    assert arrived.headers["location"] == f"/?survey={pulse.id}"
    cookie = arrived.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()

    page = client.get(arrived.headers["location"])
    assert f"Signed in as <strong>{person.name}</strong>" in page.text
    assert "Who is using the chat?" not in page.text
    assert "Switch person" not in page.text
    assert f"Start {pulse.name}" in page.text


def test_a_second_use_from_another_browser_is_refused_clearly(
    client: TestClient, db: Database, demo_url: str, settings: Settings
) -> None:
    person = db.people(role="social_worker")[0]
    token = issue(demo_url, person)
    assert client.post(f"/s/{token}", follow_redirects=False).status_code == 303

    with TestClient(create_app(settings)) as other:
        again = other.get(f"/s/{token}", follow_redirects=False)
        assert other.post(f"/s/{token}").status_code == 410
        assert again.status_code == 410
        assert (
            "This link has already been used. Ask your Principal Social Worker for "
            "a new one." in again.text
        )
        assert COOKIE not in again.cookies
        assert "Who is using the chat?" in other.get("/").text


def test_expired_and_forged_links_are_refused(
    client: TestClient, db: Database, demo_url: str
) -> None:
    person = db.people(role="social_worker")[0]
    expired = issue(
        demo_url, person, expires_at=datetime.now(UTC) - timedelta(minutes=1)
    )

    page = client.get(f"/s/{expired}")
    assert page.status_code == 410
    assert "This link has expired. Ask your Principal Social Worker" in page.text

    for forged in ("nonsense", expired[:-2] + "xy", "%3Cscript%3E"):
        page = client.get(f"/s/{forged}")
        assert page.status_code == 404
        assert "not one we recognise" in page.text
        assert "<script>" not in page.text
    assert COOKIE not in client.cookies


def test_a_chat_session_from_a_link_can_answer(
    client: TestClient, db: Database, demo_url: str
) -> None:
    person = db.people(role="social_worker")[1]
    pulse = db.campaign("Pulse check")
    client.post(f"/s/{issue(demo_url, person, campaign_id=pulse.id)}")
    chat = Chat(client)
    chat.start(pulse)
    chat.answer("manageable")
    assert chat.progress == "Question 2 of 7"


def test_the_cli_prints_a_working_link(
    client: TestClient,
    db: Database,
    demo_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    person = db.people(role="social_worker")[2]
    pulse = db.campaign("Pulse check")
    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("HEALTHCHECK_PUBLIC_URL", "https://healthcheck.example.org/")

    result = CliRunner().invoke(
        link_app,
        ["issue", person.email.upper(), "--campaign", pulse.name, "--days", "3"],
    )

    assert result.exit_code == 0, result.output
    found = re.search(r"https://healthcheck\.example\.org/s/(\S+)", result.output)
    assert found is not None
    assert "It works once" in result.output
    assert client.get(f"/s/{found.group(1)}").status_code == 200
    arrived = client.post(f"/s/{found.group(1)}", follow_redirects=False)
    assert arrived.status_code == 303
    assert arrived.headers["location"] == f"/?survey={pulse.id}"


def test_opening_a_link_many_times_uses_nothing(
    client: TestClient, db: Database, demo_url: str
) -> None:
    """A preview, a virus scanner or a page redirecting here spends nothing."""
    person = db.people(role="social_worker")[3]
    token = issue(demo_url, person)
    for _ in range(3):
        assert client.get(f"/s/{token}").status_code == 200
    assert COOKIE not in client.cookies
    assert client.post(f"/s/{token}", follow_redirects=False).status_code == 303


def test_a_link_never_silently_replaces_who_is_signed_in(
    client: TestClient, db: Database, demo_url: str
) -> None:
    """Login CSRF: a page sends a signed-in worker to the attacker's own link."""
    victim, attacker = db.people(role="social_worker")[4:6]
    Chat(client).pick(victim)
    token = issue(demo_url, attacker)

    # The redirect lands on a page that asks; it signs no one in.
    landed = client.get(f"/s/{token}")
    assert landed.status_code == 200
    assert f"You are signed in as <strong>{victim.name}</strong>" in landed.text
    assert f"this link is for <strong>{attacker.name}</strong>" in landed.text
    assert f"Sign out and continue as {attacker.name}" in landed.text
    assert f"Signed in as <strong>{victim.name}</strong>" in client.get("/").text

    # A post without the page's token (the attacker's auto-submitting form).
    forged = client.post(f"/s/{token}", data={"csrf_token": None})
    assert forged.status_code == 403
    # Even with the token, the first post asks again rather than switch.
    asked = client.post(f"/s/{token}", follow_redirects=False)
    assert asked.status_code == 409
    assert f"Signed in as <strong>{victim.name}</strong>" in client.get("/").text

    # Only the person's own choice on that page switches.
    switched = client.post(
        f"/s/{token}", data={"switch": "yes"}, follow_redirects=False
    )
    assert switched.status_code == 303
    assert f"Signed in as <strong>{attacker.name}</strong>" in client.get("/").text


def test_a_persons_own_link_while_signed_in_as_them_just_continues(
    client: TestClient, db: Database, demo_url: str
) -> None:
    person = db.people(role="social_worker")[6]
    Chat(client).pick(person)
    token = issue(demo_url, person)
    opened = client.get(f"/s/{token}")
    assert "You are signed in as" not in opened.text
    assert client.post(f"/s/{token}", follow_redirects=False).status_code == 303
