"""Recurring pulses: rotation, runs, cool-down and bad input (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from builders import SECRET
from plan_builders import (
    MONDAY,
    PULSE_TEMPLATE,
    PlanOrg,
    address,
    draft,
    jobs_of,
    outbox,
    plan_org,
    recipients,
    run_due,
)
from sqlmodel import col, func, select

from survey.answering import DraftState, save_draft, submit
from survey.campaigns import Audience
from survey.db import SessionFactory
from survey.delivery.job_runner import run_job
from survey.delivery.jobs import schedule_job
from survey.errors import AnswerError, NotFoundError, ScheduleError
from survey.models import (
    Answer,
    Campaign,
    CampaignStatus,
    Participation,
    Person,
    PulseSchedule,
)
from survey.questions.bank import BANK_DIR, load_template, parse_template
from survey.questions.sets import question_blocks, rotation
from survey.schedule.plans import CLOSE, REMIND, schedule_campaign
from survey.schedule.pulses import PULSE_RUN, create_pulse_schedule
from survey.schedule.working_hours import parse_local_time

PULSE = parse_template(PULSE_TEMPLATE, source="test")
EVERY_ID = {"P1", "P2", "P3", "P3A", "P4", "P5", "P6"}


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# The rotation (pure)


def test_each_run_asks_a_different_share_and_a_cycle_asks_everything() -> None:
    runs = [rotation(PULSE, per_pulse=4, run=run) for run in range(4)]

    assert runs[0] == ["P1", "P2", "P3", "P3A", "P4"]
    assert runs[1] == ["P1", "P2", "P5", "P6"]
    assert runs[2] == ["P3", "P3A", "P4", "P5", "P6"]
    assert all(before != after for before, after in zip(runs, runs[1:], strict=False))
    assert set(runs[0] or []) | set(runs[1] or []) == EVERY_ID


@pytest.mark.parametrize("per_pulse", [1, 2, 3, 4, 5])
def test_a_follow_up_is_always_asked_with_its_question(per_pulse: int) -> None:
    cycle = -(-len(question_blocks(PULSE)) // per_pulse)
    seen: set[str] = set()
    for run in range(cycle):
        asked = rotation(PULSE, per_pulse=per_pulse, run=run) or []
        assert ("P3" in asked) == ("P3A" in asked)
        assert len([key for key in asked if key != "P3A"]) == per_pulse
        seen.update(asked)

    assert seen == EVERY_ID


def test_the_shipped_pulse_check_rotates_through_all_its_questions() -> None:
    shipped = load_template(BANK_DIR / "pulse-check.yaml")
    ids = {question.id for question in shipped.questions}

    first, second = (rotation(shipped, per_pulse=4, run=run) for run in (0, 1))

    assert first != second
    assert set(first or []) | set(second or []) == ids


def test_asking_at_least_every_question_needs_no_rotation() -> None:
    assert rotation(PULSE, per_pulse=None, run=3) is None
    assert rotation(PULSE, per_pulse=6, run=3) is None
    with pytest.raises(ValueError, match="at least one question"):
        rotation(PULSE, per_pulse=0, run=0)


# Creating a recurring pulse


async def new_pulse(
    sessions: SessionFactory,
    org: PlanOrg,
    *,
    audience: Audience | None = None,
    every_weeks: int = 4,
    questions: int | None = 4,
    cooldown: int = 14,
    open_days: int = 7,
    template: str = "small-pulse",
    first: datetime | None = MONDAY,
    name: str | None = None,
) -> PulseSchedule:
    async with sessions() as session, session.begin():
        return await create_pulse_schedule(
            session,
            organisation_id=org.organisation.id,
            audience=audience or Audience(),
            every_weeks=every_weeks,
            questions_per_pulse=questions,
            cooldown_days=cooldown,
            open_days=open_days,
            template_key=template,
            name=name,
            first_run_at=first,
            now=MONDAY,
        )


async def count(sessions: SessionFactory, model: type[PulseSchedule]) -> int:
    async with sessions() as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


@pytest.mark.parametrize(
    ("settings", "error", "says"),
    [
        ({"every_weeks": 0}, ScheduleError, "every 1 to 52 weeks"),
        ({"every_weeks": 53}, ScheduleError, "every 1 to 52 weeks"),
        ({"every_weeks": 1, "open_days": 7}, ScheduleError, "open= must be 1 to 6"),
        ({"open_days": 0}, ScheduleError, "open= must be 1 to 27"),
        ({"questions": 0}, ScheduleError, "at least 1 question"),
        ({"cooldown": -1}, ScheduleError, "cooldown= must be 0 to 365"),
        ({"template": "small-health"}, ScheduleError, "is a health check template"),
        ({"template": "no-such"}, NotFoundError, "There is no template 'no-such'"),
        (
            {"audience": Audience(teams=["Team Z"])},
            NotFoundError,
            "There is no team 'Team Z'",
        ),
        (
            {"audience": Audience(roles=["team_manager"])},
            ScheduleError,
            "would go to no one",
        ),
        ({"first": MONDAY - timedelta(days=1)}, ScheduleError, "in the past"),
    ],
)
async def test_a_pulse_that_cannot_work_is_refused_and_nothing_is_stored(
    sessions: SessionFactory,
    settings: dict[str, object],
    error: type[Exception],
    says: str,
) -> None:
    org = await plan_org(sessions)

    with pytest.raises(error) as refused:
        await new_pulse(sessions, org, **settings)  # type: ignore[arg-type]

    assert says in str(refused.value)
    assert await count(sessions, PulseSchedule) == 0
    assert await jobs_of(sessions) == []


async def test_recurring_pulses_may_not_share_people(sessions: SessionFactory) -> None:
    org = await plan_org(
        sessions, teams={"Team A": ("Adults", 5), "Team B": ("Children's", 5)}
    )
    await new_pulse(sessions, org, audience=Audience(teams=["Team A"]))
    await new_pulse(sessions, org, audience=Audience(services=["Children's"]))

    with pytest.raises(ScheduleError) as refused:
        await new_pulse(sessions, org, audience=Audience(), name="Everyone")

    assert "for 5 of the same people" in str(refused.value)
    assert await count(sessions, PulseSchedule) == 2


async def test_a_one_off_pulse_may_not_land_on_a_recurring_pulses_run(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    await new_pulse(sessions, org, name="Monthly")  # open 23-30 Nov, 21-28 Dec ...
    one_off = await draft(sessions, org, name="One-off", template_key="small-pulse")

    async def plan(opens: datetime, closes: datetime) -> None:
        async with sessions() as session, session.begin():
            fresh = await session.get(Campaign, one_off.id)
            assert fresh is not None
            await schedule_campaign(
                session,
                campaign=fresh,
                opens_at=opens,
                closes_at=closes,
                reminder_days=[],
                now=MONDAY,
            )

    with pytest.raises(ScheduleError) as refused:
        await plan(utc(2026, 12, 24, 9, 0), utc(2026, 12, 31, 17, 0))
    await plan(utc(2026, 12, 2, 9, 0), utc(2026, 12, 4, 17, 0))

    assert "'Monthly' is a pulse for 6 of the same people" in str(refused.value)


async def test_a_new_pulse_queues_its_first_run(sessions: SessionFactory) -> None:
    org = await plan_org(sessions)

    schedule = await new_pulse(sessions, org)

    (job,) = await jobs_of(sessions)
    assert (job.kind, job.dedupe_key, job.run_at) == (
        PULSE_RUN,
        f"pulse:{schedule.id}:1",
        MONDAY,
    )
    assert schedule.name == "Small pulse"
    assert (schedule.runs, schedule.active) == (0, True)


# Runs


async def campaigns_of(sessions: SessionFactory) -> list[Campaign]:
    async with sessions() as session:
        rows = await session.exec(
            select(Campaign)
            .where(col(Campaign.pulse_schedule_id).is_not(None))
            .order_by(col(Campaign.opens_at))
        )
        return list(rows.all())


async def invited(sessions: SessionFactory, campaign: Campaign) -> set[str]:
    async with sessions() as session:
        rows = await session.exec(
            select(Person.email)
            .join(Participation, col(Participation.person_id) == col(Person.id))
            .where(Participation.campaign_id == campaign.id)
        )
        return set(rows.all())


async def test_a_run_opens_a_pulse_asking_its_share_and_plans_the_next(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    schedule = await new_pulse(sessions, org)

    await run_due(sessions, now=MONDAY)

    (campaign,) = await campaigns_of(sessions)
    assert campaign.status == CampaignStatus.OPEN
    assert campaign.question_keys == ["P1", "P2", "P3", "P3A", "P4"]
    assert campaign.name == "Small pulse #1 (23 Nov 2026)"
    assert campaign.closes_at == MONDAY + timedelta(days=7)
    invitations = await outbox(sessions, kind="invitation")
    assert recipients(invitations) == sorted(address(p) for p in org.people["Team A"])
    assert invitations[0].payload["total"] == 4  # P3A is a follow-up
    pending = {
        (job.kind, job.run_at)
        for job in await jobs_of(sessions)
        if job.status == "pending"
    }
    assert pending == {
        (CLOSE, MONDAY + timedelta(days=7)),
        (REMIND, MONDAY + timedelta(days=3)),
        (PULSE_RUN, MONDAY + timedelta(weeks=4)),
    }
    async with sessions() as session:
        stored = await session.get(PulseSchedule, schedule.id)
        assert stored is not None
        assert (stored.runs, stored.next_run_at) == (1, MONDAY + timedelta(weeks=4))


async def test_a_summer_pulse_closes_and_reminds_on_time(
    sessions: SessionFactory,
) -> None:
    # Stored times come back in UTC; the plan must still be recognised as current.
    org = await plan_org(sessions)
    june = utc(2027, 6, 7, 9, 0)  # Monday 10:00 BST
    await new_pulse(sessions, org, first=june)

    for moment in (june, june + timedelta(days=3), june + timedelta(days=7)):
        await run_due(sessions, now=moment)

    (campaign,) = await campaigns_of(sessions)
    assert campaign.status == CampaignStatus.CLOSED
    assert campaign.closes_at == june + timedelta(days=7)
    assert len(await outbox(sessions, kind="reminder")) == 6


async def test_duplicate_tickers_are_harmless(sessions: SessionFactory) -> None:
    org = await plan_org(sessions)
    schedule = await new_pulse(sessions, org)
    await run_due(sessions, now=MONDAY)
    (first_run,) = [
        job for job in await jobs_of(sessions, kind=PULSE_RUN) if job.status == "done"
    ]

    async with sessions() as session, session.begin():
        again = await schedule_job(
            session,
            kind=PULSE_RUN,
            dedupe_key=f"pulse:{schedule.id}:1",
            run_at=MONDAY,
            payload={"schedule_id": str(schedule.id), "run": 1},
        )
        await run_job(session, job=first_run, now=MONDAY + timedelta(minutes=5))
        stray = await schedule_job(
            session,
            kind=PULSE_RUN,
            dedupe_key="another ticker",
            run_at=MONDAY,
            payload={"schedule_id": str(schedule.id), "run": 1},
        )
    await run_due(sessions, now=MONDAY + timedelta(minutes=10))

    assert (again, stray) == (False, True)
    assert len(await campaigns_of(sessions)) == 1
    assert len(await outbox(sessions, kind="invitation")) == 6


async def test_runs_over_a_cycle_rotate_through_every_question(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    await new_pulse(sessions, org, questions=2)

    for week in range(0, 4 * 4, 4):
        moment = MONDAY + timedelta(weeks=week)
        await run_due(sessions, now=moment)
        await run_due(sessions, now=moment + timedelta(days=3))
        await run_due(sessions, now=moment + timedelta(days=7))

    campaigns = await campaigns_of(sessions)
    asked = [campaign.question_keys for campaign in campaigns]
    assert asked == [
        ["P1", "P2"],
        ["P3", "P3A", "P4"],
        ["P5", "P6"],
        ["P1", "P2"],
    ]
    assert {key for keys in asked[:3] for key in keys or []} == EVERY_ID
    assert [campaign.status for campaign in campaigns] == [CampaignStatus.CLOSED] * 4
    reminders = await outbox(sessions, kind="reminder")
    assert len(reminders) == 4 * 6


async def test_a_run_due_at_the_weekend_waits_for_monday(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    saturday = utc(2026, 11, 28, 10, 0)
    await new_pulse(sessions, org, first=saturday)

    await run_due(sessions, now=saturday)

    assert await campaigns_of(sessions) == []
    (job,) = await jobs_of(sessions, kind=PULSE_RUN)
    assert job.run_at == utc(2026, 11, 30, 9, 0)


async def test_a_stopped_pulse_does_not_run(sessions: SessionFactory) -> None:
    org = await plan_org(sessions)
    schedule = await new_pulse(sessions, org)
    async with sessions() as session, session.begin():
        stored = await session.get(PulseSchedule, schedule.id)
        assert stored is not None
        stored.active = False
        session.add(stored)

    await run_due(sessions, now=MONDAY)

    assert await campaigns_of(sessions) == []


# Cool-down


async def health_check_for_team_a(
    sessions: SessionFactory, org: PlanOrg, *, closes: str
) -> Campaign:
    campaign = await draft(sessions, org, audience=Audience(teams=["Team A"]))
    async with sessions() as session, session.begin():
        fresh = await session.get(Campaign, campaign.id)
        assert fresh is not None
        await schedule_campaign(
            session,
            campaign=fresh,
            opens_at=utc(2026, 11, 24, 9, 0),
            closes_at=parse_local_time(closes, timezone="Europe/London", what="t"),
            reminder_days=[],
            now=MONDAY,
        )
    await run_due(sessions, now=utc(2026, 11, 24, 9, 0))
    return campaign


@pytest.mark.parametrize(
    ("closes", "cooldown", "team_a_asked"),
    [
        ("2027-01-06T17:00", 14, False),  # closed 5 days before the pulse
        ("2027-01-06T17:00", 3, True),  # ... but the cool-down is only 3 days
        ("2026-12-11T17:00", 14, True),  # closed a month before
        ("2027-02-01T17:00", 14, False),  # still open
    ],
)
async def test_people_lately_invited_to_a_health_check_are_left_out(
    sessions: SessionFactory, closes: str, cooldown: int, team_a_asked: bool
) -> None:
    org = await plan_org(
        sessions, teams={"Team A": ("Adults", 5), "Team B": ("Adults", 5)}
    )
    await health_check_for_team_a(sessions, org, closes=closes)
    pulse_day = utc(2027, 1, 11, 10, 0)
    closing = parse_local_time(closes, timezone="Europe/London", what="t")
    if closing < pulse_day:
        await run_due(sessions, now=closing)
    async with sessions() as session, session.begin():
        await create_pulse_schedule(
            session,
            organisation_id=org.organisation.id,
            audience=Audience(),
            every_weeks=4,
            cooldown_days=cooldown,
            first_run_at=pulse_day,
            template_key="small-pulse",
            now=pulse_day - timedelta(days=1),
        )

    await run_due(sessions, now=pulse_day)

    (pulse,) = await campaigns_of(sessions)
    team_a = {person.email for person in org.people["Team A"]}
    team_b = {person.email for person in org.people["Team B"]}
    assert await invited(sessions, pulse) == (
        team_a | team_b if team_a_asked else team_b
    )
    invitations = await outbox(sessions, kind="invitation")
    pulse_invites = [
        m for m in invitations if m.payload["campaign_id"] == str(pulse.id)
    ]
    assert len(pulse_invites) == (10 if team_a_asked else 5)


async def test_a_health_check_about_to_open_also_rests_its_people(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(
        sessions, teams={"Team A": ("Adults", 5), "Team B": ("Adults", 5)}
    )
    soon = await draft(sessions, org, audience=Audience(teams=["Team A"]))
    async with sessions() as session, session.begin():
        fresh = await session.get(Campaign, soon.id)
        assert fresh is not None
        await schedule_campaign(
            session,
            campaign=fresh,
            opens_at=MONDAY + timedelta(days=8),
            closes_at=MONDAY + timedelta(days=30),
            reminder_days=[],
            now=MONDAY,
        )
    await new_pulse(sessions, org)

    await run_due(sessions, now=MONDAY)

    (pulse,) = await campaigns_of(sessions)
    assert await invited(sessions, pulse) == {p.email for p in org.people["Team B"]}


async def test_when_everyone_is_resting_the_run_is_skipped_not_lost(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    await health_check_for_team_a(sessions, org, closes="2026-12-04T17:00")
    schedule = await new_pulse(sessions, org, first=utc(2026, 11, 30, 10, 0))

    await run_due(sessions, now=utc(2026, 11, 30, 10, 0))

    assert await campaigns_of(sessions) == []
    async with sessions() as session:
        stored = await session.get(PulseSchedule, schedule.id)
        assert stored is not None
        assert stored.runs == 1
    pending = [
        j for j in await jobs_of(sessions, kind=PULSE_RUN) if j.status == "pending"
    ]
    assert [job.dedupe_key for job in pending] == [f"pulse:{schedule.id}:2"]

    await run_due(sessions, now=utc(2026, 12, 4, 17, 0))  # the health check closes
    await run_due(sessions, now=utc(2026, 12, 28, 10, 0))

    # More than 14 days later: everyone is asked, starting with the first share.
    (pulse,) = await campaigns_of(sessions)
    assert pulse.question_keys == ["P1", "P2", "P3", "P3A", "P4"]
    assert len(await invited(sessions, pulse)) == 6


# Answering asks only the pulse's share


async def test_a_pulse_takes_and_requires_only_the_questions_it_asks(
    sessions: SessionFactory,
) -> None:
    org = await plan_org(sessions)
    await new_pulse(sessions, org)
    await run_due(sessions, now=MONDAY)
    (campaign,) = await campaigns_of(sessions)
    person = org.people["Team A"][0]
    later = MONDAY + timedelta(hours=1)

    with pytest.raises(AnswerError) as refused:
        async with sessions() as session, session.begin():
            await save_draft(
                session,
                secret=SECRET,
                person=person,
                campaign=campaign,
                state=DraftState(answers={"P5": "agree"}),
                now=later,
            )
    answers = {"P1": "agree", "P2": "disagree", "P3": "no", "P4": "agree"}
    async with sessions() as session, session.begin():
        await save_draft(
            session,
            secret=SECRET,
            person=person,
            campaign=campaign,
            state=DraftState(answers=answers),  # type: ignore[arg-type]
            now=later,
        )
        await submit(
            session, secret=SECRET, person=person, campaign=campaign, now=later
        )

    assert "'P5' is not a question in this survey" in str(refused.value)
    # The pulse's own close job writes the sealed response.
    assert campaign.closes_at is not None
    assert CLOSE in await run_due(sessions, now=campaign.closes_at)
    async with sessions() as session:
        stored = (await session.exec(select(Answer.question_key))).all()
    assert sorted(stored) == ["P1", "P2", "P3", "P4"]
