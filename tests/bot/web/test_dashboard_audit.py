"""Each dashboard view the PSW opens is written to the audit log, with its filters."""

from __future__ import annotations

from sqlmodel import col, select
from webchat import Chat, Database

from survey.models import AuditEvent, Campaign, Team


def _events(db: Database) -> list[AuditEvent]:
    with db.session() as session:
        return list(session.exec(select(AuditEvent).order_by(col(AuditEvent.at))))


def test_a_filtered_view_is_logged_once_with_its_filters(
    chat: Chat, db: Database
) -> None:
    psw = db.people(role="principal_social_worker")[0]
    with db.session() as session:
        campaign = session.exec(
            select(Campaign).where(Campaign.status == "closed").order_by(Campaign.name)
        ).first()
        team = session.exec(select(Team).order_by(Team.name)).first()
    assert campaign is not None
    assert team is not None
    chat.pick(psw)
    assert _events(db) == []
    chat.get(f"/dashboard?campaign={campaign.id}&team={team.id}&role=social_worker")
    assert chat.status == 200
    events = _events(db)
    assert len(events) == 1
    event = events[0]
    assert (event.actor, event.actor_person_id) == (psw.name, psw.id)
    assert (event.channel, event.action) == ("dashboard", "dashboard.viewed")
    assert event.subject == f"{campaign.name} · {team.name} / Social worker"
    chat.get("/dashboard")
    assert [e.subject.split(" · ")[1] for e in _events(db)][-1] == (
        "Whole organisation"
    )


def test_a_refused_visitor_leaves_no_entry(chat: Chat, db: Database) -> None:
    chat.pick(db.people(role="team_manager")[0])
    chat.get("/dashboard")
    assert chat.status == 403
    assert _events(db) == []
