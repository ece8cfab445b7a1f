"""Answering in Teams: commands by message, questions as cards replaced in place."""

from __future__ import annotations

from typing import Any

from conftest import PULSE, Council
from sqlmodel import func, select
from teamschat import (
    Database,
    Member,
    Teams,
    action,
    actions,
    answer_with,
    channel_message,
    execute,
    inputs,
    message,
    options,
    submit,
    words,
)

from survey.models import (
    ChatConversation,
    Comment,
    Draft,
    Participation,
    Person,
    Response,
    SealedResponse,
)


def first_choice(card: dict[str, Any]) -> str:
    value: str = options(card)[0]["value"]
    return value


def count(db: Database, model: type[Any]) -> int:
    with db.session() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def answer_through(
    teams: Teams, member: Member, card: dict[str, Any]
) -> dict[str, Any]:
    """Answer every question from ``card`` on; returns the review card."""
    while actions(card, "submit") == []:
        if inputs(card) and inputs(card)[0]["type"] == "Input.Text":
            card = answer_with(teams, member, card, "More staff, please")
        else:
            card = answer_with(teams, member, card, first_choice(card))
    return card


def test_a_whole_pulse_is_answered_in_cards_replaced_in_place(
    teams: Teams, council: Council, db: Database
) -> None:
    person, member = council.staff[0]
    [card] = teams.say(member, "start")
    assert "Pulse check March · Question 1 of 7" in words(card)
    positions = []
    taps = 0
    while actions(card, "submit") == []:
        positions.append(next(t for t in words(card).split(" · ") if "Question" in t))
        boxes = inputs(card)
        if boxes and boxes[0]["type"] == "Input.Text":
            assert boxes[0]["isMultiline"] is True
            assert boxes[0]["maxLength"] == 1000
            typed = "**More** staff <at>Everyone</at>"
            card = answer_with(teams, member, card, typed)
        else:
            # One tap: a button per option, no radio buttons and no Continue.
            assert boxes == []
            assert not [b for b in actions(card) if b["title"] == "Continue"]
            card = answer_with(teams, member, card, first_choice(card))
            taps += 1
    assert len(positions) == 7
    assert taps == 6
    review_text = " ".join(
        node["text"] for node in _blocks(card) if "More" in node["text"]
    )
    assert "\\*\\*More\\*\\* staff \\<at\\>Everyone\\</at\\>" in review_text
    thanks = teams.tap(member, action(card, "submit"))
    assert "Thank you" in words(thanks)
    assert not actions(thanks)
    # One reply to "start"; every later screen replaced the tapped card in place.
    assert len(teams.connector.posts(member.conversation_id)) == 1
    assert teams.connector.updates() == []
    # Sealed until a batch is written; the PSW's close writes it.
    assert (count(db, SealedResponse), count(db, Response)) == (1, 0)
    assert count(db, Draft) == 0
    [closed] = teams.say(council.psw[1], f'campaign close "{PULSE}"')
    assert "is closed and takes no more answers" in words(closed)
    assert (count(db, SealedResponse), count(db, Response)) == (0, 1)
    with db.session() as session:
        status = session.exec(
            select(Participation.status).where(Participation.person_id == person.id)
        ).one()
        comment = session.exec(select(Comment.text)).one()
    assert status == "completed"
    assert comment == "**More** staff <at>Everyone</at>"


def _blocks(card: dict[str, Any]) -> list[dict[str, Any]]:
    from teamschat import walk

    return [node for node in walk(card) if node.get("type") == "TextBlock"]


def test_back_pause_resume_and_a_tap_on_an_old_card(
    teams: Teams, council: Council, db: Database
) -> None:
    _, member = council.staff[1]
    [first] = teams.say(member, "start pulse")
    second = answer_with(teams, member, first, first_choice(first))
    assert "Question 2 of 7" in words(second)
    again = teams.tap(member, action(second, "back"))
    assert "Question 1 of 7" in words(again)
    [marked] = [b for b in actions(again, "answer") if b.get("style") == "positive"]
    assert marked["data"]["special"] == first_choice(first)
    assert marked["title"].endswith("(your answer)")
    second = answer_with(teams, member, again, first_choice(first))
    paused = teams.tap(member, action(second, "pause"))
    assert "paused" in words(paused).lower() or "saved" in words(paused).lower()
    resume = action(paused, "command", "Resume")
    assert resume["data"]["command"] == f'start "{PULSE}"'
    resumed = teams.tap(member, resume)
    assert "Question 2 of 7" in words(resumed)
    assert "welcome back" in words(resumed).lower()
    # The very first card, tapped again: the answer is kept and the current
    # question is shown instead.
    [not_manageable] = [
        b for b in actions(first, "answer") if b["data"]["special"] == "not_manageable"
    ]
    stale = teams.tap(member, not_manageable)
    assert "earlier answer to that question is kept" in words(stale)
    assert "Question 2 of 7" in words(stale)
    assert count(db, Response) == 0
    assert count(db, Draft) == 1


def test_a_question_left_unanswered_is_asked_again_with_the_problem(
    teams: Teams, council: Council
) -> None:
    _, member = council.staff[0]
    [card] = teams.say(member, "start")
    # A forged or damaged tap with an empty option: asked again, with the problem.
    button = {**actions(card, "answer")[0]}
    button["data"] = {**button["data"], "special": ""}
    again = teams.tap(member, button, "")
    assert "Question 1 of 7" in words(again)
    assert [block for block in _blocks(again) if block.get("color") == "Attention"]


