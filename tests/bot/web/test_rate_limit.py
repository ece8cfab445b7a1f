"""Failed sign-ins are limited per address; refused dashboard views are logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from test_links import issue
from webchat import SECRET_KEY, Chat, Database, TestClient

from bot.app import create_app
from bot.settings import load_settings
from bot.web.identity import COOKIE
from bot.web.rate_limit import FailureLimiter
from survey.roster.roles import Access

SECURITY = "healthcheck.security"


@pytest.fixture
def strict(demo_url: str) -> Iterator[TestClient]:
    """The app with three failed sign-ins allowed per address."""
    settings = load_settings(
        database_url=demo_url, secret_key=SECRET_KEY, sign_in_failure_limit=3
    )
    with TestClient(create_app(settings)) as client:
        yield client


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == SECURITY]


def test_guessing_links_is_stopped_with_a_clear_429(
    strict: TestClient, db: Database, demo_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    person = db.people(role="social_worker")[0]
    genuine = issue(demo_url, person)
    for guess in ("guess-one", "guess-two", "guess-three"):
        assert strict.get(f"/s/{guess}").status_code == 404
    with caplog.at_level(logging.WARNING, logger=SECURITY):
        stopped = strict.get(f"/s/{genuine}")
        posted = strict.post(f"/s/{genuine}", follow_redirects=False)
    assert stopped.status_code == 429
    assert posted.status_code == 429
    assert 0 < int(stopped.headers["retry-after"]) <= 600
    assert "<h1>Too many attempts</h1>" in stopped.text
    assert "Please try again in 10 minutes" in stopped.text
    assert COOKIE not in strict.cookies, "nobody signed in"
    logged = _messages(caplog)
    limited = [line for line in logged if "sign-in-rate" in line]
    assert limited == ["refused sign-in-rate path=/s/… client=testclient"] * 2
    assert all(genuine not in line for line in logged)


def test_successful_sign_ins_are_not_counted(
    strict: TestClient, db: Database, demo_url: str
) -> None:
    """A whole office behind one address can arrive at once."""
    for person in db.people(role="social_worker")[:6]:
        token = issue(demo_url, person)
        strict.cookies.clear()  # each person's own browser
        assert strict.post(f"/s/{token}", follow_redirects=False).status_code == 303


def test_a_persona_not_on_the_roster_counts_as_a_failure(strict: TestClient) -> None:
    for _ in range(3):
        assert strict.post("/persona", data={"person_id": "nobody"}).status_code == 400
    assert strict.post("/persona", data={"person_id": "nobody"}).status_code == 429


def test_the_limit_is_per_address_and_forgets_after_the_window() -> None:
    limiter = FailureLimiter(limit=2)
    limiter.failed("10.0.0.1", now=0)
    limiter.failed("10.0.0.1", now=60)
    assert limiter.retry_after("10.0.0.1", now=61) == 539
    assert limiter.retry_after("10.0.0.2", now=61) is None
    assert limiter.retry_after("10.0.0.1", now=599) == 1
    assert limiter.retry_after("10.0.0.1", now=600) is None, "the first has expired"


@pytest.mark.parametrize("access", [Access.MANAGER, Access.STAFF])
def test_a_refused_dashboard_view_is_logged(
    client: TestClient,
    chat: Chat,
    db: Database,
    access: Access,
    caplog: pytest.LogCaptureFixture,
) -> None:
    person = db.people(access=access)[0]
    chat.pick(person)
    with caplog.at_level(logging.WARNING, logger=SECURITY):
        refused = client.get("/dashboard?team=x")
    assert refused.status_code == 403
    assert [line for line in _messages(caplog) if "refused page" in line] == [
        f"refused page person={person.id} page=/dashboard held={access.value} "
        "needed=psw"
    ]
