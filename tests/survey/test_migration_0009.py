"""Revision 0009 carries existing campaigns forward, on SQLite and PostgreSQL.

A database is built at the head with the product's own code, taken back to
0008 (as a deployment before this change would be), given what 0008 could
hold (a roster change since the campaign opened, and old-style participation
tallies with groups of one), and upgraded again.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
import sqlalchemy as sa
from builders import NOW, SECRET, SMALL_TEMPLATE
from sqlalchemy import pool
from sqlmodel import col, select

from analytics.data import load_round
from survey.campaigns import Audience, close_campaign, create_campaign, open_campaign
from survey.db import (
    SessionFactory,
    create_engine,
    session_factory,
    sqlite_connect_hook,
    sync_url,
)
from survey.migrate import current_revision, downgrade, head_revision, upgrade
from survey.models import (
    Campaign,
    Organisation,
    Participation,
    ParticipationTally,
    Person,
    Service,
    Team,
)
from survey.questions.bank import parse_template
from survey.questions.catalogue import sync_templates

T = TypeVar("T")
TALLY = sa.table(
    "participationtally",
    sa.column("id", sa.Uuid()),
    sa.column("campaign_id", sa.Uuid()),
    sa.column("team_id", sa.Uuid()),
    sa.column("role", sa.String()),
    sa.column("employment_type", sa.String()),
    sa.column("status", sa.String()),
    sa.column("people", sa.Integer()),
)


def _with_sessions(url: str, work: Callable[[SessionFactory], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = create_engine(url, pool_size=2)
        try:
            return await work(session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _execute(url: str, *statements: Any) -> None:
    engine = sa.create_engine(sync_url(url), poolclass=pool.NullPool)
    if url.startswith("sqlite"):
        sqlite_connect_hook(engine)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(statement)
    finally:
        engine.dispose()


async def _build(sessions: SessionFactory) -> dict[str, Any]:
    """Team A: 6 social workers and 1 OT (Adults); Team B: 5 agency (Children)."""
    async with sessions() as session, session.begin():
        organisation = Organisation(slug="m9", name="Migrating Council")
        session.add(organisation)
        await session.flush()
        services = {
            name: Service(organisation_id=organisation.id, name=name)
            for name in ("Adults", "Children")
        }
        session.add_all(services.values())
        await session.flush()
        teams = {
            "Team A": Team(
                organisation_id=organisation.id,
                service_id=services["Adults"].id,
                name="Team A",
            ),
            "Team B": Team(
                organisation_id=organisation.id,
                service_id=services["Children"].id,
                name="Team B",
            ),
        }
        session.add_all(teams.values())
        await session.flush()
        rows = [("Team A", "social_worker", "permanent")] * 6
        rows += [("Team A", "occupational_therapist", "permanent")]
        rows += [("Team B", "social_worker", "agency")] * 5
        people = [
            Person(
                organisation_id=organisation.id,
                name=f"Person {n}",
                email=f"p{n}@example.org",
                team_id=teams[team].id,
                role=role,
                employment_type=kind,
            )
            for n, (team, role, kind) in enumerate(rows)
        ]
        session.add_all(people)
        definition = parse_template(SMALL_TEMPLATE, source="test")
        await sync_templates(session, templates=[definition])
        campaigns = {}
        for name in ("Older", "Old"):
            campaign = await create_campaign(
                session,
                organisation_id=organisation.id,
                template_key=definition.key,
                name=name,
                year=2026,
                audience=Audience(),
            )
            await open_campaign(session, campaign=campaign, now=NOW)
            await close_campaign(session, campaign=campaign, now=NOW, secret=SECRET)
            campaigns[name] = campaign.id
    return {
        "campaigns": campaigns,
        "teams": {name: team.id for name, team in teams.items()},
        "services": {name: service.id for name, service in services.items()},
        "ot": people[6].id,
    }


async def _read(sessions: SessionFactory, made: dict[str, Any]) -> dict[str, Any]:
    async with sessions() as session:
        rows = (
            await session.exec(
                select(Participation).where(
                    Participation.campaign_id == made["campaigns"]["Old"]
                )
            )
        ).all()
        tallies = (
            await session.exec(
                select(ParticipationTally).where(
                    col(ParticipationTally.campaign_id) == made["campaigns"]["Older"]
                )
            )
        ).all()
        older = await session.get(Campaign, made["campaigns"]["Older"])
        assert older is not None
        invited = (await load_round(session, campaign=older)).invited
    return {"rows": rows, "tallies": tallies, "invited": invited}


def test_0009_freezes_the_current_roster_and_merges_old_small_tallies(
    database_url: str,
) -> None:
    url = database_url
    made = _with_sessions(url, _build)
    downgrade(url, "0008")
    older, teams = made["campaigns"]["Older"], made["teams"]
    # Since the campaigns opened, the OT moved to Team B (0008 kept no copy).
    _execute(
        url,
        sa.text("UPDATE person SET team_id = :team WHERE email = 'p6@example.org'")
        .bindparams(sa.bindparam("team", type_=sa.Uuid()))
        .params(team=teams["Team B"]),
        # "Older" was purged under 0008: tallies as 0008 wrote them, with the
        # OT a group of one and Team B split 4 + 1 by status.
        sa.delete(TALLY),
        *(
            sa.insert(TALLY).values(
                id=uuid.uuid4(),
                campaign_id=older,
                team_id=teams[team],
                role=role,
                employment_type=kind,
                status=status,
                people=people,
            )
            for team, role, kind, status, people in (
                ("Team A", "social_worker", "permanent", "completed", 6),
                ("Team A", "occupational_therapist", "permanent", "completed", 1),
                ("Team B", "social_worker", "agency", "completed", 4),
                ("Team B", "social_worker", "agency", "invited", 1),
            )
        ),
        sa.text("DELETE FROM participation WHERE campaign_id = :c")
        .bindparams(sa.bindparam("c", type_=sa.Uuid()))
        .params(c=older),
    )

    upgrade(url)
    assert current_revision(url) == head_revision()
    found = _with_sessions(url, lambda sessions: _read(sessions, made))

    frozen = Counter(
        (row.team_id, row.service_id, row.role, row.workforce, row.employment_type)
        for row in found["rows"]
    )
    adults, children = made["services"]["Adults"], made["services"]["Children"]
    assert frozen == {
        (teams["Team A"], adults, "social_worker", "social_work", "permanent"): 6,
        # The best there is: the roster as it is at the upgrade.
        (
            teams["Team B"],
            children,
            "occupational_therapist",
            "social_work",
            "permanent",
        ): 1,
        (teams["Team B"], children, "social_worker", "social_work", "agency"): 5,
    }
    groups: Counter[tuple[Any, ...]] = Counter()
    statuses: Counter[str] = Counter()
    for tally in found["tallies"]:
        groups[
            (tally.service_id, tally.team_id, tally.role, tally.employment_type)
        ] += tally.people
        statuses[tally.status] += tally.people
    assert groups == {
        (adults, teams["Team A"], None, None): 7,
        (children, teams["Team B"], "social_worker", "agency"): 5,
    }
    assert statuses == {"completed": 11, "invited": 1}
    invited = found["invited"]
    assert len(invited) == 12
    assert int(invited["completed"].sum()) == 11

    # Back down: merged tallies cannot take 0008's form, so it refuses.
    downgrade(url, "0009")  # (the later revisions first)
    with pytest.raises(RuntimeError, match="merged over teams or roles"):
        downgrade(url, "0008")
    assert current_revision(url) == "0009"
