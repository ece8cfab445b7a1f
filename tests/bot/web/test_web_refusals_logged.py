"""A replayed answer form and a reused personal link are refused and logged."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from webchat import SECRET_KEY, Chat, Database, TestClient

from bot.app import create_app
from bot.settings import Settings
from survey.anonymity import draft_key
from survey.db import create_engine, session_factory
from survey.models import Draft, Person
from survey.personal_links import issue_link

SECURITY = "healthcheck.security"


def refusals(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == SECURITY]


def draft_answers(db: Database, person: Person, campaign_id: object) -> object:
    key = draft_key(SECRET_KEY.encode(), person_id=person.id, campaign_id=campaign_id)  # type: ignore[arg-type]
    with db.session() as session:
        draft = session.get(Draft, key)
        return None if draft is None else dict(draft.answers)


def test_a_replayed_answer_form_is_refused_and_logged_without_the_answer(
    chat: Chat, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    person = db.people(role="social_worker", access="staff")[0]
    pulse = db.campaign("Pulse check")
    chat.pick(person)
    chat.start(pulse)
    form = chat.form()
    chat.post(form, action="answer", answer="manageable")
    assert refusals(caplog) == []

    with caplog.at_level(logging.INFO):
        chat.post(form, action="answer", answer="not_manageable")

    assert chat.status == 200
    assert any("nothing was changed" in notice for notice in chat.notices())
    assert draft_answers(db, person, pulse.id) == {"WL02": "manageable"}
    [record] = refusals(caplog)
    assert record.refusal == "form-token"  # type: ignore[attr-defined]
    assert record.facts == {  # type: ignore[attr-defined]
        "reason": "used",
        "person": str(person.id),
        "campaign": str(pulse.id),
    }
    assert "not_manageable" not in record.getMessage()


def test_a_form_drawn_for_someone_else_is_logged_as_foreign(
    chat: Chat, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    alice, bob = db.people(role="social_worker", access="staff")[:2]
    pulse = db.campaign("Pulse check")
    chat.pick(alice)
    chat.start(pulse)
    alices_page = chat.form()
    chat.pick(bob)

    with caplog.at_level(logging.INFO):
        chat.post(alices_page, action="answer", answer="manageable")

    assert any("out of date" in notice for notice in chat.notices())
    assert draft_answers(db, bob, pulse.id) is None
    [record] = refusals(caplog)
    assert record.facts["reason"] == "foreign"  # type: ignore[attr-defined]
    assert record.facts["person"] == str(bob.id)  # type: ignore[attr-defined]


def _issue(url: str, person: Person) -> str:
    async def work() -> str:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session, session.begin():
                return await issue_link(
                    session,
                    person_id=person.id,
                    campaign_id=None,
                    expires_at=datetime.now(UTC) + timedelta(days=14),
                )
        finally:
            await engine.dispose()

    return asyncio.run(work())


def test_a_reused_personal_link_is_refused_and_logged_without_the_link(
    client: TestClient,
    db: Database,
    demo_url: str,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    person = db.people(role="social_worker")[0]
    token = _issue(demo_url, person)
    assert client.post(f"/s/{token}", follow_redirects=False).status_code == 303
    assert refusals(caplog) == []

    with TestClient(create_app(settings)) as other, caplog.at_level(logging.INFO):
        again = other.get(f"/s/{token}", follow_redirects=False)
        unknown = other.get("/s/not-a-link-at-all", follow_redirects=False)

    assert again.status_code == 410
    assert "This link has already been used." in again.text
    assert unknown.status_code == 404
    used, guessed = refusals(caplog)
    assert used.refusal == "personal-link"  # type: ignore[attr-defined]
    assert used.facts == {"reason": "used", "client": "testclient"}  # type: ignore[attr-defined]
    assert guessed.facts["reason"] == "unknown"  # type: ignore[attr-defined]
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == SECURITY)
    assert token not in logged
    assert str(person.id) not in logged
