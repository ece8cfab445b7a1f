"""Campaign plans, their jobs, reminders and survey hours, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from builders import SECRET, answer_as, full_answers
from plan_builders import (
    MONDAY,
    PlanOrg,
    address,
    draft,
    jobs_of,
    outbox,
    participation,
    plan_org,
    recipients,
    run_due,
)

from survey.answering import DraftState, save_draft
from survey.campaigns import Audience, close_campaign
from survey.db import SessionFactory
from survey.delivery.job_runner import run_job
from survey.delivery.jobs import claim_jobs, schedule_job
from survey.errors import ScheduleError
from survey.models import Campaign, CampaignStatus, Person
from survey.schedule.nudges import NUDGE_JOB, GroupKind, NudgeGroup, schedule_nudge
from survey.schedule.plans import (
    CANCELLED,
    CLOSE,
    OPEN,
    REMIND,
    parse_reminder_days,
    plan_stamp,
    schedule_campaign,
)
from survey.schedule.reminders import set_muted
from survey.schedule.working_hours import parse_local_time

LONDON = "Europe/London"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def local(typed: str) -> datetime:
    return parse_local_time(typed, timezone=LONDON, what="time")


async def plan(
    sessions: SessionFactory,
    campaign: Campaign,
    *,
    opens: str | None = "2026-12-01T09:00",
    closes: str = "2026-12-21T17:00",
    days: list[int] | None = None,
    now: datetime = MONDAY,
) -> list[datetime]:
    async with sessions() as session, session.begin():
        fresh = await session.get(Campaign, campaign.id)
        assert fresh is not None
        reminders = await schedule_campaign(
            session,
            campaign=fresh,
            opens_at=local(opens) if opens else None,
            closes_at=local(closes),
            reminder_days=[3, 7, -1] if days is None else days,
            now=now,
        )
    return [reminder.at for reminder in reminders]


async def fresh_campaign(sessions: SessionFactory, campaign: Campaign) -> Campaign:
    async with sessions() as session:
        found = await session.get(Campaign, campaign.id)
        assert found is not None
        return found


async def opened(
    sessions: SessionFactory, org: PlanOrg, **plan_args: object
) -> Campaign:
    campaign = await draft(sessions, org)
    await plan(sessions, campaign, **plan_args)  # type: ignore[arg-type]
    await run_due(sessions, now=utc(2026, 12, 1, 9, 0))
    return await fresh_campaign(sessions, campaign)


# Planning


async def test_a_plan_queues_open_close_and_reminders_in_local_working_hours(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    campaign = await draft(sessions, org)

    reminders = await plan(sessions, campaign, days=[3, 5, 7, -1])

    # Day 3 is Friday; day 5 a Sunday, so Monday 09:00; -1 is Sunday 17:00, so
    # Monday 21 December 09:00, still before the 17:00 close.
    assert reminders == [
        utc(2026, 12, 4, 9, 0),
        utc(2026, 12, 7, 9, 0),
        utc(2026, 12, 8, 9, 0),
        utc(2026, 12, 21, 9, 0),
    ]
    stored = await fresh_campaign(sessions, campaign)
    assert (stored.opens_at, stored.closes_at) == (
        utc(2026, 12, 1, 9, 0),
        utc(2026, 12, 21, 17, 0),
    )
    assert stored.reminder_days == [3, 5, 7, -1]
    jobs = await jobs_of(sessions)
    assert [(job.kind, job.run_at) for job in jobs] == [
        (OPEN, utc(2026, 12, 1, 9, 0)),
        (REMIND, utc(2026, 12, 4, 9, 0)),
        (REMIND, utc(2026, 12, 7, 9, 0)),
        (REMIND, utc(2026, 12, 8, 9, 0)),
        (REMIND, utc(2026, 12, 21, 9, 0)),
        (CLOSE, utc(2026, 12, 21, 17, 0)),
    ]
    assert {job.payload["plan"] for job in jobs} == {plan_stamp(stored)}


async def test_day_counts_keep_the_local_hour_across_the_clock_change(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    campaign = await draft(sessions, org)

    # Opens Thursday 22 October 10:00 BST; day 4 is Monday 26 October, after the
    # clocks go back: still 10:00 local, which is 10:00 UTC.
    reminders = await plan(
        sessions,
        campaign,
        opens="2026-10-22T10:00",
        closes="2026-10-30T17:00",
        days=[4],
        now=utc(2026, 10, 1, 9, 0),
    )

    assert reminders == [utc(2026, 10, 26, 10, 0)]


@pytest.mark.parametrize(
    ("opens", "closes", "days", "says"),
    [
        ("2026-11-20T09:00", "2026-12-21T17:00", [], "opening time is in the past"),
        ("2026-12-21T09:00", "2026-12-01T17:00", [], "must be after the opening"),
        ("2026-12-01T09:00", "2026-11-22T17:00", [], "closing time is in the past"),
        ("2026-12-01T09:00", "2026-12-21T17:00", [3, 0], "Day 0 is the opening day"),
        ("2026-12-01T09:00", "2026-12-21T17:00", [30], "day 30 would fall outside"),
        ("2026-12-01T09:00", "2026-12-21T17:00", [-25], "day -25 would fall outside"),
        # Day 20 is Monday 21 December 09:00: fine. Day 20 of a campaign closing
        # at 09:00 that day would be at the close: refused.
        ("2026-12-01T09:00", "2026-12-21T09:00", [20], "day 20 would fall outside"),
    ],
)
async def test_a_plan_that_cannot_work_is_refused_and_nothing_is_stored(
    sessions: SessionFactory, opens: str, closes: str, days: list[int], says: str
) -> None:
    org = await plan_org(sessions)
    campaign = await draft(sessions, org)

    with pytest.raises(ScheduleError) as refused:
        await plan(sessions, campaign, opens=opens, closes=closes, days=days)

    assert says in str(refused.value)
    assert await jobs_of(sessions) == []
    stored = await fresh_campaign(sessions, campaign)
    assert (stored.opens_at, stored.closes_at, stored.reminder_days) == (None, None, [])


async def test_a_closed_campaign_cannot_be_scheduled(sessions: SessionFactory) -> None:
    org = await plan_org(sessions)
    campaign = await opened(sessions, org)
    async with sessions() as session, session.begin():
        fresh = await session.get(Campaign, campaign.id)
        assert fresh is not None
        await close_campaign(
            session, campaign=fresh, now=utc(2026, 12, 2, 9, 0), secret=SECRET
        )

    with pytest.raises(ScheduleError) as refused:
        await plan(sessions, campaign, opens=None, now=utc(2026, 12, 2, 10, 0))

    assert "has closed" in str(refused.value)


async def test_an_open_campaign_keeps_its_opening_time_when_rescheduled(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    campaign = await opened(sessions, org)
    later = utc(2026, 12, 2, 10, 0)

    with pytest.raises(ScheduleError) as refused:
        await plan(sessions, campaign, opens="2026-12-03T09:00", now=later)
    reminders = await plan(
        sessions, campaign, opens=None, closes="2027-01-08T17:00", days=[7], now=later
    )

    assert "already open" in str(refused.value)
    assert reminders == [utc(2026, 12, 8, 9, 0)]
    stored = await fresh_campaign(sessions, campaign)
    assert stored.opens_at == utc(2026, 12, 1, 9, 0)
    assert stored.closes_at == utc(2027, 1, 8, 17, 0)


async def test_pulses_may_not_overlap_for_the_same_people(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(
        sessions, teams={"Team A": ("Adults", 5), "Team B": ("Children's", 5)}
    )
    first = await draft(sessions, org, name="Pulse one", template_key="small-pulse")
    second = await draft(sessions, org, name="Pulse two", template_key="small-pulse")
    team_b = await draft(
        sessions,
        org,
        name="Pulse for B",
        template_key="small-pulse",
        audience=Audience(teams=["Team B"]),
    )
    await plan(sessions, first, closes="2026-12-08T17:00", days=[])

    with pytest.raises(ScheduleError) as refused:
        await plan(
            sessions, second, opens="2026-12-07T09:00", closes="2026-12-14T17:00"
        )
    await plan(
        sessions, second, opens="2026-12-09T09:00", closes="2026-12-16T17:00", days=[]
    )
    with pytest.raises(ScheduleError):
        await plan(
            sessions, team_b, opens="2026-12-02T09:00", closes="2026-12-04T17:00"
        )

    assert "'Pulse one' is a pulse for 10 of the same people" in str(refused.value)
    assert "who" not in str(refused.value).lower()
    async with sessions() as session, session.begin():
        # A health check at the same time is not a pulse: no clash.
        health = await session.get(Campaign, (await draft(sessions, org)).id)
        assert health is not None
        await schedule_campaign(
            session,
            campaign=health,
            opens_at=local("2026-12-01T09:00"),
            closes_at=local("2026-12-21T17:00"),
            reminder_days=[],
            now=MONDAY,
        )


# Rescheduling


async def test_rescheduling_cancels_the_earlier_plan(sessions: SessionFactory) -> None:
    org = await plan_org(sessions)
    campaign = await draft(sessions, org)
    await plan(sessions, campaign, days=[3, 7])

    await plan(
        sessions,
        campaign,
        opens="2026-12-02T09:00",
        closes="2026-12-18T17:00",
        days=[5],
    )

    jobs = await jobs_of(sessions)
    stamp = plan_stamp(await fresh_campaign(sessions, campaign))
    assert sorted((job.kind, job.status) for job in jobs) == sorted(
        [(OPEN, CANCELLED), (REMIND, CANCELLED), (REMIND, CANCELLED)]
        + [(CLOSE, CANCELLED), (OPEN, "pending"), (REMIND, "pending")]
        + [(CLOSE, "pending")]
    )
    assert {job.payload["plan"] for job in jobs if job.status == "pending"} == {stamp}
    for moment in sorted({job.run_at for job in jobs}):
        await run_due(sessions, now=moment)
    stored = await fresh_campaign(sessions, campaign)
    assert stored.status == CampaignStatus.CLOSED
    reminders = await outbox(sessions, kind="reminder")
    assert {message.payload["day"] for message in reminders} == {5}
    assert len(reminders) == 6


async def test_a_job_already_running_when_the_plan_changes_does_nothing(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    campaign = await opened(sessions, org, days=[3, 7])
    day_three = utc(2026, 12, 4, 9, 0)
    async with sessions() as session, session.begin():
        (claimed,) = await claim_jobs(
            session, now=day_three, lease=timedelta(minutes=5)
        )
    assert claimed.kind == REMIND

    await plan(
        sessions,
        campaign,
        opens=None,
        closes="2026-12-18T17:00",
        days=[7],
        now=day_three,
    )
    async with sessions() as session, session.begin():
        await run_job(session, job=claimed, now=day_three)

    assert await outbox(sessions, kind="reminder") == []
    await run_due(sessions, now=utc(2026, 12, 8, 9, 0))
    assert len(await outbox(sessions, kind="reminder")) == 6


async def test_going_back_to_an_earlier_plan_revives_its_jobs(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    campaign = await draft(sessions, org)
    await plan(sessions, campaign, days=[3])
    await plan(sessions, campaign, days=[4])

    await plan(sessions, campaign, days=[3])

    pending = [job for job in await jobs_of(sessions) if job.status == "pending"]
    assert sorted(job.kind for job in pending) == [CLOSE, OPEN, REMIND]
    assert [job.payload.get("day") for job in pending if job.kind == REMIND] == [3]


# Opening and inviting


async def test_opening_invites_everyone_once(sessions: SessionFactory) -> None:
    org = await plan_org(sessions)
    campaign = await opened(sessions, org)
    (open_job,) = await jobs_of(sessions, kind=OPEN)

    async with sessions() as session, session.begin():
        await run_job(session, job=open_job, now=utc(2026, 12, 1, 9, 5))

    assert campaign.status == CampaignStatus.OPEN
    invitations = await outbox(sessions, kind="invitation")
    assert recipients(invitations) == sorted(address(p) for p in org.people["Team A"])
    payload = invitations[0].payload
    assert payload["total"] == 5  # the five questions everyone is asked
    assert "Health check 2026" in payload["text"]
    assert "Monday 21 December at 17:00" in payload["text"]


# Reminders


async def test_reminders_go_only_to_people_still_expected_to_answer(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    campaign = await opened(sessions, org, days=[3, 7])
    finished, muted, leaver, halfway, *others = org.people["Team A"]
    await answer_as(sessions, finished, campaign, full_answers())
    async with sessions() as session, session.begin():
        await set_muted(session, person=muted, campaign=campaign, muted=True)
        gone = await session.get(Person, leaver.id)
        assert gone is not None
        gone.active = False
        session.add(gone)
        await save_draft(
            session,
            secret=SECRET,
            person=halfway,
            campaign=campaign,
            state=DraftState(
                answers={"Q1": "agree", "BULLIED": "yes", "WHO": ["public"]}
            ),
            now=utc(2026, 12, 2, 10, 0),
        )

    await run_due(sessions, now=utc(2026, 12, 4, 9, 0))

    reminders = await outbox(sessions, kind="reminder")
    expected = sorted(address(person) for person in [halfway, *others])
    assert recipients(reminders) == expected
    halfway_message = next(m for m in reminders if m.recipient == address(halfway))
    # The follow-up WHO is not counted: its presence would hint at the answer.
    assert (halfway_message.payload["answered"], halfway_message.payload["total"]) == (
        2,
        5,
    )
    assert "You have answered 2 of 5 questions" in halfway_message.payload["text"]
    assert "agree" not in str(halfway_message.payload)
    assert "public" not in str(halfway_message.payload)
    assert "mute" in halfway_message.payload["text"]
    assert (
        await participation(sessions, campaign_id=campaign.id, person=halfway)
    ).reminders_sent == 1
    assert (
        await participation(sessions, campaign_id=campaign.id, person=finished)
    ).answered == 0


async def test_never_more_than_one_reminder_per_person_per_planned_day(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    campaign = await opened(sessions, org, days=[3, 7])
    day_three = utc(2026, 12, 4, 9, 0)
    await run_due(sessions, now=day_three)
    (job,) = [
        job for job in await jobs_of(sessions, kind=REMIND) if job.payload["day"] == 3
    ]

    # The same job again, and a second job for the same day.
    async with sessions() as session, session.begin():
        await run_job(session, job=job, now=utc(2026, 12, 4, 10, 0))
        await schedule_job(
            session,
            kind=REMIND,
            dedupe_key="a second ticker for day 3",
            run_at=day_three,
            payload=dict(job.payload),
        )
    await run_due(sessions, now=utc(2026, 12, 4, 11, 0))
    assert len(await outbox(sessions, kind="reminder")) == 6

    await run_due(sessions, now=utc(2026, 12, 8, 9, 0))

    reminders = await outbox(sessions, kind="reminder")
    per_person_day = [(m.recipient, m.payload["day"]) for m in reminders]
    assert len(per_person_day) == len(set(per_person_day)) == 12
    person = org.people["Team A"][0]
    assert (
        await participation(sessions, campaign_id=campaign.id, person=person)
    ).reminders_sent == 2


async def test_a_reminder_due_at_the_weekend_waits_for_monday(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    await opened(sessions, org, days=[3])

    # The worker was down on Friday and first runs on Saturday.
    await run_due(sessions, now=utc(2026, 12, 5, 10, 0))

    assert await outbox(sessions, kind="reminder") == []
    (job,) = await jobs_of(sessions, kind=REMIND)
    assert (job.status, job.run_at) == ("pending", utc(2026, 12, 7, 9, 0))
    await run_due(sessions, now=utc(2026, 12, 7, 9, 0))
    assert len(await outbox(sessions, kind="reminder")) == 6


async def test_closing_stops_reminders(sessions: SessionFactory) -> None:
    org = await plan_org(sessions)
    campaign = await opened(sessions, org, days=[3])
    (job,) = await jobs_of(sessions, kind=REMIND)

    await run_due(sessions, now=utc(2026, 12, 21, 17, 0))
    async with sessions() as session, session.begin():
        await run_job(session, job=job, now=utc(2026, 12, 22, 10, 0))

    assert (await fresh_campaign(sessions, campaign)).status == CampaignStatus.CLOSED
    assert await outbox(sessions, kind="reminder") == []


def test_reminder_days_are_read_from_what_was_typed() -> None:
    assert parse_reminder_days("3,7,-1") == [3, 7, -1]
    assert parse_reminder_days(" 3, 7 , -1 ") == [3, 7, -1]
    assert parse_reminder_days("") == []
    with pytest.raises(ScheduleError) as refused:
        parse_reminder_days("3,seven")
    assert "'seven' is not a day number" in str(refused.value)


# Survey hour


async def test_a_survey_hour_nudges_that_group_once(sessions: SessionFactory) -> None:
    org = await plan_org(
        sessions, teams={"Team A": ("Adults", 5), "Team B": ("Adults", 5)}
    )
    campaign = await opened(sessions, org, days=[])
    team_a = org.teams["Team A"]
    group = NudgeGroup(GroupKind.TEAM, team_a.id, team_a.name)
    thursday = local("2026-12-03T14:00")
    await answer_as(sessions, org.people["Team A"][0], campaign, full_answers())
    async with sessions() as session, session.begin():
        await set_muted(
            session, person=org.people["Team A"][1], campaign=campaign, muted=True
        )
        first = await schedule_nudge(
            session, campaign=campaign, group=group, at=thursday, now=MONDAY
        )
        again = await schedule_nudge(
            session, campaign=campaign, group=group, at=thursday, now=MONDAY
        )

    await run_due(sessions, now=thursday)
    await run_due(sessions, now=utc(2026, 12, 3, 14, 30))

    assert (first, again) == (True, False)
    assert len(await jobs_of(sessions, kind=NUDGE_JOB)) == 1
    nudges = await outbox(sessions, kind="nudge")
    assert recipients(nudges) == sorted(address(p) for p in org.people["Team A"][2:])
    assert "survey hour" in nudges[0].payload["text"]


async def test_a_service_survey_hour_reaches_every_team_in_it(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(
        sessions,
        teams={"Team A": ("Adults", 3), "Team B": ("Adults", 3), "Team C": ("Kids", 3)},
    )
    campaign = await opened(sessions, org, days=[])
    async with sessions() as session, session.begin():
        service_id = org.teams["Team A"].service_id
        await schedule_nudge(
            session,
            campaign=campaign,
            group=NudgeGroup(GroupKind.SERVICE, service_id, "Adults"),
            at=local("2026-12-03T14:00"),
            now=MONDAY,
        )

    await run_due(sessions, now=utc(2026, 12, 3, 14, 0))

    expected = [*org.people["Team A"], *org.people["Team B"]]
    assert recipients(await outbox(sessions, kind="nudge")) == sorted(
        address(person) for person in expected
    )


@pytest.mark.parametrize(
    ("at", "says"),
    [
        ("2026-11-20T14:00", "in the past"),
        ("2026-12-05T14:00", "working hours"),  # Saturday
        ("2026-12-03T18:00", "working hours"),
        ("2026-11-30T14:00", "does not open until after then"),
        ("2026-12-22T10:00", "closes before then"),
    ],
)
async def test_a_survey_hour_at_an_impossible_time_is_refused(
    sessions: SessionFactory, at: str, says: str
) -> None:
    org = await plan_org(sessions)
    campaign = await draft(sessions, org)
    await plan(sessions, campaign, days=[])
    team = org.teams["Team A"]
    campaign = await fresh_campaign(sessions, campaign)

    with pytest.raises(ScheduleError) as refused:
        async with sessions() as session, session.begin():
            await schedule_nudge(
                session,
                campaign=campaign,
                group=NudgeGroup(GroupKind.TEAM, team.id, team.name),
                at=local(at),
                now=MONDAY,
            )

    assert says in str(refused.value)
    assert await jobs_of(sessions, kind=NUDGE_JOB) == []


# Progress counts


async def test_progress_counts_only_questions_everyone_is_asked(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    campaign = await opened(sessions, org, days=[])
    person = org.people["Team A"][0]

    for answers, expected in [
        ({"Q1": "agree"}, 1),
        ({"Q1": "agree", "BULLIED": "no"}, 2),
        ({"Q1": "agree", "BULLIED": "yes", "WHO": ["manager"]}, 2),
        ({"Q1": "agree", "BULLIED": "yes", "WHO": ["manager"], "TX1": None}, 3),
    ]:
        async with sessions() as session, session.begin():
            await save_draft(
                session,
                secret=SECRET,
                person=person,
                campaign=campaign,
                state=DraftState(answers=answers),  # type: ignore[arg-type]
                now=utc(2026, 12, 2, 10, 0),
            )
        found = await participation(sessions, campaign_id=campaign.id, person=person)
        assert found.answered == expected

    await answer_as(sessions, person, campaign, full_answers())

    # Sent: the count is cleared, so it cannot be lined up with the response.
    found = await participation(sessions, campaign_id=campaign.id, person=person)
    assert (found.status, found.answered) == ("completed", 0)
