"""Sign-in sessions live on the server: sign-out, revoke, idle and lifetime end them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select, update
from typer.testing import CliRunner
from webchat import SECRET_KEY, Chat, Database, TestClient

from bot.app import create_app
from bot.cli import app as cli_app
from bot.cli import main
from bot.settings import Settings
from bot.web.identity import COOKIE
from survey.models import Person, WebSession
from survey.roster.roles import Access


def _psw(db: Database) -> Person:
    return db.people(access=Access.PSW)[0]


def _opens_dashboard(client: TestClient, cookie: str) -> bool:
    """Whether this session cookie (and no other) opens the PSW's dashboard."""
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie, domain="testserver.local")
    page = client.get("/dashboard", follow_redirects=False)
    return page.status_code == 200


def _rows(db: Database, person: Person) -> list[WebSession]:
    with db.session() as session:
        return list(
            session.exec(
                select(WebSession).where(WebSession.person_id == person.id)
            ).all()
        )


def test_the_old_cookie_gets_nothing_after_sign_out(
    client: TestClient, chat: Chat, db: Database, settings: Settings
) -> None:
    chat.pick(_psw(db))
    stolen = client.cookies[COOKIE]
    assert _opens_dashboard(client, stolen)
    client.post("/sign-out")
    assert COOKIE not in client.cookies
    with TestClient(create_app(settings)) as thief:
        assert not _opens_dashboard(thief, stolen)
        assert "Who is using the chat?" in thief.get("/").text


def test_an_administrator_revokes_every_session_at_once(
    client: TestClient,
    chat: Chat,
    db: Database,
    demo_url: str,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    psw = _psw(db)
    chat.pick(psw)
    first = client.cookies[COOKIE]
    with TestClient(create_app(settings)) as laptop:
        Chat(laptop).pick(psw)
        second = laptop.cookies[COOKIE]
        assert _opens_dashboard(laptop, second)

        monkeypatch.setenv("DATABASE_URL", demo_url)
        monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", SECRET_KEY)
        result = CliRunner().invoke(cli_app, ["sessions", "revoke", psw.email])
        assert result.exit_code == 0, result.output
        assert result.output == (
            f"Ended 2 web sessions of {psw.name}. They must sign in again.\n"
        )
        assert not _opens_dashboard(laptop, second)
    assert not _opens_dashboard(client, first)


def test_revoking_an_unknown_email_says_so_in_one_line(
    demo_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_url)
    monkeypatch.setenv("HEALTHCHECK_SECRET_KEY", SECRET_KEY)
    assert main(["sessions", "revoke", "nobody@example.org"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Error: "), error
    assert error.count("\n") == 1, error


def test_signing_in_rotates_the_session_id(
    client: TestClient, chat: Chat, db: Database
) -> None:
    psw = _psw(db)
    chat.pick(psw)
    before = client.cookies[COOKIE]
    chat.pick(psw)
    after = client.cookies[COOKIE]
    assert before != after
    rows = _rows(db, psw)
    assert len(rows) == 2
    assert sum(row.ended_at is None for row in rows) == 1, "the old one ended"
    assert all(before not in row.token_hash for row in rows), "only hashes stored"


def _age(db: Database, person: Person, **moved: timedelta) -> None:
    with db.session() as session:
        for column, by in moved.items():
            session.exec(
                update(WebSession)
                .where(col(WebSession.person_id) == person.id)
                .values({column: datetime.now(UTC) - by})
            )
        session.commit()


def test_an_idle_session_ends_after_the_idle_timeout(
    client: TestClient, chat: Chat, db: Database
) -> None:
    psw = _psw(db)
    chat.pick(psw)
    cookie = client.cookies[COOKIE]
    _age(db, psw, last_seen_at=timedelta(hours=7, minutes=50))
    assert _opens_dashboard(client, cookie), "8 hours by default"
    _age(db, psw, last_seen_at=timedelta(hours=8, minutes=1))
    assert not _opens_dashboard(client, cookie)


def test_a_used_session_still_ends_at_its_absolute_lifetime(
    client: TestClient, chat: Chat, db: Database
) -> None:
    psw = _psw(db)
    chat.pick(psw)
    cookie = client.cookies[COOKIE]
    _age(db, psw, created_at=timedelta(days=6, hours=23))
    assert _opens_dashboard(client, cookie)
    _age(db, psw, created_at=timedelta(days=7, minutes=1))
    assert not _opens_dashboard(client, cookie)


def test_the_timeouts_are_settings(demo_url: str, db: Database) -> None:
    settings = Settings(
        database_url=demo_url,
        secret_key=SECRET_KEY,
        mode="development",  # type: ignore[arg-type]
        session_idle_minutes=30,
        session_lifetime_hours=2,
    )
    psw = _psw(db)
    with TestClient(create_app(settings)) as client:
        signed = client.post(
            "/persona", data={"person_id": str(psw.id)}, follow_redirects=False
        )
        assert f"Max-Age={2 * 3600}" in signed.headers["set-cookie"]
        cookie = client.cookies[COOKIE]
        assert _opens_dashboard(client, cookie)
        _age(db, psw, last_seen_at=timedelta(minutes=31))
        assert not _opens_dashboard(client, cookie)
