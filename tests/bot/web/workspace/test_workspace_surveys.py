"""Surveys in the workspace: listed in words, created, scheduled, opened and closed."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, func, select
from webchat import Chat, Database
from workspace_pages import as_psw, audit_actions, words

from survey.models import Campaign, Job, Participation

LONDON = ZoneInfo("Europe/London")


def stored(db: Database, name: str) -> Campaign:
    with db.session() as session:
        found = session.exec(select(Campaign).where(Campaign.name == name)).one()
        return found


def create(chat: Chat, name: str = "Health check spring") -> str:
    """Create a draft health check (a pulse would overlap the demo's open one)."""
    response = chat.client.post(
        "/workspace/surveys",
        data={
            "template": "social-worker-health-check",
            "name": name,
            "year": "2027",
            "workforce": "social_work",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    location: str = response.headers["location"]
    assert location.endswith("?done=created")
    return location.split("?")[0]


def picker(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%Y-%m-%dT%H:%M}"


def test_the_list_says_kind_state_and_audience_in_words(
    chat: Chat, db: Database
) -> None:
    html = as_psw(chat, db).get("/workspace/surveys")
    assert chat.status == 200
    text = words(html)
    assert "Registered social workers" in text
    assert "The wider workforce" in text or "the wider workforce" in text
    assert "Pulse check" in text
    assert "Open" in text
    assert "Closed" in text
    for label in ("agree5", "social_work", "for social", "campaign", "Campaign"):
        assert label not in text


def test_a_template_shows_each_question_with_its_wording_and_small_id(
    chat: Chat, db: Database
) -> None:
    html = as_psw(chat, db).get("/workspace/surveys/new?template=pulse-check")
    assert chat.status == 200
    text = words(html)
    assert "The questions of Pulse check" in text
    assert re.search(r'<span class="qid">[A-Z]+\d+</span>', html)
    assert "From 'Strongly disagree' to 'Strongly agree'" in text
    assert "agree5" not in text
    assert 'name="name"' in html


def test_the_psw_creates_a_survey_and_it_is_logged(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    page = create(chat)
    html = chat.get(page + "?done=created")
    assert "Survey created." in words(html)
    campaign = stored(db, "Health check spring")
    assert campaign.status == "draft"
    assert campaign.year == 2027
    assert audit_actions(db) == [
        (
            "workspace",
            "campaign.created",
            "Health check spring · Social worker health check",
        )
    ]


def test_a_blank_or_taken_name_is_explained_and_nothing_is_created(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    before = _count(db)
    blank = chat.client.post(
        "/workspace/surveys",
        data={"template": "pulse-check", "name": "  ", "year": "2027"},
    )
    assert blank.status_code == 400
    assert "Give the survey a name" in words(blank.text)
    taken = stored(db, next(iter(_names(db))))
    again = chat.client.post(
        "/workspace/surveys",
        data={"template": "pulse-check", "name": taken.name, "year": "2027"},
    )
    assert again.status_code == 400
    assert f"There is already a survey called '{taken.name}'." in words(again.text)
    assert "campaign" not in words(again.text).lower()
    bad_year = chat.client.post(
        "/workspace/surveys",
        data={"template": "pulse-check", "name": "New one", "year": "27"},
    )
    assert bad_year.status_code == 400
    assert "four digits" in bad_year.text
    assert _count(db) == before


def test_schedule_with_monday_9am_and_a_picked_close_with_reminders(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = create(chat)
    closes = datetime.now(UTC) + timedelta(days=30)
    response = chat.client.post(
        page + "/schedule",
        data={
            "opens_text": "Monday 9am",
            "closes_at": picker(closes),
            "remind": ["3", "-1"],
        },
        follow_redirects=False,
    )
    assert response.status_code == 303, words(response.text)
    campaign = stored(db, "Health check spring")
    assert campaign.opens_at is not None
    opens = campaign.opens_at.astimezone(LONDON)
    assert (opens.strftime("%A"), opens.hour, opens.minute) == ("Monday", 9, 0)
    assert campaign.opens_at > datetime.now(UTC)
    assert campaign.closes_at is not None
    assert picker(campaign.closes_at) == picker(closes)
    assert sorted(campaign.reminder_days) == [-1, 3]
    with db.session() as session:
        jobs = session.exec(
            select(Job.kind).where(
                col(Job.dedupe_key).contains(str(campaign.id)),
                Job.status == "pending",
            )
        ).all()
    assert sorted(set(jobs)) == ["campaign.close", "campaign.open", "campaign.remind"]
    html = chat.get(page + "?done=scheduled")
    assert "Monday" in words(html)
    assert audit_actions(db)[-1][1] == "campaign.scheduled"


def test_bad_dates_are_explained_and_nothing_is_planned(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = create(chat)
    cases = [
        (
            {"opens_text": "whenever", "closes_text": "tomorrow 14:30"},
            "I can't read the opening time 'whenever'",
        ),
        ({"opens_text": "tomorrow 9am"}, "Give the closing time"),
        (
            {"opens_text": "tomorrow 14:30", "closes_text": "tomorrow 9am"},
            "The closing time must be after the opening time.",
        ),
        (
            {"opens_at": "2020-01-06T09:00", "closes_text": "tomorrow 9am"},
            "The opening time is in the past.",
        ),
    ]
    for data, message in cases:
        response = chat.client.post(page + "/schedule", data=data)
        assert response.status_code == 400, data
        assert message in words(response.text), words(response.text)
        assert 'role="alert"' in response.text
    campaign = stored(db, "Health check spring")
    assert campaign.opens_at is None
    assert campaign.closes_at is None
    assert "campaign.scheduled" not in [a for _, a, _ in audit_actions(db)]


def test_open_then_close_only_after_confirming(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    page = create(chat)
    response = chat.client.post(page + "/open", follow_redirects=False)
    assert response.status_code == 303
    campaign = stored(db, "Health check spring")
    assert campaign.status == "open"
    with db.session() as session:
        invited = session.exec(
            select(func.count())
            .select_from(Participation)
            .where(Participation.campaign_id == campaign.id)
        ).one()
    assert invited > 0
    assert audit_actions(db)[-1][1:] == (
        "campaign.opened",
        f"Health check spring · {invited} invited",
    )

    confirm = words(chat.get(page + "/close"))
    assert chat.status == 200
    assert "Nobody can answer it any more" in confirm
    assert "It cannot be reopened" in confirm
    assert "results appear" in confirm

    unconfirmed = chat.client.post(page + "/close", data={})
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm" in words(unconfirmed.text)
    assert stored(db, "Health check spring").status == "open"

    closed = chat.client.post(
        page + "/close", data={"confirm": "yes"}, follow_redirects=False
    )
    assert closed.status_code == 303
    assert stored(db, "Health check spring").status == "closed"
    assert audit_actions(db)[-1][1:] == ("campaign.closed", "Health check spring")
    assert "Survey closed" in words(chat.get(page + "?done=closed"))


def test_a_draft_cannot_be_closed_and_an_open_one_not_reopened(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = create(chat)
    assert "Only an open survey can be closed" in words(chat.get(page + "/close"))
    refused = chat.client.post(page + "/close", data={"confirm": "yes"})
    assert refused.status_code == 400
    assert "is draft, so it cannot be closed" in words(refused.text)
    assert stored(db, "Health check spring").status == "draft"
    chat.client.post(page + "/open")
    again = chat.client.post(page + "/open")
    assert again.status_code == 400
    assert "'Health check spring' is already open." in words(again.text)


def test_an_unknown_survey_is_not_found(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    for path in (
        "/workspace/surveys/not-an-id",
        "/workspace/surveys/00000000-0000-0000-0000-000000000000",
        "/workspace/surveys/00000000-0000-0000-0000-000000000000/close",
    ):
        chat.get(path)
        assert chat.status == 404, path
        assert "Survey not found" in chat.html


def _count(db: Database) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(Campaign)).one())


def _names(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.exec(select(Campaign.name)).all())


def test_a_survey_lists_only_the_questions_it_asks(chat: Chat, db: Database) -> None:
    with db.session() as session:
        # The open pulse (the demo also has closed ones).
        pulse = session.exec(
            select(Campaign).where(
                col(Campaign.name).startswith("Pulse check"), Campaign.status == "open"
            )
        ).one()
        pulse.question_keys = ["WB01", "LD05"]
        session.add(pulse)
        session.commit()
    html = as_psw(chat, db).get(f"/workspace/surveys/{pulse.id}")
    asked = html.split('id="questions-heading"')[1]
    assert re.findall(r'<span class="qid">(\w+)</span>', asked) == ["WB01", "LD05"]


def test_an_open_survey_keeps_its_opening_and_takes_a_new_close(
    chat: Chat, db: Database
) -> None:
    survey = db.campaign("Social work health check")
    page = f"/workspace/surveys/{survey.id}"
    assert "only its closing time and reminders can change" in words(
        as_psw(chat, db).get(page)
    )
    response = chat.client.post(
        page + "/schedule",
        data={"opens_text": "ignored", "closes_text": "3 weeks"},
    )
    assert response.status_code == 400
    assert "I can't read the closing time '3 weeks'" in words(response.text)
    response = chat.client.post(
        page + "/schedule",
        data={"closes_text": "tomorrow 14:30", "remind": "-1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    changed = stored(db, survey.name)
    assert changed.opens_at == survey.opens_at
    assert changed.closes_at is not None
    closes = changed.closes_at.astimezone(LONDON)
    assert (closes.hour, closes.minute) == (14, 30)
