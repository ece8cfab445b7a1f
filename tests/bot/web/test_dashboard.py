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


def test_the_dashboard_lists_the_surveys_actions_with_their_status(
    chat: Chat, db: Database
) -> None:
    from sqlmodel import select

    from survey.models import Action, Campaign

    with db.session() as session:
        closed = session.exec(
            select(Campaign).where(Campaign.status == "closed")
        ).first()
        assert closed is not None
        session.add(
            Action(
                organisation_id=closed.organisation_id,
                campaign_id=closed.id,
                theme="workload",
                question_key="WL01",
                you_said="Caseloads are too high",
                we_did="Two posts funded",
                owner="Head of Service",
                status="in progress",
            )
        )
        session.commit()
    chat.pick(_psw(db))  # type: ignore[arg-type]
    html = chat.get(f"/dashboard?campaign={closed.id}")
    assert chat.status == 200
    actions = html.split('id="actions"')[1]
    assert "Caseloads are too high" in actions
    assert "Two posts funded" in actions
    assert "in progress" in actions
    assert "WL01" in actions
    assert "Workload" in actions


def test_the_dashboard_leads_with_headlines_and_says_what_favourable_means(
    chat: Chat, db: Database
) -> None:
    from sqlmodel import col, select

    from survey.models import Campaign

    # Last year's social work health check (the latest closed survey is a pulse).
    with db.session() as session:
        health_check = session.exec(
            select(Campaign)
            .where(
                Campaign.status == "closed",
                col(Campaign.name).startswith("Social work health check"),
            )
            .order_by(col(Campaign.year).desc())
        ).first()
    assert health_check is not None
    chat.pick(_psw(db))  # type: ignore[arg-type]
    html = chat.get(f"/dashboard?campaign={health_check.id}")
    headlines = re.findall(r"<li>([^<]+)</li>", html.split("Three headlines")[1])
    assert len(headlines) == 3
    assert all(re.search(r"\d+%", line) for line in headlines)
    assert "Favourable = Agree or Strongly agree" in html
    assert "Favourable = No</span>" in html
