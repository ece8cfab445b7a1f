"""Finding the campaign, team or service named in a command's words.

People type names with or without quotes (``remind Child Protection Health check
2026`` or ``remind team:"Child Protection" "Health check 2026"``), whole or in
part, so the words are matched against the names that exist, longest first
(:mod:`survey.matching`). ``team:`` and ``service:`` say which kind of group a
name is when it could be either.
"""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass, field

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.commands import schedule_text as text
from survey.errors import NotFoundError
from survey.matching import closest_name, exact_match, match_name, normalised
from survey.models import Campaign, Service, Team
from survey.schedule.nudges import GroupKind, NudgeGroup

PREFIXES = {f"{kind.value}:": kind for kind in GroupKind}


@dataclass(frozen=True)
class Named:
    """What the words named: at most one campaign, and the groups (teams, services).

    Attributes:
        campaign: The survey named, if any.
        groups: The teams and services named, in the order typed.
    """

    campaign: Campaign | None = None
    groups: tuple[NudgeGroup, ...] = ()
    group_services: tuple[uuid.UUID, ...] = field(default=(), compare=False)

    @property
    def group(self) -> NudgeGroup | None:
        """The one team or service named, if any."""
        return self.groups[0] if self.groups else None


Thing = Campaign | Team | Service


@dataclass(frozen=True)
class _Known:
    campaigns: dict[str, Campaign]
    teams: dict[str, Team]
    services: dict[str, Service]

    def names(self, kind: GroupKind | None) -> dict[str, Thing]:
        """Display name to thing, for the kinds allowed (teams win a tie)."""
        found: dict[str, Thing] = {}
        if kind in (None, GroupKind.SERVICE):
            found.update({s.name: s for s in self.services.values()})
        if kind in (None, GroupKind.TEAM):
            found.update({t.name: t for t in self.teams.values()})
        if kind is None:
            found.update({c.name: c for c in self.campaigns.values()})
        return found


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
    session: AsyncSession,
    *,
    organisation_id: uuid.UUID,
    words: list[str],
    several_groups: bool = False,
    groups_only: bool = False,
) -> Named:
    """Match ``words`` to one survey and one team or service (or several).

    Names need no quotes and may be partial: ``Child Protection``, ``child
    prot`` and ``team:"Child Protection"`` all name the same team.

    Args:
        session: The database session.
        organisation_id: Whose names to look in.
        words: The words typed after the command.
        several_groups: Whether more than one team or service may be named.
        groups_only: Whether only teams and services may be named (no survey).

    Raises:
        NotFoundError: words that name nothing (with the closest name), a partial
            name that fits several (listing them), or two surveys or groups.
    """
    known = await _known(session, organisation_id, groups_only=groups_only)
    tokens = [word.strip("\"'") for word in words]
    tokens = [token for token in tokens if token]
    found = _read(known, tokens, 0, {})
    if found is None:
        raise NotFoundError(_why_not(known, tokens, groups_only=groups_only))
    named = Named()
    for thing in found:
        named = _add(named, thing, several_groups=several_groups)
    return named


def _read(
    known: _Known,
    tokens: list[str],
    position: int,
    seen: dict[int, list[Thing] | None],
) -> list[Thing] | None:
    """The things ``tokens[position:]`` name, whole names before partial ones."""
    if position == len(tokens):
        return []
    if position in seen:
        return seen[position]
    seen[position] = None
    kind, first, start = _at(tokens, position)
    names = known.names(kind)
    candidates = [
        (names[exact], end)
        for run, end in _runs(tokens, start, first)
        if (exact := exact_match(run, names)) is not None
    ] + [
        (thing, end)
        for run, end in _runs(tokens, start, first)
        if (thing := _partial(names, run)) is not None
    ]
    for thing, end in candidates:
        rest = _read(known, tokens, end, seen)
        if rest is not None:
            seen[position] = [thing, *rest]
            break
    return seen[position]


def _at(tokens: list[str], position: int) -> tuple[GroupKind | None, str, int]:
    """The kind a ``team:``/``service:`` prefix asks for, the first word, its index."""
    kind, first = _prefixed(tokens[position])
    if not first and position + 1 < len(tokens):
        # "team: Child Protection": the name is in the next words.
        return kind, tokens[position + 1], position + 1
    return kind, first, position


def _runs(tokens: list[str], start: int, first: str) -> list[tuple[str, int]]:
    """Runs of words from ``start``, longest first, with the index after each."""
    return [
        (" ".join([first, *tokens[start + 1 : end]]), end)
        for end in range(len(tokens), start, -1)
    ]


