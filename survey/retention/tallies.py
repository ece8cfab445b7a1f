"""Participation tallies: who took part, kept only as counts per group.

A retention purge replaces a finished campaign's participation rows by
:class:`~survey.models.ParticipationTally` rows, so response rates survive
without a record of who took part. Groups are the attributes frozen when each
person was invited (service, team, role, employment type), and no group is
smaller than the organisation's minimum: :func:`merged_groups` merges small
groups upward, so a tally cannot say whether one particular person finished.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from survey.models import Campaign, Organisation, Participation, ParticipationTally

# A person's group, most general attribute first: service, team, role,
# employment type. A merged group has None from some position on.
Key = tuple[uuid.UUID | None, uuid.UUID | None, str | None, str | None]
DEPTH = 4


def merged_groups(people: Iterable[Key], *, minimum: int) -> Counter[Key]:
    """How many people per group, with every group at least ``minimum`` strong.

    Top down (organisation, service, team, role, employment type): the people
    of a group are split by the next attribute; parts smaller than ``minimum``
    are pooled and stay at the parent's level (the next attribute None). If
    that pool is itself too small, the smallest large parts join it until it
    is not. So the parts of a group always add up to the group, every part
    holds ``minimum`` people or more, and a parent minus its published parts
    is never a small group. Only a whole audience smaller than ``minimum``
    makes a smaller group (the organisation row).

    Args:
        people: One key per person (the full, unmerged key).
        minimum: The organisation's minimum group size.

    Returns:
        People per merged key.
    """
    counts: Counter[Key] = Counter()
    _split(list(people), 0, minimum, counts)
    return counts


def _split(people: Sequence[Key], level: int, minimum: int, into: Counter[Key]) -> None:
    if not people:
        return
    if level == DEPTH:
        into[people[0]] += len(people)
        return
    parts: dict[object, list[Key]] = {}
    for key in people:
        parts.setdefault(key[level], []).append(key)
    large = sorted(
        (part for part in parts.values() if len(part) >= minimum),
        key=lambda part: (len(part), repr(part[0][level])),
    )
    pooled = [key for part in parts.values() if len(part) < minimum for key in part]
    while pooled and len(pooled) < minimum and large:
        pooled += large.pop(0)
    for part in large:
        _split(part, level + 1, minimum, into)
    if pooled:
        parent = _parent(pooled[0], level)
        into[parent] += len(pooled)


def _parent(key: Key, level: int) -> Key:
    """The key with the attributes from ``level`` on left out (None)."""
    kept = list(key[:level]) + [None] * (DEPTH - level)
    return (kept[0], kept[1], kept[2], kept[3])  # type: ignore[return-value]


async def tally_and_remove(session: AsyncSession, *, campaign_id: uuid.UUID) -> int:
    """Count a campaign's participation into tallies, then delete the rows.

    The campaign row is locked first (on PostgreSQL), so two purges at once
    cannot both count the same rows. Each status (invited, started, completed)
    is tallied over the same merged groups, which are chosen from everyone
    invited, so a group's statuses always add up to a group of the minimum.

    Returns:
        How many participation rows were removed.
    """
    campaign = (
        await session.exec(
            select(Campaign).where(col(Campaign.id) == campaign_id).with_for_update()
        )
    ).one()
    organisation = await session.get(Organisation, campaign.organisation_id)
    assert organisation is not None
    rows = (
        await session.exec(
            select(Participation).where(col(Participation.campaign_id) == campaign_id)
        )
    ).all()
    existing = (
        await session.exec(
            select(ParticipationTally).where(
                col(ParticipationTally.campaign_id) == campaign_id
            )
        )
    ).all()
    people: list[tuple[Key, str]] = [
        ((row.service_id, row.team_id, row.role, row.employment_type), row.status)
        for row in rows
    ]
    for tally in existing:
        key = (tally.service_id, tally.team_id, tally.role, tally.employment_type)
        people += [(key, tally.status)] * tally.people
        await session.delete(tally)
    await session.flush()
    for tally in tallies(campaign_id, people, minimum=organisation.min_group_size):
        session.add(tally)
    await session.flush()
    removed = (
        await session.exec(
            delete(Participation).where(col(Participation.campaign_id) == campaign_id)
        )
    ).rowcount
    if removed != len(rows):
        raise RuntimeError("participation changed while it was being counted")
    return int(removed)


def tallies(
    campaign_id: uuid.UUID, people: Sequence[tuple[Key, str]], *, minimum: int
) -> list[ParticipationTally]:
    """Tally rows for ``people`` (each a full or merged key and a status)."""
    return [
        ParticipationTally(
            campaign_id=campaign_id,
            service_id=key[0],
            team_id=key[1],
            role=key[2],
            employment_type=key[3],
            status=status,
            people=count,
        )
        for (key, status), count in sorted(
            merged_statuses(people, minimum=minimum).items(), key=repr
        )
    ]


def merged_statuses(
    people: Sequence[tuple[Key, str]], *, minimum: int
) -> Counter[tuple[Key, str]]:
    """People per merged group (:func:`merged_groups`) and status.

    The groups are chosen from everyone, whatever their status; keys already
    merged (by an earlier purge) stay merged at least as far.
    """
    groups = merged_groups((key for key, _ in people), minimum=minimum)
    merged_of: dict[Key, Key] = {}
    for key in {key for key, _ in people}:
        merged_of[key] = next(
            _parent(key, level)
            for level in range(DEPTH, -1, -1)
            if _parent(key, level) in groups
        )
    return Counter((merged_of[key], status) for key, status in people)


async def invited_in_teams(
    session: AsyncSession, *, campaign_id: uuid.UUID, team_ids: list[uuid.UUID]
) -> int:
    """How many people in these teams were invited, before or after a purge.

    Counts participation rows (by the team frozen when each was invited) and
    purge tallies of these teams.
    """
    listed = (
        await session.exec(
            select(func.count())
            .select_from(Participation)
            .where(
                col(Participation.campaign_id) == campaign_id,
                col(Participation.team_id).in_(team_ids),
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
