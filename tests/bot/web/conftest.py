"""Fixtures for the local web channel: a seeded demo database and a chat client."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from webchat import SECRET_KEY, Chat, Database, TestClient

from bot.app import create_app
from bot.settings import Settings, load_settings
from survey.db import create_engine as create_async_engine
from survey.db import session_factory
from survey.demo import seed_demo
from survey.migrate import upgrade


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the demo organisation, seeded once."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    upgrade(url)

    async def seed() -> None:
        engine = create_async_engine(url)
        try:
            await seed_demo(
                session_factory(engine),
                secret=SECRET_KEY.encode(),
                now=datetime.now(UTC),
            )
        finally:
            await engine.dispose()

    asyncio.run(seed())
    return path


@pytest.fixture
def demo_url(demo_template: Path, tmp_path: Path) -> str:
    """A fresh copy of the seeded demo database for one test."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def settings(demo_url: str) -> Settings:
    return load_settings(database_url=demo_url, secret_key=SECRET_KEY)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture
def db(demo_url: str) -> Iterator[Database]:
    database = Database(demo_url)
    yield database
    database.engine.dispose()


@pytest.fixture
def chat(client: TestClient) -> Chat:
    return Chat(client)
