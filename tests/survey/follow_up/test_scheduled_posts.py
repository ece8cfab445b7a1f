"""Scheduled briefings cancelled before they go, briefings for a role, previews.

Real SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from builders import NOW, SmallOrg, small_org
from sqlmodel import SQLModel, func, select

from survey.db import SessionFactory
from survey.delivery.jobs import claim_jobs
from survey.errors import NotFoundError
from survey.follow_up.announcements import AnnouncementError, Reach
from survey.follow_up.briefing_checks import preview_briefing
from survey.follow_up.briefings import POST_BRIEFING, Briefing, create_briefing
from survey.follow_up.scheduled_posts import (
    CancelError,
    cancel_briefing,
    scheduled_briefings,
)
from survey.models import Job, OutboxMessage

LATER = NOW + timedelta(days=1)


async def counts(sessions: SessionFactory) -> dict[str, int]:
    async with sessions() as session:
        return {
            name: (await session.exec(select(func.count()).select_from(table))).one()
            for name, table in SQLModel.metadata.tables.items()
        }


async def schedule(
    sessions: SessionFactory, org: SmallOrg, title: str = "Practice week"
) -> Briefing:
    async with sessions() as session, session.begin():
        return await create_briefing(
            session,
            organisation_id=org.organisation.id,
            title=title,
            body="Sessions every morning.",
            at=LATER,
            now=NOW,
        )


async def cancel(sessions: SessionFactory, org: SmallOrg, briefing: Briefing) -> str:
    async with sessions() as session, session.begin():
        done = await cancel_briefing(
            session,
            organisation_id=org.organisation.id,
            announcement_id=briefing.announcement.id,
        )
    return done.state


async def job_statuses(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        rows = await session.exec(select(Job).where(Job.kind == POST_BRIEFING))
        return [job.status for job in rows.all()]


async def test_cancelling_twice_is_harmless(sessions: SessionFactory) -> None:
    org = await small_org(sessions)
    briefing = await schedule(sessions, org)

    assert await cancel(sessions, org, briefing) == "cancelled"
    assert await cancel(sessions, org, briefing) == "cancelled"

    assert await job_statuses(sessions) == ["cancelled"]


async def test_a_briefing_a_worker_has_claimed_can_no_longer_be_cancelled(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    briefing = await schedule(sessions, org)
    async with sessions() as session, session.begin():
        claimed = await claim_jobs(session, now=LATER, lease=timedelta(minutes=5))
    assert [job.kind for job in claimed] == [POST_BRIEFING]

    with pytest.raises(CancelError) as caught:
        await cancel(sessions, org, briefing)

    assert str(caught.value) == (
        "'Practice week' is being posted right now, so it can no longer be cancelled."
    )
    assert await job_statuses(sessions) == ["running"]


async def test_a_cancelled_briefing_scheduled_again_is_a_new_post_not_a_repeat(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    first = await schedule(sessions, org)
    await cancel(sessions, org, first)

    again = await schedule(sessions, org)

    assert not again.repeat
    assert again.announcement.id != first.announcement.id
    assert await job_statuses(sessions) == ["pending"]
    async with sessions() as session:
        states = {
            str(item.announcement.id): item.state
            for item in await scheduled_briefings(
                session, organisation_id=org.organisation.id
            )
        }
    # Its one job now posts the new briefing; the audit log keeps the cancel.
    assert states == {str(again.announcement.id): "scheduled"}


async def test_another_organisation_s_post_is_not_found(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    briefing = await schedule(sessions, org)

    with pytest.raises(NotFoundError):
        async with sessions() as session, session.begin():
            await cancel_briefing(
                session,
                organisation_id=org.campaign.id,
                announcement_id=briefing.announcement.id,
            )
    assert await job_statuses(sessions) == ["pending"]


async def test_a_briefing_for_a_role_reaches_everyone_active_in_it(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)

    async with sessions() as session, session.begin():
        posted = await create_briefing(
            session,
            organisation_id=org.organisation.id,
            title="For social workers",
            body="Practice week.",
            reach=Reach("role", "Social worker"),
            now=NOW,
        )

    assert posted.reach == Reach("role", "social_worker")
    assert posted.reach.describe() == "every social worker"
    assert posted.messages == len(org.people)


@pytest.mark.parametrize(
    ("role", "problem", "error"),
    [
        ("Astronaut", "'Astronaut' is not a known role", NotFoundError),
        (
            "Team manager",
            "Nobody active on the roster is a team manager.",
            AnnouncementError,
        ),
    ],
)
async def test_a_role_nobody_has_or_no_role_at_all_is_refused(
    sessions: SessionFactory, role: str, problem: str, error: type[Exception]
) -> None:
    org = await small_org(sessions)
    before = await counts(sessions)

    with pytest.raises(error) as caught:
        async with sessions() as session, session.begin():
            await create_briefing(
                session,
                organisation_id=org.organisation.id,
                title="t",
                body="b",
                reach=Reach("role", role),
                now=NOW,
            )

    assert problem in str(caught.value)
    assert await counts(sessions) == before


async def test_a_preview_stores_nothing_and_carries_what_will_be_sent(
    sessions: SessionFactory,
) -> None:
    org = await small_org(sessions)
    before = await counts(sessions)

    async with sessions() as session:
        preview = await preview_briefing(
            session,
            organisation_id=org.organisation.id,
            title=" Practice week ",
            body="Sessions every morning.",
            link="https://example.org/week",
            reach=Reach("team", "team a"),
            now=NOW,
        )
    assert await counts(sessions) == before
    async with sessions() as session, session.begin():
        await create_briefing(
            session,
            organisation_id=org.organisation.id,
            title=" Practice week ",
            body="Sessions every morning.",
            link="https://example.org/week",
            reach=Reach("team", "team a"),
            now=NOW,
        )
    async with sessions() as session:
        sent = (await session.exec(select(OutboxMessage))).all()

    assert sorted(recipient for _, recipient in preview.targets) == sorted(
        message.recipient for message in sent
    )
    ignored = {"announcement_id"}
    for message in sent:
        assert {k: v for k, v in message.payload.items() if k not in ignored} == {
            k: v for k, v in preview.payload.items() if k not in ignored
        }
