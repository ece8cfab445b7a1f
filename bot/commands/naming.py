"""Finding the campaign, team or service named in a command's words.

People type names with or without quotes (``remind team:Team A Health check 2026``
or ``remind team:"Team A" "Health check 2026"``), so the words are matched
against the names that exist, longest first. ``team:`` and ``service:`` say
which kind of group a name is when it could be either.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import schedule_text as text
from survey.errors import NotFoundError
from survey.models import Campaign, Service, Team
from survey.schedule.nudges import GroupKind, NudgeGroup

PREFIXES = {f"{kind.value}:": kind for kind in GroupKind}


@dataclass(frozen=True)
class Named:
    """What the words named: at most one campaign and one group."""

    campaign: Campaign | None = None
    group: NudgeGroup | None = None
    group_service: uuid.UUID | None = field(default=None, compare=False)


@dataclass(frozen=True)
class _Known:
    campaigns: dict[str, Campaign]
    teams: dict[str, Team]
    services: dict[str, Service]


def setting_free(args: tuple[str, ...]) -> list[str]:
    """The words before the first ``name=value`` setting."""
    words = []
    for arg in args:
        head = arg.split("=", 1)[0]
        if "=" in arg and head.replace("_", "").replace("-", "").isalpha():
            break
        words.append(arg)
    return words


async def read_names(
    session: AsyncSession, *, organisation_id: uuid.UUID, words: list[str]
) -> Named:
    """Match ``words`` to one campaign and/or one team or service.

    Raises:
        NotFoundError: words that name nothing, or two campaigns or two groups.
    """
    known = await _known(session, organisation_id)
    tokens = [word.strip("\"'") for word in words]
    named = Named()
    position = 0
    while position < len(tokens):
        kind, first = _prefixed(tokens[position])
        for end in range(len(tokens), position, -1):
            phrase = " ".join([first, *tokens[position + 1 : end]]).strip()
            found = _lookup(known, phrase, kind)
            if found is not None:
                named = _add(named, found)
                position = end
                break
        else:
            raise NotFoundError(_unknown(known, kind, [first, *tokens[position + 1 :]]))
    return named


def _prefixed(token: str) -> tuple[GroupKind | None, str]:
    for prefix, kind in PREFIXES.items():
        if token.casefold().startswith(prefix):
            return kind, token[len(prefix) :].strip("\"'")
    return None, token


def _lookup(
    known: _Known, phrase: str, kind: GroupKind | None
) -> Campaign | Team | Service | None:
    wanted = phrase.casefold()
    if not wanted:
        return None
    if kind is None and wanted in known.campaigns:
        return known.campaigns[wanted]
    if kind in (None, GroupKind.TEAM) and wanted in known.teams:
        return known.teams[wanted]
    if kind in (None, GroupKind.SERVICE) and wanted in known.services:
        return known.services[wanted]
    return None


def _add(named: Named, found: Campaign | Team | Service) -> Named:
    if isinstance(found, Campaign):
        if named.campaign is not None:
            raise NotFoundError(text.two_of("campaign"))
        return Named(found, named.group, named.group_service)
    if named.group is not None:
        raise NotFoundError(text.two_of("team or service"))
    if isinstance(found, Team):
        group = NudgeGroup(GroupKind.TEAM, found.id, found.name)
        return Named(named.campaign, group, found.service_id)
    return Named(
        named.campaign, NudgeGroup(GroupKind.SERVICE, found.id, found.name), found.id
    )


def _unknown(known: _Known, kind: GroupKind | None, words: list[str]) -> str:
    """Why ``words`` name nothing, leaving out a campaign name at their end."""
    phrase = " ".join(word for word in words if word)
    for name in known.campaigns:
        if phrase.casefold().endswith(" " + name):
            phrase = phrase[: -len(name) - 1]
            break
    if kind == GroupKind.TEAM:
        names = [team.name for team in known.teams.values()]
        return text.unknown_group("team", phrase, names)
    if kind == GroupKind.SERVICE:
        names = [service.name for service in known.services.values()]
        return text.unknown_group("service", phrase, names)
    return text.unknown_words(phrase)


async def _known(session: AsyncSession, organisation_id: uuid.UUID) -> _Known:
    campaigns = await session.exec(
        select(Campaign).where(Campaign.organisation_id == organisation_id)
    )
    teams = await session.exec(
        select(Team).where(Team.organisation_id == organisation_id)
    )
    services = await session.exec(
        select(Service).where(Service.organisation_id == organisation_id)
    )
    return _Known(
        campaigns={campaign.name.casefold(): campaign for campaign in campaigns.all()},
        teams={team.name.casefold(): team for team in teams.all()},
        services={service.name.casefold(): service for service in services.all()},
    )