def _partial(names: dict[str, Thing], run: str) -> Thing | None:
    match = match_name(run, sorted(names))
    if match.found is not None:
        return names[match.found]
    if match.candidates:
        return _newest_of_one_series([names[name] for name in match.candidates])
    return None


def _why_not(known: _Known, tokens: list[str], *, groups_only: bool) -> str:
    """Why the words name nothing: from the first words no whole name covers."""
    position = 0
    while position < len(tokens):
        kind, first, start = _at(tokens, position)
        names = known.names(kind)
        ends = [
            end for run, end in _runs(tokens, start, first) if exact_match(run, names)
        ]
        if not ends:
            break
        position = ends[0]
    if position == len(tokens):
        return text.two_of("team or service")
    kind, first, start = _at(tokens, position)
    names = known.names(kind)
    for run, end in _runs(tokens, start, first):
        match = match_name(run, sorted(names))
        if match.candidates and _read(known, tokens, end, {}) is not None:
            return text.which_of(run, match.candidates)
    phrase = " ".join([first, *tokens[start + 1 :]])
    closest = None
    for run, _ in _runs(tokens, start, first):
        closest = closest_name(run, names)
        if closest is not None:
            break
    if kind is not None:
        return text.unknown_group(kind.value, phrase, closest, list(names))
    return text.unknown_words(phrase, closest, groups_only=groups_only)


def _newest_of_one_series(things: list[Thing]) -> Campaign | None:
    """The latest round when every candidate is a round of the same survey.

    "pulse" fits every "Pulse check <month> <year>"; the person means the latest.
    """
    if not all(isinstance(thing, Campaign) for thing in things):
        return None
    campaigns = [thing for thing in things if isinstance(thing, Campaign)]
    if len({_series(campaign.name) for campaign in campaigns}) != 1:
        return None
    return max(campaigns, key=lambda campaign: (campaign.year, campaign.created_at))


_DATE_WORDS = {
    *(name.casefold() for name in calendar.month_name if name),
    *(name.casefold() for name in calendar.month_abbr if name),
}


def _series(name: str) -> str:
    """A survey's name without dates: "Pulse check November 2026" -> "pulse check"."""
    words = normalised(name).split()
    return " ".join(
        word for word in words if not word.isdigit() and word not in _DATE_WORDS
    )


def _prefixed(token: str) -> tuple[GroupKind | None, str]:
    for prefix, kind in PREFIXES.items():
        if token.casefold().startswith(prefix):
            return kind, token[len(prefix) :].strip("\"'")
    return None, token


def _add(named: Named, found: Thing, *, several_groups: bool) -> Named:
    if isinstance(found, Campaign):
        if named.campaign is not None:
            raise NotFoundError(text.two_of("survey"))
        return Named(found, named.groups, named.group_services)
    if named.groups and not several_groups:
        raise NotFoundError(text.two_of("team or service"))
    if isinstance(found, Team):
        group = NudgeGroup(GroupKind.TEAM, found.id, found.name)
        service = found.service_id
    else:
        group = NudgeGroup(GroupKind.SERVICE, found.id, found.name)
        service = found.id
    return Named(
        named.campaign, (*named.groups, group), (*named.group_services, service)
    )


async def _known(
    session: AsyncSession, organisation_id: uuid.UUID, *, groups_only: bool
) -> _Known:
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
        campaigns={
            campaign.name.casefold(): campaign
            for campaign in campaigns.all()
            if not groups_only
        },
        teams={team.name.casefold(): team for team in teams.all()},
        services={service.name.casefold(): service for service in services.all()},
    )


def read_target(args: tuple[str, ...], *, default: str) -> tuple[str, float, str]:
    """``target QUESTION PERCENT [template]``: the question's words, %, template.

    The question may be several words; the percent is the last number typed.

    Raises:
        NotFoundError: no percent, or no question before it (says how to write it).
    """
    numbers = [index for index, arg in enumerate(args) if _percent(arg) is not None]
    if not numbers or numbers[-1] == 0 or len(args) - numbers[-1] > 2:
        raise NotFoundError(text.TARGET_USAGE)
    at = numbers[-1]
    percent = _percent(args[at])
    assert percent is not None
    template = args[at + 1] if at + 1 < len(args) else default
    return " ".join(args[:at]), percent, template


def _percent(typed: str) -> float | None:
    try:
        return float(typed.rstrip("%"))
    except ValueError:
        return None
