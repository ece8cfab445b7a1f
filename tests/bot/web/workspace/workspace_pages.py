"""What the workspace tests share: who is who in the demo, its roster as a file."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

from sqlmodel import col, select
from webchat import Chat, Database

from survey.models import AuditEvent, ManagerOf, Person, Service, Team
from survey.roster.roles import role_label


def psw(db: Database) -> Person:
    """The demo's Principal Social Worker."""
    return db.people(role="principal_social_worker")[0]


def manager(db: Database) -> Person:
    """A team manager (manager access, not PSW)."""
    return db.people(role="team_manager")[0]


def as_psw(chat: Chat, db: Database) -> Chat:
    """The chat signed in as the PSW."""
    chat.pick(psw(db))
    return chat


def words(html: str) -> str:
    """The page's text, tags removed and spaces collapsed."""
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def roster_rows(db: Database) -> list[dict[str, str]]:
    """The active roster as rows of a roster file (manager_of filled in)."""
    with db.session() as session:
        teams = {team.id: team for team in session.exec(select(Team)).all()}
        services = {s.id: s.name for s in session.exec(select(Service)).all()}
        managed: dict[object, list[str]] = {}
        for link in session.exec(select(ManagerOf)).all():
            managed.setdefault(link.person_id, []).append(teams[link.team_id].name)
        people = session.exec(
            select(Person).where(col(Person.active)).order_by(col(Person.email))
        ).all()
        return [
            {
                "name": person.name,
                "email": person.email,
                "slack_id": person.slack_id or "",
                "teams_id": person.teams_id or "",
                "team": teams[person.team_id].name,
                "service": services[teams[person.team_id].service_id],
                "role": role_label(person.role),
                "employment_type": person.employment_type,
                "manager_of": ";".join(sorted(managed.get(person.id, []))),
                "access": person.access,
            }
            for person in people
        ]


def roster_file(rows: list[dict[str, str]]) -> bytes:
    """Rows as a UTF-8 CSV roster file."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def audit_actions(db: Database) -> list[tuple[str, str, str]]:
    """Every (channel, action, subject) in the audit log, oldest first."""
    with db.session() as session:
        events = session.exec(select(AuditEvent).order_by(col(AuditEvent.at))).all()
        return [(event.channel, event.action, event.subject) for event in events]
