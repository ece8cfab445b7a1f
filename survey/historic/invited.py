"""How many were invited in each team or service of an imported round.

An earlier round's export says who answered, not who was asked. A small CSV
gives the invitation counts the council kept, so team and service response rates
work for earlier rounds too::

    team,invited
    Front Door,12
    Children in Care,15

or ``service,invited``; both kinds of line may be in one file (a ``team`` and a
``service`` column, one of them filled on each line).
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass, field

from survey.errors import HistoricImportError
from survey.roster.names import name_key

LARGEST = 100_000


@dataclass(frozen=True)
class InvitedCounts:
    """Invitation counts by team name and by service name, as the file gave them."""

    teams: dict[str, int] = field(default_factory=dict)
    services: dict[str, int] = field(default_factory=dict)

    def total(self) -> int | None:
        """The organisation's total: services' counts if given, else teams'."""
        counts = self.services or self.teams
        return sum(counts.values()) if counts else None


def read_invited(data: bytes, *, name: str) -> InvitedCounts:
    """Read an invited-counts CSV; every problem is listed before giving up.

    Raises:
        HistoricImportError: the file is not shaped as the module says.
    """
    try:
        text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise HistoricImportError([f"{name}: the file is not saved as UTF-8"]) from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [name_key(cell) for cell in rows[0]] if rows else []
    if "invited" not in header or not {"team", "service"} & set(header):
        raise HistoricImportError(
            [f"{name}: the first line must be  team,invited  or  service,invited"]
        )
    problems: list[str] = []
    teams: dict[str, int] = {}
    services: dict[str, int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        record = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        if not any(record.values()):
            continue
        team, service = record.get("team", ""), record.get("service", "")
        count = record.get("invited", "")
        if bool(team) == bool(service):
            problems.append(f"{name}: line {line}: give a team or a service, not both")
            continue
        if not count.isdigit() or not 0 < int(count) <= LARGEST:
            problems.append(
                f"{name}: line {line}: invited must be a whole number from 1 to "
                f"{LARGEST:,}, not '{count}'"
            )
            continue
        into = teams if team else services
        key = team or service
        if key in into:
            problems.append(f"{name}: line {line}: '{key}' is listed twice")
            continue
        into[key] = int(count)
    if problems:
        raise HistoricImportError(problems)
    if not teams and not services:
        raise HistoricImportError([f"{name}: the file lists no teams or services"])
    return InvitedCounts(teams=teams, services=services)


def invited_ids(
    counts: InvitedCounts,
    teams: dict[str, tuple[uuid.UUID, str, uuid.UUID]],
    services: dict[str, uuid.UUID],
) -> dict[str, dict[str, int]]:
    """The counts by team and service id, for the round's provenance record.

    Args:
        counts: The file's counts by name.
        teams: Team name -> (team id, service name, service id).
        services: Service name -> service id.

    Raises:
        HistoricImportError: naming every team or service the file names that
            the organisation does not have.
    """
    team_keys = {name_key(name): found[0] for name, found in teams.items()}
    service_keys = {name_key(name): found for name, found in services.items()}
    problems = [
        f"the invited counts name '{name}', which is not a {kind} in this "
        f"organisation (create it with healthcheck {kind} create)"
        for kind, given, known in (
            ("team", counts.teams, team_keys),
            ("service", counts.services, service_keys),
        )
        for name in given
        if name_key(name) not in known
    ]
    if problems:
        raise HistoricImportError(problems)
    return {
        "invited_teams": {
            str(team_keys[name_key(name)]): n for name, n in counts.teams.items()
        },
        "invited_services": {
            str(service_keys[name_key(name)]): n for name, n in counts.services.items()
        },
    }
