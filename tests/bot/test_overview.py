"""The /surveys page, served by the real app on a real SQLite database."""

from __future__ import annotations

import asyncio
import os
import warnings
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markupsafe import escape

from bot.app import create_app
from bot.settings import Settings, load_settings
from survey.campaigns import Audience, create_campaign, open_campaign
from survey.db import create_engine, session_factory
from survey.demo import DEMO_NAME, seed_demo
from survey.errors import SettingsError
from survey.organisations import find_organisation
from survey.questions.bank import load_all

with warnings.catch_warnings():
    # Starlette asks for httpx2 instead of httpx; the lock has httpx.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette")
    from starlette.testclient import TestClient

SCRIPT_NAME = '<script>alert("hi")</script> & Co pulse'


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No settings from the developer's shell or a .env in the working folder."""
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")  # as `make run`
    monkeypatch.chdir(tmp_path)


def settings_for(database_url: str) -> Settings:
    return load_settings(database_url=database_url)


def page_of(settings: Settings) -> str:
    with TestClient(create_app(settings)) as client:
        response = client.get("/surveys")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_the_page_lists_the_open_surveys_and_their_questions(
    sqlite_url: str,
) -> None:
    page = page_of(settings_for(sqlite_url))
    year = datetime.now(UTC).year
    assert f"Open surveys at {DEMO_NAME}" in page
    for name in (
        f"Social work health check {year}",
        f"Wider workforce health check {year}",
        f"Pulse check {datetime.now(UTC):%B %Y}",
    ):
        assert f">{name}</h2>" in page
    assert f"health check {year - 1}" not in page, "last year's closed ones are gone"
    # Feedback surveys open only with a briefing, so the demo has none.
    for bank in (bank for bank in load_all() if bank.kind != "feedback"):
        assert escape(bank.title) in page
        for question in (bank.questions[0], bank.questions[-1]):
            assert escape(question.text) in page


def test_names_from_the_database_are_escaped(sqlite_url: str) -> None:
    async def add_campaign() -> None:
        engine = create_engine(sqlite_url)
        sessions = session_factory(engine)
        try:
            now = datetime.now(UTC)
            await seed_demo(sessions, secret=b"x" * 32, now=now)
            async with sessions() as session, session.begin():
                demo = await find_organisation(session, slug="demo")
                campaign = await create_campaign(
                    session,
                    organisation_id=demo.id,
                    template_key="pulse-check",
                    name=SCRIPT_NAME,
                    year=now.year,
                    audience=Audience(),
                )
                await open_campaign(session, campaign=campaign, now=now)
        finally:
            await engine.dispose()

    asyncio.run(add_campaign())
    page = page_of(settings_for(sqlite_url))
    assert "&lt;script&gt;alert(&#34;hi&#34;)&lt;/script&gt; &amp; Co pulse" in page
    assert "<script>" not in page


def test_the_app_will_not_start_on_a_database_that_is_not_migrated(
    tmp_path: Path,
) -> None:
    settings = settings_for(f"sqlite:///{tmp_path / 'new.db'}")
    with (
        pytest.raises(SettingsError) as refused,
        TestClient(create_app(settings)),
    ):
        pass
    message = str(refused.value)
    assert "nothing (empty)" in message
    assert message.endswith("Run `healthcheck db upgrade` first.")


def test_questions_are_described_in_words_not_the_banks_codes(
    sqlite_url: str,
) -> None:
    page = page_of(settings_for(sqlite_url))
    # How a question is answered, who a survey is for, and when a follow-up is asked.
    assert "From &#39;Strongly disagree&#39; to &#39;Strongly agree&#39;" in page
    assert "Who it is for: Registered social workers." in page
    assert "Who it is for: The wider workforce." in page
    assert "asked only if you answer &#39;Yes&#39; to question" in page
    for code in ("agree5", "yes_no_unsure", "social_work", "wider_workforce", "(PE01"):
        assert code not in page, code
