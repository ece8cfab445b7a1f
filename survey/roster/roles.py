"""The role catalogue: social care roles, workforces, employment types, access."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from survey.errors import NotFoundError


class Workforce(StrEnum):
    """Which health check a person belongs to."""

    SOCIAL_WORK = "social_work"
    WIDER_WORKFORCE = "wider_workforce"


class EmploymentType(StrEnum):
    """How a person is employed; reported separately because agency staff differ."""

    PERMANENT = "permanent"
    AGENCY = "agency"
    BANK = "bank"
    FIXED_TERM = "fixed_term"


class Access(StrEnum):
    """What a person may ask the bot for, lowest first."""

    STAFF = "staff"
    MANAGER = "manager"
    PSW = "psw"


@dataclass(frozen=True)
class Role:
    """A job role on the roster.

    Attributes:
        code: The stored code, e.g. ``senior_social_worker``.
        label: The words people use, e.g. "Senior social worker".
        workforce: Whether the role is registered social work or the wider workforce.

    """

    code: str
    label: str
    workforce: Workforce


_SW = Workforce.SOCIAL_WORK
_WW = Workforce.WIDER_WORKFORCE

ROLES: tuple[Role, ...] = (
    Role("asye_social_worker", "Newly qualified social worker (ASYE)", _SW),
    Role("social_worker", "Social worker", _SW),
    Role("senior_social_worker", "Senior social worker", _SW),
    Role("advanced_practitioner", "Advanced practitioner", _SW),
    Role("consultant_social_worker", "Consultant social worker", _SW),
    Role(
        "approved_mental_health_professional",
        "Approved mental health professional",
        _SW,
    ),
    Role("occupational_therapist", "Occupational therapist", _SW),
    Role("assistant_team_manager", "Assistant team manager", _SW),
    Role("team_manager", "Team manager", _SW),
    Role("service_manager", "Service manager", _SW),
    Role("head_of_service", "Head of service", _SW),
    Role("principal_social_worker", "Principal social worker", _SW),
    Role("social_work_assistant", "Social work assistant", _WW),
    Role("family_support_worker", "Family support worker", _WW),
    Role("early_help_practitioner", "Early help practitioner", _WW),
    Role("personal_adviser", "Personal adviser (care leavers)", _WW),
    Role("support_worker", "Support worker", _WW),
    Role("residential_care_worker", "Residential care worker", _WW),
    Role("reablement_worker", "Reablement worker", _WW),
    Role("occupational_therapy_assistant", "Occupational therapy assistant", _WW),
    Role("community_care_officer", "Community care officer", _WW),
    Role("business_support", "Business support officer", _WW),
)

_ROLE_BY_CODE = {role.code: role for role in ROLES}

# Short forms people type in spreadsheets; codes and labels are accepted anyway.
_ROLE_ALIASES = {
    "sw": "social_worker",
    "ssw": "senior_social_worker",
    "nqsw": "asye_social_worker",
    "asye": "asye_social_worker",
    "newly_qualified_social_worker": "asye_social_worker",
    "ap": "advanced_practitioner",
    "amhp": "approved_mental_health_professional",
    "ot": "occupational_therapist",
    "atm": "assistant_team_manager",
    "psw": "principal_social_worker",
    "swa": "social_work_assistant",
    "ota": "occupational_therapy_assistant",
    "business_support_officer": "business_support",
}

_EMPLOYMENT_ALIASES = {
    "locum": EmploymentType.AGENCY,
    "relief": EmploymentType.BANK,
    "ftc": EmploymentType.FIXED_TERM,
    "fixed_term_contract": EmploymentType.FIXED_TERM,
}


def normalise_code(text: str) -> str:
    """Put typed text in code form ("Senior Social-Worker": ``senior_social_worker``).

    Any run of characters other than letters and digits becomes one underscore.
    """
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_")


def _build_role_lookup() -> dict[str, Role]:
    lookup = {normalise_code(role.label): role for role in ROLES}
    lookup.update({alias: _ROLE_BY_CODE[code] for alias, code in _ROLE_ALIASES.items()})
    lookup.update(_ROLE_BY_CODE)
    return lookup


_ROLE_LOOKUP = _build_role_lookup()


def find_role(text: str) -> Role | None:
    """Find the role a person typed (code, label or short form, any case)."""
    return _ROLE_LOOKUP.get(normalise_code(text))


def get_role(text: str) -> Role:
    """Return the role a person typed.

    Raises:
        NotFoundError: if it is not a role in the catalogue; the message lists them.

    """
    role = find_role(text)
    if role is None:
        raise NotFoundError(
            f"'{text}' is not a known role; use one of: {', '.join(role_codes())}"
        )
    return role


def role_codes() -> list[str]:
    """Return every role code, in catalogue order."""
    return [role.code for role in ROLES]


def role_label(role: str) -> str:
    """Return the label for a role (any spelling :func:`find_role` accepts)."""
    return get_role(role).label


def workforce_of(role: str) -> Workforce:
    """Return whether a role is registered social work or the wider workforce.

    Raises:
        NotFoundError: if the role is not in the catalogue.

    """
    return get_role(role).workforce


def workforce_label(workforce: str) -> str:
    """Return the label for a workforce code."""
    labels = {
        Workforce.SOCIAL_WORK: "Registered social work",
        Workforce.WIDER_WORKFORCE: "Wider social care workforce",
    }
    return labels[Workforce(workforce)]


def parse_employment_type(text: str) -> EmploymentType | None:
    """Read the employment type a person typed ("Fixed term", "agency"), if valid."""
    code = normalise_code(text)
    if code in _EMPLOYMENT_ALIASES:
        return _EMPLOYMENT_ALIASES[code]
    try:
        return EmploymentType(code)
    except ValueError:
        return None


def employment_type_label(employment_type: str) -> str:
    """Return the label for an employment type: ``fixed_term`` -> "Fixed term"."""
    return EmploymentType(employment_type).value.replace("_", " ").capitalize()


def parse_access(text: str) -> Access | None:
    """Read the access level a person typed ("PSW", "Manager"), if valid."""
    try:
        return Access(normalise_code(text))
    except ValueError:
        return None


def access_label(access: str) -> str:
    """Return the label for an access level."""
    labels = {
        Access.STAFF: "Staff",
        Access.MANAGER: "Manager",
        Access.PSW: "Principal social worker (admin)",
    }
    return labels[Access(access)]


def access_for(role: str, manages_teams: bool, explicit: str | None = None) -> Access:
    """Work out a person's access: the highest their role, teams and roster give.

    The principal social worker role, or an explicit ``psw``, gives PSW access;
    managing any team gives manager access; everyone else is staff. An explicit
    level can raise access but never lower it, so a manager always sees their
    teams' summaries.

    Args:
        role: The person's role (any spelling :func:`find_role` accepts).
        manages_teams: Whether the person manages at least one team.
        explicit: The access level written on the roster, if any.

    Raises:
        NotFoundError: if the role or the explicit level is not known.

    """
    levels = list(Access)
    granted = Access.STAFF
    if get_role(role).code == "principal_social_worker":
        granted = Access.PSW
    elif manages_teams:
        granted = Access.MANAGER
    if explicit is not None and explicit.strip():
        asked = parse_access(explicit)
        if asked is None:
            raise NotFoundError(
                f"'{explicit}' is not an access level; use one of: {', '.join(levels)}"
            )
        granted = max(granted, asked, key=levels.index)
    return granted
