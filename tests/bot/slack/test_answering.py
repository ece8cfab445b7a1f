"""Answering a whole survey in Slack through Block Kit, as a person would.

Every tap is a signed ``block_actions`` or ``view_submission`` request built from
the blocks the bot really posted; the outcome is checked in Slack (what the
person now sees) and in the database (what was stored, and nothing else).
"""

from __future__ import annotations

import json
import threading
from typing import Any

from builders import close_round
from conftest import Org
from fakes.slack_api import FakeSlack, Posted
from slackapp import SlackWorkspace
from sqlmodel import col, func, select

from bot.slack import ids
from survey.answering import load_draft
from survey.models import (
    Answer,
    Comment,
    Draft,
    Participation,
    Person,
    Response,
    SealedResponse,
)


def ids_of(message: Posted) -> str:
    """The question (or review) a survey message shows now."""
    for block in message.blocks:
        screen = ids.screen_of(block.get("block_id"))
        if screen is not None:
            return screen.question_id
    return ""


def words(message: Posted) -> str:
    return json.dumps(message.blocks, ensure_ascii=False)


def last_view(fake: FakeSlack) -> dict[str, Any]:
    return list(fake.views.values())[-1]


async def counts(org: Org) -> tuple[int, int]:
    """Responses sent (sealed in the pool or already written) and drafts."""
    async with org.sessions() as session:
        sent = 0
        for stored in (Response, SealedResponse):
            sent += (await session.exec(select(func.count()).select_from(stored))).one()
        drafts = (await session.exec(select(func.count()).select_from(Draft))).one()
    return sent, drafts


async def draft_of(org: Org, person: Person) -> dict[str, Any]:
    from builders import SECRET

    async with org.sessions() as session:
        draft = await load_draft(
            session, secret=SECRET, person=person, campaign=org.small.campaign
        )
    return {"answers": draft.answers, "current": draft.current}


def begin(slack: SlackWorkspace, user: str) -> Posted:
    slack.command(user, "start")
    message = slack.last_dm(user)
    assert ids_of(message) == "Q1"
    return message


