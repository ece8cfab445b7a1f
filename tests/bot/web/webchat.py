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
    from fastapi.testclient import TestClient as PlainClient

from bot.web import csrf
from bot.web.identity import COOKIE as SESSION_COOKIE

SECRET_KEY = "web-channel-test-secret-0123456789"


class TestClient(PlainClient):
    """A browser on our pages: its form posts carry the CSRF token they drew.

    The token is the one ``csrf_field()`` puts in every form of the page the
    browser has open, computed the same way from the browser's cookies. Pass
    ``csrf_token`` yourself to post another, or ``None`` to post none (a forgery).
    """

    def post(self, url: Any, *args: Any, **kwargs: Any) -> Any:
        data = kwargs.get("data")
        if (data is None or isinstance(data, dict)) and not kwargs.get("json"):
            data = dict(data or {})
            data.setdefault(csrf.FIELD, self.csrf_token())
            if data[csrf.FIELD] is None:
                del data[csrf.FIELD]
            kwargs["data"] = data
        return super().post(url, *args, **kwargs)

    def csrf_token(self) -> str:
        """The token this browser's pages carry (a first visit sets its cookie)."""
        if not self.cookies.get(csrf.COOKIE):
            self.get("/healthz")
        secret: bytes = self.app.state.runtime.settings.secret  # type: ignore[attr-defined]
        return csrf.token_for(
            secret,
            session=self.cookies.get(SESSION_COOKIE),
            nonce=self.cookies.get(csrf.COOKIE),
        )


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
        page = html if html is not None else self.html
        answer_form = re.search(
            r'<form method="post" action="/answer".*?</form>', page, re.S
        )
        fields = dict(FIELD.findall(answer_form.group(0) if answer_form else ""))
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

    def pressed(self) -> str:
        """The option shown as this question's current answer (aria-pressed)."""
        found = re.search(r'value="([^"]+)" aria-pressed="true"', self.html)
        assert found, "no option is marked as the answer"
        return found.group(1)

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