def test_an_answer_is_changed_from_the_review(teams: Teams, council: Council) -> None:
    _, member = council.staff[2]
    [card] = teams.say(member, "start")
    review = answer_through(teams, member, card)
    change = next(
        button
        for button in actions(review, "edit")
        if button["data"]["question"] == "WB01"
    )
    asked = teams.tap(member, change)
    assert "My job often makes me feel stressed." in words(asked)
    last_choice = options(asked)[-1]
    back_at_review = answer_with(teams, member, asked, last_choice["value"])
    assert actions(back_at_review, "submit")
    assert last_choice["title"] in words(back_at_review)


def test_action_submit_taps_update_the_card_in_place(
    teams: Teams, council: Council, db: Database
) -> None:
    _, member = council.staff[3]
    [card] = teams.say(member, "start")
    [reply] = teams.connector.posts(member.conversation_id)
    button = actions(card, "answer")[0]
    response = teams.post(submit(teams.service_url, member, button, reply_to="1:4242"))
    assert response.status_code == 202
    [update] = teams.connector.updates(member.conversation_id)
    assert update.path.endswith("/activities/1:4242")
    assert "Question 2 of 7" in words(update.cards[0])
    assert len(teams.connector.posts(member.conversation_id)) == 1
    assert reply.body is not None
    assert reply.body["replyToId"]


def test_commands_use_the_one_grammar(teams: Teams, council: Council) -> None:
    _, member = council.staff[0]
    [status] = teams.say(member, "Status.")
    assert PULSE in words(status)
    [privacy] = teams.say(member, "<at>Health Check</at> privacy")
    assert "Your privacy in Westmere Council" in words(privacy)
    [unknown] = teams.say(member, "what is this")
    assert "didn't recognise" in words(unknown)


def test_in_a_channel_only_help_and_privacy_are_answered(
    teams: Teams, council: Council, db: Database
) -> None:
    _, manager = council.manager
    for typed in ("summary", "start", "status"):
        response = teams.post(channel_message(teams.service_url, manager, typed))
        assert response.status_code == 202
    response = teams.post(channel_message(teams.service_url, manager, "help"))
    assert response.status_code == 202
    posts = teams.connector.posts()
    assert len(posts) == 4
    for post in posts[:3]:
        assert "personal chat" in words(post.cards[0])
        assert str(post.conversation).startswith("19:")
    assert "What you can ask me" in words(posts[3].cards[0])
    assert count(db, Draft) == 0
    # A tap on a card in a channel never shows questions there: a private toast.
    tapped = teams.post(
        execute(
            teams.service_url,
            manager,
            {"verb": "command", "data": {"verb": "command", "command": "start"}},
            conversation={
                "isGroup": True,
                "conversationType": "channel",
                "tenantId": "t",
                "id": "19:x@thread.tacv2",
            },
        )
    )
    assert tapped.json()["type"] == "application/vnd.microsoft.activity.message"
    assert count(db, Draft) == 0


def test_someone_not_on_the_roster_is_told_who_to_ask(
    teams: Teams, council: Council, db: Database
) -> None:
    stranger = Member.new("Sam Stranger")
    [card] = teams.say(stranger, "start")
    assert "roster" in words(card).lower()
    lookups = [call for call in teams.connector.calls if call.method == "GET"]
    assert [call.status for call in lookups] == [404]
    assert count(db, Draft) == 0


def test_a_person_is_matched_by_email_and_their_teams_id_learned(
    teams: Teams, council: Council, db: Database
) -> None:
    person, _ = council.staff[4]
    with db.session() as session:
        row = session.get(Person, person.id)
        assert row is not None
        row.teams_id = None
        session.add(row)
        session.commit()
    member = Member.new(person.name)
    teams.connector.add_member(
        member.user_id,
        aadObjectId=member.aad_object_id,
        name=person.name,
        email=person.email.upper(),
        userPrincipalName=person.email,
    )
    [card] = teams.say(member, "start")
    assert "Question 1 of 7" in words(card)
    with db.session() as session:
        learned = session.get(Person, person.id)
        stored = session.exec(
            select(ChatConversation).where(
                ChatConversation.conversation_id == member.conversation_id
            )
        ).one()
    assert learned is not None
    assert learned.teams_id == member.aad_object_id
    assert stored.kind == "personal"
    assert stored.user_key == member.aad_object_id.lower()
    # From now on the id is enough: no more lookups.
    before = len([call for call in teams.connector.calls if call.method == "GET"])
    teams.say(member, "status")
    after = len([call for call in teams.connector.calls if call.method == "GET"])
    assert after == before == 1


def test_a_failed_turn_is_an_apology_without_details(
    teams: Teams, council: Council, monkeypatch: Any
) -> None:
    from bot.teams.service import TeamsService

    async def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(TeamsService, "command", broken)
    _, member = council.staff[0]
    response = teams.post(message(teams.service_url, member, "status"))
    assert response.status_code == 202
    [reply] = teams.connector.posts(member.conversation_id)
    assert reply.body is not None
    assert "something went wrong on our side" in reply.body["text"]
    assert "hunter2" not in str(reply.body)


def test_typed_skip_back_pause_and_resume_in_a_personal_chat(
    teams: Teams, council: Council, db: Database
) -> None:
    _, member = council.staff[2]
    [first] = teams.say(member, "start pulse")
    assert "Question 1 of 7" in words(first)

    [skipped] = teams.say(member, "skip")
    assert "Question 2 of 7" in words(skipped)
    [back] = teams.say(member, "back")
    assert "Question 1 of 7" in words(back)
    paused = teams.say(member, "pause")
    said = " ".join(words(card) for card in paused)
    assert "Come back any time with 'resume'" in said
    assert "recognise" not in said
    replies = teams.say(member, "resume")

    assert "Question 1 of 7" in words(replies[-1])
    assert count(db, Draft) == 1
    assert count(db, Response) == 0
