"""Helpers for the web channel tests: the database, and a person using the chat."""

from __future__ import annotations

import re
import uuid
import warnings
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, pool
from sqlmodel import Session, col, select

from survey.db import sqlite_connect_hook, sync_url
from survey.models import Campaign, Person

with warnings.catch_warnings():
    # Starlette asks for httpx2 instead of httpx; the lock has httpx.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette")
    from fastapi.testclient import TestClient

SECRET_KEY = "web-channel-test-secret-0123456789"


class Database:
    """Synchronous reads and small writes straight to the test database."""

    def __init__(self, url: str) -> None:
        self.engine = create_engine(sync_url(url), poolclass=pool.NullPool)
        sqlite_connect_hook(self.engine)

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    def campaign(self, prefix: str) -> Campaign:
        with self.session() as session:
            found = session.exec(
                select(Campaign).where(col(Campaign.name).startswith(prefix))
            ).all()
            open_ones = [c for c in found if c.status == "open"]
            assert len(open_ones) == 1, [c.name for c in found]
            return open_ones[0]

    def people(self, **where: Any) -> list[Person]:
        with self.session() as session:
            query = select(Person).order_by(col(Person.email))
            for name, value in where.items():
                query = query.where(getattr(Person, name) == value)
            return list(session.exec(query).all())


FIELD = re.compile(r'name="(campaign_id|question_id|form_token)" value="([^"]*)"')


@dataclass
class Chat:
    """A person using the chat page through a test client, as a browser would."""

    client: TestClient
    html: str = ""
    status: int = 0
    history: list[str] = field(default_factory=list)

    def _keep(self, response: Any) -> str:
        self.html = response.text
        self.status = response.status_code
        self.history.append(self.html)
        return self.html

    def get(self, path: str = "/") -> str:
        return self._keep(self.client.get(path))

    def pick(self, person: Person | uuid.UUID) -> str:
        person_id = person if isinstance(person, uuid.UUID) else person.id
        return self._keep(
            self.client.post("/persona", data={"person_id": str(person_id)})
        )

    def start(self, campaign: Campaign) -> str:
        return self._keep(
            self.client.post("/start", data={"campaign_id": str(campaign.id)})
        )

    def form(self, html: str | None = None) -> dict[str, str]:
        """The hidden fields of the answer form on the page."""
        fields = dict(FIELD.findall(html if html is not None else self.html))
        assert {"campaign_id", "question_id", "form_token"} <= set(fields), "no form"
        return fields

    def post(self, form: dict[str, str], **data: Any) -> str:
        return self._keep(self.client.post("/answer", data={**form, **data}))

    def answer(self, value: str | list[str] | None = None, **extra: Any) -> str:
        data: dict[str, Any] = {"action": "answer", **extra}
        if value is not None:
            data["answer"] = value
        if isinstance(value, list):
            data["multiple"] = "1"
        return self.post(self.form(), **data)

    def command(self, text: str) -> str:
        return self._keep(self.client.post("/command", data={"text": text}))

    @property
    def question(self) -> str:
        return self.form()["question_id"]

    @property
    def progress(self) -> str | None:
        found = re.search(r"Question \d+ of \d+", self.html)
        return found.group(0) if found else None

    def notices(self) -> list[str]:
        return [
            " ".join(re.sub(r"<[^>]+>", " ", block).split())
            for block in re.findall(
                r'<div class="message notice[^"]*" role="status"[^>]*>(.*?)</div>',
                self.html,
                re.S,
            )
        ]

    def problems(self) -> list[str]:
        return [
            " ".join(re.sub(r"<[^>]+>", " ", block).split())
            for block in re.findall(
                r'<div class="problem" role="alert"[^>]*>(.*?)</div>', self.html, re.S
            )
        ]
