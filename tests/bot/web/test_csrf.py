"""Forged posts: every form that changes something carries this session's token."""

from __future__ import annotations

import logging
import re

import pytest
from webchat import Chat, Database, TestClient

from bot.app import create_app
from bot.settings import Settings
from bot.web import csrf
from survey.models import Campaign, Person
from survey.roster.roles import Access

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _psw(db: Database) -> Person:
    return db.people(access=Access.PSW)[0]


def _open_pulse(db: Database) -> Campaign:
    return db.campaign("Pulse")


def _status(db: Database, campaign: Campaign) -> str:
    with db.session() as session:
        stored = session.get(Campaign, campaign.id)
        assert stored is not None
        return stored.status


def _refusals(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "healthcheck.security"
    ]


def test_a_close_posted_without_the_token_is_refused_and_changes_nothing(
    client: TestClient, chat: Chat, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    chat.pick(_psw(db))
    pulse = _open_pulse(db)
    with caplog.at_level(logging.WARNING, logger="healthcheck.security"):
        refused = client.post(
            "/command", data={"text": f'close "{pulse.name}"', "csrf_token": None}
        )
    assert refused.status_code == 403
    assert "did not come from a Health Check page" in refused.text
    assert "Nothing was changed" in refused.text
    assert _status(db, pulse) == "open"
    assert any(
        "refused forged-post reason=missing path=/command" in line
        for line in _refusals(caplog)
    )


def test_a_token_from_another_session_is_refused(
    client: TestClient,
    chat: Chat,
    db: Database,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A same-site page can sign in itself and copy its own token: no use."""
    with TestClient(create_app(settings)) as attacker:
        attacker.post("/persona", data={"person_id": str(db.people()[0].id)})
        theirs = attacker.csrf_token()
    chat.pick(_psw(db))
    pulse = _open_pulse(db)
    with caplog.at_level(logging.WARNING, logger="healthcheck.security"):
        refused = client.post(
            "/command", data={"text": f'close "{pulse.name}"', "csrf_token": theirs}
        )
    assert refused.status_code == 403
    assert _status(db, pulse) == "open"
    assert any("reason=wrong" in line for line in _refusals(caplog))


def test_another_origin_is_refused_even_with_the_right_token(
    client: TestClient, chat: Chat, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    chat.pick(_psw(db))
    pulse = _open_pulse(db)
    with caplog.at_level(logging.WARNING, logger="healthcheck.security"):
        refused = client.post(
            "/command",
            data={"text": f'close "{pulse.name}"'},
            headers={"Origin": "http://testserver:9000"},
        )
    assert refused.status_code == 403
    assert _status(db, pulse) == "open"
    assert any("reason=other-origin" in line for line in _refusals(caplog))


def test_a_page_that_hides_its_origin_is_refused(
    client: TestClient, chat: Chat, db: Database
) -> None:
    """Our pages send their origin (same-origin referrer policy); null is foreign."""
    chat.pick(_psw(db))
    assert 'content="same-origin"' in client.get("/").text
    refused = client.post("/command", data={"text": "help"}, headers={"Origin": "null"})
    assert refused.status_code == 403


def test_the_token_on_the_page_lets_the_psw_close_the_campaign(
    client: TestClient, chat: Chat, db: Database
) -> None:
    """The honest path works, with the token read from the page itself."""
    chat.pick(_psw(db))
    pulse = _open_pulse(db)
    page = client.get("/").text
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 1, "every form on a page carries the same token"
    done = client.post(
        "/command",
        data={"text": f'close "{pulse.name}"', "csrf_token": tokens.pop()},
        headers={"Origin": "http://testserver"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert _status(db, pulse) == "closed"


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/command", {"text": "help"}),
        ("/start", {"campaign_id": "x"}),
        ("/answer", {"campaign_id": "x", "question_id": "q"}),
        ("/sign-out", {}),
        ("/persona", {"person_id": "x"}),
    ],
)
def test_every_state_changing_form_needs_the_token(
    client: TestClient, chat: Chat, db: Database, path: str, form: dict[str, str]
) -> None:
    chat.pick(_psw(db))
    forged = client.post(path, data={**form, "csrf_token": None})
    assert forged.status_code == 403
    assert client.post(path, data={**form, "csrf_token": "x" * 43}).status_code == 403
    assert client.post(path, data=form).status_code != 403


def test_signing_in_needs_a_token_too(client: TestClient, db: Database) -> None:
    """Login CSRF: a page cannot sign a visitor in as someone else."""
    signed = client.post(
        "/persona", data={"person_id": str(_psw(db).id), "csrf_token": None}
    )
    assert signed.status_code == 403
    assert "hc_session" not in client.cookies


def test_sign_out_with_a_stale_token_does_not_sign_out(
    client: TestClient, chat: Chat, db: Database
) -> None:
    """A token drawn before signing in belongs to the old browser session."""
    before = client.csrf_token()
    chat.pick(_psw(db))
    assert client.post("/sign-out", data={"csrf_token": before}).status_code == 403
    assert "Sign out" in client.get("/").text


def test_the_token_is_bound_to_a_key_of_its_own() -> None:
    one = csrf.token_for(b"s" * 32, session="abc", nonce=None)
    assert one == csrf.token_for(b"s" * 32, session="abc", nonce="ignored")
    assert one != csrf.token_for(b"t" * 32, session="abc", nonce=None)
    assert one != csrf.token_for(b"s" * 32, session=None, nonce="abc")
