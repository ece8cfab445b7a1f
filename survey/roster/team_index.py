"""The organisation's teams as a roster file names them, and any teams it adds."""

from __future__ import annotations

from dataclasses import replace

from survey.roster.names import did_you_mean, name_key, tidy_name
from survey.roster.roles import access_for
from survey.roster.rows import RosterProblems, RosterRow


class TeamIndex:
    """The organisation's teams, plus any the file adds when teams may be created."""

    def __init__(self, known_teams: dict[str, str], *, create_teams: bool) -> None:
        self.create_teams = create_teams
        self.known = {
            name_key(team): (team, home) for team, home in known_teams.items()
        }
        self.services = {name_key(home): home for home in known_teams.values()}
        self.new: dict[str, tuple[str, str, int]] = {}
        self.unknown: dict[str, tuple[str, list[int]]] = {}

    def place(
        self, number: int, team: str, service: str, problems: RosterProblems
    ) -> tuple[str, str] | None:
        """Return the team and its service as the organisation spells them."""
        key = name_key(team)
        if key in self.known:
            name, home = self.known[key]
            if name_key(service) != name_key(home):
                message = f"team '{name}' is in service '{home}', not '{service}'"
                problems.add(number, message)
                return None
            return name, home
        if not self.create_teams:
            self.unknown.setdefault(key, (team, []))[1].append(number)
            return None
        service = self.services.setdefault(name_key(service), tidy_name(service))
        name, home, first = self.new.setdefault(key, (tidy_name(team), service, number))
        if home != service:
            problems.add(
                number,
                f"team '{name}' is under service '{home}' on row {first}, "
                f"but under '{service}' here",
            )
            return None
        return name, home

    def report_unknown(self, problems: RosterProblems) -> None:
        """Report each unknown team once, naming every row that uses it."""
        names = {key: name for key, (name, _) in self.known.items()}
        for team, numbers in self.unknown.values():
            problems.add(
                numbers,
                f"team '{team}' is not a team in this organisation"
                f"{did_you_mean(name_key(team), names)}; fix the spelling, or import "
                "with --create-teams to add it",
            )

    def finish(self, row: RosterRow, problems: RosterProblems) -> RosterRow:
        """Resolve the row's manager_of names and work out its access."""
        names: list[str] = []
        for typed in row.manager_of:
            key = name_key(typed)
            if key in self.known or key in self.new:
                names.append((self.known.get(key) or self.new[key])[0])
                continue
            known = {k: name for k, (name, _) in self.known.items()}
            elsewhere = " or in the team column" if self.create_teams else ""
            problems.add(
                row.row,
                f"manager_of names team '{typed}', which is not a team in this "
                f"organisation{elsewhere}{did_you_mean(key, known)}",
            )
        teams = tuple(dict.fromkeys(names))
        access = access_for(row.role, bool(teams), row.access or None)
        return replace(row, manager_of=teams, access=access.value)
