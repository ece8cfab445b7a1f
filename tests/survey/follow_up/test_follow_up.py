"""'You said, we did' actions, their figures and the digest (SQLite, PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from builders import NOW, SECRET, SmallOrg, answer_as, full_answers, small_org
from plan_builders import run_due
from sqlmodel import SQLModel, col, func, select

from analytics.follow_up_figures import SupportingFigure, supporting_figures
from analytics.results import NOT_YET
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import SessionFactory
from survey.errors import NotFoundError, SurveyError
from survey.follow_up.actions import (
    FollowUpError,
    ListedAction,
    add_action,
    find_action,
    list_actions,
    parse_status,
    theme_key,
    update_action,
)
from survey.follow_up.announcements import AnnouncementError
from survey.follow_up.you_said import (
    NOTE,
    YOU_SAID,
    SurveyStillOpenError,
    YouSaidPost,
    post_you_said,
)
from survey.models import (
    Action,
    Announcement,
    Campaign,
    CampaignStatus,
    OutboxMessage,
    Person,
)
from survey.response_pool import DRAIN_JOB

TODAY = NOW.date()
CAMPAIGN = "Small check 2026"


async def counts(sessions: SessionFactory) -> dict[str, int]:
    """Rows in every table, to show a refused change stored nothing."""
    async with sessions() as session:
        return {
            name: (await session.exec(select(func.count()).select_from(table))).one()
            for name, table in SQLModel.metadata.tables.items()
        }


async def add(sessions: SessionFactory, org: SmallOrg, **given: Any) -> Action:
    fields: dict[str, Any] = {
        "theme": "workload",
        "you_said": "Caseloads are too high.",
        "we_did": "Recruiting four more social workers.",
        "owner": "Head of Service",
        "today": TODAY,
    }
    fields.update(given)
    async with sessions() as session, session.begin():
        return await add_action(session, organisation_id=org.organisation.id, **fields)


async def update(sessions: SessionFactory, org: SmallOrg, **given: Any) -> Action:
    async with sessions() as session, session.begin():
        return await update_action(
            session, organisation_id=org.organisation.id, **given
        )


async def listed(
    sessions: SessionFactory, org: SmallOrg, campaign: str | None = None
) -> list[ListedAction]:
    async with sessions() as session:
        return await list_actions(
            session, organisation_id=org.organisation.id, campaign=campaign
        )


async def close(sessions: SessionFactory, campaign: Campaign) -> None:
    async with sessions() as session, session.begin():
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        await close_campaign(
            session, campaign=stored, now=NOW + timedelta(days=1), secret=SECRET
        )


# Reading themes and statuses


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("workload", "workload"),
        ("Workload", "workload"),
        ("stress wellbeing", "stress_wellbeing"),
        ("Stress-Wellbeing", "stress_wellbeing"),
        ("stress and wellbeing", "stress_wellbeing"),
        ("IT and systems", "it_systems"),
    ],
)
def test_themes_are_read_by_key_or_label_in_any_case(typed: str, key: str) -> None:
    assert theme_key(typed) == key


def test_an_unknown_theme_lists_the_themes() -> None:
    with pytest.raises(NotFoundError) as caught:
        theme_key("morale")

    assert str(caught.value).startswith(
        "There is no theme 'morale'. Themes: Workload and caseload,"
    )
    assert "Practice model" in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("planned", "planned"),
        ("In progress", "in progress"),
        ("in-progress", "in progress"),
        ("in_progress", "in progress"),
        ("DONE", "done"),
        ("not doing", "not doing"),
        ("not-doing", "not doing"),
    ],
)
def test_statuses_are_read_loosely(typed: str, status: str) -> None:
    assert parse_status(typed) == status


# Adding actions


async def test_an_action_takes_its_theme_from_the_question_it_answers(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)

    action = await add(
        sessions,
        org,
        theme=None,
        campaign="SMALL check 2026",
        question="q1",
        due_on=date(2027, 3, 31),
    )

    assert action.theme == "workload"
    assert action.question_key == "Q1"
    assert action.campaign_id == org.campaign.id
    assert action.status == "planned"
    (only,) = await listed(sessions, org)
    assert only.number == 1
    assert only.short_id == action.id.hex[:8]
    assert only.campaign is not None
    assert only.campaign.name == CAMPAIGN
    assert only.action.due_on == date(2027, 3, 31)


async def test_text_is_stored_exactly_as_written(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    said = '<!channel> @here <b>caseloads</b> & "more"\n\nsecond paragraph'

    await add(sessions, org, you_said=f"  {said}  ")

    (only,) = await listed(sessions, org)
    assert only.action.you_said == said


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        (
            {"theme": "morale"},
            "There is no theme 'morale'. Themes: Workload and caseload, Stress and",
        ),
        (
            {"campaign": "Health check 1999"},
            "There is no survey 'Health check 1999'. Did you mean 'Small check 2026'?",
        ),
        (
            {"campaign": CAMPAIGN, "question": "WL01"},
            "No question in 'Small check 2026' matches 'WL01'. Type some of the "
            "words the question asks, or its id.",
        ),
        ({"question": "Q1"}, "Name the survey question Q1 was asked in"),
        ({"theme": None}, "Say which theme the action is about"),
        ({"you_said": "   "}, "What staff said is empty."),
        ({"we_did": ""}, "What is being done is empty."),
        ({"owner": " "}, "The owner is empty."),
        (
            {"you_said": "x" * 1001},
            "What staff said is 1,001 characters; the most is 1,000.",
        ),
        (
            {"we_did": "x" * 2001},
            "What is being done is 2,001 characters; the most is 2,000.",
        ),
        ({"owner": "x" * 201}, "The owner is 201 characters; the most is 200."),
        (
            {"due_on": TODAY - timedelta(days=1)},
            "The due date 1 March 2026 is in the past; choose a later date.",
        ),
        (
            {"status": "finished"},
            "'finished' is not a status; use planned, in progress, done or not doing.",
        ),
        ({"status": "not doing"}, "an action marked 'not doing' needs a reason"),
        ({"status": "not doing", "reason": "  "}, "needs a reason"),
    ],
)
async def test_a_bad_action_is_refused_with_a_clear_message_and_nothing_stored(
    sessions: SessionFactory, given: dict[str, Any], problem: str
) -> None:
    org = await small_org(sessions)
    before = await counts(sessions)

    with pytest.raises(SurveyError) as caught:
        await add(sessions, org, **given)

    assert problem in str(caught.value)
    assert await counts(sessions) == before


async def test_a_due_date_of_today_is_accepted(sessions: SessionFactory) -> None:
    org = await small_org(sessions)

    action = await add(sessions, org, due_on=TODAY)

    assert action.due_on == TODAY


# Updating actions


async def test_an_action_is_updated_by_number_or_short_id(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    first = await add(sessions, org)
    second = await add(sessions, org, theme="supervision", you_said="No supervision.")

    await update(sessions, org, reference="2", status="In-progress")
    await update(sessions, org, reference=first.id.hex[:6].upper(), status="done")
    await update(
        sessions,
        org,
        reference=f"#{first.id.hex[:8]}",
        owner="Director",
        we_did="Recruited four.",
    )

    actions = {item.action.id: item.action for item in await listed(sessions, org)}
    assert actions[second.id].status == "in progress"
    assert actions[first.id].status == "done"
    assert actions[first.id].owner == "Director"
    assert actions[first.id].we_did == "Recruited four."
    assert actions[first.id].updated_at > actions[first.id].created_at


async def test_not_doing_needs_a_reason_on_update_too(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await add(sessions, org)
    before = await counts(sessions)

    with pytest.raises(FollowUpError, match="needs a reason"):
        await update(sessions, org, reference="1", status="not doing")

    (item,) = await listed(sessions, org)
    assert item.action.status == "planned"
    assert await counts(sessions) == before

    await update(
        sessions, org, reference="1", status="not doing", reason="No budget this year"
    )
    (item,) = await listed(sessions, org)
    assert (item.action.status, item.action.status_reason) == (
        "not doing",
        "No budget this year",
    )


async def test_an_update_can_link_a_question_and_move_the_due_date(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await add(sessions, org, due_on=date(2027, 3, 31))

    await update(
        sessions,
        org,
        reference="1",
        campaign=CAMPAIGN,
        question="nps",
        due_on=date(2026, 1, 31),
    )

    (item,) = await listed(sessions, org)
    assert item.action.question_key == "NPS"
    assert item.action.campaign_id == org.campaign.id
    # Moving the due date back records when it was really due; only new actions
    # must be due in the future.
    assert item.action.due_on == date(2026, 1, 31)


@pytest.mark.parametrize(
    ("reference", "given", "problem"),
    [
        ("1", {}, "Nothing to change"),
        ("7", {"status": "done"}, "There is no action '7'. Use its number (1 to 2)"),
        ("0", {"status": "done"}, "There is no action '0'."),
        ("zzzz", {"status": "done"}, "There is no action 'zzzz'."),
        ("1", {"status": "closed"}, "'closed' is not a status"),
        ("1", {"theme": "morale"}, "There is no theme 'morale'."),
        ("1", {"you_said": ""}, "What staff said is empty."),
        ("1", {"question": "Q1"}, "Name the survey question Q1 was asked in"),
    ],
)
async def test_a_bad_update_is_refused_and_changes_nothing(
    sessions: SessionFactory, reference: str, given: dict[str, Any], problem: str
) -> None:
    org = await small_org(sessions)
    await add(sessions, org)
    await add(sessions, org)
    before = await listed(sessions, org)

    with pytest.raises(SurveyError) as caught:
        await update(sessions, org, reference=reference, **given)

    assert problem in str(caught.value)
    after = await listed(sessions, org)
    assert [item.action.model_dump() for item in after] == [
        item.action.model_dump() for item in before
    ]


async def test_an_id_start_matching_two_actions_asks_for_more(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        for last in ("1", "2"):
            session.add(
                Action(
                    id=uuid.UUID(f"abcd0000-0000-4000-8000-00000000000{last}"),
                    organisation_id=org.organisation.id,
                    theme="workload",
                    you_said="x",
                    we_did="y",
                    owner="z",
                )
            )

    with pytest.raises(NotFoundError, match="More than one action's id starts 'abcd'"):
        async with sessions() as session:
            await find_action(
                session, organisation_id=org.organisation.id, reference="abcd"
            )
    async with sessions() as session:
        found = await find_action(
            session,
            organisation_id=org.organisation.id,
            reference="ABCD0000000040008000000000000002",
        )
    assert found.action.id.hex.endswith("2")


# Listing


async def test_numbers_stay_the_same_when_the_list_is_filtered(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await add(sessions, org, you_said="General")
    await add(sessions, org, campaign=CAMPAIGN, you_said="From the survey")

    everything = await listed(sessions, org)
    for_survey = await listed(sessions, org, "small check 2026")

    assert [(item.number, item.action.you_said) for item in everything] == [
        (1, "General"),
        (2, "From the survey"),
    ]
    assert [(item.number, item.action.you_said) for item in for_survey] == [
        (2, "From the survey")
    ]
    with pytest.raises(NotFoundError, match="There is no survey 'Nope'"):
        await listed(sessions, org, "Nope")


# Supporting figures (from analytics, through suppression)


async def answered_round(
    sessions: SessionFactory,
    org: SmallOrg,
    campaign: Campaign,
    q1: list[str],
) -> None:
    for person, answer in zip(org.people, q1, strict=False):
        await answer_as(sessions, person, campaign, {**full_answers(), "Q1": answer})


async def earlier_round(sessions: SessionFactory, org: SmallOrg) -> Campaign:
    async with sessions() as session, session.begin():
        earlier = await create_campaign(
            session,
            organisation_id=org.organisation.id,
            template_key="small-check",
            name="Small check 2025",
            year=2025,
            audience=Audience(),
        )
        await open_campaign(session, campaign=earlier, now=NOW)
    return earlier


async def figures_for(
    sessions: SessionFactory, action: Action
) -> SupportingFigure | None:
    async with sessions() as session:
        return (await supporting_figures(session, actions=[action])).get(action.id)


async def test_the_supporting_figure_is_whole_organisation_favourable_with_change(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    earlier = await earlier_round(sessions, org)
    await answered_round(sessions, org, earlier, ["agree", "agree"] + ["disagree"] * 3)
    await close(sessions, earlier)
    await answered_round(sessions, org, org.campaign, ["agree"] * 4 + ["neither"])
    await close(sessions, org.campaign)
    action = await add(sessions, org, campaign=CAMPAIGN, question="Q1")

    figure = await figures_for(sessions, action)

    assert figure is not None
    assert figure.hidden is None
    assert figure.favourable == pytest.approx(80.0)
    assert figure.change is not None
    assert figure.change.points == pytest.approx(40.0)
    assert figure.change.year == 2025
    assert figure.question == "My workload is manageable."


async def test_no_figure_is_shown_for_a_small_group_or_an_open_survey(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await answered_round(sessions, org, org.campaign, ["agree"] * 5)
    # Five responses are enough for a batch: the worker's job writes them, so
    # the figure is hidden because the survey is open, not for want of answers.
    assert await run_due(sessions, now=NOW) == [DRAIN_JOB]
    action = await add(sessions, org, campaign=CAMPAIGN, question="Q1")

    still_open = await figures_for(sessions, action)
    await close(sessions, org.campaign)
    closed = await figures_for(sessions, action)
    general = await figures_for(sessions, await add(sessions, org))

    assert still_open is not None
    assert (still_open.favourable, still_open.hidden) == (None, NOT_YET)
    assert closed is not None
    assert closed.favourable == pytest.approx(100.0)
    assert general is None


async def test_four_answers_are_too_few_to_show(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    await answered_round(sessions, org, org.campaign, ["agree"] * 4)
    await close(sessions, org.campaign)
    action = await add(sessions, org, campaign=CAMPAIGN, question="Q1")

    figure = await figures_for(sessions, action)

    assert figure is not None
    assert figure.favourable is None
    assert figure.change is None
    assert figure.hidden == "fewer than 5 responses"


# Posting the digest


async def post(
    sessions: SessionFactory,
    org: SmallOrg,
    body: str = "You said: caseloads. We did: recruited.",
    platforms: tuple[str, ...] = ("local",),
) -> YouSaidPost:
    """Post the digest, closing the survey first: an open one is refused."""
    async with sessions() as session:
        stored = await session.get(Campaign, org.campaign.id)
        assert stored is not None
    if stored.status == CampaignStatus.OPEN:
        await close(sessions, org.campaign)
    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        return await post_you_said(
            session,
            campaign=campaign,
            title="You said, we did: Small check 2026",
            body=body,
            note="Thank you for taking part.",
            now=NOW,
            platforms=platforms,
        )


async def outbox(sessions: SessionFactory) -> list[OutboxMessage]:
    async with sessions() as session:
        rows = await session.exec(
            select(OutboxMessage).order_by(col(OutboxMessage.recipient))
        )
        return list(rows.all())


async def test_the_digest_goes_to_the_channel_and_a_note_to_each_person_who_finished(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    finished = org.people[:3]
    for person in finished:
        await answer_as(sessions, person, org.campaign, full_answers())
    async with sessions() as session, session.begin():
        leaver = await session.get(Person, finished[2].id)
        assert leaver is not None
        leaver.active = False
        session.add(leaver)

    posted = await post(sessions, org)

    assert (posted.repeat, posted.channel_posts, posted.notes) == (False, 1, 2)
    messages = await outbox(sessions)
    assert sorted(message.recipient for message in messages) == sorted(
        ["channel:workforce", *(f"person:{person.id}" for person in finished[:2])]
    )
    assert {message.platform for message in messages} == {"local"}
    channel = next(m for m in messages if m.recipient == "channel:workforce")
    assert channel.payload["kind"] == YOU_SAID
    assert channel.payload["body"] == "You said: caseloads. We did: recruited."
    notes = [m for m in messages if m.payload["kind"] == NOTE]
    assert {note.payload["text"] for note in notes} == {"Thank you for taking part."}
    # A note carries nothing anyone answered (the campaign's id lets the
    # retention purge find it).
    for note in notes:
        assert set(note.payload) == {
            "kind",
            "text",
            "announcement_id",
            "campaign_id",
            "campaign",
        }


async def test_posting_the_same_digest_twice_never_posts_twice(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await answer_as(sessions, org.people[0], org.campaign, full_answers())
    first = await post(sessions, org)
    before = await counts(sessions)

    again = await post(sessions, org)

    assert again.repeat
    assert again.announcement.id == first.announcement.id
    assert (again.channel_posts, again.notes) == (0, 0)
    assert await counts(sessions) == before

    changed = await post(sessions, org, body="You said: caseloads. We did: more.")
    assert (changed.repeat, changed.channel_posts, changed.notes) == (False, 1, 1)
    async with sessions() as session:
        stored = (
            await session.exec(select(func.count()).select_from(Announcement))
        ).one()
    assert stored == 2


async def test_on_slack_and_teams_the_digest_goes_to_each_and_notes_to_chat_ids(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await answer_as(sessions, org.people[0], org.campaign, full_answers())

    await post(sessions, org, platforms=("local", "slack", "teams"))

    pairs = {(m.platform, m.recipient) for m in await outbox(sessions)}
    assert pairs == {
        ("slack", "channel:workforce"),
        ("teams", "channel:workforce"),
        ("slack", org.people[0].slack_id),
    }


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("", "The body is empty"),
        (
            "x" * 3001,
            "The body is 3,001 characters; chat platforms show at most 3,000.",
        ),
    ],
)
async def test_a_digest_over_the_platform_limit_is_refused(
    sessions: SessionFactory, body: str, problem: str
) -> None:
    org = await small_org(sessions)
    await close(sessions, org.campaign)
    before = await counts(sessions)

    with pytest.raises(AnnouncementError) as caught:
        await post(sessions, org, body=body)

    assert problem in str(caught.value)
    assert await counts(sessions) == before


async def test_a_digest_for_a_survey_still_open_is_refused_and_nothing_is_sent(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await answer_as(sessions, org.people[0], org.campaign, full_answers())
    before = await counts(sessions)

    async with sessions() as session, session.begin():
        campaign = await session.get(Campaign, org.campaign.id)
        assert campaign is not None
        with pytest.raises(SurveyStillOpenError) as caught:
            await post_you_said(
                session,
                campaign=campaign,
                title="You said, we did: Small check 2026",
                body="Thank you to everyone who took part.",
                note="Thank you for taking part.",
                now=NOW,
                platforms=("local",),
            )

    assert str(caught.value).startswith(
        "'Small check 2026' is still open: 'you said, we did' can only be posted "
        "once a survey has closed"
    )
    assert await counts(sessions) == before
    assert await outbox(sessions) == []
