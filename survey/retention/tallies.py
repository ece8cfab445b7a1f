"""Participation tallies: who took part, kept only as counts per group.

A retention purge replaces a finished campaign's participation rows by
:class:`~survey.models.ParticipationTally` rows (team, role, employment type and
status, from the roster at the time), so response rates survive without a
record of who took part.
"""

from __future__ import annotations

import uuid
from collections import Counter

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import Campaign, Participation, ParticipationTally, Person


async def tally_and_remove(session: AsyncSession, *, campaign_id: uuid.UUID) -> int:
    """Count a campaign's participation into tallies, then delete the rows.

    The campaign row is locked first (on PostgreSQL), so two purges at once
    cannot both count the same rows.

    Returns:
        How many participation rows were removed.
    """
    await session.exec(
        select(Campaign.id).where(col(Campaign.id) == campaign_id).with_for_update()
    )
    rows = await session.exec(
        select(
            Person.team_id, Person.role, Person.employment_type, Participation.status
        )
        .join(Person, col(Person.id) == col(Participation.person_id))
        .where(col(Participation.campaign_id) == campaign_id)
    )
    groups = Counter(rows.all())
    existing = {
        (tally.team_id, tally.role, tally.employment_type, tally.status): tally
        for tally in (
            await session.exec(
                select(ParticipationTally).where(
                    col(ParticipationTally.campaign_id) == campaign_id
                )
            )
        ).all()
    }
    counted = 0
    for (team_id, role, employment_type, status), people in sorted(groups.items()):
        counted += people
        tally = existing.get((team_id, role, employment_type, status))
        if tally is None:
            tally = ParticipationTally(
                campaign_id=campaign_id,
                team_id=team_id,
                role=role,
                employment_type=employment_type,
                status=status,
                people=0,
            )
        tally.people += people
        session.add(tally)
    await session.flush()
    removed = (
        await session.exec(
            delete(Participation).where(col(Participation.campaign_id) == campaign_id)
        )
    ).rowcount
    if removed != counted:
        raise RuntimeError("participation changed while it was being counted")
    return int(removed)


async def invited_in_teams(
    session: AsyncSession, *, campaign_id: uuid.UUID, team_ids: list[uuid.UUID]
) -> int:
    """How many people in these teams were invited, before or after a purge.

    Counts participation rows (by the person's current team) and purge tallies.
    """
    listed = (
        await session.exec(
            select(func.count())
            .select_from(Participation)
            .join(Person, col(Person.id) == col(Participation.person_id))
            .where(
                col(Participation.campaign_id) == campaign_id,
                col(Person.team_id).in_(team_ids),
            )
        )
    ).one()
    tallied = (
        await session.exec(
            select(func.coalesce(func.sum(ParticipationTally.people), 0)).where(
                col(ParticipationTally.campaign_id) == campaign_id,
                col(ParticipationTally.team_id).in_(team_ids),
            )
        )
    ).one()
    return int(listed) + int(tallied)
