"""Briefings posted now or later, with feedback surveys, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from builders import NOW, SmallOrg, answer_as, small_org
from sqlmodel import SQLModel, col, func, select

from survey.db import SessionFactory
from survey.delivery.job_runner import run_job
from survey.errors import NotFoundError, SurveyError
from survey.follow_up.announcements import WORKFORCE, AnnouncementError, Reach
from survey.follow_up.briefings import (
    POST_BRIEFING,
    Briefing,
    create_briefing,
    schedule_briefing,
)
from survey.follow_up.feedback import FEEDBACK_TEMPLATE
from survey.models import (
    Announcement,
    Campaign,
    CampaignStatus,
    Job,
    OutboxMessage,
    Participation,
    ParticipationStatus,
    Person,
    Service,
    Team,
    Template,
)
from survey.questions.bank import BANK_DIR, TemplateKind, load_template
from survey.schedule.plans import CLOSE

LATER = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def counts(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        return {
            name: (await session.exec(select(func.count()).select_from(table))).one()
            for name, table in SQLModel.metadata.tables.items()
        }


async def brief(sessions: SessionFactory, org: SmallOrg, **given: Any) -> Briefing:
    fields: dict[str, Any] = {
        "title": "Practice week",
        "body": "Join us for practice week.\n\nSessions every morning.",
        "now": NOW,
    }
    fields.update(given)
    async with sessions() as session, session.begin():
        return await create_briefing(
            session, organisation_id=org.organisation.id, **fields
        )


async def outbox(sessions: SessionFactory) -> list[OutboxMessage]:
    async with sessions() as session:
        rows = await session.exec(
            select(OutboxMessage).order_by(col(OutboxMessage.recipient))
        )
        return list(rows.all())


async def jobs(sessions: SessionFactory, kind: str = POST_BRIEFING) -> list[Job]:
    async with sessions() as session:
        return list((await session.exec(select(Job).where(Job.kind == kind))).all())


async def second_team(sessions: SessionFactory, org: SmallOrg) -> list[Person]:
    """Team B in a Children's service, with two people (one has left)."""
    async with sessions() as session, session.begin():
        service = Service(organisation_id=org.organisation.id, name="Children's")
        session.add(service)
        await session.flush()
        team = Team(
            organisation_id=org.organisation.id, service_id=service.id, name="Team B"
        )
        session.add(team)
        await session.flush()
        people = [
            Person(
                organisation_id=org.organisation.id,
                name=f"B person {n}",
                email=f"b{n}@example.org",
                team_id=team.id,
                role="social_worker",
                employment_type="permanent",
                active=n == 0,
            )
            for n in range(2)
        ]
        session.add_all(people)
    return people


# The shipped feedback template


def test_the_feedback_template_rates_one_to_five_with_the_top_two_favourable() -> None:
    template = load_template(BANK_DIR / f"{FEEDBACK_TEMPLATE}.yaml")

    assert template.kind is TemplateKind.FEEDBACK
    rating, comment = template.questions
    assert rating.text == "Was this useful?"
    assert [option.label for option in rating.choices()] == [
        "1 - Not useful",
        "2 - A little useful",
        "3 - Quite useful",
        "4 - Useful",
        "5 - Very useful",
    ]
    assert rating.favourable_codes() == ("4", "5")
    assert comment.scale == "text"
    assert not comment.required


# Posting now


