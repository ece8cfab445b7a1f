"""The PSW's dashboard: role-checked, filterable, suppressed cells shown as hidden."""

from __future__ import annotations

import re

from webchat import Chat, Database

from survey.models import Team


def _psw(db: Database) -> object:
    return db.people(role="principal_social_worker")[0]


def test_only_the_psw_can_open_the_dashboard(chat: Chat, db: Database) -> None:
    chat.pick(db.people(role="team_manager")[0])
    chat.get("/dashboard")
    assert chat.status == 403
    assert "Only the Principal Social Worker" in chat.html


def test_the_psw_sees_figures_and_a_chart(chat: Chat, db: Database) -> None:
    chat.pick(_psw(db))  # type: ignore[arg-type]
    html = chat.get("/dashboard")
    assert chat.status == 200
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{100,}"', html)
    assert "LGA standards: score out of 100" in html
    assert re.search(r"Response rate: \d+ of \d+", html)


def test_a_small_team_filter_shows_hidden_not_figures(chat: Chat, db: Database) -> None:
    chat.pick(_psw(db))  # type: ignore[arg-type]
    with db.session() as session:
        from sqlmodel import select

        teams = session.exec(select(Team)).all()
    hidden_seen = False
    for team in teams:
        html = chat.get(f"/dashboard?team={team.id}&role=social_worker")
        assert chat.status == 200
        if 'id="suppressed"' in html:
            hidden_seen = True
            assert "data:image/png" not in html
            assert "<td>" not in html.split('id="suppressed"')[1]
    assert hidden_seen, "some team and role combination is small in the demo"
