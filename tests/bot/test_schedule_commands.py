"""The planning, participation and trends commands, and the scheduling CLI.

Commands run through :func:`bot.commands.dispatch` on real SQLite and PostgreSQL;
the CLI through Typer on a migrated SQLite file.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import typer
from builders import SECRET, answer_as, full_answers
from plan_builders import (
    MONDAY,
    PlanOrg,
    address,
    draft,
    jobs_of,
    outbox,
    plan_org,
    recipients,
    run_due,
)
from sqlmodel import col, select
from typer.testing import CliRunner

from bot.commands import CommandName, CommandResult, dispatch, parse
from bot.conversation.messages import Notice, SummaryTable, Tone
from bot.schedule_cli import pulse_app, schedule_app
from survey.db import SessionFactory, create_engine, session_factory
from survey.errors import ScheduleError
from survey.models import (
    Campaign,
    CampaignStatus,
    Job,
    ManagerOf,
    Participation,
    Person,
    PulseSchedule,
)
from survey.schedule.nudges import NUDGE_JOB
from survey.schedule.plans import CLOSE, OPEN, REMIND
from survey.schedule.pulses import PULSE_RUN

SCHEDULE = (
    "campaign schedule Health check 2026 opens=2026-12-01T09:00 "
    "closes=2026-12-21T17:00 remind=3,7,-1"
)


@dataclass
class Roster:
    """Four teams in two services, a PSW in Team A and a manager of Team B."""

    org: PlanOrg
    psw: Person
    manager: Person
    staff: Person


async def roster(sessions: SessionFactory) -> Roster:
    org = await plan_org(
        sessions,
        teams={
            "Team A": ("Adults", 6),
            "Team B": ("Adults", 5),
            "Team C": ("Children's", 2),
            "Team D": ("Children's", 4),
        },
    )
    psw, staff = org.people["Team A"][:2]
    manager = org.people["Team B"][0]
    async with sessions() as session, session.begin():
        for person, access in ((psw, "psw"), (manager, "manager")):
            stored = await session.get(Person, person.id)
            assert stored is not None
            stored.access = access
            session.add(stored)
        session.add(ManagerOf(person_id=manager.id, team_id=org.teams["Team B"].id))
    return Roster(org, psw, manager, staff)


async def run(
    sessions: SessionFactory, person: Person, typed: str, *, now: datetime = MONDAY
) -> CommandResult:
    return await dispatch(sessions, secret=SECRET, person=person, text=typed, now=now)


def said(result: CommandResult) -> str:
    parts = []
    for message in result.messages:
        if isinstance(message, Notice):
            parts.append(message.text)
        elif isinstance(message, SummaryTable):
            parts += [message.title, *message.columns, message.note or ""]
            parts += [" | ".join(row) for row in message.rows]
    return "\n".join(parts)


def tone(result: CommandResult) -> Tone:
    (notice,) = result.messages
    assert isinstance(notice, Notice)
    return notice.tone


async def opened_campaign(sessions: SessionFactory, r: Roster) -> Campaign:
    await draft(sessions, r.org)
    assert tone(await run(sessions, r.psw, SCHEDULE)) == Tone.SUCCESS
    await run_due(sessions, now=datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    async with sessions() as session:
        return (await session.exec(select(Campaign))).one()


# The grammar


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        (SCHEDULE, CommandName.CAMPAIGN_SCHEDULE),
        ("/healthcheck campaign-schedule X", CommandName.CAMPAIGN_SCHEDULE),
        ("remind team:A at=2026-12-03T14:00", CommandName.REMIND),
        ("mute", CommandName.MUTE),
        ("Mute pulse", CommandName.MUTE),
        ("unmute", CommandName.UNMUTE),
        ("participation", CommandName.PARTICIPATION),
        ("pulse schedule every=4 weeks", CommandName.PULSE_SCHEDULE),
        ("trends pulse-check", CommandName.TRENDS),
    ],
)
def test_the_new_commands_are_recognised(typed: str, name: CommandName) -> None:
    assert parse(typed).name == name


# campaign schedule


async def test_the_psw_schedules_a_campaign_in_local_time(
    sessions: SessionFactory,
) -> None:
    r = await roster(sessions)
    await draft(sessions, r.org)

    result = await run(sessions, r.psw, SCHEDULE)

    assert tone(result) == Tone.SUCCESS
    text = said(result)
    assert "opens Tuesday 1 December 2026 09:00" in text
    assert "closes Monday 21 December 2026 17:00" in text
    assert "Friday 4 December 2026 09:00; Tuesday 8 December 2026 09:00" in text
    assert sorted(job.kind for job in await jobs_of(sessions)) == [
        CLOSE,
        OPEN,
        REMIND,
        REMIND,
        REMIND,
    ]


async def test_a_quoted_name_and_an_offset_work_too(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    await draft(sessions, r.org)

    result = await run(
        sessions,
        r.psw,
        'campaign schedule "Health check 2026" opens="2026-12-01T09:00+01:00" '
        "closes=2026-12-21T17:00",
    )

    assert tone(result) == Tone.SUCCESS
    assert "opens Tuesday 1 December 2026 08:00" in said(result)
    assert "No reminders are planned" in said(result)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        (
            "campaign schedule Health check 2026 opens=soon closes=2026-12-21T17:00",
            "I can't read the opening time 'soon'",
        ),
        (
            "campaign schedule Health check 2026 opens=2026-11-01T09:00 "
            "closes=2026-12-21T17:00",
            "opening time is in the past",
        ),
        (
            "campaign schedule Health check 2026 opens=2026-12-21T09:00 "
            "closes=2026-12-01T17:00",
            "closing time must be after the opening time",
        ),
        (SCHEDULE.replace("3,7,-1", "0,3"), "Day 0 is the opening day"),
        (SCHEDULE.replace("3,7,-1", "3,40"), "day 40 would fall outside"),
        (SCHEDULE.replace("3,7,-1", "3,x"), "'x' is not a day number"),
        (SCHEDULE.replace("2026-12-01T09:00", "2026-12-01"), "needs a time too"),
        (SCHEDULE.replace("Health check 2026", "Nope"), "There is no survey 'Nope'"),
        (SCHEDULE + " closes=2026-12-22T17:00", "'closes=' is given twice"),
        (SCHEDULE + " at=2026-12-22T17:00", "'at=' is not a setting here"),
        ("campaign schedule Health check 2026", "Give the survey's name and"),
    ],
)
async def test_bad_schedules_are_explained_and_nothing_is_stored(
    sessions: SessionFactory, typed: str, says: str
) -> None:
    r = await roster(sessions)
    campaign = await draft(sessions, r.org)

    result = await run(sessions, r.psw, typed)

    assert tone(result) in (Tone.ERROR, Tone.WARNING)
    assert says in said(result)
    assert await jobs_of(sessions) == []
    async with sessions() as session:
        stored = await session.get(Campaign, campaign.id)
        assert stored is not None
        assert stored.opens_at is None


async def test_a_closed_campaign_cannot_be_scheduled(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    await opened_campaign(sessions, r)
    await run(sessions, r.psw, "campaign close Health check 2026")

    result = await run(sessions, r.psw, SCHEDULE, now=datetime(2026, 12, 2, tzinfo=UTC))

    assert tone(result) == Tone.ERROR
    assert "has closed; it cannot be scheduled" in said(result)


async def test_only_the_psw_schedules(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    await draft(sessions, r.org)

    for person in (r.staff, r.manager):
        result = await run(sessions, person, SCHEDULE)
        assert "Only the Principal Social Worker can use" in said(result)
    assert await jobs_of(sessions) == []


async def test_rescheduling_by_chat_replaces_the_plan(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    await draft(sessions, r.org)
    await run(sessions, r.psw, SCHEDULE)

    await run(sessions, r.psw, SCHEDULE.replace("3,7,-1", "5"))

    statuses = sorted((job.kind, job.status) for job in await jobs_of(sessions))
    assert statuses.count((REMIND, "pending")) == 1
    assert statuses.count((REMIND, "cancelled")) == 3


# remind (survey hour)


async def test_the_psw_plans_a_survey_hour_once(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    await opened_campaign(sessions, r)
    monday = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

    first = await run(
        sessions, r.psw, "remind team:Team A at=2026-12-03T14:00", now=monday
    )
    again = await run(
        sessions,
        r.psw,
        'remind team:"Team A" "Health check 2026" at=2026-12-03T14:00',
        now=monday,
    )
    service = await run(
        sessions, r.psw, "remind service:Adults at=2026-12-03T14:00", now=monday
    )

    assert tone(first) == Tone.SUCCESS
    assert "Survey hour for Team A is set for Thursday 3 December 2026 14:00" in said(
        first
    )
    assert "already planned" in said(again)
    assert tone(service) == Tone.SUCCESS
    assert len(await jobs_of(sessions, kind=NUDGE_JOB)) == 2


async def test_a_survey_hour_in_plain_words(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    await opened_campaign(sessions, r)
    tuesday = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)

    planned = await run(
        sessions, r.psw, "remind team a health check 2026 at=Thursday 2pm", now=tuesday
    )

    assert tone(planned) == Tone.SUCCESS
    assert "Survey hour for Team A is set for Thursday 3 December 2026 14:00" in said(
        planned
    )


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("remind team:Team Z at=2026-12-03T14:00", "There is no team 'Team Z'"),
        ("remind team:Team A at=2026-12-05T14:00", "working hours"),
        ("remind team:Team A", "Name the team or service"),
        ("remind Health check 2026 at=2026-12-03T14:00", "Which team or service?"),
        (
            "remind team:Team A Elsewhere at=2026-12-03T14:00",
            "I don't know 'Elsewhere'",
        ),
    ],
)
async def test_a_survey_hour_that_cannot_work_is_explained(
    sessions: SessionFactory, typed: str, says: str
) -> None:
    r = await roster(sessions)
    await opened_campaign(sessions, r)

    result = await run(
        sessions, r.psw, typed, now=datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    )

    assert says in said(result)
    assert await jobs_of(sessions, kind=NUDGE_JOB) == []


async def test_a_survey_hour_needs_a_campaign_when_none_or_several_are_open(
    sessions: SessionFactory,
) -> None:
    r = await roster(sessions)
    await draft(sessions, r.org)

    result = await run(sessions, r.psw, "remind team:Team A at=2026-12-03T14:00")

    assert "No survey is open right now; name the campaign" in said(result)


# mute / unmute


async def muted(sessions: SessionFactory, campaign: Campaign, person: Person) -> bool:
    async with sessions() as session:
        found = (
            await session.exec(
                select(Participation).where(
                    Participation.campaign_id == campaign.id,
                    Participation.person_id == person.id,
                )
            )
        ).one()
        return found.reminders_muted


async def test_anyone_can_mute_and_unmute_their_own_reminders(
    sessions: SessionFactory,
) -> None:
    r = await roster(sessions)
    campaign = await opened_campaign(sessions, r)
    during = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

    muting = await run(sessions, r.staff, "mute", now=during)
    named = await run(sessions, r.manager, "mute health check", now=during)

    assert "Reminders for 'Health check 2026' are off" in said(muting)
    assert tone(named) == Tone.SUCCESS
    assert await muted(sessions, campaign, r.staff)
    assert await muted(sessions, campaign, r.manager)
    assert not await muted(sessions, campaign, r.psw)
    await run_due(sessions, now=datetime(2026, 12, 4, 9, 0, tzinfo=UTC))
    reminded = set(recipients(await outbox(sessions, kind="reminder")))
    assert len(reminded) == 17 - 2
    assert address(r.staff) not in reminded
    assert address(r.manager) not in reminded

    unmuting = await run(sessions, r.staff, "unmute", now=during)

    assert "back on" in said(unmuting)
    assert not await muted(sessions, campaign, r.staff)


async def test_muting_with_nothing_to_mute_says_so(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    campaign = await opened_campaign(sessions, r)
    await answer_as(sessions, r.staff, campaign, full_answers())
    during = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)

    finished = await run(sessions, r.staff, "mute", now=during)
    unmatched = await run(sessions, r.psw, "mute quarterly survey", now=during)

    assert "nothing to mute" in said(finished)
    assert "None of your unfinished open surveys matches 'quarterly survey'" in said(
        unmatched
    )


# participation


async def test_the_psw_sees_participation_for_every_group_without_names(
    sessions: SessionFactory,
) -> None:
    r = await roster(sessions)
    campaign = await opened_campaign(sessions, r)
    for person in r.org.people["Team A"][:4]:
        await answer_as(sessions, person, campaign, full_answers())

    result = await run(sessions, r.psw, "participation")

    (table,) = result.messages
    assert isinstance(table, SummaryTable)
    rows = {row[1]: row for row in table.rows}
    # Open: finished counts move only in steps of 5, so 4 shows as 0.
    assert rows["Plan Council"][2:] == ("17", "0", "0%")
    assert rows["Adults"][2:] == ("11", "0", "0%")
    assert rows["Children's"][2:] == ("6", "0", "0%")
    assert rows["Adults: Team A"][2:] == ("6", "0", "0%")
    assert rows["Adults: Team B"][2:] == ("5", "0", "0%")
    # Two and four people: too few to show either.
    assert rows["Children's: Team C"][2:] == (
        "",
        "",
        "not shown: fewer than 5 responses",
    )
    assert rows["Children's: Team D"][2:4] == ("", "")
    assert rows["Social worker"] == ("Role", "Social worker", "17", "0", "0%")
    assert "finished counts go up in steps of 5 (rounded down)" in (table.note or "")
    everything = said(result)
    for people in r.org.people.values():
        for person in people:
            assert person.name not in everything
            assert person.email not in everything


async def test_a_manager_sees_only_their_own_teams(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    await opened_campaign(sessions, r)

    mine = await run(sessions, r.manager, "participation")
    named = await run(sessions, r.manager, 'participation "Team B"')
    other = await run(sessions, r.manager, "participation team:Team A")
    service = await run(sessions, r.manager, "participation service:Adults")

    (table,) = mine.messages
    assert isinstance(table, SummaryTable)
    assert [row[1] for row in table.rows] == ["Plan Council", "Adults: Team B"]
    assert isinstance(named.messages[0], SummaryTable)
    assert "Sorry, you can only see participation for the teams you manage " in said(
        other
    )
    assert "('Team B'), so not for Team A" in said(other)
    assert "so not for Adults" in said(service)
    refused = await run(sessions, r.staff, "participation")
    assert "Only managers and the Principal Social Worker" in said(refused)


# pulse schedule


async def test_the_psw_schedules_a_recurring_pulse(sessions: SessionFactory) -> None:
    r = await roster(sessions)

    result = await run(
        sessions,
        r.psw,
        "pulse schedule every=4 weeks audience=service:Adults questions=4 "
        "cooldown=14 template=small-pulse",
    )

    assert tone(result) == Tone.SUCCESS
    assert "runs every 4 weeks from Monday 23 November 2026 10:00 for Adults" in said(
        result
    )
    async with sessions() as session:
        (schedule,) = (await session.exec(select(PulseSchedule))).all()
    assert (schedule.every_weeks, schedule.questions_per_pulse) == (4, 4)
    assert schedule.audience["services"] == ["Adults"]
    assert [job.kind for job in await jobs_of(sessions)] == [PULSE_RUN]


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("pulse schedule every=0 template=small-pulse", "every 1 to 52 weeks"),
        ("pulse schedule every=four template=small-pulse", "every= needs a whole"),
        ("pulse schedule template=small-pulse", "Say how often"),
        (
            "pulse schedule every=4 audience=Adults template=small-pulse",
            "I can't read the audience 'Adults'",
        ),
        (
            'pulse schedule every=4 audience="team:Team Z" template=small-pulse',
            "There is no team 'Team Z'",
        ),
        ("pulse schedule every=4 template=small-health", "health check template"),
    ],
)
async def test_bad_pulses_are_explained_and_nothing_is_stored(
    sessions: SessionFactory, typed: str, says: str
) -> None:
    r = await roster(sessions)

    result = await run(sessions, r.psw, typed)

    assert says in said(result)
    async with sessions() as session:
        assert (await session.exec(select(PulseSchedule))).all() == []


async def test_a_second_pulse_for_the_same_people_is_refused(
    sessions: SessionFactory,
) -> None:
    r = await roster(sessions)
    await run(
        sessions,
        r.psw,
        'pulse schedule every=2 audience="team:Team A" template=small-pulse',
    )

    result = await run(
        sessions, r.psw, "pulse schedule every=4 weeks template=small-pulse"
    )

    assert "is a pulse for 6 of the same people" in said(result)


# trends


async def test_trends_show_each_closed_round(sessions: SessionFactory) -> None:
    r = await roster(sessions)
    await run(
        sessions,
        r.psw,
        'pulse schedule every=2 name="Team A pulse" audience="team:Team A" '
        "questions=2 template=small-pulse",
    )
    before = await run(sessions, r.psw, "trends Team A pulse")
    for week in (0, 2):
        start = MONDAY + timedelta(weeks=week)
        await run_due(sessions, now=start)
        async with sessions() as session:
            campaign = (
                await session.exec(
                    select(Campaign)
                    .where(col(Campaign.status) == CampaignStatus.OPEN)
                    .order_by(col(Campaign.opens_at).desc())
                )
            ).first()
        assert campaign is not None
        keys = campaign.question_keys or []
        answers = {key: "agree" for key in keys if key not in ("P3", "P3A")}
        answers |= {"P3": "no"} if "P3" in keys else {}
        for person in r.org.people["Team A"][: 6 if week == 0 else 3]:
            await answer_as(sessions, person, campaign, answers)
        await run_due(sessions, now=start + timedelta(days=7))

    result = await run(sessions, r.psw, "trends Team A pulse")
    by_template = await run(sessions, r.psw, "trends small-pulse")
    staff = await run(sessions, r.staff, "trends")

    assert "No round of Team A pulse has closed yet" in said(before)
    (table,) = result.messages
    assert isinstance(table, SummaryTable)
    assert table.columns == ("% favourable / score", "23 Nov", "7 Dec")
    rows = {row[0]: row[1:] for row in table.rows}
    assert rows["Responses"] == ("6", "-")
    assert rows["P1 Pulse statement 1."] == ("100%", "-")
    assert rows["P4 Pulse statement 4."] == ("-", "-")
    assert rows["Standard 3: Safe workloads and case allocation"] == ("75", "-")
    assert isinstance(by_template.messages[0], SummaryTable)
    assert "Only the Principal Social Worker" in said(staff)


# The CLI


@pytest.fixture
def cli_database(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, sqlite_url: str
) -> str:
    for name in list(os.environ):
        if name.startswith("HEALTHCHECK_") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.setenv("HEALTHCHECK_MODE", "development")  # as `make run`
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("HEALTHCHECK_ORGANISATION", "plan-org")

    async def setup() -> None:
        engine = create_engine(sqlite_url)
        try:
            sessions = session_factory(engine)
            org = await plan_org(sessions)
            await draft(sessions, org)
        finally:
            await engine.dispose()

    asyncio.run(setup())
    return sqlite_url


def healthcheck() -> typer.Typer:
    """The command tree as bot/cli.py registers these apps."""
    root = typer.Typer()
    campaign = typer.Typer()
    campaign.add_typer(schedule_app)
    root.add_typer(campaign, name="campaign")
    root.add_typer(pulse_app, name="pulse")
    return root


def stored_jobs(url: str) -> list[tuple[str, datetime]]:
    async def read() -> list[tuple[str, datetime]]:
        engine = create_engine(url)
        try:
            async with session_factory(engine)() as session:
                jobs = (await session.exec(select(Job).order_by(col(Job.run_at)))).all()
                return [(job.kind, job.run_at) for job in jobs]
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_the_cli_schedules_a_campaign(cli_database: str) -> None:
    result = CliRunner().invoke(
        healthcheck(),
        [
            "campaign",
            "schedule",
            "Health check 2026",
            "--opens",
            "2031-12-01T09:00",
            "--closes",
            "2031-12-19T17:00",
            "--remind",
            "3,7,-1",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "'Health check 2026' opens Monday 1 December 2031 09:00" in result.output
    assert stored_jobs(cli_database) == [
        (OPEN, datetime(2031, 12, 1, 9, 0, tzinfo=UTC)),
        (REMIND, datetime(2031, 12, 4, 9, 0, tzinfo=UTC)),
        (REMIND, datetime(2031, 12, 8, 9, 0, tzinfo=UTC)),
        (REMIND, datetime(2031, 12, 19, 9, 0, tzinfo=UTC)),
        (CLOSE, datetime(2031, 12, 19, 17, 0, tzinfo=UTC)),
    ]


def test_the_cli_refuses_a_bad_schedule_and_stores_nothing(cli_database: str) -> None:
    result = CliRunner().invoke(
        healthcheck(),
        [
            "campaign",
            "schedule",
            "Health check 2026",
            "--opens",
            "2031-12-19T09:00",
            "--closes",
            "2031-12-01T17:00",
        ],
    )

    assert isinstance(result.exception, ScheduleError)
    assert "closing time must be after the opening time" in str(result.exception)
    assert stored_jobs(cli_database) == []


def test_the_cli_schedules_a_recurring_pulse(cli_database: str) -> None:
    result = CliRunner().invoke(
        healthcheck(),
        [
            "pulse",
            "schedule",
            "--every",
            "4",
            "--questions",
            "3",
            "--template",
            "small-pulse",
            "--team",
            "Team A",
            "--start",
            "2031-12-01T09:00",
        ],
    )

    assert result.exit_code == 0, result.output
    assert "runs every 4 weeks from Monday 1 December 2031 09:00 for Team A" in (
        result.output
    )
    assert stored_jobs(cli_database) == [
        (PULSE_RUN, datetime(2031, 12, 1, 9, 0, tzinfo=UTC))
    ]
