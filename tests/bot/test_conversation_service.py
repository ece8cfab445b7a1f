"""handle_event: the survey flow run against real SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from builders import NOW, SECRET, SmallOrg, close_round, small_org
from sqlmodel import func, select

from bot.conversation.flow import (
    Answer,
    Back,
    Event,
    Pause,
    Skip,
    Start,
    Submit,
)
from bot.conversation.messages import Notice, Prompt, Review, Tone
from bot.conversation.service import Turn, handle_event
from survey.anonymity import draft_key
from survey.answering import DraftState, load_draft
from survey.campaigns import close_campaign
from survey.db import SessionFactory
from survey.models import (
    Answer as AnswerRow,
)
from survey.models import (
    Campaign,
    Comment,
    Draft,
    Participation,
    ParticipationStatus,
    Person,
    Response,
    SealedResponse,
)

# What a person taps, in order, to answer the small template (no follow-up).
ALL_ANSWERS: tuple[Event, ...] = (
    Answer("Q1", "Agree"),
    Answer("HOURS", "4"),
    Answer("BULLIED", "No"),
    Answer("NPS", "8"),
    Answer("TX1", "More <b>staff</b>."),
)


async def send(
    sessions: SessionFactory,
    org: SmallOrg,
    event: Event,
    *,
    person: Person | None = None,
    campaign: Campaign | None = None,
    now: Any = NOW,
) -> Turn:
    return await handle_event(
        sessions,
        secret=SECRET,
        person=person or org.people[0],
        campaign=campaign or org.campaign,
        event=event,
        now=now,
    )


async def send_all(sessions: SessionFactory, org: SmallOrg, *events: Event) -> Turn:
    turn = Turn(())
    for event in events:
        turn = await send(sessions, org, event)
    return turn


async def draft_of(
    sessions: SessionFactory, org: SmallOrg, person: Person | None = None
) -> DraftState:
    """The saved draft, read in a fresh session as a restarted server would."""
    async with sessions() as session:
        return await load_draft(
            session,
            secret=SECRET,
            person=person or org.people[0],
            campaign=org.campaign,
        )


async def count(sessions: SessionFactory, model: Any) -> int:
    async with sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def participation_status(sessions: SessionFactory, org: SmallOrg) -> str:
    async with sessions() as session:
        row = (
            await session.exec(
                select(Participation).where(
                    Participation.person_id == org.people[0].id,
                    Participation.campaign_id == org.campaign.id,
                )
            )
        ).one()
        return row.status


async def reloaded(sessions: SessionFactory, campaign: Campaign) -> Campaign:
    async with sessions() as session:
        fresh = await session.get(Campaign, campaign.id)
        assert fresh is not None
        return fresh


def only_notice(turn: Turn) -> Notice:
    assert len(turn.messages) == 1, turn.messages
    notice = turn.messages[0]
    assert isinstance(notice, Notice)
    return notice


async def test_start_shows_the_first_question_and_remembers_it(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)

    turn = await send(sessions, org, Start())

    prompt = turn.messages[-1]
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "Q1"
    assert prompt.progress.label == "1 of 5"
    assert not turn.submitted
    draft = await draft_of(sessions, org)
    assert (draft.answers, draft.current) == ({}, "Q1")
    assert await participation_status(sessions, org) == ParticipationStatus.STARTED


async def test_answers_are_saved_as_they_are_given(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    await send(sessions, org, Start())

    turn = await send_all(sessions, org, Answer("Q1", "Agree"), Answer("HOURS", "6"))

    prompt = turn.messages[-1]
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "BULLIED"
    draft = await draft_of(sessions, org)
    assert draft.answers == {"Q1": "agree", "HOURS": 6}
    assert draft.current == "BULLIED"
    assert draft.updated_at == NOW


async def test_the_draft_is_keyed_by_a_one_way_code_not_the_person(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await send_all(sessions, org, Start(), Answer("Q1", "Agree"))

    async with sessions() as session:
        drafts = (await session.exec(select(Draft))).all()

    person = org.people[0]
    assert [draft.key for draft in drafts] == [
        draft_key(SECRET, person_id=person.id, campaign_id=org.campaign.id)
    ]
    stored = repr(drafts[0].model_dump())
    for identity in (str(person.id), person.id.hex, person.email, str(person.slack_id)):
        assert identity not in stored


async def test_a_wrong_answer_is_not_saved(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    await send_all(sessions, org, Start(), Answer("Q1", "Agree"))

    turn = await send(sessions, org, Answer("HOURS", "400"))

    prompt = turn.messages[-1]
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "HOURS"
    assert prompt.problem == "Please give a whole number from 0 to 40."
    draft = await draft_of(sessions, org)
    assert draft.answers == {"Q1": "agree"}
    assert draft.current == "HOURS"


async def test_pause_keeps_the_draft_and_resume_carries_on(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await send_all(sessions, org, Start(), Answer("Q1", "Agree"))

    paused = await send(sessions, org, Pause())

    notice = only_notice(paused)
    assert "Small check 2026" in notice.text
    assert "resume" in notice.text
    draft = await draft_of(sessions, org)
    assert (draft.answers, draft.current) == ({"Q1": "agree"}, "HOURS")
    resumed = await send(sessions, org, Start(), now=NOW + timedelta(days=2))
    welcome, prompt = resumed.messages
    assert isinstance(welcome, Notice)
    assert welcome.text.startswith("Welcome back")
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "HOURS"


async def test_back_and_skip_are_saved_too(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    await send_all(sessions, org, Start(), *ALL_ANSWERS[:4])

    await send(sessions, org, Skip("TX1"))
    after_skip = await draft_of(sessions, org)
    await send(sessions, org, Back("__review__"))
    after_back = await draft_of(sessions, org)

    assert after_skip.answers["TX1"] is None
    assert after_skip.current == "__review__"
    assert after_back.current == "TX1"
    assert after_back.answers == after_skip.answers


async def test_submit_stores_one_anonymous_response_and_deletes_the_draft(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    before = await send_all(sessions, org, Start(), *ALL_ANSWERS)
    assert isinstance(before.messages[-1], Review)

    turn = await send(sessions, org, Submit())

    assert turn.submitted
    thanks = only_notice(turn)
    assert thanks.tone == Tone.SUCCESS
    assert "sent anonymously" in thanks.text
    assert await count(sessions, SealedResponse) == 1
    assert await count(sessions, Response) == 0, "written later, with others"
    assert await count(sessions, Draft) == 0
    await close_round(sessions, org.campaign.id)
    assert await count(sessions, Response) == 1
    assert await count(sessions, AnswerRow) == 4  # Q1, HOURS, BULLIED, NPS
    async with sessions() as session:
        response = (await session.exec(select(Response))).one()
        comment = (await session.exec(select(Comment))).one()
    assert response.submitted_on == NOW.date()
    assert response.team_id == org.team.id
    assert comment.text == "More <b>staff</b>."  # kept as typed; renderers escape
    assert await participation_status(sessions, org) == ParticipationStatus.COMPLETED
    assert await draft_of(sessions, org) == DraftState()


async def test_a_second_submit_is_told_the_answers_were_already_sent(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await send_all(sessions, org, Start(), *ALL_ANSWERS, Submit())

    again = await send(sessions, org, Submit())
    restart = await send(sessions, org, Start())

    for turn in (again, restart):
        notice = only_notice(turn)
        assert "already sent your answers" in notice.text
        assert not turn.submitted
    assert await count(sessions, SealedResponse) == 1
    assert await count(sessions, Draft) == 0


async def test_a_closed_campaign_refuses_answers_and_changes_nothing(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await send_all(sessions, org, Start(), Answer("Q1", "Agree"))
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        await close_campaign(
            session, campaign=campaign, now=NOW + timedelta(hours=1), secret=SECRET
        )
    closed = await reloaded(sessions, org.campaign)
    later = NOW + timedelta(hours=2)

    for event in (Answer("HOURS", "3"), Start(), Pause(), Submit()):
        turn = await send(sessions, org, event, campaign=closed, now=later)
        notice = only_notice(turn)
        assert notice.tone == Tone.ERROR
        assert "has closed" in notice.text

    draft = await draft_of(sessions, org)
    assert (draft.answers, draft.current, draft.updated_at) == (
        {"Q1": "agree"},
        "HOURS",
        NOW,
    )
    assert await count(sessions, Response) == 0


async def test_a_campaign_past_its_closing_time_refuses_answers(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        campaign.closes_at = NOW + timedelta(days=1)
        session.add(campaign)
    campaign = await reloaded(sessions, org.campaign)

    turn = await send(
        sessions, org, Start(), campaign=campaign, now=NOW + timedelta(days=1)
    )

    assert only_notice(turn).tone == Tone.ERROR
    assert await count(sessions, Draft) == 0


async def test_someone_not_invited_gets_a_notice_and_no_draft(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        newcomer = Person(
            organisation_id=org.organisation.id,
            name="New Starter",
            email="new@example.org",
            team_id=org.team.id,
            role="social_worker",
            employment_type="permanent",
        )
        session.add(newcomer)

    turn = await send(sessions, org, Start(), person=newcomer)

    notice = only_notice(turn)
    assert notice.tone == Tone.ERROR
    assert "was not sent to you" in notice.text
    assert await count(sessions, Draft) == 0


async def test_a_replayed_answer_is_recorded_once_without_an_error(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await send(sessions, org, Start())
    first = await send(sessions, org, Answer("Q1", "Agree"))

    replay = await send(sessions, org, Answer("Q1", "Agree"))

    assert all(
        message.tone != Tone.ERROR
        for message in replay.messages
        if isinstance(message, Notice)
    )
    assert replay.messages[-1] == first.messages[-1]  # still on the next question
    draft = await draft_of(sessions, org)
    assert (draft.answers, draft.current) == ({"Q1": "agree"}, "HOURS")
    await send_all(sessions, org, *ALL_ANSWERS[1:], Submit())
    await close_round(sessions, org.campaign.id)
    async with sessions() as session:
        q1_rows = (
            await session.exec(select(AnswerRow).where(AnswerRow.question_key == "Q1"))
        ).all()
    assert [row.option for row in q1_rows] == ["agree"]


async def test_each_person_has_their_own_draft(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    first, second = org.people[:2]
    await send(sessions, org, Start(), person=first)
    await send(sessions, org, Answer("Q1", "Agree"), person=first)

    turn = await send(sessions, org, Start(), person=second)

    prompt = turn.messages[-1]
    assert isinstance(prompt, Prompt)
    assert prompt.question_id == "Q1"
    assert prompt.current is None
    assert (await draft_of(sessions, org, second)).answers == {}
    assert (await draft_of(sessions, org, first)).answers == {"Q1": "agree"}


async def test_a_double_click_sent_twice_at_once_records_one_answer(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await send(sessions, org, Start())

    turns = await asyncio.gather(
        send(sessions, org, Answer("Q1", "Agree")),
        send(sessions, org, Answer("Q1", "Agree")),
    )

    for turn in turns:
        assert all(
            message.tone != Tone.ERROR
            for message in turn.messages
            if isinstance(message, Notice)
        )
        prompt = turn.messages[-1]
        assert isinstance(prompt, Prompt)
        assert prompt.question_id == "HOURS"
    draft = await draft_of(sessions, org)
    assert (draft.answers, draft.current) == ({"Q1": "agree"}, "HOURS")
