"""Helpers for the posts pages' tests: the PSW, hidden form fields, the outbox."""

from __future__ import annotations

import html
import re
from typing import Any

from sqlalchemy import func
from sqlmodel import SQLModel, col, select
from webchat import Chat, Database

from survey.demo import BRIEFING_TITLE
from survey.models import AuditEvent, Campaign, Job, OutboxMessage, Person

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def psw(db: Database) -> Person:
    return db.people(role="principal_social_worker")[0]


def as_psw(chat: Chat, db: Database) -> Person:
    person = psw(db)
    chat.pick(person)
    return person


def confirm_fields(page: str) -> list[tuple[str, str]]:
    """The hidden fields of the first (confirm) form on a preview page."""
    form = page.split('class="confirm-actions"')[1].split("</form>")[0]
    return [
        (name, html.unescape(value))
        for name, value in HIDDEN.findall(form)
        if name != "csrf_token"
    ]


def as_dict(fields: list[tuple[str, str]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for name, value in fields:
        if name in found:
            found[name] = [
                *([found[name]] if isinstance(found[name], str) else found[name]),
                value,
            ]
        else:
            found[name] = value
    return found


def outbox(db: Database) -> list[OutboxMessage]:
    """What the test's posts put in the outbox (not the demo's own briefing)."""
    with db.session() as session:
        return [
            message
            for message in session.exec(
                select(OutboxMessage).order_by(col(OutboxMessage.recipient))
            )
            if message.payload.get("title") != BRIEFING_TITLE
        ]


def jobs(db: Database, kind: str) -> list[Job]:
    with db.session() as session:
        return list(session.exec(select(Job).where(Job.kind == kind)))


def audit_actions(db: Database) -> list[tuple[str, str, str]]:
    with db.session() as session:
        rows = session.exec(select(AuditEvent).order_by(col(AuditEvent.at)))
        return [(row.channel, row.action, row.subject) for row in rows]


def counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            name: session.exec(select(func.count()).select_from(table)).one()
            for name, table in SQLModel.metadata.tables.items()
        }


def text_of(page: str) -> str:
    """The page's words, tags dropped and spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def problem(page: str) -> str:
    found = re.search(r'<div class="problem" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no problem shown"
    return text_of(found.group(1)).removeprefix("There is a problem ").strip()


def survey(db: Database, status: str, prefix: str = "Social work") -> Campaign:
    """The latest survey in that state (the demo has closed rounds for two years)."""
    with db.session() as session:
        found = session.exec(
            select(Campaign)
            .where(Campaign.status == status, col(Campaign.name).startswith(prefix))
            .order_by(col(Campaign.year).desc(), col(Campaign.created_at).desc())
        ).first()
    assert found is not None, (status, prefix)
    return found
