"""Retention: old free text and drafts go, participation becomes tallies, rates stay."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from retention_builders import (
    CUTOFF,
    MONTHS,
    PURGE_AT,
    RetentionOrg,
    comment_ids,
    pending_reminder,
    retention_org,
    snapshot,
)
from sqlalchemy import update
from sqlmodel import col, select

from analytics.groups import Group
from analytics.participation import Scope, live_participation
from analytics.report import build_report
from analytics.summary import build_summary
from survey.audit import list_events
from survey.db import SessionFactory
from survey.delivery.queue import DONE
from survey.models import (
    Campaign,
    Draft,
    Job,
    Participation,
    ParticipationStatus,
    ParticipationTally,
    PulseSchedule,
    Team,
)
from survey.retention.purge import (
    PURGED,
    RetentionError,
    months_before,
    plan_purge,
    purge,
)
from survey.retention.tallies import invited_in_teams


async def _purge(sessions: SessionFactory, org: RetentionOrg, **changes: Any) -> Any:
    arguments: dict[str, Any] = {
        "organisation_id": org.organisation.id,
        "now": PURGE_AT,
        "months": MONTHS,
        "actor": "test",
        "channel": "cli",
        **changes,
    }
    async with sessions() as session, session.begin():
        return await purge(session, **arguments)


async def _rates(sessions: SessionFactory, org: RetentionOrg) -> list[Any]:
    """Every response rate the report, the summary and live participation show."""
    async with sessions() as session:
        campaign = await session.get(Campaign, org.old.id)
        assert campaign is not None
        report = await build_report(session, campaign=campaign)
        team = await session.get(Team, org.people["Team A"][0].team_id)
        assert team is not None
        summary = await build_summary(
            session,
            campaign=campaign,
            group=Group.of(
                "Team A", team_id=str(team.id), service_id=str(team.service_id)
            ),
        )
        live = await live_participation(session, campaign=campaign, scope=Scope())
    return [
        *report.response_rates,
        summary.group.response_rate,
        summary.organisation.response_rate,
        *(row.rate for row in live),
    ]


async def test_a_dry_run_counts_and_a_purge_removes_exactly_that_once(
    sessions: SessionFactory,
) -> None:
    org = await retention_org(sessions)
    before = await snapshot(sessions)
    rates = await _rates(sessions, org)
    shown = [(rate.label, rate.invited, rate.responded) for rate in rates]
    assert ("Whole organisation", 11, 5) in shown
    assert ("Team A", 6, 3) in shown
    assert ("Children: Team B", 5, 2) in shown

    async with sessions() as session, session.begin():
        plan = await plan_purge(
            session, organisation_id=org.organisation.id, now=PURGE_AT, months=MONTHS
        )
    assert await snapshot(sessions) == before
    # Both drafts are of the closed round, which goes: one is also old.
    assert (plan.comments, plan.drafts, plan.cutoff) == (2, 2, CUTOFF)
    assert [(c.name, c.records) for c in plan.participation] == [
        ("Teams check 2026", 11)
    ]

    assert await _invited_in_team_a(sessions, org) == 6
    done = await _purge(sessions, org)

    assert (done.comments, done.drafts, done.participation_records) == (2, 2, 11)
    assert await _invited_in_team_a(sessions, org) == 6
    after = await snapshot(sessions)
    # Responses and closed answers stay; only comments older than the cutoff go.
    assert after["Response"] == before["Response"]
    assert after["Answer"] == before["Answer"]
    assert await comment_ids(sessions) == org.kept_comments
    async with sessions() as session:
        drafts = (await session.exec(select(Draft))).all()
        left = (await session.exec(select(Participation))).all()
        tallies = (await session.exec(select(ParticipationTally))).all()
    assert drafts == []
    # The open round's participation is untouched, so its reminders still work.
    assert {row.campaign_id for row in left} == {org.current.id}
    assert len(left) == 11
    assert {t.campaign_id for t in tallies} == {org.old.id}
    by_status: Counter[str] = Counter()
    for tally in tallies:
        by_status[tally.status] += tally.people
    assert by_status == {
        ParticipationStatus.COMPLETED: 5,
        ParticipationStatus.STARTED: 2,
        ParticipationStatus.INVITED: 4,
    }
    by_team = Counter(tally.team_id for tally in tallies for _ in range(tally.people))
    assert sorted(by_team.values()) == [5, 6]
    assert await _rates(sessions, org) == rates

    # Again: nothing more goes, and the audit log has the one purge.
    once = await snapshot(sessions)
    assert (await _purge(sessions, org)).empty
    assert await snapshot(sessions) == once
    async with sessions() as session:
        events = await list_events(session, organisation_id=org.organisation.id)
    assert [(event.action, event.channel) for event in events] == [(PURGED, "cli")]
    assert events[0].subject == (
        "comments: 2, drafts: 2, participation records: 11 (Teams check 2026); "
        "older than 24 months: before 2026-03-02"
    )


async def test_refusals_reminders_due_and_pulse_cool_downs_keep_everything(
    sessions: SessionFactory,
) -> None:
    org = await retention_org(sessions)
    before = await snapshot(sessions)
    for months, message in (
        (0, "must be a whole number of months, 1 or more (got 0)"),
        (-3, "must be a whole number of months, 1 or more (got -3)"),
        (1201, "must be at most 1200 months (got 1201)"),
    ):
        with pytest.raises(RetentionError) as refused:
            await _purge(sessions, org, months=months)
        assert str(refused.value) == f"The retention period {message}."
    assert await snapshot(sessions) == before

    # A pulse leaves out people who were in a health check closed within its
    # cool-down, so their participation stays that long (closed 713 days ago).
    async with sessions() as session, session.begin():
        pulse = PulseSchedule(
            organisation_id=org.organisation.id,
            name="Monthly pulse",
            template_key="small-check",
            every_weeks=4,
            cooldown_days=714,
            next_run_at=PURGE_AT + timedelta(days=30),
        )
        session.add(pulse)
    assert (await _purge(sessions, org)).participation == ()
    # A reminder still due keeps it too, whatever the cool-down.
    await pending_reminder(sessions, org.old)
    async with sessions() as session, session.begin():
        pulse.cooldown_days = 713
        session.add(pulse)
    assert (await _purge(sessions, org, months=None)).participation == ()
    assert await _old_participation(sessions, org) == 11
    async with sessions() as session, session.begin():
        await session.exec(update(Job).values(status=DONE))
    assert (await _purge(sessions, org, months=None)).participation_records == 11
    assert await _old_participation(sessions, org) == 0


async def _invited_in_team_a(sessions: SessionFactory, org: RetentionOrg) -> int:
    async with sessions() as session:
        return await invited_in_teams(
            session,
            campaign_id=org.old.id,
            team_ids=[org.people["Team A"][0].team_id],
        )


async def _old_participation(sessions: SessionFactory, org: RetentionOrg) -> int:
    async with sessions() as session:
        rows = await session.exec(
            select(Participation).where(col(Participation.campaign_id) == org.old.id)
        )
        return len(rows.all())


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2028, 3, 31, 9, tzinfo=UTC), 1, datetime(2028, 2, 29, 9, tzinfo=UTC)),
        (datetime(2027, 3, 31, 9, tzinfo=UTC), 1, datetime(2027, 2, 28, 9, tzinfo=UTC)),
        (datetime(2028, 1, 15, tzinfo=UTC), 24, datetime(2026, 1, 15, tzinfo=UTC)),
        (datetime(2028, 1, 15, tzinfo=UTC), 13, datetime(2026, 12, 15, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months(
    moment: datetime, months: int, expected: datetime
) -> None:
    assert months_before(moment, months) == expected
