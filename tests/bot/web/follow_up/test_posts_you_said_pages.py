"""Posting "you said, we did" on the web: refused while open, previewed, posted once."""

from __future__ import annotations

from posts_pages import (
    as_dict,
    as_psw,
    audit_actions,
    confirm_fields,
    counts,
    outbox,
    problem,
    survey,
    text_of,
)
from webchat import Chat, Database

from survey.models import Action, Campaign


def _action(
    db: Database, campaign: Campaign, said: str = "Caseloads are too high"
) -> Action:
    with db.session() as session:
        action = Action(
            organisation_id=campaign.organisation_id,
            campaign_id=campaign.id,
            theme="workload",
            question_key="WL01",
            you_said=said,
            we_did="Two posts funded from April",
            owner="Head of Service",
            status="in progress",
        )
        session.add(action)
        session.commit()
        return action


def test_you_said_for_the_open_survey_is_refused_with_the_reason(
    chat: Chat, db: Database
) -> None:
    open_survey = survey(db, "open")
    _action(db, open_survey)
    as_psw(chat, db)
    before = counts(db)

    page = chat.get(f"/workspace/posts/you-said?survey={open_survey.id}")

    assert chat.status == 409
    assert problem(page).startswith(
        f"'{open_survey.name}' is still open: 'you said, we did' can only be posted "
        "once a survey has closed"
    )
    assert 'name="action"' not in page
    # A form posted anyway is refused the same way, and nothing is sent.
    answer = chat.client.post(
        "/workspace/posts/you-said/confirm",
        data={"survey": str(open_survey.id), "title": "You said", "key": "x"},
    )
    assert answer.status_code == 409
    assert "is still open" in problem(answer.text)
    assert counts(db) == before
    assert outbox(db) == []


def test_a_closed_survey_s_digest_is_previewed_on_every_channel_then_posted_once(
    chat: Chat, db: Database
) -> None:
    closed = survey(db, "closed")
    kept = _action(db, closed)
    left_out = _action(db, closed, said="Supervision gets cancelled")
    as_psw(chat, db)
    page = chat.get(f"/workspace/posts/you-said?survey={closed.id}")
    assert chat.status == 200
    assert "Supervision gets cancelled" in page

    preview = chat.client.post(
        "/workspace/posts/you-said",
        data={
            "survey": str(closed.id),
            "title": f"You said, we did: {closed.name}",
            "action": [kept.id.hex],
        },
    ).text
    words = text_of(preview)
    assert "The post in the workforce channel" in words
    assert "The note to each person who took part" in words
    assert "You said: Caseloads are too high" in words
    assert "Supervision gets cancelled" not in words
    for channel in ("Web channel", "Slack", "Microsoft Teams"):
        assert words.count(channel) >= 2, channel
    fields = as_dict(confirm_fields(preview))
    assert fields["action"] == kept.id.hex
    assert outbox(db) == []

    chat.client.post("/workspace/posts/you-said/confirm", data=fields)
    posted = outbox(db)
    again = chat.client.post("/workspace/posts/you-said/confirm", data=fields)

    channel_posts = [m for m in posted if m.recipient == "channel:workforce"]
    notes = [m for m in posted if m.recipient != "channel:workforce"]
    assert len(channel_posts) == 1
    assert "Caseloads are too high" in channel_posts[0].payload["body"]
    assert left_out.you_said not in channel_posts[0].payload["body"]
    assert notes
    assert all(
        note.payload["text"].startswith(f"Thank you for taking part in '{closed.name}'")
        for note in notes
    )
    assert outbox(db) == posted
    assert "nothing was posted twice" in text_of(again.text)
    assert [a[1] for a in audit_actions(db) if a[1].startswith("you_said")] == [
        "you_said.posted"
    ]


def test_ticking_no_action_is_refused_with_the_reason(chat: Chat, db: Database) -> None:
    closed = survey(db, "closed")
    _action(db, closed)
    as_psw(chat, db)

    answer = chat.client.post(
        "/workspace/posts/you-said",
        data={"survey": str(closed.id), "title": "You said, we did"},
    )

    assert answer.status_code == 400
    assert problem(answer.text) == "Tick at least one action to include."


def test_a_closed_survey_with_no_actions_says_to_log_them_first(
    chat: Chat, db: Database
) -> None:
    # The wider workforce health check: the demo's actions answer the social work one.
    closed = survey(db, "closed", prefix="Wider workforce")
    as_psw(chat, db)

    page = chat.get(f"/workspace/posts/you-said?survey={closed.id}")

    assert "No actions have been logged against this survey yet" in problem(page)