async def test_a_briefing_is_posted_to_the_workforce_channel_as_written(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    body = "<!channel> @here <b>Bold?</b> & more\n\nSecond paragraph."

    done = await brief(
        sessions, org, body=body, link=" https://example.org/week?a=1&b=2 "
    )

    assert (done.messages, done.repeat, done.scheduled_for) == (1, False, None)
    assert done.reach == WORKFORCE
    (message,) = await outbox(sessions)
    assert (message.platform, message.recipient) == ("local", "channel:workforce")
    assert message.payload["title"] == "Practice week"
    assert message.payload["body"] == body
    assert message.payload["link"] == "https://example.org/week?a=1&b=2"
    assert message.payload["feedback_campaign"] is None
    async with sessions() as session:
        (stored,) = (await session.exec(select(Announcement))).all()
    assert (stored.kind, stored.body, stored.posted_at) == ("briefing", body, NOW)


async def test_on_slack_and_teams_the_briefing_goes_to_each_workforce_channel(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)

    await brief(sessions, org, platforms=("local", "slack", "teams"))

    assert [(m.platform, m.recipient) for m in await outbox(sessions)] == [
        ("slack", "channel:workforce"),
        ("teams", "channel:workforce"),
    ]


@pytest.mark.parametrize(
    ("reach", "expected"),
    [
        (Reach("team", "team b"), "Team B"),
        (Reach("service", "CHILDREN'S"), "Children's"),
    ],
)
async def test_a_briefing_for_a_team_or_service_goes_to_each_active_person(
    sessions: SessionFactory, reach: Reach, expected: str
) -> None:
    org = await small_org(sessions)
    active, _ = await second_team(sessions, org)

    done = await brief(sessions, org, reach=reach)

    assert done.reach.name == expected
    assert done.reach.describe() == f"everyone in {expected}"
    assert [(m.platform, m.recipient) for m in await outbox(sessions)] == [
        ("local", f"person:{active.id}")
    ]


async def test_the_same_briefing_twice_is_posted_once(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    first = await brief(sessions, org)
    before = await counts(sessions)

    again = await brief(sessions, org, now=NOW + timedelta(hours=2))

    assert again.repeat
    assert again.announcement.id == first.announcement.id
    assert again.messages == 0
    assert await counts(sessions) == before
    changed = await brief(sessions, org, body="Join us for practice week!")
    assert (changed.repeat, changed.messages) == (False, 1)


@pytest.mark.parametrize(
    ("given", "problem"),
    [
        ({"title": "  "}, "The title is empty"),
        ({"body": ""}, "The body is empty"),
        ({"body": " \n "}, "The body is empty"),
        (
            {"title": "t" * 151},
            "The title is 151 characters; chat platforms show at most 150.",
        ),
        (
            {"body": "b" * 3001},
            "The body is 3,001 characters; chat platforms show at most 3,000.",
        ),
        (
            {"link": "www.example.org"},
            "'www.example.org' is not a web link; it must start with https:// or "
            "http://.",
        ),
        ({"link": "javascript:alert(1)"}, "is not a web link"),
        ({"link": "ftp://example.org/file"}, "is not a web link"),
        ({"link": "https://"}, "is not a web link"),
        ({"link": "https://example.org/a b"}, "has spaces in it"),
        (
            {"at": NOW - timedelta(hours=1)},
            "09:30 on 2 March 2026 has already passed; choose a later time.",
        ),
        (
            {"reach": Reach("team", "Team Z")},
            "There is no team 'Team Z'. Teams: Team A.",
        ),
        (
            {"reach": Reach("service", "Housing")},
            "There is no service 'Housing'. Services: Adults.",
        ),
    ],
)
async def test_a_bad_briefing_is_refused_with_a_clear_message_and_nothing_stored(
    sessions: SessionFactory, given: dict[str, Any], problem: str
) -> None:
    org = await small_org(sessions)
    before = await counts(sessions)

    with pytest.raises(SurveyError) as caught:
        await brief(sessions, org, feedback=True, **given)

    assert problem in str(caught.value)
    assert isinstance(caught.value, AnnouncementError | NotFoundError)
    assert await counts(sessions) == before


async def test_a_team_where_everyone_has_left_is_refused(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    async with sessions() as session, session.begin():
        team = Team(
            organisation_id=org.organisation.id,
            service_id=org.team.service_id,
            name="Empty team",
        )
        session.add(team)
    before = await counts(sessions)

    with pytest.raises(AnnouncementError, match="Nobody active on the roster is in"):
        await brief(sessions, org, reach=Reach("team", "Empty team"))

    assert await counts(sessions) == before


# Scheduling


async def test_a_scheduled_briefing_is_one_job_however_often_it_is_scheduled(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)

    first = await brief(sessions, org, at=LATER)
    again = await brief(sessions, org, at=LATER)
    (job,) = await jobs(sessions)
    async with sessions() as session, session.begin():
        announcement = await session.get(Announcement, first.announcement.id)
        assert announcement is not None
        queued = await schedule_briefing(
            session,
            announcement=announcement,
            reach=WORKFORCE,
            key=job.payload["key"],
        )

    assert first.scheduled_for == LATER
    assert (again.repeat, again.announcement.id) == (True, first.announcement.id)
    assert not queued
    (job,) = await jobs(sessions)
    assert job.run_at == LATER
    assert job.payload["announcement_id"] == str(first.announcement.id)
    assert await outbox(sessions) == []
    async with sessions() as session:
        assert (await session.exec(select(func.count(col(Announcement.id))))).one() == 1


async def run_due_job(sessions: SessionFactory, job: Job, now: datetime) -> None:
    async with sessions() as session, session.begin():
        await run_job(session, job=job, now=now, platforms=("local",))


async def test_running_the_job_posts_the_briefing_once_even_if_run_twice(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await second_team(sessions, org)
    await brief(sessions, org, at=LATER, reach=Reach("team", "Team A"))
    (job,) = await jobs(sessions)

    await run_due_job(sessions, job, LATER)
    await run_due_job(sessions, job, LATER + timedelta(minutes=5))

    messages = await outbox(sessions)
    assert sorted(m.recipient for m in messages) == sorted(
        f"person:{person.id}" for person in org.people
    )
    async with sessions() as session:
        (stored,) = (await session.exec(select(Announcement))).all()
    assert stored.posted_at == LATER


# Feedback


async def feedback_campaign(sessions: SessionFactory, done: Briefing) -> Campaign:
    assert done.feedback_campaign is not None
    async with sessions() as session:
        campaign = await session.get(Campaign, done.feedback_campaign.id)
    assert campaign is not None
    return campaign


async def test_feedback_opens_an_anonymous_survey_for_the_same_people(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)

    done = await brief(sessions, org, feedback=True)

    campaign = await feedback_campaign(sessions, done)
    assert campaign.name == "Feedback: Practice week"
    assert campaign.status == CampaignStatus.OPEN
    assert campaign.closes_at == NOW + timedelta(days=14)
    async with sessions() as session:
        template = await session.get(Template, campaign.template_id)
        invited = (
            await session.exec(
                select(func.count(col(Participation.id))).where(
                    Participation.campaign_id == campaign.id
                )
            )
        ).one()
    assert template is not None
    assert (template.key, template.kind) == (FEEDBACK_TEMPLATE, "feedback")
    assert invited == len(org.people)
    (close,) = await jobs(sessions, CLOSE)
    assert close.run_at == NOW + timedelta(days=14)
    (message,) = await outbox(sessions)
    assert message.payload["feedback_campaign"] == "Feedback: Practice week"
    # Answering it is like answering any survey: anonymous, by participation.
    await answer_as(sessions, org.people[0], campaign, {"FB01": "4"})
    async with sessions() as session:
        statuses = (
            await session.exec(
                select(Participation.status).where(
                    Participation.campaign_id == campaign.id,
                    Participation.person_id == org.people[0].id,
                )
            )
        ).all()
    assert statuses == [ParticipationStatus.COMPLETED]


async def test_a_second_feedback_survey_with_the_same_title_gets_the_date(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    await brief(sessions, org, feedback=True)

    second = await brief(sessions, org, feedback=True, body="Day two.")

    campaign = await feedback_campaign(sessions, second)
    assert campaign.name == "Feedback: Practice week (2 Mar 2026)"


async def test_a_long_title_still_makes_a_valid_feedback_survey_name(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)

    done = await brief(sessions, org, feedback=True, title="T" * 150)

    campaign = await feedback_campaign(sessions, done)
    assert len(campaign.name) <= 120
    assert campaign.name.startswith("Feedback: TTT")
    assert campaign.name.endswith("…")


async def test_a_scheduled_briefing_opens_its_feedback_survey_when_posted(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    done = await brief(sessions, org, feedback=True, at=LATER)
    assert (await feedback_campaign(sessions, done)).status == CampaignStatus.DRAFT
    (job,) = await jobs(sessions)

    await run_due_job(sessions, job, LATER)
    await run_due_job(sessions, job, LATER)

    campaign = await feedback_campaign(sessions, done)
    assert campaign.status == CampaignStatus.OPEN
    assert campaign.closes_at == LATER + timedelta(days=14)
    assert len(await jobs(sessions, CLOSE)) == 1
    (message,) = await outbox(sessions)
    assert message.payload["feedback_campaign"] == campaign.name