async def test_a_whole_survey_answered_through_buttons_selects_and_modals(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[0]
    user = person.slack_id
    assert user
    message = begin(slack, user)
    assert fake_slack.responses[-1]["response_type"] == "ephemeral"

    slack.click(user, message, ids.ANSWER, value="agree")
    message = slack.last_dm(user)
    assert ids_of(message) == "HOURS"
    assert len(fake_slack.dm_messages(user)) == 1, (
        "the survey message is updated in place"
    )

    slack.click(user, message, ids.OPEN_MODAL)
    view = last_view(fake_slack)
    assert view["blocks"][-1]["element"]["type"] == "number_input"
    refused = slack.submit_view(user, view, "99")
    assert refused.json() == {
        "response_action": "errors",
        "errors": {ids.ANSWER_BLOCK: "Please give a whole number from 0 to 40."},
    }
    assert ids_of(slack.last_dm(user)) == "HOURS"
    assert slack.submit_view(user, view, "4").status_code == 200
    message = slack.last_dm(user)
    assert ids_of(message) == "BULLIED"

    slack.click(user, message, ids.ANSWER, value="yes")
    message = slack.last_dm(user)
    assert ids_of(message) == "WHO"
    slack.click(user, message, ids.OPEN_MODAL)
    view = last_view(fake_slack)
    assert view["blocks"][-1]["element"]["type"] == "checkboxes"
    slack.submit_view(user, view, ["manager", "public"])
    message = slack.last_dm(user)
    assert ids_of(message) == "NPS"

    slack.click(user, message, ids.CHOOSE, value="8")
    message = slack.last_dm(user)
    assert ids_of(message) == "TX1"
    slack.click(user, message, ids.OPEN_MODAL)
    slack.submit_view(user, last_view(fake_slack), "More staff <!channel> & less paper")
    message = slack.last_dm(user)
    assert ids_of(message) == "__review__"
    assert "More staff &lt;!channel&gt; &amp; less paper" in words(message)

    slack.click(user, message, ids.EDIT, value="Q1")
    message = slack.last_dm(user)
    assert ids_of(message) == "Q1"
    slack.click(user, message, ids.ANSWER, value="strongly_agree")
    message = slack.last_dm(user)
    assert ids_of(message) == "__review__"

    assert await counts(org) == (0, 1)
    slack.click(user, message, ids.SUBMIT)
    assert "Thank you" in words(slack.last_dm(user))
    assert await counts(org) == (1, 0)
    await close_round(org.sessions, org.small.campaign.id)
    assert await counts(org) == (1, 0)
    async with org.sessions() as session:
        answers = {
            answer.question_key: answer
            for answer in (await session.exec(select(Answer))).all()
        }
        comment = (await session.exec(select(Comment))).one()
        participation = (
            await session.exec(
                select(Participation).where(Participation.person_id == person.id)
            )
        ).one()
    assert answers["Q1"].option == "strongly_agree"
    assert answers["HOURS"].number == 4
    assert answers["WHO"].choices == ["manager", "public"]
    assert answers["NPS"].number == 8
    assert comment.text == "More staff <!channel> & less paper"
    assert participation.status == "completed"
    assert fake_slack.count("chat.postMessage") == 1
    assert fake_slack.count("views.open") == 3


async def test_a_double_click_records_one_answer(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[1]
    user = person.slack_id
    assert user
    message = begin(slack, user)
    slack.click(user, message, ids.ANSWER, value="agree")
    slack.click(user, message, ids.ANSWER, value="disagree")  # the old screen again
    draft = await draft_of(org, person)
    assert draft == {"answers": {"Q1": "agree"}, "current": "HOURS"}
    shown = words(slack.last_dm(user))
    assert "earlier answer to that question is kept" in shown
    assert ids_of(slack.last_dm(user)) == "HOURS"


async def test_simultaneous_clicks_record_one_answer(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[2]
    user = person.slack_id
    assert user
    message = begin(slack, user)
    threads = [
        threading.Thread(
            target=slack.click,
            args=(user, message, ids.ANSWER),
            kwargs={"value": value, "wait": False},
        )
        for value in ("agree", "agree", "disagree")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slack.settle()
    draft = await draft_of(org, person)
    assert draft["current"] == "HOURS"
    assert list(draft["answers"]) == ["Q1"]
    assert draft["answers"]["Q1"] in ("agree", "disagree")


async def test_a_double_submit_stores_one_response_and_keeps_the_thanks(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    from builders import full_answers

    from survey.answering import DraftState, save_draft

    person = org.small.people[3]
    user = person.slack_id
    assert user
    async with org.sessions() as session, session.begin():
        from builders import NOW, SECRET

        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.small.campaign,
            state=DraftState(answers=full_answers(), current="__review__"),  # type: ignore[arg-type]
            now=NOW,
        )
    slack.command(user, "resume")
    review = slack.last_dm(user)
    assert ids_of(review) == "__review__"
    slack.click(user, review, ids.SUBMIT)
    slack.click(user, review, ids.SUBMIT)
    assert await counts(org) == (1, 0)
    assert "Thank you" in words(slack.last_dm(user)), "the second tap does not erase it"
    assert "already sent your answers" in fake_slack.responses[-1]["text"]
    assert fake_slack.responses[-1]["response_type"] == "ephemeral"


async def test_pause_then_resume_carries_on_where_the_person_left_off(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[4]
    user = person.slack_id
    assert user
    message = begin(slack, user)
    slack.click(user, message, ids.ANSWER, value="neither")
    slack.click(user, slack.last_dm(user), ids.PAUSE)
    paused = slack.last_dm(user)
    assert "are saved" in words(paused)
    assert ids_of(paused) == ""
    slack.command(user, "resume")
    resumed = slack.last_dm(user)
    assert "Welcome back" in words(resumed)
    assert ids_of(resumed) == "HOURS"
    slack.click(user, resumed, ids.BACK)
    back = slack.last_dm(user)
    assert ids_of(back) == "Q1"
    chosen = [
        element
        for block in back.blocks
        for element in block.get("elements") or []
        if element.get("style") == "primary"
    ]
    assert [element["value"] for element in chosen] == ["neither"]
    assert await draft_of(org, person) == {
        "answers": {"Q1": "neither"},
        "current": "Q1",
    }


async def test_an_optional_question_can_be_skipped_or_left_empty(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    from builders import NOW, SECRET

    from survey.answering import DraftState, save_draft

    person = org.small.people[5]
    user = person.slack_id
    assert user
    answers = {"Q1": "agree", "HOURS": 3, "BULLIED": "no", "NPS": 9}
    async with org.sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=org.small.campaign,
            state=DraftState(answers=answers, current="TX1"),  # type: ignore[arg-type]
            now=NOW,
        )
    slack.command(user, "resume")
    message = slack.last_dm(user)
    assert ids_of(message) == "TX1"
    slack.click(user, message, ids.OPEN_MODAL)
    view = last_view(fake_slack)
    assert view["blocks"][-1]["optional"] is True
    slack.submit_view(user, view, None)
    assert ids_of(slack.last_dm(user)) == "__review__"
    draft = await draft_of(org, person)
    assert draft["answers"]["TX1"] is None


async def test_someone_not_on_the_roster_is_told_and_nothing_is_stored(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    fake_slack.add_user("U0VISITOR", email="visitor@elsewhere.example")
    slack.command("U0VISITOR", "start")
    reply = fake_slack.responses[-1]
    assert reply["response_type"] == "ephemeral"
    assert "roster" in reply["text"]
    async with org.sessions() as session:
        linked = (
            await session.exec(
                select(Person).where(col(Person.slack_id) == "U0VISITOR")
            )
        ).all()
    assert linked == []
    assert await counts(org) == (0, 0)


async def test_typed_skip_back_pause_and_resume_in_a_direct_message(
    slack: SlackWorkspace, fake_slack: FakeSlack, org: Org
) -> None:
    person = org.small.people[3]
    user = person.slack_id
    assert user
    begin(slack, user)

    slack.dm(user, "skip", event_id="Ev0TYPEDSKIP")
    assert ids_of(slack.last_dm(user)) == "HOURS"
    slack.dm(user, "back", event_id="Ev0TYPEDBACK")
    assert ids_of(slack.last_dm(user)) == "Q1"
    slack.dm(user, "pause", event_id="Ev0TYPEDPAUSE")
    paused = slack.last_dm(user)
    assert "Come back any time with 'resume'" in words(paused)
    assert "recognise" not in words(paused)
    slack.dm(user, "resume", event_id="Ev0TYPEDRESUME")

    resumed = slack.last_dm(user)
    assert "Welcome back" in words(resumed)
    assert ids_of(resumed) == "Q1"
    assert await draft_of(org, person) == {"answers": {"Q1": None}, "current": "Q1"}
