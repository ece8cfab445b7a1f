"""A briefing on the web: compose, preview on every channel, post or schedule."""

from __future__ import annotations

import json
import re

from posts_pages import (
    as_dict,
    as_psw,
    audit_actions,
    confirm_fields,
    counts,
    jobs,
    outbox,
    problem,
    text_of,
)
from webchat import Chat, Database

from bot.slack.posts import outbox_blocks
from bot.teams.cards import AdaptiveCardRenderer
from bot.teams.outgoing import outbox_messages
from survey.follow_up.briefings import POST_BRIEFING

BRIEF = {
    "title": "Practice week <b>",
    "body": "Join us for practice week & more.\n\nSessions every morning.",
    "link": "https://example.org/week",
    "audience": "channel",
    "when": "now",
}


def test_the_posts_page_links_every_task_and_back_to_the_workspace(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)

    page = chat.get("/workspace/posts")

    assert chat.status == 200
    for href in (
        "/workspace",
        "/workspace/posts/briefing",
        "/workspace/posts/you-said",
        "/workspace/posts/scheduled",
        "/workspace/posts/actions",
        "/workspace/posts/targets",
    ):
        assert f'href="{href}"' in page
    assert "campaign" not in text_of(page).casefold()


def test_a_briefing_is_previewed_on_web_slack_and_teams_before_anything_is_sent(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    before = counts(db)

    page = chat.client.post("/workspace/posts/briefing", data=BRIEF).text

    assert counts(db) == before
    words = text_of(page)
    assert "Nothing has been posted yet" in words
    assert "For the workforce channel" in words
    # The web channel's own rendering, escaped as the inbox draws it.
    assert "<h2" in page
    assert "Practice week &lt;b&gt;</h2>" in page
    # Slack: the real Block Kit, readable and as JSON.
    slack = page.split(">Slack</h3>")[1].split("</section>")[0]
    assert "Join us for practice week &amp; more." in slack
    blocks = json.loads(
        _unescape(re.search(r'<pre class="source"[^>]*>(.*?)</pre>', slack, re.S))
    )
    sent = {"kind": "briefing", **{k: BRIEF[k] for k in ("title", "body", "link")}}
    assert blocks == dict(zip(("text", "blocks"), outbox_blocks(sent), strict=True))
    assert blocks["blocks"][0]["type"] == "header"
    # Teams: the real Adaptive Card.
    teams = page.split(">Microsoft Teams</h3>")[1].split("</section>")[0]
    (card,) = json.loads(
        _unescape(re.search(r'<pre class="source"[^>]*>(.*?)</pre>', teams, re.S))
    )
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert [card["content"]] == AdaptiveCardRenderer().render_cards(
        outbox_messages(sent)
    )
    assert "Practice week &lt;b&gt;" in teams.split("<details>")[0]
    assert "opens https://example.org/week" in teams


def test_confirming_posts_once_even_when_the_form_is_sent_twice(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = chat.client.post("/workspace/posts/briefing", data=BRIEF).text
    fields = as_dict(confirm_fields(page))
    assert fields["key"]

    first = chat.client.post(
        "/workspace/posts/briefing/confirm", data=fields, follow_redirects=False
    )
    posted = outbox(db)
    second = chat.client.post("/workspace/posts/briefing/confirm", data=fields)

    assert first.status_code == 303
    assert [m.recipient for m in posted] == ["channel:workforce"]
    assert posted[0].payload["body"] == BRIEF["body"]
    assert outbox(db) == posted
    assert "was already posted or scheduled; nothing was posted twice" in text_of(
        second.text
    )
    assert [a for a in audit_actions(db) if a[1].startswith("briefing")] == [
        ("web", "briefing.posted", "Practice week <b> · the workforce channel")
    ]


def test_a_confirm_form_changed_after_its_preview_posts_nothing(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = chat.client.post("/workspace/posts/briefing", data=BRIEF).text
    fields = as_dict(confirm_fields(page))
    fields["body"] = "Something else entirely."

    answer = chat.client.post("/workspace/posts/briefing/confirm", data=fields)

    assert answer.status_code == 409
    assert "has changed since you previewed it" in problem(answer.text)
    assert outbox(db) == []


def test_a_briefing_for_a_team_says_how_many_people_it_reaches(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    compose = chat.get("/workspace/posts/briefing")
    team = re.search(r'<option value="(team:[^"]+)">([^<]+)</option>', compose)
    assert team is not None

    page = chat.client.post(
        "/workspace/posts/briefing", data={**BRIEF, "audience": team.group(1)}
    ).text

    assert re.search(
        rf"For everyone in {re.escape(team.group(2))}: \d+ people, each as a "
        "personal message",
        text_of(page),
    )


def test_a_briefing_for_a_role_reaches_everyone_in_it(chat: Chat, db: Database) -> None:
    as_psw(chat, db)
    social_workers = db.people(role="social_worker", active=True)
    page = chat.client.post(
        "/workspace/posts/briefing", data={**BRIEF, "audience": "role:social_worker"}
    ).text
    fields = as_dict(confirm_fields(page))

    chat.client.post("/workspace/posts/briefing/confirm", data=fields)

    assert f"every social worker: {len(social_workers)} people" in text_of(page)
    assert sorted(m.recipient for m in outbox(db)) == sorted(
        f"person:{person.id}" for person in social_workers
    )


def test_scheduling_for_monday_9am_queues_one_job_and_sends_nothing_yet(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = chat.client.post(
        "/workspace/posts/briefing",
        data={**BRIEF, "when": "later", "time": "Monday 9am"},
    ).text
    assert re.search(r"When Monday \d+ \w+ \d{4} at 09:00", text_of(page))
    fields = as_dict(confirm_fields(page))

    done = chat.client.post("/workspace/posts/briefing/confirm", data=fields)

    assert "Scheduled 'Practice week <b>' for the workforce channel" in text_of(
        done.text
    )
    (job,) = jobs(db, POST_BRIEFING)
    assert job.status == "pending"
    assert outbox(db) == []
    assert [a[1] for a in audit_actions(db) if a[1].startswith("briefing")] == [
        "briefing.scheduled"
    ]


def test_a_picked_date_and_a_typed_time_are_read_together(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = chat.client.post(
        "/workspace/posts/briefing",
        data={**BRIEF, "when": "later", "day": "2099-03-04", "time": "14:30"},
    ).text

    assert "When Wednesday 4 March 2099 at 14:30" in text_of(page)


def test_bad_input_is_refused_with_its_reason_and_keeps_what_was_typed(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    cases = [
        ({"body": "   "}, "The body is empty; write what it says."),
        ({"title": ""}, "The title is empty; give it a title."),
        (
            {"when": "later", "time": "someday soon"},
            "I can't read the posting time 'someday soon'",
        ),
        ({"when": "later", "time": ""}, "Say when to post it"),
        ({"when": "later", "day": "2099-03-04"}, "A date needs a time too"),
        (
            {"when": "later", "day": "2001-03-04", "time": "9am"},
            "has already passed; choose a later time",
        ),
        ({"link": "www.example.org"}, "is not a web link"),
        ({"audience": "team:Nowhere"}, "There is no team 'Nowhere'"),
    ]
    for change, reason in cases:
        answer = chat.client.post("/workspace/posts/briefing", data={**BRIEF, **change})
        assert answer.status_code == 400, change
        assert reason in problem(answer.text), (change, problem(answer.text))
        kept = {**BRIEF, **change}
        assert f'value="{kept["title"].replace("<", "&lt;").replace(">", "&gt;")}"' in (
            answer.text
        )
        if "body" not in change:
            assert "Join us for practice week &amp; more." in answer.text
    assert outbox(db) == []


def test_anyone_but_the_psw_is_refused_every_posts_page(
    chat: Chat, db: Database
) -> None:
    chat.pick(db.people(role="team_manager")[0])
    for path in (
        "/workspace/posts",
        "/workspace/posts/briefing",
        "/workspace/posts/scheduled",
        "/workspace/posts/you-said",
        "/workspace/posts/actions",
        "/workspace/posts/targets",
    ):
        chat.get(path)
        assert chat.status == 403, path
        assert "Only the Principal Social Worker" in chat.html
    answer = chat.client.post("/workspace/posts/briefing/confirm", data=BRIEF)
    assert answer.status_code == 403
    assert outbox(db) == []


def test_a_visitor_who_has_not_signed_in_is_asked_to(chat: Chat) -> None:
    chat.get("/workspace/posts")

    assert chat.status == 401
    assert "Sign in first" in chat.html


def _unescape(found: re.Match[str] | None) -> str:
    import html

    assert found is not None
    return html.unescape(found.group(1))


def test_change_it_goes_back_to_the_form_with_everything_kept(
    chat: Chat, db: Database
) -> None:
    as_psw(chat, db)
    page = chat.client.post(
        "/workspace/posts/briefing",
        data={**BRIEF, "when": "later", "time": "tomorrow 14:30"},
    ).text
    fields = as_dict(confirm_fields(page))

    back = chat.client.post(
        "/workspace/posts/briefing", data={**fields, "action": "edit"}
    )

    assert back.status_code == 200
    assert 'value="Practice week &lt;b&gt;"' in back.text
    assert "Join us for practice week &amp; more." in back.text
    assert 'value="tomorrow 14:30"' in back.text
    assert 'id="when-later" name="when" value="later" checked' in back.text
    assert outbox(db) == []
