"""Who works in the demo council: services, teams, roles and named managers.

Every team has either none or at least eight people of each workforce, so each
team's results can be shown (groups of five or more responses) without hiding a
neighbour to stop a small group being worked out by subtraction. The one
exception is Child Protection's three assistants: too few to show, so a hidden
group can be seen in the figures of this year's open surveys; they did not answer
the closed rounds, so those have no small group to hide.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field

DEMO_SLUG = "demo"
DEMO_NAME = "Demo City Council"
FEATURED_MANAGER = "Imran Clarke"
"""The manager the persona picker offers: the first team manager in roster order."""

FIRST_NAMES = (
    "Aisha Amir Anna Ben Bethany Chloe Connor Daniel Deepa Ella Emma Fatima "
    "Grace Hannah Harjit Jack James Jasmine Joanne Kareem Kate Laura Leah "
    "Liam Lucy Mark Megan Mohammed Nadia Naomi Oliver Priya Rachel Rebecca Ruth "
    "Sam Sarah Simone Sophie Tariq Tom Una Victoria Wei Yusuf Zainab Zoe"
).split()
LAST_NAMES = (
    "Ahmed Ali Bailey Begum Bennett Campbell Chen Davies Edwards Evans "
    "Green Hall Hughes Hussain Jackson James Jones Kaur Khan Lewis Martin Morgan "
    "Murphy Nowak Okafor Patel Price Roberts Robinson Shah Singh Smith Taylor "
    "Thomas Turner Walker Ward Watson White Williams Wilson Wright Young"
).split()


@dataclass(frozen=True)
class DemoTeam:
    """A team in the demo council, who works in it and how things are going.

    Attributes:
        name: The team's name.
        service: The service it belongs to.
        roles: Roles and how many people hold each.
        mood: How the team feels overall, from -1 (struggling) to 1 (thriving).
        manager: The team manager's name.
        change: How much better (or worse) this year went than the year before,
            on the same scale as ``mood``.
        leanings: Standards (by LGA number) where this team differs from its mood.
        themes: What people in this team write about most, by theme key.
        response_rate: The share of the team who answer a health check.
    """

    name: str
    service: str
    roles: tuple[tuple[str, int], ...]
    mood: float
    manager: str = ""
    change: float = 0.0
    leanings: dict[int, float] = field(default_factory=dict)
    themes: tuple[str, ...] = ()
    response_rate: float = 0.5


TEAMS = (
    DemoTeam(
        "Hospital Discharge",
        "Adults",
        (
            ("social_worker", 7),
            ("senior_social_worker", 2),
            ("community_care_officer", 8),
        ),
        -0.35,
        manager="Helen Marsh",
        change=-0.2,
        leanings={3: -0.4},
        themes=("workload", "stress_wellbeing", "it_systems", "recording_paperwork"),
    ),
    DemoTeam(
        "Community Adults North",
        "Adults",
        (
            ("social_worker", 8),
            ("senior_social_worker", 2),
            ("asye_social_worker", 2),
        ),
        0.25,
        manager="Owen Fletcher",
        change=0.1,
        leanings={6: 0.3},
        themes=("learning_development", "teamwork", "hybrid_working", "workload"),
    ),
    DemoTeam(
        "Community Adults South",
        "Adults",
        (
            ("social_worker", 7),
            ("advanced_practitioner", 1),
            ("asye_social_worker", 1),
            ("social_work_assistant", 8),
        ),
        0.0,
        manager="Grace Adeyemi",
        change=0.0,
        themes=("recording_paperwork", "pay_progression", "teamwork", "it_systems"),
    ),
    DemoTeam(
        "Adult Mental Health",
        "Adults",
        (
            ("approved_mental_health_professional", 7),
            ("social_worker", 6),
            ("support_worker", 8),
        ),
        -0.1,
        manager=FEATURED_MANAGER,
        change=0.35,
        leanings={3: -0.35, 4: -0.2, 5: 0.45},
        themes=("workload", "supervision", "stress_wellbeing", "management_support"),
        response_rate=0.8,
    ),
    DemoTeam(
        "Reablement",
        "Adults",
        (
            ("reablement_worker", 8),
            ("occupational_therapy_assistant", 4),
            ("occupational_therapist", 8),
        ),
        0.3,
        manager="Nia Roberts",
        change=0.05,
        themes=("teamwork", "hybrid_working", "pay_progression", "communication"),
    ),
    DemoTeam(
        "Front Door",
        "Children's",
        (
            ("social_worker", 8),
            ("senior_social_worker", 2),
            ("early_help_practitioner", 8),
        ),
        -0.2,
        manager="Paul Okonjo",
        change=0.15,
        leanings={2: -0.3},
        themes=("workload", "communication", "it_systems", "recruitment_retention"),
    ),
    DemoTeam(
        "Child Protection",
        "Children's",
        (
            ("social_worker", 11),
            ("senior_social_worker", 2),
            ("asye_social_worker", 2),
            ("social_work_assistant", 3),
        ),
        -0.55,
        manager="Rosa Delgado",
        change=-0.35,
        leanings={3: -0.3, 4: -0.3, 2: -0.3},
        response_rate=0.4,
        themes=(
            "workload",
            "stress_wellbeing",
            "recruitment_retention",
            "recording_paperwork",
        ),
    ),
    DemoTeam(
        "Children in Care",
        "Children's",
        (("social_worker", 8), ("asye_social_worker", 1), ("personal_adviser", 8)),
        0.1,
        manager="Tunde Bakare",
        change=0.0,
        leanings={8: 0.3},
        themes=("practice_model", "supervision", "pay_progression", "communication"),
    ),
    DemoTeam(
        "Family Support",
        "Children's",
        (
            ("family_support_worker", 10),
            ("social_worker", 6),
            ("senior_social_worker", 2),
        ),
        0.45,
        manager="Ellie Stanton",
        change=0.1,
        leanings={5: 0.2},
        response_rate=0.65,
        themes=("teamwork", "management_support", "learning_development", "research"),
    ),
)

SERVICE_MANAGERS = {"Adults": "Margaret Osei", "Children's": "David Kowalski"}
PSW = "Farah Siddiqui"

_COLUMNS = (
    "name",
    "email",
    "slack_id",
    "teams_id",
    "team",
    "service",
    "role",
    "employment_type",
    "manager_of",
)


def people_csv(rng: random.Random) -> bytes:
    """The demo roster as a CSV file, in the format `roster import` reads."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_COLUMNS)
    used = {team.manager for team in TEAMS} | set(SERVICE_MANAGERS.values()) | {PSW}
    serial = 0

    def person(
        team: str, service: str, role: str, *, name: str = "", manages: str = ""
    ) -> None:
        nonlocal serial
        while not name:
            candidate = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if candidate not in used:
                used.add(candidate)
                name = candidate
        serial += 1
        email = name.lower().replace(" ", ".") + "@demo-council.example"
        employment = "agency" if rng.random() < 0.12 else "permanent"
        if role in ("team_manager", "service_manager", "principal_social_worker"):
            employment = "permanent"
        writer.writerow(
            [
                name,
                email,
                f"UDEMO{serial:05d}",
                "",
                team,
                service,
                role,
                employment,
                manages,
            ]
        )

    for service, manager in SERVICE_MANAGERS.items():
        teams = [team.name for team in TEAMS if team.service == service]
        person(
            teams[0], service, "service_manager", name=manager, manages=";".join(teams)
        )
    for team in TEAMS:
        person(
            team.name,
            team.service,
            "team_manager",
            name=team.manager,
            manages=team.name,
        )
        for role, count in team.roles:
            for _ in range(count):
                person(team.name, team.service, role)
    person("Community Adults North", "Adults", "principal_social_worker", name=PSW)
    return out.getvalue().encode()
