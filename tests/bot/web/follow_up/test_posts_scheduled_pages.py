"""Scheduled posts on the web: listed, cancelled after a confirm, never once sent."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from posts_pages import (
    as_dict,
    as_psw,
    audit_actions,
    confirm_fields,
    jobs,
    outbox,
    problem,
    text_of,
)
from sqlmodel import select
from webchat import Chat, Database

from survey.follow_up.briefings import POST_BRIEFING
from survey.models import Announcement, Job

BRIEF = {
    "title": "Practice week",
    "body": "Sessions every morning.",
    "audience": "channel",
    "when": "later",
    "time": "Monday 9am",
}


def _schedule(chat: Chat) -> str:
    page = chat.client.post("/workspace/posts/briefing", data=BRIEF).text
    done = chat.client.post(
        "/workspace/posts/briefing/confirm",
        data=as_dict(confirm_fields(page)),
        follow_redirects=False,
    )
    location = done.headers["location"]
    return location.rsplit("/", 1)[1]


def test_a_scheduled_post_is_listed_and_cancelled_after_a_confirm(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    announcement_id = _schedule(chat)

    listing = chat.get("/workspace/posts/scheduled")
    assert "Practice week" in listing
    assert "scheduled" in text_of(listing)
    confirm = chat.get(f"/workspace/posts/scheduled/{announcement_id}/cancel")
    assert chat.status == 200
    assert "Cancelling means it is never posted" in text_of(confirm)
    assert jobs(db, POST_BRIEFING)[0].status == "pending"

    done = chat.client.post(f"/workspace/posts/scheduled/{announcement_id}/cancel")
    again = chat.client.post(f"/workspace/posts/scheduled/{announcement_id}/cancel")

    assert "Cancelled 'Practice week': it will not be posted." in text_of(done.text)
    assert "cannot be cancelled" in text_of(done.text)  # no Cancel link now
    assert again.status_code == 200
    assert [job.status for job in jobs(db, POST_BRIEFING)] == ["cancelled"]
    assert outbox(db) == []
    assert [a[1] for a in audit_actions(db) if a[1].startswith("briefing")] == [
        "briefing.scheduled",
        "briefing.cancelled",
    ]


def test_a_post_already_sent_cannot_be_cancelled_and_says_so(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    announcement_id = _schedule(chat)
    # The worker posted it (as it would at its time).
    with db.session() as session:
        job = session.exec(select(Job).where(Job.kind == POST_BRIEFING)).one()
        job.status = "done"
        announcement = session.get(Announcement, uuid.UUID(announcement_id))
        assert announcement is not None
        announcement.posted_at = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
        session.add_all([job, announcement])
        session.commit()

    page = chat.get(f"/workspace/posts/scheduled/{announcement_id}/cancel")
    answer = chat.client.post(f"/workspace/posts/scheduled/{announcement_id}/cancel")

    assert chat.status == 409
    assert "Yes, cancel it" not in page
    assert answer.status_code == 409
    assert (
        problem(page)
        == problem(answer.text)
        == (
            "'Practice week' was already posted at 09:00 on 7 December 2026, so it "
            "cannot be cancelled: everyone it was for has it."
        )
    )
    assert [job.status for job in jobs(db, POST_BRIEFING)] == ["done"]


def test_an_unknown_scheduled_post_is_not_found(chat: Chat, db: Database) -> None:
    as_psw(chat, db)

    chat.get("/workspace/posts/scheduled/not-an-id/cancel")
    assert chat.status == 404
    answer = chat.client.post(
        "/workspace/posts/scheduled/5b1f0e0e-0000-4000-8000-000000000000/cancel"
    )
    assert answer.status_code == 404
